from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class BilingualNameMixin:
    """Models with `name_ko` and `name_en` show the name of the user's language."""

    @property
    def name(self) -> str:
        if (get_language() or "ko").startswith("en"):
            return self.name_en or self.name_ko
        return self.name_ko or self.name_en


class WebsiteField(models.URLField):
    """A URL field whose form takes "www.example.com" as https://www.example.com (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
