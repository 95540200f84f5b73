"""Tenant scoping in one place.

Every model a user can reach has a queryset with `visible_to(user)`. Staff see every row; a company
user sees its own company's rows; a center manager sees its own center's rows. A row outside that
scope does not exist for the user: views fetch through `visible_to` and answer 404.
"""

from django.db import models


class TenantQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        role = getattr(user, "role", None)
        if role == "staff":
            return self.for_staff(user)
        if role == "company" and user.company_id:
            return self.for_company(user.company_id, user=user)
        if role == "center" and user.center_id:
            return self.for_center(user.center_id, user=user)
        return self.none()

    def for_staff(self, user):
        return self.all()

    def for_company(self, company_id: int, *, user=None):
        return self.none()

    def for_center(self, center_id: int, *, user=None):
        return self.none()
