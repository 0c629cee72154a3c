"""Recognition: the arithmetic of months active, anniversaries and visit milestones, shared by the
coordinator's page (selectors), the daily thank-yous (services) and the certificate. No queries here."""

import datetime
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from apps.visits.models import Ambassador

# A milestone reached longer ago than this is never thanked: the first run after the feature came, or after
# an area switched thank-yous on, does not send a backlog of old anniversaries.
THANK_YOU_WINDOW_DAYS = 30

Change = tuple[str, datetime.date]  # (status, from)


def status_history(ambassador: Ambassador, changes: Iterable[Change]) -> list[Change]:
    """The ambassador's dated statuses in order; without rows (made before the history existed), active from
    `started_on` and in their status from `status_since`, as AmbassadorStatusChange documents."""
    changes = sorted(changes, key=lambda change: change[1])
    if changes:
        return changes
    fallback = [(Ambassador.Status.ACTIVE.value, ambassador.started_on)]
    if ambassador.status != Ambassador.Status.ACTIVE:
        fallback.append((ambassador.status, ambassador.status_since))
    return fallback


def active_days(history: list[Change], *, today: datetime.date) -> int:
    """Days spent active up to `today`: each period from an `active` step to the next other step, summed
    (a pause stops the clock, coming back starts it again). Steps dated after today do not count yet."""
    days, active_from = 0, None
    for status, on in history:
        if on > today:
            break
        if status == Ambassador.Status.ACTIVE and active_from is None:
            active_from = on
        elif status != Ambassador.Status.ACTIVE and active_from is not None:
            days += (on - active_from).days
            active_from = None
    if active_from is not None:
        days += (today - active_from).days
    return days


def months_from_days(days: int) -> int:
    """Whole months of an average length (365.25 / 12 days), in integers: 48 months are 1461 days."""
    return days * 48 // 1461


def full_years(started_on: datetime.date, today: datetime.date) -> int:
    return max(relativedelta(today, started_on).years, 0)


def anniversary(started_on: datetime.date, years: int) -> datetime.date:
    """The day `years` full years after `started_on` (a start on 29 February has its day on the 28th)."""
    return started_on + relativedelta(years=years)


def thank_you_cutoff(*, today: datetime.date, on_since: datetime.date | None) -> datetime.date:
    """The first day whose milestones are still thanked: the last THANK_YOU_WINDOW_DAYS, and never before
    the area switched thank-yous on."""
    cutoff = today - datetime.timedelta(days=THANK_YOU_WINDOW_DAYS)
    return max(cutoff, on_since) if on_since else cutoff


def anniversary_due(*, started_on: datetime.date, today: datetime.date, cutoff: datetime.date) -> int | None:
    """The anniversary (in years) reached between `cutoff` and `today`, if any."""
    years = full_years(started_on, today)
    if years >= 1 and anniversary(started_on, years) >= cutoff:
        return years
    return None


def visit_milestone_due(*, milestones: list[int], before: int, now: int, thanked: int) -> int | None:
    """The highest milestone passed since the cutoff (`before` visits then, `now` visits today) and above
    the highest one already thanked; a jump over two milestones thanks the higher one only."""
    passed = [n for n in milestones if before < n <= now and n > thanked]
    return max(passed) if passed else None


def next_visit_milestone(*, milestones: list[int], now: int) -> int | None:
    return next((n for n in milestones if n > now), None)
