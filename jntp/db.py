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


class SubqueryCount(models.Subquery):
    """How many rows of `queryset` (usually filtered on an OuterRef) there are, as an annotation.

    One correlated sub-select instead of a JOIN and GROUP BY, so several counts on one list do not
    multiply each other's rows, and a scoped queryset (`visible_to(user)`) counts only what the user
    may see."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = models.IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


class SubquerySum(models.Subquery):
    """The sum of `field` over the rows of `queryset` (usually filtered on an OuterRef), as an
    annotation; NULL where there are none, like Sum(). See SubqueryCount for why a sub-select."""

    template = "(SELECT SUM(_sum.value) FROM (%(subquery)s) _sum)"

    def __init__(self, queryset, field: str, **extra):
        super().__init__(queryset.order_by().values(value=models.F(field)), **extra)


class SubqueryCountDistinct(models.Subquery):
    """How many different values of `field` the rows of `queryset` hold, as an annotation."""

    template = "(SELECT COUNT(DISTINCT _count.value) FROM (%(subquery)s) _count)"
    output_field = models.IntegerField()

    def __init__(self, queryset, field: str, **extra):
        super().__init__(queryset.order_by().values(value=models.F(field)), **extra)


class SubqueryList(models.Subquery):
    """The values of `field` over the rows of `queryset` (usually filtered on an OuterRef), as a list
    annotation: a record's few tags or names beside it, without a prefetch query of their own. The
    order is not kept; sort the list where it is shown."""

    output_field = models.JSONField()
    templates = {
        "postgresql": "(SELECT COALESCE(jsonb_agg(_list.value), '[]'::jsonb) FROM (%(subquery)s) _list)",
        "sqlite": "(SELECT json_group_array(_list.value) FROM (%(subquery)s) _list)",
    }

    def __init__(self, queryset, field, **extra):
        value = models.F(field) if isinstance(field, str) else field
        super().__init__(queryset.order_by().values(value=value), **extra)

    def as_sql(self, compiler, connection, template=None, **extra_context):
        template = template or self.templates.get(connection.vendor)
        if template is None:
            raise NotImplementedError(f"SubqueryList has no SQL for {connection.vendor}.")
        return super().as_sql(compiler, connection, template=template, **extra_context)


def execute_all(connection, statements) -> None:
    """Run SQL statements in order on one cursor (the triggers our migrations install)."""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
