import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, ManagementUtility, call_command
from django.urls import reverse
from django.utils import timezone, translation

from apps.audit.models import AccessLogEntry
from apps.core.navigation import navigation_for
from apps.hours.models import HourEntry
from apps.hours.selectors import month_payroll
from apps.hours.services import (
    hour_entries_approve,
    hour_entry_create,
    hour_entry_reject,
    hours_settings_save,
    payroll_csv,
    payroll_number_set,
)
from apps.newcomers.models import Newcomer
from apps.organisation.models import Tenancy
from apps.visits.models import Attempt
from apps.visits.services import visits_assign

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MONTH = TODAY.replace(day=1)


def _entry(ambassador, hours="2", kind="meeting", day=None):
    return hour_entry_create(ambassador=ambassador, date=day or TODAY, hours=Decimal(hours), kind=kind)


def test_ambassador_logs_hours_from_the_page(client, ambassador, ali):
    client.force_login(ambassador)
    response = client.post(
        reverse("hours:mine"), {"ambassador": ali.pk, "date": TODAY.isoformat(), "hours": "1.75", "kind": "training"}
    )
    assert response.status_code == 302
    entry = HourEntry.objects.get()
    assert (entry.hours, entry.kind, entry.status, entry.area_id) == (
        Decimal("1.75"),
        "training",
        "submitted",
        ali.area_id,
    )


def test_hours_must_come_in_quarters(client, ambassador, ali):
    client.force_login(ambassador)
    data = {"ambassador": ali.pk, "date": TODAY.isoformat(), "hours": "1.3", "kind": "other"}
    assert client.post(reverse("hours:mine"), data).status_code == 400
    assert not HourEntry.objects.exists()


def test_a_day_has_at_most_24_hours(ali):
    _entry(ali, "20")
    with pytest.raises(ValidationError):
        _entry(ali, "4.25")
    assert HourEntry.objects.count() == 1


def test_nothing_is_logged_where_time_registration_is_off(ali, area):
    hours_settings_save(area=area, enabled=False, minutes_per_visit=0)
    with pytest.raises(ValidationError):
        _entry(ali)


def test_visits_are_not_logged_by_hand_where_they_count_as_time(ali, area):
    hours_settings_save(area=area, enabled=True, minutes_per_visit=45)
    with pytest.raises(ValidationError):
        _entry(ali, kind="visits")


def test_ambassador_changes_a_rejected_entry_and_it_waits_again(client, ambassador, ali, coordinator):
    entry = hour_entry_reject(entry=_entry(ali), by=coordinator, reason="Forkert dag")
    client.force_login(ambassador)
    data = {"date": TODAY.isoformat(), "hours": "3", "kind": "meeting"}
    assert client.post(reverse("hours:entry_edit", args=[entry.pk]), data).status_code == 302
    entry.refresh_from_db()
    assert (entry.hours, entry.status, entry.reason) == (Decimal(3), "submitted", "")


def test_approved_entry_is_locked(client, ambassador, ali, coordinator, area):
    entry = _entry(ali)
    hour_entries_approve(area=area, entry_ids=[entry.pk], by=coordinator)
    client.force_login(ambassador)
    data = {"date": TODAY.isoformat(), "hours": "9", "kind": "meeting"}
    assert client.post(reverse("hours:entry_edit", args=[entry.pk]), data).status_code == 403
    entry.refresh_from_db()
    assert entry.hours == Decimal(2)


def test_ambassador_cannot_open_another_ambassadors_entry(client, other_ambassador, ali, anne):
    entry = _entry(ali)
    client.force_login(other_ambassador)
    data = {"date": TODAY.isoformat(), "hours": "9", "kind": "meeting"}
    assert client.post(reverse("hours:entry_edit", args=[entry.pk]), data).status_code == 404
    entry.refresh_from_db()
    assert entry.hours == Decimal(2)


def test_coordinator_approves_the_ticked_entries_after_confirming(client, coordinator, area, ali, anne):
    first, second, untouched = _entry(ali), _entry(anne), _entry(anne, "1")
    client.force_login(coordinator)
    url = reverse("hours:area", args=[area.slug])
    data = {"month": f"{MONTH:%Y-%m}", "entry": [first.pk, second.pk]}
    confirm = client.post(url, data)
    assert confirm.status_code == 200 and b"2" in confirm.content
    assert not HourEntry.objects.filter(status="approved").exists()
    assert client.post(url, {**data, "confirm": "1"}).status_code == 302
    assert set(HourEntry.objects.filter(status="approved").values_list("pk", flat=True)) == {first.pk, second.pk}
    untouched.refresh_from_db()
    assert untouched.status == "submitted"


def test_coordinator_rejects_with_a_reason(client, coordinator, area, ali):
    entry = _entry(ali)
    client.force_login(coordinator)
    client.post(reverse("hours:reject", args=[area.slug, entry.pk]), {"reason": "Ikke aftalt"})
    entry.refresh_from_db()
    assert (entry.status, entry.reason, entry.decided_by) == ("rejected", "Ikke aftalt", coordinator)


