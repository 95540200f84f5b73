"""Follow-up pages, the bell and the staff Reminders page: who may open what, what the actions do,
and a fixed number of queries per list whatever its length."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching.context_processors import notifications as bell
from matching.models import FollowUp, Notification, ReminderDelivery
from matching.services.reminders import SWEEP
from tests import factories as f

pytestmark = pytest.mark.django_db

PERSONAS = ("staff_user", "company_user", "center_user")


@pytest.fixture
def own(company_user, center_user, staff_user):
    """One follow-up for each persona."""
    due = timezone.now() + timedelta(days=1)
    return {
        name: f.FollowUpFactory(assignee=user, due_at=due, title=f"For {name}")
        for name, user in (
            ("staff_user", staff_user),
            ("company_user", company_user),
            ("center_user", center_user),
        )
    }


def login(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


# --- Access: every view, every persona, and anonymous -------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("followups:list", {"staff_user": 200, "company_user": 200, "center_user": 200}),
        ("followups:create", {"staff_user": 200, "company_user": 403, "center_user": 403}),
        ("notifications:list", {"staff_user": 200, "company_user": 200, "center_user": 200}),
        ("reminders:dashboard", {"staff_user": 200, "company_user": 403, "center_user": 403}),
    ],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_each_page(client, request, name, expected, persona):
    login(client, request, persona)
    assert client.get(reverse(name)).status_code == expected[persona]


@pytest.mark.parametrize(
    "name",
    ["followups:list", "followups:create", "notifications:list", "reminders:dashboard"],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("action", ["detail", "complete", "snooze", "hand_on"])
def test_anonymous_visitors_cannot_touch_a_follow_up(client, own, action):
    follow_up = own["company_user"]
    url = reverse(f"followups:{action}", args=[follow_up.pk])
    response = client.get(url) if action == "detail" else client.post(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.OPEN


@pytest.mark.parametrize("persona", PERSONAS)
def test_owners_and_staff_open_a_follow_up(client, request, own, persona):
    login(client, request, persona)
    response = client.get(reverse("followups:detail", args=[own[persona].pk]))
    assert response.status_code == 200
    assert own[persona].title in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "foreign"),
    [("company_user", "center_user"), ("center_user", "company_user"), ("company_user", "staff_user")],
)
@pytest.mark.parametrize("action", ["detail", "complete", "snooze", "hand_on"])
def test_another_tenants_follow_up_is_a_404_and_stays_unchanged(
    client, request, own, persona, foreign, action
):
    login(client, request, persona)
    follow_up = own[foreign]
    url = reverse(f"followups:{action}", args=[follow_up.pk])
    response = client.get(url) if action == "detail" else client.post(url, {"until": "2099-01-01T09:00"})
    assert response.status_code == 404
    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.round) == (FollowUp.State.OPEN, 1)


def test_a_stranger_company_user_gets_404_for_another_companys_follow_up(client, own, other_company_user):
    client.force_login(other_company_user)
    assert client.get(reverse("followups:detail", args=[own["company_user"].pk])).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_actions_refuse_get(client, request, own, persona):
    login(client, request, persona)
    for action in ("complete", "snooze", "hand_on"):
        assert client.get(reverse(f"followups:{action}", args=[own[persona].pk])).status_code == 405


@pytest.mark.parametrize("persona", ["company_user", "center_user"])
def test_only_staff_create_follow_ups_or_resend_reminders(client, request, own, persona, staff_user):
    login(client, request, persona)
    response = client.post(
        reverse("followups:create"),
        {"title": "x", "due_at": "2099-01-01T09:00", "assignee": staff_user.pk},
    )
    assert response.status_code == 403
    delivery = f.ReminderDeliveryFactory(follow_up=own[persona], status="failed")
    assert client.post(reverse("reminders:retry", args=[delivery.pk])).status_code == 403
    assert FollowUp.objects.count() == 3


def test_anonymous_visitors_cannot_resend_or_read(client, own):
    delivery = f.ReminderDeliveryFactory(follow_up=own["company_user"], status="failed")
    notification = f.NotificationFactory(recipient=own["company_user"].assignee)
    for url in (
        reverse("reminders:retry", args=[delivery.pk]),
        reverse("notifications:read", args=[notification.pk]),
        reverse("notifications:read_all"),
    ):
        response = client.post(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    notification.refresh_from_db()
    assert notification.read_at is None


# --- What the actions do ----------------------------------------------------------------------
def test_the_owner_marks_a_follow_up_done(client, own, company_user):
    client.force_login(company_user)
    follow_up = own["company_user"]
    response = client.post(reverse("followups:complete", args=[follow_up.pk]))
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.completed_by) == (FollowUp.State.DONE, company_user)
    again = client.post(reverse("followups:complete", args=[follow_up.pk]), follow=True)
    assert "nothing was changed" in again.content.decode()


def test_a_colleague_of_the_same_company_may_complete_it(client, own, company_user):
    colleague = f.UserFactory(role="company", company=company_user.company, username="colleague")
    client.force_login(colleague)
    client.post(reverse("followups:complete", args=[own["company_user"].pk]))
    own["company_user"].refresh_from_db()
    assert own["company_user"].state == FollowUp.State.DONE


def test_snoozing_to_the_past_is_refused_next_to_the_field(client, own, center_user):
    client.force_login(center_user)
    response = client.post(
        reverse("followups:snooze", args=[own["center_user"].pk]), {"until": "2001-01-01T09:00"}
    )
    assert response.status_code == 400
    assert "future" in response.content.decode()
    own["center_user"].refresh_from_db()
    assert own["center_user"].state == FollowUp.State.OPEN


def test_snoozing_reads_the_time_in_the_users_zone(client, own, center_user):
    client.force_login(center_user)  # Asia/Tokyo
    target = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("followups:snooze", args=[own["center_user"].pk]), {"until": f"{target}T09:00"}
    )
    assert response.status_code == 302
    follow_up = own["center_user"]
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.SNOOZED
    assert timezone.localtime(follow_up.snoozed_until, timezone.get_fixed_timezone(9 * 60)).hour == 9


def test_a_center_manager_hands_a_follow_up_on_to_staff(client, own, center_user, staff_user):
    client.force_login(center_user)
    response = client.post(
        reverse("followups:hand_on", args=[own["center_user"].pk]), {"to": staff_user.pk, "note": "Yours"}
    )
    assert response.status_code == 302 and response.url == reverse("followups:list")
    own["center_user"].refresh_from_db()
    assert own["center_user"].assignee == staff_user


def test_a_company_user_cannot_hand_on_to_another_company(client, own, company_user, other_company_user):
    client.force_login(company_user)
    response = client.post(
        reverse("followups:hand_on", args=[own["company_user"].pk]), {"to": other_company_user.pk}
    )
    assert response.status_code == 400
    own["company_user"].refresh_from_db()
    assert own["company_user"].assignee == company_user


def test_the_hand_on_form_offers_only_people_who_can_see_the_record(
    client, staff_user, company_user, center_user, other_company_user, other_center_user
):
    """Staff, the users of the record's company and center; not the other tenants' users."""
    from jntp.users.models import User

    match = f.MatchFactory(company=company_user.company, buyer=f.BuyerFactory(center=center_user.center))
    second_staff = f.UserFactory(role=User.Role.STAFF, username="staff-two")
    about_match = f.FollowUpFactory(assignee=staff_user, match=match)
    about_nothing = f.FollowUpFactory(assignee=staff_user)
    client.force_login(staff_user)

    def offered(follow_up):
        form = client.get(reverse("followups:detail", args=[follow_up.pk])).context["hand_on_form"]
        return {user.username for user in form.fields["to"].queryset}

    assert offered(about_match) == {second_staff.username, company_user.username, center_user.username}
    assert offered(about_nothing) == {second_staff.username}  # staff's own work: among staff
    # A buyer: its center's managers, and the companies matched with it
    about_buyer = f.FollowUpFactory(assignee=staff_user, buyer=match.buyer)
    assert offered(about_buyer) == {second_staff.username, company_user.username, center_user.username}

    # About no record, a company user still hands on to a colleague; staff see the colleagues too.
    colleague = f.UserFactory(role=User.Role.COMPANY, company=company_user.company, username="colleague")
    theirs = f.FollowUpFactory(assignee=company_user)
    assert offered(theirs) == {staff_user.username, second_staff.username, colleague.username}
    client.force_login(company_user)
    assert offered(theirs) == {staff_user.username, second_staff.username, colleague.username}
    response = client.post(reverse("followups:hand_on", args=[theirs.pk]), {"to": colleague.pk})
    assert response.status_code == 302
    client.force_login(staff_user)

    # What the form does not offer, the service refuses too.
    response = client.post(reverse("followups:hand_on", args=[about_match.pk]), {"to": other_center_user.pk})
    assert response.status_code == 400
    about_match.refresh_from_db()
    assert about_match.assignee == staff_user


def test_staff_create_a_follow_up_about_a_record(client, staff_user, company_user):
    consultation = f.ConsultationFactory(match=f.MatchFactory(company=company_user.company))
    client.force_login(staff_user)
    form = client.get(reverse("followups:create"), {"consultation": consultation.pk})
    assert f'value="{consultation.pk}"' in form.content.decode()
    response = client.post(
        reverse("followups:create"),
        {
            "title": "Call the buyer",
            "due_at": "2099-01-05T09:00",
            "assignee": company_user.pk,
            "consultation": consultation.pk,
        },
    )
    follow_up = FollowUp.objects.get(title="Call the buyer")
    assert response.url == reverse("followups:detail", args=[follow_up.pk])
    assert (follow_up.consultation, follow_up.created_by, follow_up.rule) == (
        consultation,
        staff_user,
        "manual",
    )


def test_staff_cannot_assign_a_record_to_someone_who_cannot_see_it(client, staff_user, other_company_user):
    consultation = f.ConsultationFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("followups:create"),
        {
            "title": "x",
            "due_at": "2099-01-05T09:00",
            "assignee": other_company_user.pk,
            "consultation": consultation.pk,
        },
    )
    assert response.status_code == 200
    assert "cannot see" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_staff_send_a_failed_reminder_again(client, staff_user, own, monkeypatch):
    from matching import tasks

    queued = []
    monkeypatch.setattr(tasks.reminder_send, "delay_on_commit", queued.append)
    delivery = f.ReminderDeliveryFactory(follow_up=own["company_user"], status="failed", last_error="550")
    client.force_login(staff_user)
    assert client.post(reverse("reminders:retry", args=[delivery.pk])).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending" and queued == [delivery.pk]


# --- The bell ---------------------------------------------------------------------------------
def test_the_bell_counts_unread_notifications_in_one_query(rf, company_user, django_assert_num_queries):
    f.NotificationFactory.create_batch(3, recipient=company_user)
    f.NotificationFactory(recipient=company_user, read_at=timezone.now())
    request = rf.get("/")
    request.user = company_user
    with django_assert_num_queries(1):
        assert bell(request)["unread_notifications"] == 3


def test_the_bell_costs_nothing_for_visitors(rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert bell(request) == {}


def test_the_bell_shows_on_every_page(client, company_user):
    f.NotificationFactory.create_batch(2, recipient=company_user)
    client.force_login(company_user)
    page = client.get(reverse("home")).content.decode()
    assert 'class="badge rounded-pill text-bg-danger bell-count">2<' in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_a_notification_opens_its_link(client, request, persona):
    user = login(client, request, persona)
    notification = f.NotificationFactory(recipient=user, url="/follow-ups/1/")
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302 and response.url == "/follow-ups/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_a_404(client, company_user, center_user):
    notification = f.NotificationFactory(recipient=center_user)
    client.force_login(company_user)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_notification_never_redirects_off_site(client, company_user):
    notification = f.NotificationFactory(recipient=company_user, url="https://evil.example/")
    client.force_login(company_user)
    assert client.post(reverse("notifications:read", args=[notification.pk])).url == reverse(
        "notifications:list"
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_mark_all_read_reads_only_ones_own(client, request, persona, staff_user):
    user = login(client, request, persona)
    mine = f.NotificationFactory.create_batch(2, recipient=user)
    other = f.NotificationFactory(recipient=f.UserFactory(role="staff", username="someone"))
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_the_notification_list_shows_only_ones_own(client, company_user, center_user):
    f.NotificationFactory(recipient=company_user, title="Mine")
    f.NotificationFactory(recipient=center_user, title="Theirs")
    client.force_login(company_user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Mine" in page and "Theirs" not in page


# --- The Reminders page -----------------------------------------------------------------------
def test_the_reminders_page_shows_sent_failed_due_and_the_last_sweep(client, staff_user, own):
    from matching.models import TaskHeartbeat

    TaskHeartbeat.objects.create(name=SWEEP, last_started_at=timezone.now() - timedelta(seconds=12))
    f.ReminderDeliveryFactory(follow_up=own["company_user"], status="failed", last_error="550 no such user")
    f.ReminderDeliveryFactory(follow_up=own["center_user"], status="sent", sent_at=timezone.now())
    client.force_login(staff_user)
    page = client.get(reverse("reminders:dashboard")).content.decode()
    assert "550 no such user" in page
    assert "For company_user" in page and "For center_user" in page
    assert "Last sweep 12 seconds ago" in page
    assert "health-ok" in page


def test_a_stopped_beat_or_worker_is_visible_at_a_glance(client, staff_user, settings):
    from matching.models import TaskHeartbeat

    TaskHeartbeat.objects.create(name=SWEEP, last_started_at=timezone.now() - timedelta(minutes=10))
    client.force_login(staff_user)
    page = client.get(reverse("reminders:dashboard")).content.decode()
    assert "health-stalled" in page and "has stopped" in page


# --- A fixed number of queries, whatever the number of rows -----------------------------------
def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_follow_up_list_runs_the_same_queries_for_10_and_100_rows(client, request, persona):
    user = login(client, request, persona)
    f.FollowUpFactory.create_batch(10, assignee=user)
    ten = _queries(client, reverse("followups:list"))
    f.FollowUpFactory.create_batch(90, assignee=user)
    # session, the user with its company or center (for the navigation bar), COUNT for the paginator,
    # the page of follow-ups with their assignees, the bell
    assert _queries(client, reverse("followups:list")) == ten == 5


def test_the_notification_list_runs_the_same_queries_for_10_and_100_rows(client, company_user):
    client.force_login(company_user)
    f.NotificationFactory.create_batch(10, recipient=company_user)
    ten = _queries(client, reverse("notifications:list"))
    f.NotificationFactory.create_batch(90, recipient=company_user)
    # session, the user with its company, COUNT for the paginator, the page of notifications, the bell
    assert _queries(client, reverse("notifications:list")) == ten == 5


def test_the_reminders_page_runs_the_same_queries_for_10_and_100_rows(client, staff_user):
    client.force_login(staff_user)

    def add(n):
        for _ in range(n):
            follow_up = f.FollowUpFactory(assignee=staff_user)
            f.ReminderDeliveryFactory(follow_up=follow_up, status="sent", sent_at=timezone.now())
            f.ReminderDeliveryFactory(follow_up=follow_up, status="failed", channel="in_app")

    add(10)
    ten = _queries(client, reverse("reminders:dashboard"))
    add(90)
    # session, user, heartbeat, the figures, failed, sent, due next, the bell
    assert _queries(client, reverse("reminders:dashboard")) == ten == 8


def test_the_follow_up_page_runs_the_same_queries_for_few_and_many_reminders(client, staff_user):
    follow_up = f.FollowUpFactory(assignee=staff_user)
    client.force_login(staff_user)
    url = reverse("followups:detail", args=[follow_up.pk])
    f.ReminderDeliveryFactory(follow_up=follow_up)
    few = _queries(client, url)
    for round_ in range(2, 30):
        f.ReminderDeliveryFactory(follow_up=follow_up, round=round_)
    assert _queries(client, url) == few
    assert ReminderDelivery.objects.count() == 29
