"""Writes of the newcomers app: importing move-in lists (the browser and the command line both come here)."""

import csv
import hashlib
import io
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.csv_safety import csv_safe
from apps.core.jobs import job_claim, job_done, job_fail
from apps.core.models import Message
from apps.core.phones import phone_normalise
from apps.core.policy import Perm, can
from apps.newcomers.importing import (
    Field,
    ImportOutcome,
    ImportRefused,
    cpr_columns,
    mapping_propose,
    newcomers_import,
    table_open,
    table_store,
)
from apps.newcomers.importing.fields import header_normalise
from apps.newcomers.importing.mapping import remembered_headers
from apps.newcomers.importing.rows import mapping_check
from apps.newcomers.models import CORRECTABLE, ColumnMapping, ImportProblem, ImportRun, Newcomer, NewcomerCorrection
from apps.newcomers.selectors import binary_cursor, import_run_table
from apps.organisation.models import Area, Estate, HousingOrganisation

logger = logging.getLogger(__name__)


@transaction.atomic
def newcomer_correct(*, newcomer: Newcomer, by, **fields) -> list[str]:
    """A coordinator corrects language, phone, e-mail or "do not contact"; returns the fields changed.

    The phone is normalised as the import does. What changed is recorded (who, when, which fields, not
    the values) and remembered in `corrected_fields`, so a later move-in list keeps the coordinator's
    value. Setting "do not contact" also stops the messages to the newcomer still waiting in the outbox.
    """
    row = Newcomer.objects.select_for_update(of=("self",)).select_related("tenancy__estate__area").get(pk=newcomer.pk)
    if not can(by, Perm.NEWCOMER_CORRECT, row):  # also refuses an anonymised newcomer
        raise PermissionDenied
    values = {name: fields[name] for name in CORRECTABLE if name in fields}
    if values.get("phone"):
        phone = phone_normalise(values["phone"])
        if phone is None:
            raise ValidationError(_("Enter a valid phone number."))
        values["phone"] = phone
    for name in ("language", "phone", "email"):
        if name in values:
            values[name] = (values[name] or "").strip()
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(row, name, values[name])
    row.corrected_fields = sorted(set(row.corrected_fields) | set(changed))
    row.full_clean(exclude=["tenancy"])
    row.save(update_fields=[*changed, "corrected_fields", "updated_at"])
    NewcomerCorrection.objects.create(newcomer=row, by=by, fields=changed)
    if "do_not_contact" in changed and row.do_not_contact:
        Message.objects.filter(to_newcomer=row, status=Message.Status.PENDING).update(
            status=Message.Status.FAILED, last_error="Withdrawn: the newcomer asked not to be contacted."
        )
    return changed


# processed_rows is written about this often; more often only slows the import.
PROGRESS_EVERY = 1000
HEARTBEAT_SECONDS = 60


def import_run_create(
    *,
    organisation: HousingOrganisation,
    area: Area | None,
    user,
    filename: str,
    data: bytes,
    allow_empty_area: bool = False,
    refuse_repeat: bool = False,
) -> ImportRun:
    """Read an uploaded file once and keep it, without CPR numbers, until the coordinator confirms the mapping.

    The file is read within TENANT_IMPORT_MAX_COLUMNS, _MAX_CELLS and _PARSE_SECONDS, and what is
    kept is table_store's form: every CPR-like cell blanked, so no CPR number is stored at any moment.
    An area's upload must be for an organisation that has estates in the area: the import can only
    write there (`allow_empty_area`: the command line creating an area's first estates). With
    `refuse_repeat` (the upload page, until the coordinator confirms), a file identical to one already
    imported into the area is refused with RepeatedImport, saying when and by whom. Raises
    ImportRefused (nothing is written) when the file cannot be imported at all.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    if refuse_repeat and area is not None:
        import_repeat_check(area=area, sha256=sha256)
    if (
        area is not None
        and not allow_empty_area
        and not Estate.objects.filter(area=area, organisation=organisation).exists()
    ):
        raise ImportRefused("no_estates_in_area")
    remembered = remembered_headers(organisation)
    upload = table_open(data=data, filename=filename, known_headers=frozenset(remembered), bounded=True)
    mapping = mapping_propose(headers=upload.headers, organisation=organisation, remembered=remembered)
    cpr = cpr_columns(table=upload, mapping=mapping)
    for index in cpr:
        mapping.pop(index, None)
    table = table_store(upload, cpr=cpr)
    with transaction.atomic():
        run = ImportRun.objects.create(
            organisation=organisation,
            area=area,
            uploaded_by=user,
            filename=table.filename[:255],
            file_size=len(data),
            file_sha256=sha256,
            detected=table.detected,
            headers=table.headers,
            mapping={str(index): field for index, field in mapping.items()},
            dropped_columns=[table.headers[index] for index in cpr],
            total_rows=table.row_count(),
            status=ImportRun.Status.UPLOADED,
        )
        import_run_source_store(run=run, data=table.data)
    run.source = table.data  # the same bytes object, no copy: the instance matches the row
    return run


class RepeatedImport(ImportRefused):
    """The same file was imported into the area before; `earlier` is that run."""

    def __init__(self, *, earlier: ImportRun, when: str, who: str):
        super().__init__("repeated", when=when, who=who)
        self.earlier = earlier


def import_repeat_check(*, area: Area, sha256: str) -> None:
    """Refuse a file byte for byte identical to one already imported into the area (not a dry run)."""
    earlier = (
        ImportRun.objects.filter(area=area, file_sha256=sha256, status=ImportRun.Status.DONE, dry_run=False)
        .select_related("uploaded_by")
        .defer("source")
        .order_by("-created_at")
        .first()
    )
    if earlier is None:
        return
    who = earlier.uploaded_by.full_name if earlier.uploaded_by else ""  # "" reads "a scheduled import"
    raise RepeatedImport(earlier=earlier, when=earlier.created_at.isoformat(), who=who)


def import_runs_delete_pending(*, now: timezone.datetime | None = None) -> int:
    """Delete the uploads never confirmed within TENANT_IMPORT_PENDING_HOURS, file and all; returns how many.

    The file (names, phones) lives only in the row (ImportRun.source), so deleting the row deletes it.
    """
    cutoff = (now or timezone.now()) - timezone.timedelta(hours=settings.TENANT_IMPORT_PENDING_HOURS)
    _total, per_model = ImportRun.objects.filter(status=ImportRun.Status.UPLOADED, created_at__lt=cutoff).delete()
    deleted = per_model.get(ImportRun._meta.label, 0)
    if deleted:
        logger.info("Deleted %s unconfirmed imports", deleted)
    return deleted


def import_run_source_store(*, run: ImportRun, data: bytes) -> None:
    """Keep the upload until it is processed.

    On PostgreSQL the bytes go as a binary parameter: through the ORM they would be spelled out as a
    hex literal in the SQL text, several copies of a 20 MB file in memory at once.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, binary_cursor(cursor) as raw:
            raw.execute(f"UPDATE {ImportRun._meta.db_table} SET source = %b WHERE id = %s", [data, run.pk])
    else:
        ImportRun.objects.filter(pk=run.pk).update(source=data)


