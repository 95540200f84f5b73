"""Follow-ups for their owners, the notification bell, and the staff "Reminders" page.

Thin views: fetch through visible_to(user) (another tenant's row is a 404), call one service,
redirect. Staff-only pages answer 403 to other roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching import reminder_selectors as selectors
from matching.forms_reminders import FollowUpCreateForm, FollowUpFilterSet, HandOnForm, SnoozeForm
from matching.links import record_path
from matching.models import FollowUp, Notification, ReminderDelivery
from matching.services import followups, notifications, reminders

PAGE_SIZE = 25


def _staff_only(user):
    if not user.is_jntp_staff:
        raise PermissionDenied(_("Only JNTP staff can open this page."))


def _follow_up_or_404(request, pk) -> FollowUp:
    try:
        return selectors.follow_up_get(request.user, pk)
    except FollowUp.DoesNotExist as error:
        raise Http404 from error


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Follow-ups --------------------------------------------------------------------------------
@login_required
def follow_up_list(request):
    filterset = FollowUpFilterSet(
        request.GET, queryset=selectors.follow_up_list_qs(request.user), request=request
    )
    return render(
        request,
        "matching/followup_list.html",
        {"filterset": filterset, "page": _page(request, filterset.qs), "now": timezone.now()},
    )


def _detail(request, follow_up, *, snooze_form=None, hand_on_form=None, status=200):
    deliveries = (
        ReminderDelivery.objects.visible_to(request.user)
        .filter(follow_up=follow_up)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "matching/followup_detail.html",
        {
            "follow_up": follow_up,
            "record_path": record_path(follow_up),
            "deliveries": deliveries,
            "snooze_form": snooze_form or SnoozeForm(),
            "hand_on_form": hand_on_form or HandOnForm(user=request.user, follow_up=follow_up),
        },
        status=status,
    )


@login_required
def follow_up_detail(request, pk):
    return _detail(request, _follow_up_or_404(request, pk))


def _refused(request, follow_up, error: ValidationError):
    messages.error(request, " ".join(error.messages))
    return redirect("followups:detail", pk=follow_up.pk)


@login_required
@require_POST
def follow_up_complete(request, pk):
    follow_up = _follow_up_or_404(request, pk)
    try:
        followups.follow_up_complete(follow_up=follow_up, by=request.user)
    except ValidationError as error:
        return _refused(request, follow_up, error)
    messages.success(request, _("Done. No more reminders for this follow-up."))
    return redirect("followups:detail", pk=follow_up.pk)


@login_required
@require_POST
def follow_up_snooze(request, pk):
    follow_up = _follow_up_or_404(request, pk)
    form = SnoozeForm(request.POST)
    if form.is_valid():
        try:
            followups.follow_up_snooze(follow_up=follow_up, by=request.user, until=form.cleaned_data["until"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Snoozed. You will be reminded again then."))
            return redirect("followups:detail", pk=follow_up.pk)
    return _detail(request, follow_up, snooze_form=form, status=400)


@login_required
@require_POST
def follow_up_hand_on(request, pk):
    follow_up = _follow_up_or_404(request, pk)
    form = HandOnForm(request.POST, user=request.user, follow_up=follow_up)
    if form.is_valid():
        try:
            followups.follow_up_hand_on(
                follow_up=follow_up,
                by=request.user,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Handed on to %(name)s.") % {"name": form.cleaned_data["to"]})
            if FollowUp.objects.visible_to(request.user).filter(pk=follow_up.pk).exists():
                return redirect("followups:detail", pk=follow_up.pk)
            return redirect("followups:list")
    return _detail(request, follow_up, hand_on_form=form, status=400)


@login_required
def follow_up_create(request):
    _staff_only(request.user)
    if request.method == "POST":
        form = FollowUpCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                follow_up = followups.follow_up_create(created_by=request.user, **data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, _("Follow-up created."))
                return redirect("followups:detail", pk=follow_up.pk)
    else:
        targets = {name: request.GET[name] for name in FollowUpCreateForm.TARGETS if request.GET.get(name)}
        form = FollowUpCreateForm(initial=targets, user=request.user)
    return render(request, "matching/followup_form.html", {"form": form})


# --- Notifications ------------------------------------------------------------------------------
@login_required
def notification_list(request):
    queryset = Notification.objects.visible_to(request.user).filter(recipient=request.user)
    return render(request, "matching/notification_list.html", {"page": _page(request, queryset)})


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    notifications.notification_mark_read(notification=notification, by=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    notifications.notifications_mark_all_read(user=request.user)
    return redirect("notifications:list")


# --- The staff "Reminders" page -------------------------------------------------------------------
@login_required
def reminder_dashboard(request):
    _staff_only(request.user)
    return render(request, "matching/reminder_dashboard.html", selectors.reminder_dashboard())


@login_required
@require_POST
def reminder_retry(request, pk):
    # Someone else's delivery is a 404 before the role is looked at (never a 403 that confirms it).
    delivery = get_object_or_404(ReminderDelivery.objects.visible_to(request.user), pk=pk)
    _staff_only(request.user)
    try:
        reminders.reminder_retry(delivery=delivery, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The reminder will be sent again in a moment."))
    return redirect("reminders:dashboard")
