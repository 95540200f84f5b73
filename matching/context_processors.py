from django.utils.functional import SimpleLazyObject

from matching.models import Notification


def notifications(request):
    """The bell's unread count: one COUNT query, and only on pages that show the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        )
    }
