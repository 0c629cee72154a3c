"""The board's chart labels are shown whole: wrapped between words, never cut with "…"."""

import re

from apps.core.small_numbers import Cell
from apps.dashboards.charts import Series, bar_chart


def _chart(categories: list[str]) -> str:
    return str(
        bar_chart(
            chart_id="c",
            title="t",
            description="d",
            categories=categories,
            series=[Series("now", [Cell(7, "7") for _ in categories])],
        )
    )


def _label_text(svg: str) -> list[str]:
    return [
        " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", label))
        for label in re.findall(r"<text[^>]*text-anchor=\"end\">(.*?)</text>", svg)
    ]


def test_a_long_label_is_wrapped_whole_onto_as_many_lines_as_it_needs():
    label = "Budt velkommen inden for 14 dage efter indflytningen"

    svg = _chart([label])

    assert "…" not in svg
    assert _label_text(svg) == [label]


def test_a_word_longer_than_a_line_is_not_broken_and_the_label_column_makes_room_for_it():
    svg = _chart(["Velkomstmappeafleveringer", "Møder"])

    assert _label_text(svg) == ["Velkomstmappeafleveringer", "Møder"]
    label_x = int(re.search(r'<text x="(\d+)"[^>]*text-anchor="end"', svg).group(1))
    assert label_x >= len("Velkomstmappeafleveringer") * 13 * 0.6  # the whole word fits left of the anchor
    bar_x = float(re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="16"', svg).group(1))
    assert bar_x > label_x
