"""What a search looked for, by the shape of the text alone: the log keeps the category, never the text."""

import pytest

from apps.audit.search import search_category


@pytest.mark.parametrize(
    ("typed", "category"),
    [
        ("", ""),
        ("   ", ""),
        ("Amina Hansen", "name"),
        ("Søren Ærø-Østergård", "name"),
        ("20 20 20 20", "phone"),
        ("+4520202020", "phone"),
        ("202020", "phone"),
        ("amina@example.org", "email"),
        ("101-0001", "tenancy"),
        ("101-F0001", "tenancy"),
        ("Vestergade", "name"),
        ("Vestergade 12, 2. th", "address"),
        ("??", "other"),
    ],
)
def test_search_category_reads_the_shape_of_the_text(typed, category):
    assert search_category(typed) == category
