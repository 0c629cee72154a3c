"""The board's chart labels are shown whole: wrapped between words, never cut with "…"."""

import re

from apps.core.small_numbers import Cell
from apps.dashboards.charts import WIDTH, Series, bar_chart


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


def _labels(svg: str) -> list[list[str]]:
    """Each category label's lines (a label beside its bars is one line, a label above them has tspans)."""
    labels = []
    for attributes, body in re.findall(r"<text([^>]*)>(.*?)</text>", svg):
        if 'text-anchor="end"' in attributes or 'font-weight="600"' in attributes:
            labels.append(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body) or [body])
    return labels


def test_a_long_label_is_wrapped_whole_onto_as_many_lines_as_it_needs():
    label = "Budt velkommen inden for 14 dage efter indflytningen, også når listen kom sent fra boligorganisationen"

    svg = _chart([label])

    assert "…" not in svg
    [lines] = _labels(svg)
    assert len(lines) > 1
    assert " ".join(lines) == label
    # ~0.6 em per character: every line fits the chart's width at 13 units.
    assert all(len(line) * 13 * 0.6 <= WIDTH for line in lines)


def test_a_long_word_is_never_broken_inside():
    svg = _chart(["Velkomstmappeafleveringer i alt", "Møder"])

    labels = _labels(svg)
    assert [" ".join(lines) for lines in labels] == ["Velkomstmappeafleveringer i alt", "Møder"]
    assert any("Velkomstmappeafleveringer" in line.split() for line in labels[0])


def test_short_labels_such_as_months_stand_beside_their_bars():
    svg = _chart(["jan. 2026", "feb. 2026"])

    assert [" ".join(lines) for lines in _labels(svg)] == ["jan. 2026", "feb. 2026"]
    assert 'text-anchor="end"' in svg
