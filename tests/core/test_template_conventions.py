"""One partial convention: an app's partials live in `templates/<app>/includes/`, shared ones in
`templates/includes/`, and no template includes another app's partial."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")


def convention_problems(name: str, source: str) -> list[str]:
    """What is wrong with the template `name` (relative to templates/) whose text is `source`."""
    problems = []
    if Path(name).name.startswith("_"):
        problems.append(f"{name} is named like a partial (_x.html); partials live in an includes/ folder")
    folder = name.split("/")[0] if "/" in name else None  # the app, or None for the page shell at the top
    for included in INCLUDE.findall(source):
        owner = included.split("/")[0]
        if "includes" not in included.split("/")[:-1]:
            problems.append(f"{name} includes {included}, which is not in an includes/ folder")
        elif owner not in ("includes", folder):
            problems.append(f"{name} includes {included}, a partial of another app; move it to templates/includes/")
    return problems


def test_the_checker_refuses_another_apps_partial_and_an_underscore_name():
    source = '{% include "visits/includes/pagination.html" %}{% include "audit/_row.html" with x=1 %}'

    assert convention_problems("audit/area_log.html", source) == [
        "audit/area_log.html includes visits/includes/pagination.html, a partial of another app; move it to templates/includes/",
        "audit/area_log.html includes audit/_row.html, which is not in an includes/ folder",
    ]
    assert convention_problems("audit/_row.html", "") == [
        "audit/_row.html is named like a partial (_x.html); partials live in an includes/ folder"
    ]


def test_the_checker_accepts_own_and_shared_partials():
    source = "{% include 'folders/includes/print/cover.html' %}{% include \"includes/tabs.html\" %}"

    assert convention_problems("folders/print/whole.html", source) == []


def test_every_template_keeps_the_partial_convention():
    problems = [
        problem
        for path in sorted(TEMPLATES.rglob("*.html"))
        for problem in convention_problems(path.relative_to(TEMPLATES).as_posix(), path.read_text())
    ]

    assert problems == []
