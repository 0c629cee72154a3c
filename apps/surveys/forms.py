from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.bidi import direction
from apps.organisation.models import Area
from apps.surveys.content import LANGUAGE_NAMES, texts_for
from apps.surveys.models import SURVEY_LANGUAGES, CallAttempt, Question, Survey
from apps.surveys.selectors import area_questions

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyForm(forms.ModelForm):
    questions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Questions"),
        queryset=Question.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Asked in this order: the standard questions first, then your own."),
    )

    class Meta:
        model = Survey
        fields = ["title", "period_start", "period_end", "opens_on", "closes_on", "max_call_attempts"]
        widgets = {name: DATE for name in ("period_start", "period_end", "opens_on", "closes_on")}

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = area_questions(area=area)
        self.fields["questions"].label_from_instance = lambda q: f"{q.code} — {q.text('da')}"
        if self.instance.pk:
            self.fields["questions"].initial = [sq.question_id for sq in self.instance.survey_questions.all()]
        else:
            self.fields["questions"].initial = list(
                area_questions(area=area).filter(area__isnull=True).values_list("pk", flat=True)
            )
            self.fields["max_call_attempts"].initial = settings.SURVEY_MAX_CALL_ATTEMPTS

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The period must end after it starts."))
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The survey must close after it opens."))
        chosen = {q.code for q in data.get("questions") or []}
        orphans = sorted(q.code for q in data.get("questions") or [] if q.depends_on and q.depends_on not in chosen)
        if orphans:
            # It would never be asked: the answer it depends on is not asked either.
            self.add_error(
                "questions",
                _("Choose the question these depend on too: %(codes)s") % {"codes": ", ".join(orphans)},
            )
        return data

    def survey_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        # Keep the bank's order (standard first), whatever order the boxes were ticked in.
        fields["questions"] = sorted(self.cleaned_data["questions"], key=lambda q: (q.area_id is not None, q.pk))
        return fields


class QuestionForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        max_length=50,
        help_text=gettext_lazy("A short name without spaces, used as the column name in imports, e.g. bike_room."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of answer"), choices=Question.Kind.choices)
    text_da = forms.CharField(label=gettext_lazy("Question in Danish"), max_length=300)
    text_en = forms.CharField(label=gettext_lazy("Question in English"), max_length=300, required=False)
    text_ar = forms.CharField(label=gettext_lazy("Question in Arabic"), max_length=300, required=False)
    text_tr = forms.CharField(label=gettext_lazy("Question in Turkish"), max_length=300, required=False)
    choices = forms.CharField(
        label=gettext_lazy("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For one choice only: one choice per line, in Danish."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code in SURVEY_LANGUAGES:  # each question typed in its language's direction (Arabic right to left)
            self.fields[f"text_{code}"].widget.attrs.update({"lang": code, "dir": direction(code)})

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        if Question.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Another question already has this code."))
        return code

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()]
        if data.get("kind") == Question.Kind.ONE_CHOICE and len(lines) < 2:
            self.add_error("choices", _("Write at least two choices, one per line."))
        codes = [_choice_code(line) or f"choice_{i + 1}" for i, line in enumerate(lines)]
        if len(set(codes)) != len(codes):
            self.add_error("choices", _("Two choices are the same."))
        data["choice_list"] = [{"code": c, "texts": {"da": text}} for c, text in zip(codes, lines, strict=True)]
        return data

    def question_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "kind": data["kind"],
            "texts": {lang: data.get(f"text_{lang}", "") for lang in SURVEY_LANGUAGES},
            "choices": data["choice_list"],
        }


DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def _choice_code(text: str) -> str:
    """A stable code for a choice, from its Danish text (used in imports and reports)."""
    return slugify(text.translate(DANISH_LETTERS)).replace("-", "_")[:40]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file from the interview firm"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=gettext_lazy(
            "Columns respondent_ref, language, interview_date and one per question code; "
            "answers yes / no / dont_know (or ja / nej / ved ikke), 1–7 for the scale."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.SURVEY_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class CallAttemptForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("What happened?"),
        choices=[c for c in CallAttempt.Outcome.choices if c[0] != CallAttempt.Outcome.COMPLETED],
        widget=forms.RadioSelect,
    )


class InterviewForm(forms.Form):
    """All of the survey's questions on one page, for the interviewer on the phone (conditions are checked
    by the service: an answer to a question that was not asked is refused).

    The questions and their answers are in the interview's language, to be read aloud as written, and
    marked with its `lang` and `dir` (Arabic right to left); what only the interviewer reads is in the
    page's language."""

    language = forms.ChoiceField(
        label=gettext_lazy("Language of the interview"), choices=[(c, LANGUAGE_NAMES[c]) for c in SURVEY_LANGUAGES]
    )

    def __init__(self, *args, questions: list[Question], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        said = texts_for(language)
        asked = {question.code: question for question in questions}

        def aloud(text: str) -> SafeString:
            return format_html('<span lang="{}" dir="{}">{}</span>', language, direction(language), text)

        for question in questions:
            name = f"q_{question.code}"
            help_text = ""
            if question.depends_on:
                before = asked.get(question.depends_on)
                # Crispy prints help text unescaped: format_html escapes the coordinator's question.
                help_text = format_html(
                    _("Ask only when the answer to “{question}” was “{answer}”."),
                    question=aloud(before.text(language) if before else question.depends_on),
                    answer=aloud(said.get(question.depends_value, question.depends_value)),
                )
            label = aloud(question.text(language))
            if question.kind == Question.Kind.SHORT_TEXT:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=500,
                    help_text=help_text,
                    widget=forms.TextInput(attrs={"lang": language, "dir": direction(language)}),
                )
                continue
            if question.kind == Question.Kind.ONE_CHOICE:
                choices = [
                    (c["code"], aloud(c["texts"].get(language) or c["texts"].get("da", c["code"])))
                    for c in question.choices
                ]
            elif question.kind == Question.Kind.SCALE_1_7:
                choices = [(str(n), str(n)) for n in range(1, 8)]
            else:
                choices = [(code, aloud(said[code])) for code in question.answer_codes()]
            self.fields[name] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", _("Not answered")), *choices],
                widget=forms.RadioSelect,
                help_text=help_text,
            )

    def answers(self) -> dict[str, str]:
        return {q.code: self.cleaned_data.get(f"q_{q.code}") or "" for q in self.questions}
