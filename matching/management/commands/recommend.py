from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from centers.models import Buyer
from jntp.users.models import User
from matching.models import Company
from matching.recommendations import DEFAULT_LIMIT, recommended_buyers, recommended_companies


class Command(BaseCommand):
    help = "Print the recommendations for a company (buyers) or a buyer (companies), with scores and reasons."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--company", type=int, metavar="ID", help="Rank buyers for this company.")
        which.add_argument("--buyer", type=int, metavar="ID", help="Rank companies for this buyer.")
        parser.add_argument(
            "--limit", type=int, default=DEFAULT_LIMIT, help=f"How many (default {DEFAULT_LIMIT})."
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the reasons (default: the site's).",
        )
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="See what this user sees (a center manager gets the center's buyers only). Default: staff.",
        )

    def handle(
        self, *args, company=None, buyer=None, limit=DEFAULT_LIMIT, language="ko", username=None, **options
    ):
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user {username!r}.")
        else:
            user = User(username="recommend", role=User.Role.STAFF)  # staff's view; never saved
        with translation.override(language):
            if company is not None:
                subject = Company.objects.filter(pk=company).first()
                if subject is None:
                    raise CommandError(f"No company with id {company}.")
                results = recommended_buyers(company=subject, user=user, limit=limit)
                self.stdout.write(f"Buyers for {subject} (company #{subject.pk}), best first:")
            else:
                subject = Buyer.objects.select_related("center").filter(pk=buyer).first()
                if subject is None:
                    raise CommandError(f"No buyer with id {buyer}.")
                results = recommended_companies(buyer=subject, user=user, limit=limit)
                self.stdout.write(
                    f"Companies for {subject} (buyer #{subject.pk}, {subject.center.code}), best first:"
                )
            if not results:
                self.stdout.write("  No recommendation.")
            for rank, recommendation in enumerate(results, start=1):
                self.stdout.write(self._line(rank, recommendation, companies=buyer is not None))
                for reason in recommendation.reasons:
                    self.stdout.write(f"{'':11}{reason.points:+4d}  {reason.text}")

    def _line(self, rank: int, recommendation, *, companies: bool) -> str:
        if companies:
            c = recommendation.company
            who = f"{c} (company #{c.pk}) · {c.get_industry_display()}"
        else:
            b = recommendation.buyer
            who = (
                f"{b} (buyer #{b.pk}) · {b.center.code} · {b.country_name} · "
                f"{b.get_business_type_display()} · {b.get_status_display()}"
            )
        return f"{rank:3d}. {recommendation.score:4d}  {who}"
