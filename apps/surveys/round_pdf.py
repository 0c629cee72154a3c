"""The round's report as a PDF (issue 18): asked for on the web, made by the worker, laid out like the
evaluation's results chapter (Figur 4–8): the title and period, the funnel per area and pooled, per question
a stacked bar of the answers of those who met an ambassador and those who did not, the Fisher and
Cochran–Mantel–Haenszel verdicts with the plain-language conclusion, the per-area rows (small numbers
hidden, `round_area_rows(mask=True)`), and the limits (response rate, groups under 20).

The PDF may travel beyond those allowed to see the round, so every figure in it is shown by the
small-number rules, from the same decision as the round's page and CSV (`apps.surveys.round_mask`): a
pooled group with a hidden figure gets no bar.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.jobs import job_claim, job_done, job_fail, job_heartbeat
from apps.core.policy import Perm, can
from apps.core.small_numbers import SMALL_NUMBER, is_small, percent_text, small_text
from apps.dashboards.charts import StackedBar, stacked_bar_chart
from apps.surveys.analysis import FEW_ANSWERS, GROUPS, answer_labels, p_text
from apps.surveys.models import CONTACT_QUESTION, RoundReport, SurveyRound
from apps.surveys.pooled import NO_TEST, conclusion, round_area_rows, round_figures, round_funnel, verdict
from apps.surveys.round_mask import funnel_masked, respondents_masked
from apps.surveys.round_report import masked_lines

logger = logging.getLogger(__name__)

# Always in Danish: the report goes into the housing organisation's reporting, whoever asked for it.
REPORT_LANGUAGE = "da"
FUNNEL_KEYS = ("in_period", "with_contact", "invited", "reached", "answered", "other")
PENDING = [RoundReport.Status.QUEUED, RoundReport.Status.RUNNING]


def round_report_request(*, round: SurveyRound, by) -> RoundReport:
    """Queue the round's report, or return the one already waiting or being made."""
    if not can(by, Perm.SURVEY_ROUND_VIEW, round):
        raise PermissionDenied
    try:
        with transaction.atomic():
            report = RoundReport.objects.create(round=round, requested_by=by)
    except IntegrityError:  # the partial unique constraint: one pending report per round
        return RoundReport.objects.get(round=round, status__in=PENDING)
    from apps.surveys.tasks import round_report_make  # the task module imports this one

    transaction.on_commit(lambda: round_report_make.delay(report.pk))
    return report


def round_report_render(*, report_id: int) -> None:
    """Make a queued report's PDF, telling its progress as it goes. Safe to call twice: the report is
    claimed first (one whose worker died is claimed again after RoundReport.stale_after())."""
    if not job_claim(model=RoundReport, pk=report_id, reset={"steps_done": 0}):
        return  # done, failed, or being made by another worker
    report = RoundReport.objects.select_related("round").get(pk=report_id)
    try:
        with translation.override(REPORT_LANGUAGE):
            content = round_report_content(round=report.round, report_id=report_id)
            pdf = round_report_pdf(content=content)
    except Exception as exc:
        # Only the kind of error in the log: the message could quote data.
        logger.error("Round report %s failed: %s", report_id, type(exc).__name__)
        with translation.override(REPORT_LANGUAGE):
            message = _("The report could not be made. Try again, or ask for help if it keeps failing.")
        job_fail(model=RoundReport, pk=report_id, message=message)
        return
    report.pdf.save(f"naboambassador-runde-{report.round_id}.pdf", ContentFile(pdf), save=False)
    steps = content["steps"]
    job_done(model=RoundReport, pk=report_id, pdf=report.pdf.name, steps_done=steps, steps_total=steps)


def _step(report_id: int | None, done: int, total: int) -> None:
    if report_id is not None:
        job_heartbeat(model=RoundReport, pk=report_id, steps_done=done, steps_total=total)


