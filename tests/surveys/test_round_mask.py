"""One small-number decision per round question, funnel and respondents (apps/surveys/round_mask.py): no
figure a round's page, CSV or PDF shows gives away a hidden one, across areas, groups and answers."""

import random
from types import SimpleNamespace

from apps.core.small_numbers import _determined, is_small
from apps.surveys.round_mask import QuestionMask, funnel_masked, respondents_masked

KEYS = ("yes", "no", "dont_know")


class _Question:
    def percent_keys(self):
        return KEYS


def _figures(areas: dict[str, dict[str, dict[str, int]]]) -> SimpleNamespace:
    """RoundFigures' shape for one question "q": per area the counts of contact, no contact and unknown."""

    def figures(groups):
        counts = {g: dict(groups.get(g, {})) for g in ("contact", "no_contact")}
        counts["all"] = {
            k: sum(groups.get(g, {}).get(k, 0) for g in ("contact", "no_contact", "unknown")) for k in KEYS
        }
        return SimpleNamespace(question=_Question(), counts=counts)

    pooled = {
        g: {k: sum(a.get(g, {}).get(k, 0) for a in areas.values()) for k in KEYS}
        for g in ("contact", "no_contact", "unknown")
    }
    return SimpleNamespace(
        pooled={"q": figures(pooled)}, by_area={slug: {"q": figures(groups)} for slug, groups in areas.items()}
    )


def test_the_few_who_did_not_know_cannot_be_worked_out_from_everyone_minus_the_groups():
    # 2 respondents who did not know whether they had contact, both "no": everyone's 12 "no" minus 6 with
    # contact and 4 without would give their answer away.
    mask = QuestionMask(
        _figures(
            {"north": {"contact": {"yes": 30, "no": 6}, "no_contact": {"yes": 20, "no": 4}, "unknown": {"no": 2}}}
        ),
        "q",
    )
    everyone_no, contact_no = mask.cell(None, "all", "no"), mask.cell(None, "contact", "no")
    assert everyone_no.hidden or contact_no.hidden
    # The comparison the round is for stays: the round's contact group in full.
    assert not mask.cell(None, "contact", "yes").hidden and not mask.cell(None, "contact").hidden


def test_an_areas_small_group_cannot_be_worked_out_from_the_round_minus_the_other_areas():
    mask = QuestionMask(
        _figures(
            {
                "north": {"contact": {"yes": 16, "no": 8}, "no_contact": {"yes": 9, "no": 9}},
                "south": {"contact": {"yes": 3}, "no_contact": {"yes": 10, "no": 10}},
            }
        ),
        "q",
    )
    assert mask.cell("south", "contact").text == "< 5"
    shown_round, shown_north = mask.cell(None, "contact", "yes"), mask.cell("north", "contact", "yes")
    assert shown_round.hidden or shown_north.hidden  # 19 − 16 = 3


def test_areas_everyone_is_not_a_line_of_the_masked_figures():
    mask = QuestionMask(_figures({"north": {"contact": {"yes": 9}}, "south": {"contact": {"yes": 9}}}), "q")
    assert ("north", "all") not in mask.lines() and (None, "all") in mask.lines()


def test_no_shown_figures_of_random_rounds_give_a_hidden_one_away():
    rng = random.Random(18)
    sizes = [0, 0, 1, 2, 3, 4, 5, 7, 12, 25]
    for _attempt in range(60):
        areas = {
            f"area-{n}": {g: {k: rng.choice(sizes) for k in KEYS} for g in ("contact", "no_contact", "unknown")}
            for n in range(rng.randint(1, 5))
        }
        mask = QuestionMask(_figures(areas), "q")
        figures = mask._figures
        small = {n for n, value in enumerate(figures.values) if is_small(value)}
        assert small <= figures.hidden
        numbered = [([figures.index[p] for p in parts], figures.index[total]) for parts, total in mask._lines]
        assert not _determined(figures.hidden, numbered), areas


def test_an_areas_hidden_funnel_step_is_not_the_round_minus_the_others():
    steps = {
        "in_period": 40,
        "with_contact": 30,
        "invited": 30,
        "reached": 20,
        "response_rate": 10,
        "other_channels": {},
    }
    funnel = {
        "areas": {"north": {**steps, "answered": 12}, "south": {**steps, "answered": 3}},
        "pooled": {
            **{k: 2 * v for k, v in steps.items() if k != "other_channels"},
            "answered": 15,
            "response_rate": 25,
            "other_channels": {},
        },
    }
    cells = funnel_masked(funnel)
    assert cells["areas"]["south"]["answered"].text == "< 5"
    assert cells["areas"]["north"]["answered"].hidden or cells["pooled"]["answered"].hidden
    assert cells["areas"]["south"]["response_rate"] is None
    assert cells["areas"]["north"]["in_period"].value == 40 and cells["pooled"]["in_period"].value == 80


def test_everyone_who_answered_is_hidden_when_a_few_did_not_say_whether_they_had_contact():
    shown = respondents_masked({"all": 78, "contact": 55, "no_contact": 23})
    assert (shown.all.value, shown.contact.value, shown.no_contact.value) == (78, 55, 23)
    few_unknown = respondents_masked({"all": 80, "contact": 55, "no_contact": 23})
    assert few_unknown.all.hidden and few_unknown.contact.value == 55 and few_unknown.no_contact.value == 23
