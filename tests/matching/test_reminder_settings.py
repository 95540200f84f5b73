"""The reminder settings that would send a reminder twice or hang a worker are refused by `check`."""

from matching.checks import check_reminder_settings


def _ids():
    return {problem.id for problem in check_reminder_settings()}


def test_the_shipped_settings_pass(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    assert _ids() == set()


def test_a_visibility_timeout_below_the_longest_retry_is_refused(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
    settings.REMINDER_RETRY_MAX_SECONDS = 1800
    assert "reminders.E001" in _ids()


def test_a_lease_shorter_than_a_send_is_refused(settings):
    settings.REMINDER_CLAIM_LEASE_SECONDS = 30
    settings.REMINDER_SEND_TIME_LIMIT = 60
    assert "reminders.E002" in _ids()


def test_no_smtp_timeout_is_a_warning(settings):
    settings.EMAIL_TIMEOUT = None
    assert "reminders.W001" in _ids()


def test_the_beat_runs_the_sweep_and_drops_a_sweep_that_waited_too_long(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-sweep"]
    assert entry["task"] == "matching.tasks.reminders_sweep"
    assert entry["options"]["expires"] <= entry["schedule"]
