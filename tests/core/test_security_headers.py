"""Hardening that every response carries: a Content-Security-Policy without inline scripts or styles,
frame denial, no MIME sniffing — and templates that need nothing inline, so the policy breaks nothing."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("apps/*/templates")]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*['\"]", re.IGNORECASE)
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*['\"]\s*javascript:", re.IGNORECASE)


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_pages_carry_a_strict_content_security_policy(client):
    policy = _policy(client.get(reverse("accounts:login")))

    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["default-src"] == "default-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe-inline" not in " ".join(policy.values()) and "unsafe-eval" not in " ".join(policy.values())


def test_signed_in_pages_carry_it_too(client, coordinator, area):
    client.force_login(coordinator)
    response = client.get(reverse("visits:visit_list", args=[area.slug]))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _templates():
    for folder in TEMPLATE_DIRS:
        yield from (path for path in folder.rglob("*.html"))


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("inline <script>", INLINE_SCRIPT),
        ("inline style", INLINE_STYLE),
        ("on…= handler", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ],
)
def test_no_template_needs_what_the_policy_forbids(name, pattern):
    # PDF templates (rendered by WeasyPrint, never served to a browser) may style inline.
    offenders = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in _templates()
        if "/pdf/" not in str(path) and not path.name.startswith("pdf_")
        for text in [TEMPLATE_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), path.read_text())]
        for match in pattern.finditer(text)
    ]
    assert not offenders, f"{name} in: {offenders}"
