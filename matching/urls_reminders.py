"""URLs of follow-ups, notifications and the staff Reminders page (included once from jntp/urls.py)."""

from django.urls import include, path

from matching import views_reminders as views

followup_patterns = [
    path("", views.follow_up_list, name="list"),
    path("new/", views.follow_up_create, name="create"),
    path("<int:pk>/", views.follow_up_detail, name="detail"),
    path("<int:pk>/complete/", views.follow_up_complete, name="complete"),
    path("<int:pk>/snooze/", views.follow_up_snooze, name="snooze"),
    path("<int:pk>/hand-on/", views.follow_up_hand_on, name="hand_on"),
]

notification_patterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read_all"),
]

reminder_patterns = [
    path("", views.reminder_dashboard, name="dashboard"),
    path("deliveries/<int:pk>/retry/", views.reminder_retry, name="retry"),
]

urlpatterns = [
    path("follow-ups/", include((followup_patterns, "followups"))),
    path("notifications/", include((notification_patterns, "notifications"))),
    path("reminders/", include((reminder_patterns, "reminders"))),
]
