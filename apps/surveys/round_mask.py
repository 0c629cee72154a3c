"""Which of a survey round's figures may be shown to people who may not see the areas' exact counts (a
programme lead, anyone reading the round's page, CSV or PDF): one decision per question, per funnel and
for the respondents, taken by `apps.core.small_numbers.suppress` over every sum the figures are linked by.

A question's answers form a cube: places (each area, and the round) × groups (contact, no contact; for the
round also unknown, which with the two makes everyone) × answers (and their total, the group's n). A page
shows slices of it: the round's lines per group, each area's n and "yes" share per group, the CSV every
line. Masking each slice on its own would let one be worked out from the others (the round minus the other
areas is the hidden area; everyone minus contact minus no contact is the few who did not know), so the
decision is taken once over all the cube's sums. The unknown group is never shown but is a figure like
the others: hidden when it is 1–4 people, and the cheapest to hide; then an area's figures (the detail),
then the round's everyone, and last the round's contact and no contact, which the round exists to compare.

Everyone is shown for the round, not per area: an area's everyone beside its two groups would give away
its few who did not know (often 1–4), and protecting them would hide the very contact/no-contact figures
the area rows are for.

The funnel's steps (newcomers, with a phone or e-mail, invited, reached, answered) add up over the areas
to the round's steps; one step is not a part of another, so a step minus the next (e.g. reached but did not
answer) is a count of addresses in a process, not of anyone's answers, and is not protected.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from apps.core.small_numbers import Cell, hidden_cell, is_small, small_cell, suppress
from apps.surveys.analysis import GROUPS, UNKNOWN

if TYPE_CHECKING:
    from apps.surveys.pooled import RoundFigures

EVERYONE = "all"
# The groups whose sum is everyone.
PARTS = (*GROUPS, UNKNOWN)
# What a figure costs to hide (the cheapest is hidden first): the unknown group is never shown; an area's
# figures are the detail; the round's everyone comes before its contact and no contact, the comparison the
# round is for.
AREA_N_COST, AREA_COST = 1, 2  # an area's n before its answers: a line then keeps the answers' shares apart
COST = {UNKNOWN: 0, EVERYONE: 3, **dict.fromkeys(GROUPS, 4)}
FUNNEL_STEPS = ("in_period", "with_contact", "invited", "reached", "answered", "other")


class _Figures:
    """Figures by key with the lines linking them, decided once: `cell(key)` is what may be shown."""

    def __init__(self):
        self.values: list[int] = []
        self.index: dict = {}
        self.costs: dict[int, int] = {}
        self.hidden: set[int] = set()

    def add(self, key, value: int, cost: int = 1) -> None:
        self.index[key] = len(self.values)
        self.values.append(value)
        self.costs[self.index[key]] = cost

    def decide(self, lines: list[tuple[list, object]]) -> None:
        numbered = [([self.index[p] for p in parts], self.index[total]) for parts, total in lines]
        self.hidden = suppress(self.values, numbered, cost=self.costs)

    def cell(self, key) -> Cell:
        n = self.index[key]
        value = self.values[n]
        if n not in self.hidden:
            return Cell(value, str(value))
        return small_cell() if is_small(value) else hidden_cell()


class QuestionMask:
    """One question's cube, decided: `cell(place, group, answer)` with `place` an area's slug or None (the
    round), `group` contact or no_contact (and for the round also all), `answer` a percent key or None (the
    group's n). `lines()` lists the (place, group) lines there are."""

    def __init__(self, figures: "RoundFigures", code: str):
        self.keys = list(figures.pooled[code].question.percent_keys())
        self.areas = list(figures.by_area)
        self._figures = _Figures()
        answers = [*self.keys, None]
        lines = []
        for place in [*self.areas, None]:
            counts = (figures.pooled if place is None else figures.by_area[place])[code].counts
            by_group = {group: [counts[group].get(key, 0) for key in self.keys] for group in GROUPS}
            if place is None:
                everyone = [counts[EVERYONE].get(key, 0) for key in self.keys]
                by_group[UNKNOWN] = [e - sum(by_group[g][n] for g in GROUPS) for n, e in enumerate(everyone)]
                by_group[EVERYONE] = everyone
                # The groups add up to everyone, answer by answer.
                lines += [([(None, group, key) for group in PARTS], (None, EVERYONE, key)) for key in answers]
            for group, values in by_group.items():
                cost = COST[group] if place is None else AREA_COST
                for key, value in zip(self.keys, values, strict=True):
                    self._figures.add((place, group, key), value, cost)
                self._figures.add((place, group, None), sum(values), COST[group] if place is None else AREA_N_COST)
                # A group's answers add up to its n.
                lines.append(([(place, group, key) for key in self.keys], (place, group, None)))
        # The areas add up to the round.
        lines += [([(area, g, key) for area in self.areas], (None, g, key)) for g in GROUPS for key in answers]
        self._lines = lines
        self._figures.decide(lines)

    def lines(self) -> list[tuple[str | None, str]]:
        """The lines that may be shown: per area contact and no contact, for the round everyone too."""
        return [(area, group) for area in self.areas for group in GROUPS] + [(None, g) for g in (EVERYONE, *GROUPS)]

    def cell(self, place: str | None, group: str, key: str | None = None) -> Cell:
        return self._figures.cell((place, group, key))


def funnel_masked(funnel: dict) -> dict:
    """`round_funnel`'s steps, and the answers that came another way (`other`), as they may be shown: per
    step the areas and their sum (the round) decided together, so an area's hidden step cannot be the
    round's minus the other areas'. Returns the funnel's
    shape, {"pooled": cells, "areas": {slug: cells}}, each cells a dict of `Cell` by step plus the
    response rate (shown only when those who answered and those with a phone or e-mail both are)."""
    figures = _Figures()
    areas = list(funnel["areas"])
    for step in FUNNEL_STEPS:
        for place in [*areas, None]:
            steps = funnel["pooled"] if place is None else funnel["areas"][place]
            # "other": answers that came another way (QR code, an interview firm), outside the steps.
            figures.add((place, step), sum(steps["other_channels"].values()) if step == "other" else steps[step])
    figures.decide([([(area, step) for area in areas], (None, step)) for step in FUNNEL_STEPS])

    def cells(place: str | None) -> dict:
        steps = funnel["pooled"] if place is None else funnel["areas"][place]
        shown = {step: figures.cell((place, step)) for step in FUNNEL_STEPS}
        rate_shown = not shown["answered"].hidden and not shown["with_contact"].hidden
        return {**shown, "response_rate": steps["response_rate"] if rate_shown else None}

    return {"pooled": cells(None), "areas": {area: cells(area) for area in areas}}


@dataclass(frozen=True)
class Respondents:
    """The round's respondents as they may be shown: everyone, with contact, without."""

    all: Cell
    contact: Cell
    no_contact: Cell


def respondents_masked(respondents: dict[str, int]) -> Respondents:
    """The round's respondents by group: those whose group is unknown are everyone minus the two groups, so
    the three shown figures are decided with them (hiding everyone first when they are 1–4)."""
    figures = _Figures()
    unknown = respondents[EVERYONE] - sum(respondents[g] for g in GROUPS)
    for group in GROUPS:
        figures.add(group, respondents[group], COST[group])
    figures.add(UNKNOWN, unknown, COST[UNKNOWN])
    figures.add(EVERYONE, respondents[EVERYONE], COST[EVERYONE])
    figures.decide([(list(PARTS), EVERYONE)])
    return Respondents(**{group: figures.cell(group) for group in (EVERYONE, *GROUPS)})
