"""Every word the newcomer reads exists in all four languages."""

import pytest

from apps.surveys.content import TEXTS
from apps.surveys.models import STANDARD_CODES, SURVEY_LANGUAGES, Question

pytestmark = pytest.mark.django_db


def test_answer_pages_have_every_text_in_every_language():
    keys = set(TEXTS["da"])
    assert set(TEXTS) == set(SURVEY_LANGUAGES)
    for language, texts in TEXTS.items():
        assert set(texts) == keys, language
        assert all(value.strip() for value in texts.values()), language


def test_standard_bank_is_installed_with_its_codes_and_four_languages():
    questions = {q.code: q for q in Question.objects.filter(area__isnull=True)}
    assert tuple(sorted(questions)) == tuple(sorted(STANDARD_CODES))
    for question in questions.values():
        assert set(question.texts) == set(SURVEY_LANGUAGES), question.code
    assert (questions["looked_at_folder"].depends_on, questions["looked_at_folder"].depends_value) == (
        "received_folder",
        "yes",
    )
    assert (questions["folder_useful"].depends_on, questions["folder_useful"].depends_value) == (
        "looked_at_folder",
        "yes",
    )
    assert questions["safety_scale"].kind == Question.Kind.SCALE_1_7
