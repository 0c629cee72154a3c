"""Every page of every role of the role × URL table, opened in Chromium on a phone (360×640) and a desktop
(1280×800): no serious or critical axe violation, nothing wider than the screen, a visible focus on every
link, button and field, and on the ambassador's pages tap targets of at least 44 px and no overflow at
200 % text. One walk, failing with the whole list (rule or check, page, role, viewport, selector); the
pages with findings are kept as screenshots in tests/screenshots/a11y-*.png."""

import os
import re
import time
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import sync_playwright

from tests.browser import launch_chromium, screenshot
from tests.surveys.test_analysis import _respond
from tests.test_access import ROLES, ROUTES, ctx, users, world  # noqa: F401 - the table's fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
VIEWPORTS = {"phone": {"width": 360, "height": 640}, "desktop": {"width": 1280, "height": 800}}
# Whose pages are the ambassador's (tap targets, 200 % text): an ambassador of the area or of another one,
# and one who left. The signed links they open without signing in are in their list too.
AMBASSADOR_ROLES = frozenset({"anonymous", "ambassador", "former_ambassador", "other_ambassador_area"})
TAP_TARGET = 44  # CSS px, WCAG 2.5.5
SERIOUS = frozenset({"serious", "critical"})

# The elements wider than the viewport, deepest first, to name in a finding.
OVERFLOW_JS = """() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const wide = [...document.body.querySelectorAll('*')].filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && !el.closest('.table-responsive, [data-scroll-region]');
    });
    const deepest = wide.filter(el => !wide.some(other => other !== el && el.contains(other)));
    return {scrollWidth: document.documentElement.scrollWidth, width,
            elements: deepest.slice(0, 3).map(el => window.__a11ySelector(el))};
}"""

# A readable selector for an element: its id, or its path of tags and classes from the nearest id.
SELECTOR_JS = """window.__a11ySelector = el => {
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 4; node = node.parentElement) {
        if (node.id) { parts.unshift('#' + node.id); break; }
        const classes = [...node.classList].slice(0, 2).map(c => '.' + c).join('');
        parts.unshift(node.tagName.toLowerCase() + classes);
    }
    return parts.join(' > ');
}"""

# Every visible link, button and field that takes focus shows it: an outline or a changed box shadow while
# focused by the keyboard (:focus-visible). Elements are focused one by one after a first Tab key press.
FOCUS_JS = """() => {
    const focusable = [...document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
        .filter(el => !el.disabled && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden');
    const missing = [];
    for (const el of focusable) {
        el.style.transition = 'none';  // Bootstrap fades the glow in: measure the end state
        el.blur();
        const before = getComputedStyle(el).boxShadow;
        el.focus({preventScroll: true});
        if (document.activeElement !== el) continue;
        const style = getComputedStyle(el);
        const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        if (!el.matches(':focus-visible') || !(outline || style.boxShadow !== before)) {
            missing.push(window.__a11ySelector(el));
        }
        el.style.transition = '';
    }
    document.activeElement && document.activeElement.blur();
    return missing;
}"""

# Buttons, fields and the links of <main> smaller than 44×44 px. A checkbox or radio button counts with its
# label (a tap on the label ticks it), a stretched link with its card; a link inside a sentence is exempt
# (WCAG 2.5.5 "inline").
TAP_JS = """(minimum) => {
    const small = [];
    const targets = [...document.querySelectorAll(
        'button, input:not([type=hidden]), select, textarea, main a[href], [role=button]')];
    for (const el of targets) {
        if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
        let box = el.getBoundingClientRect();
        if (el.classList.contains('stretched-link')) {  // the whole card is the link
            let holder = el.parentElement;
            while (holder.parentElement && getComputedStyle(holder).position === 'static') holder = holder.parentElement;
            box = holder.getBoundingClientRect();
        }
        if (el.type === 'checkbox' || el.type === 'radio') {
            const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
            const holder = el.closest('.form-check') || label;
            if (holder) box = holder.getBoundingClientRect();
        }
        if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
            const sentence = [...el.parentElement.childNodes].some(
                node => node !== el && node.nodeType === 3 && node.textContent.trim());
            if (sentence) continue;
        }
        if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
            small.push(`${window.__a11ySelector(el)} (${Math.round(box.width)}×${Math.round(box.height)})`);
        }
    }
    return small;
}"""


