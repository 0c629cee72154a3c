"""What an ambassador's phone keeps for offline use (static/js/offline.js), and a version of each page.

The phone fetches a page again only when its version changed (or it is half-way to its expiry), so an
online visit to "My visits" costs one page, not one per open visit: the version is a digest of what the
page shows — the visit's, newcomer's and address's stored fields, the tries so far, whether the visit is
overdue, the area's activities (the interests on an outcome step), the language and the deployed assets.
"""

import hashlib
from urllib.parse import urlencode

from django.db.models import Count, Max, Q
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language

from apps.visits.forms import DIRECT_OUTCOMES
from apps.visits.models import Activity, Attempt, Visit

# The outcomes whose second step is a page of its own (detail.html links to "?outcome=…").
OUTCOMES_WITH_STEP = [outcome for outcome in Attempt.Outcome if outcome not in DIRECT_OUTCOMES]


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _stored_fields(*objects) -> list:
    return [[getattr(obj, field.attname) for field in obj._meta.concrete_fields] for obj in objects]


def _visit_version(visit: Visit, today) -> str:
    """From my_visits' row: the visit with its newcomer, tenancy, entrance and estate, and attempt_count."""
    tenancy = visit.newcomer.tenancy
    objects = [visit, visit.newcomer] + ([tenancy, tenancy.entrance, tenancy.entrance.estate] if tenancy else [])
    return _digest(_stored_fields(*objects), visit.attempt_count, visit.due_date < today)


def offline_pages(*, open_visits: list[Visit], recently_closed: list[Visit], today) -> list[dict]:
    """[{"url", "version"}]: "My visits" first, then each open visit's page and its outcomes' second steps.
    Closed visits are never kept."""
    # Deployed assets: a release changes the hashed static names (and with them the pages' HTML).
    common = (get_language(), static("js/offline.js"), static("css/app.css"))
    activities = Activity.objects.filter(area__in={visit.area_id for visit in open_visits}).aggregate(
        count=Count("pk"), active=Count("pk", filter=Q(is_active=True)), last=Max("pk")
    )
    pages, versions = [], []
    for visit in open_visits:
        version = _visit_version(visit, today)
        versions.append(version)
        detail_url = reverse("visits:detail", args=[visit.pk])
        pages.append({"url": detail_url, "version": _digest(common, version)})
        step_version = _digest(common, version, activities)
        pages += [
            {"url": f"{detail_url}?{urlencode({'outcome': outcome})}", "version": step_version}
            for outcome in OUTCOMES_WITH_STEP
        ]
    closed = [(visit.pk, visit.status) for visit in recently_closed]
    mine = {"url": reverse("visits:mine"), "version": _digest(common, versions, closed)}
    return [mine, *pages]
