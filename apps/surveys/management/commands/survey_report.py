"""python manage.py survey_report --survey ID --format json|csv — the contact-vs-no-contact analysis."""

import json

from django.core.management.base import BaseCommand, CommandError

from apps.surveys.analysis import survey_report, survey_report_csv
from apps.surveys.models import Survey


class Command(BaseCommand):
    help = "Print a survey's analysis: n, percentages per group, Fisher's exact p value and significance."

    def add_arguments(self, parser):
        parser.add_argument("--survey", type=int, required=True)
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options):
        survey = Survey.objects.filter(pk=options["survey"]).first()
        if survey is None:
            raise CommandError(f"No survey with id {options['survey']}.")
        if options["format"] == "csv":
            self.stdout.write(survey_report_csv(survey=survey), ending="")
        else:
            self.stdout.write(json.dumps(survey_report(survey=survey), ensure_ascii=False))
