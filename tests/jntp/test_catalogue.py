"""Korean is the default language and English must be complete: every string the code marks for
translation is in the Korean catalogue, translated and not fuzzy, and the compiled file is current.

The strings are re-extracted from a copy of the tracked files, so a string added without running
`make messages` fails here rather than showing up in English on a Korean page."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

pytestmark = pytest.mark.gettext

ROOT = Path(settings.BASE_DIR)


def _tracked_copy(destination: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, files):
        if name.startswith("static/vendor/") or not (ROOT / name).is_file():
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return destination


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The Korean catalogue as `make messages` would leave it for the current code."""
    project = _tracked_copy(tmp_path_factory.mktemp("project"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ko", "--ignore=static/vendor"],
        cwd=project,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "jntp.settings.test"},
    )
    return polib.pofile(str(project / "locale/ko/LC_MESSAGES/django.po"))


def _label(entry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})"


def test_every_marked_string_has_a_korean_translation(extracted):
    untranslated = [_label(e) for e in extracted.untranslated_entries() if not e.obsolete]
    fuzzy = [_label(e) for e in extracted.fuzzy_entries()]
    assert not untranslated, "run `make messages` and translate:\n" + "\n".join(untranslated)
    assert not fuzzy, "check these guesses by gettext and drop the fuzzy flag:\n" + "\n".join(fuzzy)


def test_the_committed_catalogue_holds_the_current_strings(extracted):
    committed = {
        e.msgid for e in polib.pofile(str(ROOT / "locale/ko/LC_MESSAGES/django.po")) if not e.obsolete
    }
    current = {e.msgid for e in extracted if not e.obsolete}
    assert not current - committed, "run `make messages`: the catalogue lacks strings the code uses"


def test_the_compiled_catalogue_matches_the_source():
    source = polib.pofile(str(ROOT / "locale/ko/LC_MESSAGES/django.po"))
    compiled = polib.mofile(str(ROOT / "locale/ko/LC_MESSAGES/django.mo"))
    expected = {e.msgid: e.msgstr or e.msgstr_plural for e in source.translated_entries()}
    actual = {e.msgid: e.msgstr or e.msgstr_plural for e in compiled if e.msgid}
    assert actual == expected, "run `make messages` to compile django.mo"
