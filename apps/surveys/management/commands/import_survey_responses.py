"""python manage.py import_survey_responses PATH (--survey ID | --new-survey TITLE --area SLUG) [--format json]

Imports an interview firm's answers (see apps/surveys/importing.py for the columns and values). Exit 0 when
the file was read (even with errors on some lines), 2 when it was refused as a whole, 1 for wrong arguments.
"""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.organisation.models import Area
from apps.surveys.importing import ImportFileRefused, survey_import_rows
from apps.surveys.models import Survey
from apps.surveys.services import survey_create

REFUSED = 2


class Command(BaseCommand):
    help = "Import survey answers collected by an outside interview firm (CSV)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file.")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--survey", type=int, help="The id of the survey the answers belong to.")
        target.add_argument("--new-survey", metavar="TITLE", help="Create a survey with the standard questions.")
        parser.add_argument("--area", help="The area (slug) of the new survey.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        survey = self._survey(options)
        try:
            result = survey_import_rows(survey=survey, data=data)
        except ImportFileRefused as exc:
            raise CommandError(str(exc), returncode=REFUSED) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"Survey {survey.pk}: {result.imported} of {result.rows} lines imported.")
        for error in result.errors:
            self.stdout.write(f"{error['line']} [{error['column']}] {error['message']}")

    def _survey(self, options) -> Survey:
        if options["survey"] is not None:
            if options["area"]:
                raise CommandError("--area goes with --new-survey only.")
            survey = Survey.objects.filter(pk=options["survey"]).first()
            if survey is None:
                raise CommandError(f"No survey with id {options['survey']}.")
            return survey
        if not options["area"]:
            raise CommandError("--new-survey needs --area SLUG.")
        area = Area.objects.filter(slug=options["area"]).first()
        if area is None:
            raise CommandError(f"No area with the short name {options['area']!r}.")
        today = timezone.localdate()
        # A survey made for an import: the last half-year's newcomers, open today only (the firm has
        # already asked them); the coordinator can change the dates on the survey's page.
        return survey_create(
            area=area,
            by=None,
            title=options["new_survey"],
            period_start=today - datetime.timedelta(days=183),
            period_end=today,
            opens_on=today,
            closes_on=today,
        )
