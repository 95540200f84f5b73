from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jntp.forms import BootstrapFormMixin, DateInput

MAX_SELECT_CHOICES = 300


class BaseFilterSet(django_filters.FilterSet):
    """Every list's filters: a free-text `q` searched over `search_fields`, Bootstrap widgets."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="search", label=_("Search"))

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.user = getattr(request, "user", None)

    def get_form_class(self):
        return type("FilterForm", (BootstrapFormMixin, super().get_form_class()), {})

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_choices_bounded", False):
            form._choices_bounded = True
            for field in form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    self._bound_choices(field)
        return form

    @staticmethod
    def _bound_choices(field) -> None:
        """A select of a few hundred records at most: one LIMITed query fills it. Beyond that (the
        national register of 10,000 companies) the filter is a hidden field, kept by links from the
        record's page (?company=<id>), and the free-text search finds records by name."""
        rows = list(field.queryset[: MAX_SELECT_CHOICES + 1])
        if len(rows) > MAX_SELECT_CHOICES:
            field.widget = forms.HiddenInput()
            return
        field.widget.choices = [("", field.empty_label or "---------")] + [
            (row.pk, field.label_from_instance(row)) for row in rows
        ]

    @property
    def hidden_choices(self) -> list[tuple[str, object]]:
        """The (label, record) of each filter applied through a hidden field, so the page still
        says what narrows the list."""
        form = self.form
        if not self.is_bound or not form.is_valid():
            return []
        return [
            (field.label, form.cleaned_data[name])
            for name, field in form.fields.items()
            if isinstance(field.widget, forms.HiddenInput) and form.cleaned_data.get(name)
        ]

    def search(self, queryset, name, value):
        terms = value.split()
        for term in terms:
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{f}__icontains": term}) for f in self.search_fields))
            )
        return queryset

    @property
    def active_filters(self) -> int:
        """How many filters narrow the list (for the "clear filters" link)."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.form.fields if self.data.get(name) not in (None, "", []))


class ActiveYearFilter(django_filters.NumberFilter):
    """The rows with activity in a year, as the dashboard and annual_report count them: those reached
    by a match with a consultation held, a sample requested or shipped, or an outcome signed that
    year. `through` is the column of the match that leads to the row (company_id, buyer_id, ...).
    Only the user's own matches count: a competitor's consultation does not make a buyer active
    in a company user's list."""

    def __init__(self, through: str, **kwargs):
        kwargs.setdefault("label", _("Active in year"))
        super().__init__(min_value=2000, max_value=2100, **kwargs)
        self.through = through

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        from matching.models import Match
        from matching.selectors import active_matches

        matches = Match.objects.visible_to(getattr(self.parent, "user", None))
        return queryset.filter(pk__in=active_matches(int(value), matches).values(self.through))


def yes_no(label, **kwargs) -> django_filters.BooleanFilter:
    """A yes/no filter whose empty choice reads "All" (django-filter's default says "Unknown")."""
    choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]
    return django_filters.BooleanFilter(label=label, widget=forms.Select(choices=choices), **kwargs)


def date_from(field_name: str, label) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr="gte", label=label, widget=DateInput()
    )


def date_to(field_name: str, label) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr="lte", label=label, widget=DateInput()
    )
