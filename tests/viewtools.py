"""Helpers the page tests share: signing in a persona, counting rows, reading exports back."""

import csv
import io
from contextlib import contextmanager

from django.apps import apps
from openpyxl import load_workbook

ROLES = ("staff", "company", "center")
PERSONA = {"staff": "staff_user", "company": "company_user", "center": "center_user"}
STRANGER = {"company": "other_company_user", "center": "other_center_user"}


def client_for(client, request, role: str | None):
    """The test client signed in as the persona of `role` (None: an anonymous visitor)."""
    if role is not None:
        client.force_login(request.getfixturevalue(PERSONA[role]))
    return client


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@contextmanager
def rows_unchanged(*labels: str):
    """Assert that the number of rows of each model (e.g. "centers.Buyer") is the same afterwards."""
    models = [apps.get_model(label) for label in labels]
    before = [m.objects.count() for m in models]
    yield
    assert [m.objects.count() for m in models] == before


@contextmanager
def unchanged(instance, *fields: str):
    """Assert that the stored fields of a row are the same afterwards."""
    before = type(instance).objects.filter(pk=instance.pk).values(*fields).get()
    yield
    assert type(instance).objects.filter(pk=instance.pk).values(*fields).get() == before


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response) -> list[list]:
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def column(rows: list[list], header: str) -> list:
    """The values of one column of an export (without its header)."""
    index = [str(h) for h in rows[0]].index(header)
    return [row[index] for row in rows[1:]]
