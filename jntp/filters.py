from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jntp.forms import BootstrapFormMixin, DateInput


class BaseFilterSet(django_filters.FilterSet):
    """Every list's filters: a free-text `q` searched over `search_fields`, Bootstrap widgets."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="search", label=_("Search"))

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.user = getattr(request, "user", None)

    def get_form_class(self):
        return type("FilterForm", (BootstrapFormMixin, super().get_form_class()), {})

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
