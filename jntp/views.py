"""View building blocks every app shares: role checks, filtered lists with sorting, htmx and export."""

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import DeleteView, DetailView, FormView
from django_filters.views import FilterView

from jntp.spreadsheets import csv_response, xlsx_response


class RoleRequiredMixin(LoginRequiredMixin):
    """Signed-in users of the listed roles only; another role gets 403 (the page exists, not for them)."""

    allowed_roles: tuple[str, ...] = ("staff", "company", "center")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role not in self.allowed_roles:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(RoleRequiredMixin):
    allowed_roles = ("staff",)


class ScopedObjectMixin:
    """Fetch through visible_to(user): a row outside the user's scope is a 404."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class FilteredListView(RoleRequiredMixin, FilterView):
    """A list with django-filter, sortable columns, pagination that keeps the filters, an htmx partial
    for the results, and `?format=csv|xlsx` for exactly the filtered rows.

    Subclasses set `model`, `filterset_class`, `template_name`, `sort_fields` ({param: order_by}),
    `default_sort`, `export_columns` and `export_name`, and may refine `base_queryset()`."""

    paginate_by = 25
    sort_fields: dict[str, str] = {}
    default_sort = ""
    export_columns = None
    export_name = "export"

    def base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        return (
            self.base_queryset().visible_to(self.request.user).order_by(*self.ordering_for(self.current_sort))
        )

    def ordering_for(self, sort: str) -> list[str]:
        key = sort.lstrip("-")
        field = self.sort_fields[key]
        descending = sort.startswith("-")
        return [f"-{field}" if descending else field, "-pk" if descending else "pk"]

    @property
    def current_sort(self) -> str:
        requested = self.request.GET.get("sort", "")
        return requested if requested.lstrip("-") in self.sort_fields else self.default_sort

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get(self, request, *args, **kwargs):
        export = request.GET.get("format")
        if export in ("csv", "xlsx") and self.export_columns:
            filterset = self.get_filterset(self.get_filterset_class())
            rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
            name = f"{self.export_name}-{timezone.localdate():%Y%m%d}"
            columns = self.get_export_columns()
            if export == "csv":
                return csv_response(name, columns, rows.iterator(chunk_size=500))
            return xlsx_response(name, columns, rows.iterator(chunk_size=500), title=self.export_name)
        return super().get(request, *args, **kwargs)

    def get_export_columns(self):
        return self.export_columns

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sort"] = self.current_sort
        context["can_export"] = bool(self.export_columns)
        return context


class ScopedDetailView(RoleRequiredMixin, ScopedObjectMixin, DetailView):
    pass


class ScopedDeleteView(StaffRequiredMixin, ScopedObjectMixin, DeleteView):
    """Ask first (GET shows a confirmation page); refuse with a reason when other records depend on it."""

    template_name = "includes/confirm_delete.html"
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        # Another tenant's row is a 404 before the role is even looked at (never a 403 that confirms it).
        if request.user.is_authenticated:
            self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.object._history_user = self.request.user
            self.object.delete()
        except ProtectedError as error:
            names = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
            messages.error(
                self.request,
                _("This record cannot be deleted while it has %(things)s. Remove or move those first.")
                % {"things": ", ".join(names)},
            )
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, self.success_message or _("Deleted."))
        return HttpResponseRedirect(self.get_success_url())


class ScopedFormView(RoleRequiredMixin, FormView):
    """Create (no `pk` in the URL) or edit (a `pk`) one record through a service.

    The record is fetched through visible_to(user) first, so another tenant's row is a 404 on GET and
    on POST whatever the role (never a 403 that confirms it exists); then the role is checked (403).
    Subclasses set `model`, `form_class`, `template_name` and `allowed_roles`, and implement
    `save(form)` with one service call; a ValidationError it raises goes next to the fields it names
    and nothing is saved. Forms take `user` and `instance`."""

    model = None
    created_message = ""
    updated_message = ""

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        user = request.user
        if user.is_authenticated and "pk" in kwargs:
            self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_form_kwargs(self):
        # A model form writes the posted values into its instance while it validates; give it a copy
        # so that the service sees the record as it is stored (e.g. the stage a match moves from).
        instance = copy.copy(self.object) if self.object is not None else None
        return {**super().get_form_kwargs(), "instance": instance, "user": self.request.user}

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        creating = self.object is None
        try:
            saved = self.save(form)
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        if creating:
            messages.success(self.request, self.created_message or _("Saved."))
        else:
            messages.success(self.request, self.updated_message or _("Changes saved."))
        return redirect(saved)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object}


def filtered_list_url(name: str, **params) -> str:
    """A list narrowed to one record, e.g. filtered_list_url("matching:shipment_list", center=3)."""
    return f"{reverse(name)}?{urlencode(params)}"


def service_error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def staff_required(view):
    """For function views: anonymous visitors sign in; other roles get 403."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.role != "staff":
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
