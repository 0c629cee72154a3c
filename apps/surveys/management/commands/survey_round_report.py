"""python manage.py survey_round_report --round ID --format json|csv — a survey round's pooled analysis."""

import json

from django.core.management.base import BaseCommand, CommandError

from apps.surveys.models import SurveyRound
from apps.surveys.pooled import survey_round_report, survey_round_report_csv


class Command(BaseCommand):
    help = (
        "Print a survey round's analysis pooled over its areas. JSON: survey_report's shape (respondents, "
        "groups, questions.CODE.{all,contact,no_contact,p_value,significant}) plus per question cmh_p_value "
        "(Cochran-Mantel-Haenszel test stratified by area, null where it cannot be computed), verdict and "
        "conclusion; areas.SLUG.{respondents,groups,questions}; funnel.{pooled,areas.SLUG} with the steps, "
        "the response rate and other_channels (QR, import). Exact counts: for the round's coordinators, not for publication. CSV: survey_report's "
        "lines with an area column first (empty on the pooled lines) and cmh_p_value last."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True)
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options):
        survey_round = SurveyRound.objects.filter(pk=options["round"]).first()
        if survey_round is None:
            raise CommandError(f"No survey round with id {options['round']}.")
        if options["format"] == "csv":
            self.stdout.write(survey_round_report_csv(round=survey_round), ending="")
        else:
            self.stdout.write(json.dumps(survey_round_report(round=survey_round), ensure_ascii=False))