def import_run_mapping(*, run: ImportRun) -> dict[int, str]:
    """The run's mapping with integer column indexes (JSON keys are strings)."""
    return {int(index): field for index, field in run.mapping.items()}


@transaction.atomic
def import_run_confirm(
    *,
    run: ImportRun,
    mapping: dict[int, str],
    create_estates: bool,
    dry_run: bool = False,
    enqueue: bool = True,
) -> ImportRun:
    """Fix the mapping, remember it for the organisation and queue the import.

    `enqueue=False` is for the command line, which runs import_run_execute itself. Raises
    ImportRefused when the mapping lacks the tenancy number or the move-in date.
    """
    run = ImportRun.objects.select_for_update().defer("source").get(pk=run.pk)  # the file is not needed here
    if run.status != ImportRun.Status.UPLOADED:
        raise ImportRefused("already_started")
    mapping = mapping_check(headers=run.headers, mapping=mapping)
    if not dry_run:
        column_mapping_remember(organisation=run.organisation, headers=run.headers, mapping=mapping)
    run.mapping = {str(index): field for index, field in sorted(mapping.items())}
    run.create_estates = create_estates
    run.dry_run = dry_run
    run.status = ImportRun.Status.QUEUED
    run.save(update_fields=["mapping", "create_estates", "dry_run", "status", "updated_at"])
    if enqueue:
        from apps.newcomers.tasks import newcomer_import_execute

        run_id = run.pk
        transaction.on_commit(lambda: newcomer_import_execute.delay(run_id))
    return run


def column_mapping_remember(*, organisation: HousingOrganisation, headers: list[str], mapping: dict[int, str]) -> None:
    """Remember how this organisation's headers map, including the ones deliberately left out ("")."""
    remembered, _created = ColumnMapping.objects.select_for_update().get_or_create(organisation=organisation)
    headers_map = dict(remembered.headers)
    for index, header in enumerate(headers):
        key = header_normalise(header)
        if key:
            headers_map[key] = mapping.get(index, "")
    remembered.headers = headers_map
    remembered.save(update_fields=["headers", "updated_at"])


def import_run_execute(*, run_id: int) -> None:
    """Run a queued import. Safe to call twice: the run is claimed first, and only one caller wins
    (a run whose worker died is claimed again after ImportRun.stale_after())."""
    if not job_claim(model=ImportRun, pk=run_id, reset={"processed_rows": 0}):
        return  # done, failed, or running in another worker
    run = ImportRun.objects.select_related("organisation", "area").defer("source").get(pk=run_id)
    progress, progress_close = _progress_writer(run_id=run.pk)
    try:
        table = import_run_table(run=run)
        outcome = newcomers_import(
            table=table,
            mapping=import_run_mapping(run=run),
            organisation=run.organisation,
            area=run.area,
            create_estates=run.create_estates,
            dry_run=run.dry_run,
            progress=progress,
        )
    except Exception as exc:
        if not isinstance(exc, ImportRefused) and connection.connection is not None and not connection.is_usable():
            # The connection is gone (a dropped network, a restarted server) and the import was rolled
            # back with it: reconnect to record the failure, so the coordinator can upload the file again.
            connection.close()
        refused = exc if isinstance(exc, ImportRefused) else ImportRefused("failed")
        if not isinstance(exc, ImportRefused):
            # Only the kind of error: a database error's detail may quote a line of the file.
            logger.error("Import run %s failed: %s", run_id, type(exc).__name__)
        import_run_fail(run=run, refused=refused)
        return
    finally:
        progress_close()
    import_run_finish(run=run, outcome=outcome)