def test_another_areas_coordinator_cannot_approve_or_reject(client, other_coordinator, other_area, area, ali):
    entry = _entry(ali)
    client.force_login(other_coordinator)
    client.post(reverse("hours:area", args=[other_area.slug]), {"entry": [entry.pk], "confirm": "1"})
    response = client.post(reverse("hours:reject", args=[other_area.slug, entry.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert client.get(reverse("hours:area", args=[area.slug])).status_code == 403
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_coordinator_switches_time_registration_on(client, coordinator, area):
    client.force_login(coordinator)
    client.post(reverse("hours:settings", args=[area.slug]), {"enabled": "on", "minutes_per_visit": "30"})
    assert (area.hours_settings.enabled, area.hours_settings.minutes_per_visit) == (True, 30)


def _approved_month(area, coordinator, ali, anne):
    payroll_number_set(ambassador=ali, number="=HYPERLINK(1)")
    approved = [_entry(ali, "2.5"), _entry(ali, "1", day=MONTH), _entry(anne, "3")]
    _entry(anne, "7")  # waiting: not paid
    hour_entry_reject(entry=_entry(ali, "4"), by=coordinator, reason="nej")
    hour_entries_approve(area=area, entry_ids=[e.pk for e in approved], by=coordinator)


def test_payroll_counts_approved_hours_only(area, coordinator, ali, anne):
    _approved_month(area, coordinator, ali, anne)
    lines = {line.name: line for line in month_payroll(area=area, month=MONTH)}
    assert lines[ali.user.full_name].hours == Decimal("3.50")
    assert lines[anne.user.full_name].hours == Decimal("3.00")


def test_payroll_csv_is_for_danish_excel_and_formula_safe(area, coordinator, ali, anne):
    _approved_month(area, coordinator, ali, anne)
    data = payroll_csv(lines=month_payroll(area=area, month=MONTH))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert f"{ali.user.full_name};'=HYPERLINK(1);3,50;0" in text
    assert text.splitlines()[0].count(";") == 3


def test_export_command_writes_csv(area, coordinator, ali, anne, capfdbinary):
    _approved_month(area, coordinator, ali, anne)
    call_command("export_hours", area=area.slug, month=f"{MONTH:%Y-%m}")
    out = capfdbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbf") and b"3,50" in out and b"'=HYPERLINK" in out


def test_export_command_writes_json(area, coordinator, ali, anne):
    _approved_month(area, coordinator, ali, anne)
    out = StringIO()
    call_command("export_hours", area=area.slug, month=f"{MONTH:%Y-%m}", format="json", stdout=out)
    document = json.loads(out.getvalue())
    hours = {line["name"]: line["hours"] for line in document["lines"]}
    assert hours == {ali.user.full_name: "3.50", anne.user.full_name: "3.00"}


@pytest.mark.parametrize(("slug", "month"), [("nowhere", "2026-11"), (None, "2026-13"), (None, "11-2026")])
def test_export_command_refuses_bad_input(area, slug, month):
    with pytest.raises(CommandError):
        call_command("export_hours", area=slug or area.slug, month=month)


def test_export_command_exits_non_zero_on_bad_input(area, capsys):
    argv = ["manage.py", "export_hours", "--area", "nowhere", "--month", "2026-11"]
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(argv).execute()
    assert exited.value.code != 0
    assert "nowhere" in capsys.readouterr().err


def test_visits_count_as_time_where_switched_on(area, coordinator, ali):
    hours_settings_save(area=area, enabled=True, minutes_per_visit=30)
    tenancy = Tenancy.objects.filter(estate__area=area).first()
    newcomer = Newcomer.objects.create(tenancy=tenancy, move_in_date=TODAY, name="N")
    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ali.pk)], by=coordinator)
    Attempt.objects.create(visit=visit, ambassador=ali, recorded_by=ali.user, outcome="met_talked", visited_on=TODAY)
    hour_entries_approve(area=area, entry_ids=[_entry(ali, "1").pk], by=coordinator)
    [line] = month_payroll(area=area, month=MONTH)
    assert (line.hours, line.visits) == (Decimal("1.50"), 1)


def test_payroll_download_is_logged_as_an_export_of_the_ambassadors(client, area, coordinator, ali, anne):
    _approved_month(area, coordinator, ali, anne)
    client.force_login(coordinator)
    response = client.get(reverse("hours:export_csv", args=[area.slug]) + f"?month={MONTH:%Y-%m}")
    assert response.content.startswith(b"\xef\xbb\xbf")
    entry = AccessLogEntry.objects.get(action="export")
    assert set(entry.subjects.values_list("object_id", flat=True)) == {ali.user_id, anne.user_id}


def test_coordinators_page_queries_do_not_grow_with_the_entries(
    client, area, coordinator, ali, anne, django_assert_max_num_queries
):
    _approved_month(area, coordinator, ali, anne)
    client.force_login(coordinator)
    url = reverse("hours:area", args=[area.slug])
    client.get(url)  # warm the session and the cache
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    for _ in range(5):
        _entry(anne, "0.25")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_hours_are_in_the_menu_only_where_the_area_registers_time(ambassador, area, ali):
    def labels():
        ambassador.__dict__.pop("_memberships_cache", None)
        with translation.override("en"):
            return [str(item.label) for item in navigation_for(ambassador)]

    assert "Hours" in labels()
    hours_settings_save(area=area, enabled=False, minutes_per_visit=0)
    assert "Hours" not in labels()


def test_edit_page_shows_the_entrys_date_to_the_date_picker_in_danish(client, ambassador, ali):
    entry = _entry(ali)
    client.force_login(ambassador)
    with translation.override("da"):
        page = client.get(reverse("hours:entry_edit", args=[entry.pk]), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert f'value="{TODAY.isoformat()}"' in page