# The ambassador's roles first, so that a page they share with others is checked as theirs (tap targets);
# then the rest of the table's roles, each checking the pages no role before it opened.
WALK = ("ambassador", "anonymous", *(role for role in ROLES if role not in {"ambassador", "anonymous"}))


# `A11Y_EVERY_ROLE=1` walks every page as every role that opens it (about 4 minutes instead of 1.5; the
# pages differ by role mostly in their menu, which each role's own pages already show).
EVERY_ROLE = os.environ.get("A11Y_EVERY_ROLE") == "1"


def _walk(ctx, base_url):  # noqa: F811 - ctx is the table's fixture
    """(role, url, route name) for every HTML page of the table, each URL once, with the first role of WALK
    that opens it (or with every role, under A11Y_EVERY_ROLE). Downloads (.ics, CSV, PDF) are not pages."""
    seen, walk = set(), []
    for role in WALK:
        for route in ROUTES:
            opens = role in route.allowed and route.ok == 200 or route.refused.get(role) == 200
            url = base_url + route.url(ctx)
            key = (role, url) if EVERY_ROLE else url
            if route.method != "get" or not opens or key in seen:
                continue
            seen.add(key)
            walk.append((role, url, route.name))
    return walk


def _is_page(request_context, url) -> bool:
    """A whole HTML page: not a download (.ics, CSV, PDF, picture), nor a fragment that htmx puts into a
    page (a status that refreshes itself), which is checked as part of its page."""
    response = request_context.get(url)
    return "text/html" in response.headers.get("content-type", "") and "<html" in response.text()[:500].lower()


def _axe(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"axe {violation['id']} ({violation['impact']}): {', '.join(' '.join(node['target']) for node in violation['nodes'][:3])}"
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
    ]


def _overflow(page, label) -> list[str]:
    found = page.evaluate(OVERFLOW_JS)
    if not found:
        return []
    return [f"{label} {found['scrollWidth']} px wide at {found['width']}: {', '.join(found['elements'])}"]


def _check(page, *, viewport, ambassador) -> list[str]:
    page.evaluate(SELECTOR_JS)
    problems = _axe(page) + _overflow(page, "overflow")
    page.keyboard.press("Tab")
    problems += [f"no visible focus: {selector}" for selector in page.evaluate(FOCUS_JS)]
    if ambassador and viewport == "phone":
        problems += [f"tap target under {TAP_TARGET} px: {target}" for target in page.evaluate(TAP_JS, TAP_TARGET)]
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        problems += _overflow(page, "overflow at 200 % text")
        page.evaluate("document.documentElement.style.fontSize = ''")
    return problems


def _answers(survey) -> None:
    """Answers in both groups, so that the survey's results page shows its charts and tables."""
    for contact, values in [("yes", ["yes"] * 8 + ["no"] * 2 + ["dont_know"] * 3), ("no", ["yes", "no", "no"])]:
        for value in values:
            _respond(survey, {"ambassador_contact": contact, "happy_living_here": value, "safety_scale": "4"})


def test_every_page_is_accessible_on_phone_and_desktop(live_server, client, users, ctx):  # noqa: F811
    _answers(ctx.survey)
    walk = _walk(ctx, live_server.url)
    findings: list[str] = []
    opened = 0
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for role in WALK:
            pages = [(url, name) for who, url, name in walk if who == role]
            if users[role] is not None:
                client.force_login(users[role])
            for viewport, size in VIEWPORTS.items():
                context = browser.new_context(viewport=size)
                if users[role] is not None:
                    cookie = client.cookies["sessionid"].value
                    context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
                if viewport == "phone":
                    pages = [(url, name) for url, name in pages if _is_page(context.request, url)]
                page = context.new_page()
                for url, name in pages:
                    response = page.goto(url)
                    assert response.status == 200, f"{role} {name}: {response.status}"
                    opened += 1
                    problems = _check(page, viewport=viewport, ambassador=role in AMBASSADOR_ROLES)
                    if problems:
                        shot = screenshot(page, f"a11y-{viewport}-{role}-{re.sub(r'[^a-z0-9]+', '-', name)}")
                        findings += [f"{name} [{role}, {viewport}] {problem}  ({shot.name})" for problem in problems]
                context.close()
        browser.close()
    print(f"{opened} pages in {time.monotonic() - started:.0f} s")
    assert opened > 150
    assert not findings, f"{len(findings)} accessibility findings:\n" + "\n".join(findings)