@transaction.atomic
def import_run_finish(*, run: ImportRun, outcome: ImportOutcome) -> ImportRun:
    """Store counts and problems, and drop the file: after this only the history remains."""
    ImportProblem.objects.filter(run=run).delete()  # a stale run claimed again starts its report afresh
    batch = 2000  # model instances are built per batch: 100,000 at once would hold ~100 MB
    for start in range(0, len(outcome.problems), batch):
        ImportProblem.objects.bulk_create(
            ImportProblem(
                run=run,
                line=p.line,
                column=p.column[:200],
                code=p.code,
                params=p.params,
                message=p.message[:500],
                level=p.level,
            )
            for p in outcome.problems[start : start + batch]
        )
    job_done(
        model=ImportRun,
        pk=run.pk,
        total_rows=outcome.rows,
        processed_rows=outcome.rows,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        error_count=outcome.error_count,
        warning_count=outcome.warning_count,
        dropped_columns=outcome.dropped_columns,
        error_code="",
        error_params={},
        source=None,
    )
    run.refresh_from_db(fields=_RESULT_FIELDS)
    run.source = None
    return run


# What a finished run's instance is read back with (not the file: it is gone).
_RESULT_FIELDS = [
    "status",
    "total_rows",
    "processed_rows",
    "created",
    "updated",
    "unchanged",
    "error_count",
    "warning_count",
    "dropped_columns",
    "error",
    "error_code",
    "error_params",
    "finished_at",
    "updated_at",
]


def import_run_fail(*, run: ImportRun, refused: ImportRefused) -> ImportRun:
    """Fail the run with the refusal's code and parameters (read in the reader's language) and its text
    in the language of the moment (logs, and the fallback)."""
    # The file is not kept after a failure either; the coordinator uploads it again.
    job_fail(
        model=ImportRun,
        pk=run.pk,
        message=refused.message,
        source=None,
        error_code=refused.code,
        error_params=refused.params,
    )
    run.refresh_from_db(fields=_RESULT_FIELDS)
    run.source = None
    return run


def _progress_writer(*, run_id: int) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """A progress callback writing processed_rows where the progress page can see it at once, and the
    run's heartbeat: `claimed_at` moves on with it, so a run longer than ImportRun.stale_after() is not
    taken as lost and claimed a second time (apps.core.jobs).

    The import is one transaction, so its own writes stay invisible until it ends. On PostgreSQL a
    second connection (autocommit) carries the progress; SQLite has one writer at a time and the
    embedded default runs imports in the request, so it has no progress to show.
    """
    if connection.vendor != "postgresql":
        return None, lambda: None
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = ImportRun._meta.db_table
    last = {"rows": 0, "at": time.monotonic()}

    def progress(rows: int) -> None:
        # Every PROGRESS_EVERY rows, and at least every HEARTBEAT_SECONDS while rows come in slowly.
        if rows - last["rows"] < PROGRESS_EVERY and time.monotonic() - last["at"] < HEARTBEAT_SECONDS:
            return
        last["rows"], last["at"] = rows, time.monotonic()
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET processed_rows = %s, claimed_at = %s WHERE id = %s AND status = %s",
                [rows, timezone.now(), run_id, ImportRun.Status.RUNNING],
            )

    return progress, side.close


def import_problems_csv(*, run: ImportRun) -> str:
    """The run's problems as CSV (semicolons, as Danish Excel opens it); no cell can start a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Line"), _("Column"), _("Level"), _("Problem")])
    levels = dict(ImportProblem.Level.choices)
    problems = run.problems.order_by("line", "pk").only("line", "column", "level", "code", "params", "message")
    for problem in problems.iterator(chunk_size=2000):
        level = str(levels.get(problem.level, problem.level))
        writer.writerow([problem.line, csv_safe(problem.column), csv_safe(level), csv_safe(problem.text)])
    # A BOM so Excel reads æøå as UTF-8.
    return "\ufeff" + buffer.getvalue()


__all__ = [
    "Field",
    "column_mapping_remember",
    "RepeatedImport",
    "import_problems_csv",
    "import_repeat_check",
    "import_run_confirm",
    "import_run_create",
    "import_run_execute",
    "import_run_fail",
    "import_run_finish",
    "import_run_mapping",
    "import_run_source_store",
    "import_runs_delete_pending",
    "newcomer_correct",
]
