"""python manage.py survey_round_export --round ID [--out DIR] — a survey round's research export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.surveys.models import SurveyRound
from apps.surveys.research import research_export


class Command(BaseCommand):
    help = (
        "Write a survey round's anonymised microdata for researchers: answers.csv (one line per completed "
        "response: area, move-in period, language group, contact group, the standard questions' answer codes; "
        "coarsened until every combination of area, period and language holds at least 5 people) and "
        "data_dictionary.md, into DIR (default: the current directory)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True)
        parser.add_argument("--out", default=".")

    def handle(self, *args, **options):
        survey_round = SurveyRound.objects.filter(pk=options["round"]).first()
        if survey_round is None:
            raise CommandError(f"No survey round with id {options['round']}.")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        export = research_export(round=survey_round)
        (out / "answers.csv").write_text(export.answers_csv, encoding="utf-8")
        (out / "data_dictionary.md").write_text(export.dictionary, encoding="utf-8")
        self.stdout.write(
            f"{out / 'answers.csv'}: {export.rows} lines, {export.suppressed} suppressed; "
            f"coarsening: {', '.join(export.steps) or 'none'}"
        )
