"""Danish is the app's language: every text in the code and templates has an approved Danish translation,
with the same placeholders, and the catalogue is not behind the sources."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdfr]|%[sd]|\{[a-z_0-9]*\}")


def _problems(po: polib.POFile) -> list[str]:
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if not entry.translated() or "fuzzy" in entry.flags:
            problems.append(f"untranslated: {entry.msgid!r}")
            continue
        pairs = (
            [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
            if entry.msgid_plural
            else [(entry.msgid, entry.msgstr)]
        )
        for source, text in pairs:
            if set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(source)):
                problems.append(f"placeholder: {entry.msgid!r} → {text!r}")
    return problems


def test_the_danish_catalogue_is_complete_and_its_placeholders_match():
    assert not _problems(polib.pofile(str(CATALOGUE)))


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext (.ci/run installs it)")
def test_every_text_in_the_sources_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the project finds nothing new to translate."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "tests", "bench", "media", "staticfiles", "*.sqlite3"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-obsolete", "--ignore=.venv"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "SQLITE_PATH": str(tmp_path / "db.sqlite3")},
    )
    problems = _problems(polib.pofile(str(copy / "locale" / "da" / "LC_MESSAGES" / "django.po")))
    assert not problems, "run makemessages and translate:\n" + "\n".join(problems[:20])
