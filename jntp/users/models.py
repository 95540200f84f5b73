from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jntp.tenancy import TenantQuerySet
from jntp.validators import validate_time_zone


class UserQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        return self.filter(company_id=company_id)

    def for_center(self, center_id, *, user=None):
        return self.filter(center_id=center_id)

    def staff(self):
        return self.filter(role=User.Role.STAFF, is_active=True)


def display_name():
    """`str(user)` in SQL: the full name, else the username."""
    return Coalesce(NullIf(Trim(Concat("first_name", Value(" "), "last_name")), Value("")), "username")


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.STAFF)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: JNTP staff, a user of one company, or the manager of one center."""

    class Role(models.TextChoices):
        STAFF = "staff", _("JNTP staff")
        COMPANY = "company", _("Company user")
        CENTER = "center", _("Center manager")

    class Language(models.TextChoices):
        KOREAN = "ko", "한국어"
        ENGLISH = "en", "English"

    # No default: a user without a deliberate role is refused by the database.
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    company = models.ForeignKey(
        "matching.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    center = models.ForeignKey(
        "centers.Center",
        verbose_name=_("center"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managers",
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default="ko")
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Seoul", validators=[validate_time_zone]
    )

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="staff", company__isnull=True, center__isnull=True)
                    | Q(role="company", company__isnull=False, center__isnull=True)
                    | Q(role="center", center__isnull=False, company__isnull=True)
                ),
                name="users_user_role_matches_tenant",
                violation_error_message=_(
                    "Staff belong to no company or center; a company user needs exactly one company, "
                    "a center manager exactly one center."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(role="staff"),
                name="users_user_admin_access_only_for_staff",
                violation_error_message=_("Only JNTP staff may use the administration site."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="users_user_unique_email",
                violation_error_message=_("Another user already has this e-mail address."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_jntp_staff(self) -> bool:
        return self.role == self.Role.STAFF

    @property
    def is_company_user(self) -> bool:
        return self.role == self.Role.COMPANY

    @property
    def is_center_manager(self) -> bool:
        return self.role == self.Role.CENTER
