from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class UserPreferencesMiddleware:
    """Speak the user's language and show times in the user's zone.

    A signed-in user's profile decides; a visitor gets Korean unless they picked English on the
    sign-in page (the language cookie). The browser's Accept-Language is not consulted: the office
    works in Korean by default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language, zone = user.language, user.time_zone
        else:
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = cookie if cookie in SUPPORTED else settings.LANGUAGE_CODE
            zone = settings.TIME_ZONE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            timezone.activate(ZoneInfo(zone))
        except (KeyError, ValueError):
            timezone.activate(ZoneInfo(settings.TIME_ZONE))
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
