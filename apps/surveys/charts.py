"""Geometry for the server-rendered SVG charts (no JavaScript): the funnel's bars and the analysis' stacked
horizontal bars per group, like the evaluation's figures. Templates draw the shapes; colours come from CSS
classes in app.css (`chart-<key>`), so nothing here is inline style."""

from dataclasses import dataclass

# The SVG's viewBox is 200 units wide (in the templates) and scales to the page. Each row is its label on a line of its own,
# the whole width long, then the bar below it: a label beside the bar had about 70 units and ran into the
# bar (or was cut) as soon as it was longer than a few words, as Danish labels often are.
BAR_AREA = 180.0  # the longest bar; the funnel's count follows it
FUNNEL_ROW = 17  # label line (baseline at +5), bar at +7, 7 high
STACKED_ROW = 19  # label line (baseline at +5), bar at +7, 9 high


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    width: float  # in viewBox units, the widest bar BAR_AREA long
    y: int


def funnel_bars(steps: list[tuple[str, str, int]], *, row_height: int = FUNNEL_ROW) -> list[Bar]:
    """One bar per funnel step (key, label, count), widths relative to the first step."""
    top = max((count for _key, _label, count in steps), default=0) or 1
    return [
        Bar(key=key, label=label, value=count, width=round(BAR_AREA * count / top, 2), y=i * row_height)
        for i, (key, label, count) in enumerate(steps)
    ]


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    percent: int
    x: float
    width: float

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class StackedRow:
    group: str
    label: str
    n: int
    segments: list[Segment]
    y: int


def stacked_rows(
    groups: list[tuple[str, str, int, dict[str, int]]], labels: dict[str, str], *, row_height: int = STACKED_ROW
) -> list[StackedRow]:
    """Rows (group, label, n, percent per key) as segments laid end to end. Whole percentages may add up to
    99 or 101; the segments are scaled to fill the bar exactly, the printed figures stay as computed."""
    rows = []
    for i, (group, label, n, percent) in enumerate(groups):
        total = sum(percent.values())
        x = 0.0
        segments = []
        for key, value in percent.items():
            width = round(BAR_AREA * value / total, 2) if total else 0.0
            segments.append(Segment(key=key, label=labels.get(key, key), percent=value, x=round(x, 2), width=width))
            x += width
        rows.append(StackedRow(group=group, label=label, n=n, segments=segments, y=i * row_height))
    return rows