def round_report_content(*, round: SurveyRound, report_id: int | None = None) -> dict:
    """Everything the PDF shows, small numbers hidden; with `report_id` the job's progress is written as
    the questions are drawn (steps: the analysis, each question, the PDF)."""
    figures = round_figures(round=round)
    names = {s.area.slug: s.area.name for s in figures.surveys}
    # The contact question makes the groups, so it is not a result; a question nobody answered has none.
    shown = {code: f for code, f in figures.pooled.items() if code != CONTACT_QUESTION and f.n("all")}
    total = len(shown) + 2
    _step(report_id, 1, total)
    questions = []
    for number, (code, pooled) in enumerate(shown.items(), start=1):
        question = pooled.question
        text = question.text(REPORT_LANGUAGE)
        labels = answer_labels(question)
        the_verdict = verdict(pooled, cmh_p=figures.cmh_p(code))
        area_rows = round_area_rows(figures, code, mask=True)
        # The pooled lines as the tables show them: a line with a hidden figure gets no bar, or the bar
        # would give away what the table hides.
        lines = masked_lines(figures, code)
        bars = []
        for group, label in zip(GROUPS, (_("Contact with an ambassador"), _("No contact")), strict=True):
            line = lines[(None, group)]
            if not pooled.n(group):
                note = _("No answers")
            elif is_small(pooled.n(group)):
                note = _("Fewer than %(n)s answers: not shown") % {"n": SMALL_NUMBER}
            else:
                note = _("Not shown: too few gave one of the answers")
            bars.append(
                StackedBar(
                    label=_("%(group)s (n = %(n)s)") % {"group": label, "n": line.n.text},
                    parts=[(labels.get(key, key), p) for key, p in line.percent.items()] if line.complete else [],
                    note=note,
                )
            )
        questions.append(
            {
                "number": number,
                "code": code,
                "text": text,
                "chart": stacked_bar_chart(
                    chart_id=f"q-{code}",
                    title=text,
                    description=_(
                        "The answers of those who had contact with an ambassador and of those who had not, in percent."
                    ),
                    bars=bars,
                ),
                "n": {group: lines[(None, group)].n.text for group in GROUPS},
                "fisher_p": p_text(pooled.p_value()),
                "cmh_p": p_text(figures.cmh_p(code)),
                "tested": the_verdict != NO_TEST,
                "conclusion": conclusion(the_verdict),
                "few": any(pooled.n(group) < FEW_ANSWERS for group in GROUPS),
                "areas": [{"name": names[row.area] if row.area else _("All areas"), "row": row} for row in area_rows],
            }
        )
        _step(report_id, 1 + number, total)
    funnel = funnel_masked(round_funnel(surveys=figures.surveys))
    return {
        "round": round,
        "areas": [names[slug] for slug in figures.by_area],
        "respondents": respondents_masked(figures.respondents),
        "few_respondents": any(figures.respondents[group] < FEW_ANSWERS for group in GROUPS),
        "funnel": [_funnel_row(names[slug], cells) for slug, cells in funnel["areas"].items()],
        "funnel_pooled": _funnel_row(_("All areas"), funnel["pooled"]),
        "questions": questions,
        "small": small_text(),
        "made_at": timezone.now(),
        "steps": total,
    }


def _funnel_row(name: str, cells: dict) -> dict:
    """One line of the funnel table: the steps as they may be shown (`round_mask.funnel_masked`) and the
    response rate (answered of those with a phone or e-mail), "–" when either is hidden."""
    rate = cells["response_rate"]
    return {
        "name": name,
        "steps": [cells[key] for key in FUNNEL_KEYS],
        "rate": percent_text(rate),
        "rate_shown": rate is not None,
    }


def round_report_pdf(*, content: dict) -> bytes:
    from weasyprint import CSS, HTML  # heavy: imported where it is used, in the worker

    html = render_to_string("surveys/round_report_pdf.html", content)
    # The annual report's sheet, then what the round's report adds.
    sheets = [CSS(filename=finders.find(name)) for name in ("css/report.css", "css/round-report.css")]
    return HTML(string=html, base_url=str(Path(settings.BASE_DIR))).write_pdf(stylesheets=sheets)
