"""python manage.py import_survey_responses PATH
       (--survey ID | --new-survey TITLE --area SLUG
        | --round ID | --new-round TITLE --organisation SLUG [--period-start DATE --period-end DATE])
       [--format json]

Imports an interview firm's answers (see apps/surveys/importing.py for the columns and values). For a round
across areas the file has one more column, `area` (the area's short name): each line goes into that area's
survey of the round, made when the file first names the area. Exit 0 when the file was read (even with errors
on some lines), 2 when it was refused as a whole, 1 for wrong arguments. A refused file leaves nothing made.
"""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from apps.organisation.models import Area, HousingOrganisation
from apps.surveys.importing import ImportFileRefused, survey_import_rows, survey_round_import_rows
from apps.surveys.models import Survey, SurveyRound
from apps.surveys.services import survey_create, survey_dates_for_import, survey_round_create

REFUSED = 2


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Import survey answers collected by an outside interview firm (CSV). For a round across areas "
        "(--round, --new-round) the file has an `area` column with each line's area (short name). A new "
        "round covers the newcomers who moved in during --period-start to --period-end; without them, the "
        "last half-year up to today, as a new one-area survey (the interview dates say nothing about when "
        "people moved in). The areas' surveys in a round are open today only; their coordinators change "
        "the dates on the survey's page."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file.")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--survey", type=int, help="The id of the survey the answers belong to.")
        target.add_argument("--new-survey", metavar="TITLE", help="Create a survey with the standard questions.")
        target.add_argument("--round", type=int, help="The id of the round across areas the answers belong to.")
        target.add_argument("--new-round", metavar="TITLE", help="Create a round across the areas of --organisation.")
        parser.add_argument("--area", help="The area (slug) of the new survey.")
        parser.add_argument("--organisation", help="The housing organisation (slug) of the new round.")
        parser.add_argument("--period-start", type=_date, help="The new round's first move-in day (YYYY-MM-DD).")
        parser.add_argument("--period-end", type=_date, help="The new round's last move-in day (YYYY-MM-DD).")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        self._check_options(options)
        try:
            # One transaction: a file refused as a whole leaves no new survey or round behind.
            with transaction.atomic():
                if options["round"] is not None or options["new_round"]:
                    survey_round = self._round(options)
                    result = survey_round_import_rows(round=survey_round, data=data)
                    heading = f"Round {survey_round.pk}"
                else:
                    survey = self._survey(options)
                    result = survey_import_rows(survey=survey, data=data)
                    heading = f"Survey {survey.pk}"
        except ImportFileRefused as exc:
            raise CommandError(str(exc), returncode=REFUSED) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"{heading}: {result.imported} of {result.rows} lines imported.")
        for slug, counts in getattr(result, "areas", {}).items():
            self.stdout.write(f"  {slug} (survey {counts['survey']}): {counts['imported']}")
        for error in result.errors:
            self.stdout.write(f"{error['line']} [{error['column']}] {error['message']}")

    def _check_options(self, options) -> None:
        if options["area"] and options["new_survey"] is None:
            raise CommandError("--area goes with --new-survey only.")
        if options["organisation"] and options["new_round"] is None:
            raise CommandError("--organisation goes with --new-round only.")
        period = (options["period_start"], options["period_end"])
        if any(period) and options["new_round"] is None:
            raise CommandError("--period-start and --period-end go with --new-round only.")
        if any(period) and not all(period):
            raise CommandError("Give both --period-start and --period-end, or neither.")

    def _survey(self, options) -> Survey:
        if options["survey"] is not None:
            survey = Survey.objects.filter(pk=options["survey"]).first()
            if survey is None:
                raise CommandError(f"No survey with id {options['survey']}.")
            return survey
        if not options["area"]:
            raise CommandError("--new-survey needs --area SLUG.")
        area = Area.objects.filter(slug=options["area"]).first()
        if area is None:
            raise CommandError(f"No area with the short name {options['area']!r}.")
        return survey_create(
            area=area, by=None, title=options["new_survey"], **survey_dates_for_import(today=timezone.localdate())
        )

    def _round(self, options) -> SurveyRound:
        if options["round"] is not None:
            survey_round = SurveyRound.objects.select_related("organisation").filter(pk=options["round"]).first()
            if survey_round is None:
                raise CommandError(f"No survey round with id {options['round']}.")
            return survey_round
        if not options["organisation"]:
            raise CommandError("--new-round needs --organisation SLUG.")
        organisation = HousingOrganisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No housing organisation with the short name {options['organisation']!r}.")
        dates = survey_dates_for_import(today=timezone.localdate())
        try:
            # No areas yet: each area's survey is made when the file first names the area.
            return survey_round_create(
                organisation=organisation,
                title=options["new_round"],
                period_start=options["period_start"] or dates["period_start"],
                period_end=options["period_end"] or dates["period_end"],
                areas=[],
                by=None,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
