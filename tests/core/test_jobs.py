"""The one background-job lifecycle (apps.core.jobs): claim once, a silent job taken as lost after its
kind's limit, a done job never failed afterwards, and one sweep that queues lost jobs of every kind.
The kinds' own tests (imports, reports, batches, personal folders) cover their work and retries."""

import datetime

import pytest
from django.utils import timezone

from apps.core.jobs import JOB_KINDS, JobStatus, job_claim, job_fail, jobs_lost
from apps.core.tasks import jobs_resume_lost
from apps.dashboards.models import AnnualReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return timezone.localdate().year - 1


def _report(area, year, *, status=AnnualReport.Status.QUEUED, claimed_ago=None) -> AnnualReport:
    claimed_at = timezone.now() - claimed_ago if claimed_ago is not None else None
    return AnnualReport.objects.create(area=area, year=year, status=status, claimed_at=claimed_at)


def test_a_queued_job_is_claimed_by_one_worker_only(area, year):
    report = _report(area, year)

    assert job_claim(model=AnnualReport, pk=report.pk)
    assert not job_claim(model=AnnualReport, pk=report.pk)

    report.refresh_from_db()
    assert (report.status, report.attempts) == (AnnualReport.Status.RUNNING, 1)
    assert report.claimed_at is not None


def test_a_running_job_is_taken_as_lost_only_after_its_kinds_limit(area, year):
    limit = AnnualReport.stale_after()
    alive = _report(area, year, status=AnnualReport.Status.RUNNING, claimed_ago=limit - datetime.timedelta(minutes=1))
    lost = _report(
        area, year - 1, status=AnnualReport.Status.RUNNING, claimed_ago=limit + datetime.timedelta(minutes=1)
    )

    assert not job_claim(model=AnnualReport, pk=alive.pk)
    assert job_claim(model=AnnualReport, pk=lost.pk)
    assert jobs_lost(model=AnnualReport) == []
    lost.refresh_from_db()
    assert lost.attempts == 1 and timezone.now() - lost.claimed_at < datetime.timedelta(minutes=1)


def test_giving_up_leaves_a_done_job_done(area, year):
    done = _report(area, year, status=AnnualReport.Status.DONE)
    running = _report(area, year - 1, status=AnnualReport.Status.RUNNING, claimed_ago=datetime.timedelta(0))

    job_fail(model=AnnualReport, pk=done.pk, message="late")
    job_fail(model=AnnualReport, pk=running.pk, message="disk full")

    done.refresh_from_db()
    running.refresh_from_db()
    assert (done.status, done.error) == (AnnualReport.Status.DONE, "")
    assert (running.status, running.error) == (AnnualReport.Status.FAILED, "disk full")
    assert running.finished_at is not None


def test_every_job_kind_is_registered_for_the_sweep():
    assert set(JOB_KINDS) == {
        "newcomers.ImportRun",
        "dashboards.AnnualReport",
        "folders.PrintBatch",
        "folders.Delivery",
        "core.Message",
        "surveys.RoundReport",
    }


def test_the_sweep_finishes_a_lost_job_and_leaves_a_live_one_alone(area, year, django_capture_on_commit_callbacks):
    limit = AnnualReport.stale_after()
    lost = _report(area, year, status=AnnualReport.Status.RUNNING, claimed_ago=limit * 2)
    alive = _report(area, year - 1, status=AnnualReport.Status.RUNNING, claimed_ago=datetime.timedelta(0))
    waiting = _report(area, year - 2)  # just queued: its task is still on its way

    with django_capture_on_commit_callbacks(execute=True):  # the sweep queues each job after commit
        assert jobs_resume_lost.delay().get() == 1

    for report in (lost, alive, waiting):
        report.refresh_from_db()
    assert lost.status == AnnualReport.Status.DONE and lost.pdf
    assert (alive.status, waiting.status) == (AnnualReport.Status.RUNNING, AnnualReport.Status.QUEUED)


def test_a_queued_job_without_a_sign_of_life_is_taken_as_lost(area, year):
    waiting = _report(area, year)
    AnnualReport.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - AnnualReport.stale_after() * 2)

    assert jobs_lost(model=AnnualReport) == [waiting.pk]


def _lost_rows(kind: str, *, area, organisation, coordinator, newcomer, version, year) -> list:
    """One row of the kind whose worker died while it ran, and one queued whose task never came."""
    from apps.core.models import Message
    from apps.folders.models import Delivery, PrintBatch
    from apps.newcomers.models import ImportRun

    if kind == "core.Message":
        make = lambda key: Message.objects.create(  # noqa: E731
            channel="sms", to_user=coordinator, address="+4520000001", body="x", idempotency_key=key, area=area
        )
        running, queued = make("died"), make("never-queued")
        old = timezone.now() - Message.stale_after() * 2
        Message.objects.filter(pk=running.pk).update(status=Message.Status.SENDING, sending_since=old)
        Message.objects.filter(pk=queued.pk).update(next_attempt_at=old)
        return [running, queued]
    if kind == "dashboards.AnnualReport":
        model, make = AnnualReport, lambda n: AnnualReport.objects.create(area=area, year=year - n)
    elif kind == "newcomers.ImportRun":
        model = ImportRun
        make = lambda n: ImportRun.objects.create(  # noqa: E731
            organisation=organisation, area=area, uploaded_by=coordinator, filename=f"{n}.csv"
        )
    elif kind == "folders.PrintBatch":
        model = PrintBatch
        make = lambda n: PrintBatch.objects.create(  # noqa: E731
            area=area, version=version, due_until=timezone.localdate() + datetime.timedelta(days=n)
        )
    elif kind == "surveys.RoundReport":
        from apps.surveys.models import RoundReport, SurveyRound

        model, today = RoundReport, timezone.localdate()
        make = lambda n: RoundReport.objects.create(  # noqa: E731 - one pending report per round: a round each
            round=SurveyRound.objects.create(
                organisation=organisation, title=f"{n}", period_start=today, period_end=today
            )
        )
    else:
        model = Delivery
        make = lambda n: Delivery.objects.create(newcomer=newcomer, version=version, language="da")  # noqa: E731
    running, queued = make(0), make(1)
    old = timezone.now() - model.stale_after() * 2
    model.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING, claimed_at=old)
    model.objects.filter(pk=queued.pk).update(status=JobStatus.QUEUED, created_at=old)
    return [running, queued]


@pytest.mark.parametrize("kind", sorted(JOB_KINDS))
def test_every_kind_is_picked_up_again_after_its_worker_died(
    kind, area, organisation, coordinator, newcomer, version, year, django_capture_on_commit_callbacks
):
    rows = _lost_rows(
        kind,
        area=area,
        organisation=organisation,
        coordinator=coordinator,
        newcomer=newcomer,
        version=version,
        year=year,
    )
    assert set(JOB_KINDS[kind].lost_ids(None)) == {row.pk for row in rows}

    with django_capture_on_commit_callbacks(execute=True):
        jobs_resume_lost.delay()

    for row in rows:
        row.refresh_from_db()
        assert row.attempts >= 1  # claimed again and tried (a failing try is retried), whatever the outcome
    assert JOB_KINDS[kind].lost_ids(None) == []
