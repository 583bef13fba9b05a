"""Safe levels of need (issues 13 and 14): serious concerns are never averaged away, hardship is not neglect.

The cases under tests/fixtures/levels/ were built to break neglect-core: the three in the
issue, and the practice educator's review cases under review/ (a baby, a teenager with
chronic neglect, a family in poverty with good care, and the rest). Their outcomes are
pinned here, run through the public CLI as a trainer would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from neglect_cli.cli import app
from neglect_cli.scoring import ChildSeen, score
from neglect_cli.toolfiles import find_tool

LEVELS = Path(__file__).resolve().parent / "fixtures" / "levels"
REVIEW = LEVELS / "review"
CASES_DIR = Path(__file__).resolve().parents[1] / "definitions" / "cases"
RANK = {"level-1": 1, "level-2": 2, "level-3": 3, "level-4": 4}


def assessed(path: Path, tmp_path: Path, *extra: str) -> dict[str, Any]:
    out = tmp_path / "record.json"
    result = CliRunner().invoke(app, ["assess", "--answers", str(path), "-o", str(out), "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    record: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return record


def level(record: dict[str, Any]) -> int:
    return RANK[record["result"]["overall"]["band"]]


def severities(record: dict[str, Any]) -> set[str]:
    return {e["severity"] for e in record["result"]["escalations"]}


def prompts(record: dict[str, Any]) -> set[str]:
    return {e["id"] for e in record["result"]["escalations"]}


# --- the three cases of the issue ----------------------------------------------------------


def test_a_baby_with_two_serious_ratings_is_child_in_need_with_a_same_day_prompt(tmp_path: Path) -> None:
    record = assessed(LEVELS / "baby-two-fours.yaml", tmp_path)
    assert level(record) >= 3
    assert severities(record) & {"urgent", "immediate"}
    assert "baby-serious-concern" in prompts(record)


def test_a_teenager_with_five_years_of_chronic_neglect_is_never_universal(tmp_path: Path) -> None:
    record = assessed(LEVELS / "teen-chronic.yaml", tmp_path)
    assert level(record) >= 3
    assert {"chronic-neglect", "cumulative-persistent-harm"} & prompts(record)


@pytest.mark.parametrize("name", ["poverty-good-care.yaml", "poverty-good-care-cold.yaml"])
def test_poverty_with_good_care_is_never_child_protection_nor_a_999_prompt(name: str, tmp_path: Path) -> None:
    record = assessed(LEVELS / name, tmp_path)
    assert level(record) < 4
    assert "immediate" not in severities(record)
    assert "engagement-concern" not in prompts(record)
    assert "practical-help" in prompts(record)
    assert "999" not in " ".join(e["prompt"] for e in record["result"]["escalations"])


# --- the practice educator's review cases ---------------------------------------------------

# file stem -> (final level, the urgent and immediate prompts that must fire, prompts that must not)
REVIEWED: dict[str, tuple[int, set[str], set[str]]] = {
    "A1-baby-3s-everywhere": (3, {"baby-concerns", "baby-adult-risk"}, set()),
    "A2-baby-one-3-safe-sleep-toxic": (3, {"baby-adult-risk"}, set()),
    "A3-baby-one-3-cues-pnd": (2, set(), set()),
    "A4-baby-rough-handling": (4, {"red-flag-immediate", "baby-serious-concern"}, set()),
    "A5-toddler-alone-hardship": (4, {"red-flag-immediate"}, set()),
    "A6-baby-sofa-hardship": (3, {"hardship-danger-now", "unsafe-sleep"}, {"red-flag-immediate"}),
    "A7-baby-4-lowcov": (4, {"baby-serious-concern"}, set()),
    "A8-baby-faltering-hardship": (3, {"hardship-danger-now"}, {"red-flag-immediate"}),
    "A9-baby-unwell-hardship": (4, {"red-flag-immediate"}, set()),
    "B1-poverty-baby-goodcare": (3, {"baby-hardship"}, {"baby-concerns", "engagement-concern", "red-flag-immediate"}),
    "B2-poverty-school-destitute": (2, {"hardship-serious-risk"}, {"red-flag-immediate"}),
    "B3-poverty-history": (2, set(), {"start-again"}),
    "B4-poverty-not-marked": (3, {"engagement-concern"}, set()),
    "B5-destitute-level4": (2, {"hardship-serious-risk"}, {"red-flag-immediate", "red-flag-long-standing"}),
    "C1-teen-chronic-4s": (4, {"chronic-neglect", "missing-repeated", "missing-whereabouts-unknown"}, set()),
    "C2-teen-chronic-3s-missing": (4, {"chronic-neglect", "missing-repeated"}, set()),
    "C3-teen-missing-whereabouts-nk": (3, {"missing-repeated"}, set()),
    "C4-child10-missing": (3, {"missing-repeated"}, set()),
    "C5-teen-selfharm-5": (4, {"red-flag-long-standing"}, set()),
    "C6-teen-excluded-home": (4, {"red-flag-immediate"}, set()),
    "D1-affluent": (4, {"cumulative-persistent-harm"}, set()),
    "D2-affluent-one-domain-4-long": (4, {"several-serious"}, set()),
    "E1-disguised-2s": (1, set(), {"engagement-concern"}),
    "E2-disguised-3": (3, {"engagement-concern"}, set()),
    "E3-not-brought-2-dental3": (2, set(), {"engagement-concern"}),
    "E4-declines-EH-one-3": (2, set(), {"engagement-concern"}),
    "F1-LD-good-enough": (2, set(), {"parental-factors", "engagement-concern"}),
    "F2-LD-misread-disguised": (2, set(), {"engagement-concern"}),
    "G1-history-3s-long": (4, {"chronic-neglect", "start-again"}, set()),
    "H1-EH-3s-3domains": (2, set(), set()),
    "I1-mono-before": (4, {"several-serious"}, set()),
    "I2-mono-after": (4, {"several-serious"}, set()),
    "I3-info-before": (4, {"several-serious"}, set()),
    "I4-info-after": (4, {"several-serious"}, set()),
    "J1-DA-child-hurt": (4, {"red-flag-immediate"}, set()),
    "K1-toddler-24m-two-3s": (2, set(), set()),
    "K2-toddler-23m-two-3s": (3, {"baby-concerns"}, set()),
    "K3-baby13m-sleep-5": (4, {"red-flag-long-standing", "baby-serious-concern"}, set()),
    "L1-persistent-one-3-noEH": (2, set(), {"persistent-concern"}),
    "M2-young-carer": (3, set(), set()),
    "M3-5yo-alone-2h": (3, set(), set()),  # a 5-year-old alone for two hours is a 4 on supervision
}


def assert_agreed(record: dict[str, Any], agreed: tuple[int, set[str], set[str]]) -> None:
    """The record has the level a reviewer agreed, every prompt they required and none they ruled out."""
    want_level, must, must_not = agreed
    fired = prompts(record)
    assert level(record) == want_level, sorted(fired)
    assert must <= fired, sorted(must - fired)
    assert not (must_not & fired), sorted(must_not & fired)


@pytest.mark.parametrize("stem", sorted(REVIEWED))
def test_reviewed_case_gets_the_level_and_prompts_a_practice_educator_agreed(stem: str, tmp_path: Path) -> None:
    record = assessed(REVIEW / f"{stem}.yaml", tmp_path)
    assert_agreed(record, REVIEWED[stem])


# The second review (after the fixes above): what it found too low, too high or too broad, pinned.
REVIEWED_AGAIN: dict[str, tuple[int, set[str], set[str]]] = {
    "teen-selfharm3-5yrs-persistent": (3, set(), set()),  # self-harm brushed off for five years
    "pov-16yo-hostel-shelter5": (3, {"hardship-danger-now"}, {"red-flag-immediate"}),
    "pov-baby-nocot-sofa5": (3, {"hardship-danger-now", "baby-hardship", "unsafe-sleep"}, {"red-flag-immediate"}),
    "b-feed4-hardship": (3, {"baby-hardship"}, {"baby-serious-concern"}),
    "EH-3dom-12m-frequent-engaged": (3, {"chronic-neglect"}, {"chronic-neglect-unchanged"}),
    "EH-3dom-prev-referral-6m": (4, {"chronic-neglect-unchanged", "start-again"}, set()),
    "autistic-EBSA-pres3-att3-dental3-12m": (3, {"chronic-neglect"}, {"chronic-neglect-unchanged"}),
    "toddler20m-wandered-once": (1, set(), {"missing-repeated", "missing-young"}),
    "teen15-1missing-goodcare": (1, set(), {"missing-repeated"}),
    "child10-1missing-2h-goodcare": (1, {"missing-young"}, {"missing-repeated"}),
    "baby18m-imms3-recovery": (2, set(), {"baby-adult-risk"}),
    "phys-three-4s-1month": (4, {"several-serious"}, set()),
    "teen-edu-three-4s": (3, set(), {"several-serious"}),
}


@pytest.mark.parametrize("stem", sorted(REVIEWED_AGAIN))
def test_second_review_case_gets_the_agreed_level_and_prompts(stem: str, tmp_path: Path) -> None:
    record = assessed(LEVELS / "review2" / f"{stem}.yaml", tmp_path)
    assert_agreed(record, REVIEWED_AGAIN[stem])


# The third review (issue 14: ratings describe the child, and the history is asked), pinned.
REVIEWED_THIRD: dict[str, tuple[int, set[str], set[str]]] = {
    # a first sight: no advice given before, concerns new, no history; safe sleep 5 on what was seen
    "baby-first-sight-sofa-intoxicated": (
        4,
        {"red-flag-immediate", "baby-serious-concern", "unsafe-sleep", "baby-adult-risk"},
        set(),
    ),
    "baby-sibling-adopted": (3, {"baby-concerns", "start-again", "care-experienced-carer"}, set()),
    "teen-chronic-history-engaged": (4, {"chronic-neglect-unchanged", "chronic-neglect", "start-again"}, set()),
    # five years of unmet need in every domain: "engaged" today does not outweigh what the child has lived
    # with (raised to child protection after the fourth review; it was 3)
    "teen-chronic-no-history-engaged": (4, {"chronic-neglect", "chronic-neglect-unchanged"}, {"start-again"}),
    # care experience and earlier early help never raise the level; hardship-marked needs are practical help
    "poverty-good-care-history": (
        2,
        {"practical-help", "care-experienced-carer"},
        {"start-again", "earlier-early-help", "chronic-neglect", "engagement-concern", "red-flag-immediate"},
    ),
}


@pytest.mark.parametrize("stem", sorted(REVIEWED_THIRD))
def test_third_review_case_gets_the_agreed_level_and_prompts(stem: str, tmp_path: Path) -> None:
    record = assessed(LEVELS / "review3" / f"{stem}.yaml", tmp_path)
    assert_agreed(record, REVIEWED_THIRD[stem])


# The fourth review (session 4, on neglect-core 3.0.0), in review4/: four cases came out one level too
# low (a3 baby with a drinking adult and hardship; b2 and b6 teenagers; f1 recurrence after a plan) and
# were fixed by rules; the rest came out right and are pinned as they are.
REVIEWED_FOURTH: dict[str, tuple[int, set[str], set[str]]] = {
    "a1": (4, {"red-flag-immediate", "baby-adult-risk"}, set()),
    "a3": (4, {"red-flag-immediate", "baby-adult-risk"}, set()),
    "b1": (4, {"chronic-neglect-unchanged"}, set()),
    "b2": (4, {"chronic-neglect-unchanged"}, set()),
    "b5": (4, {"out-of-education-and-exposed", "chronic-neglect-unchanged"}, set()),
    "b6": (4, {"out-of-education-and-exposed"}, set()),
    "c1": (2, set(), {"red-flag-immediate", "start-again", "engagement-concern", "recurrence-after-protection"}),
    "c3": (2, set(), {"red-flag-immediate", "baby-adult-risk"}),
    "d2": (4, {"chronic-neglect-unchanged"}, set()),
    "d3": (4, {"red-flag-immediate"}, set()),
    "f1": (4, {"recurrence-after-protection"}, set()),
    "f2": (3, set(), {"recurrence-after-protection"}),
    "f3": (4, {"recurrence-after-protection", "chronic-neglect-unchanged"}, set()),
    # a child nobody has seen, judged "no concerns": the level stays, an urgent prompt says see the child
    "e11": (1, {"child-not-seen"}, set()),
}


@pytest.mark.parametrize("stem", sorted(REVIEWED_FOURTH))
def test_fourth_review_case_gets_the_agreed_level_and_prompts(stem: str, tmp_path: Path) -> None:
    record = assessed(LEVELS / "review4" / f"{stem}.yaml", tmp_path, "--partial")  # a first sight knows little
    assert_agreed(record, REVIEWED_FOURTH[stem])


# The fifth review (session 5, on neglect-core 3.1.0), in review5/: a2, b1, b3, d1 and g1 came out one level
# too low, and c1 got a neglect prompt for poverty; fixed by the reviewer's rule changes (tested on a copy,
# docs/reviews/2026-11-27-review-5-rules.patch). The rest came out right and are pinned as they are.
REVIEWED_FIFTH: dict[str, tuple[int, set[str], set[str]]] = {
    "a1-baby-duration-and-history-unknown": (3, {"baby-concerns", "duration-not-known", "history-not-checked"}, set()),
    "a2-newborn-two-fours-since-birth": (4, {"cumulative-persistent-harm", "baby-serious-concern"}, set()),
    "b1-teen-chronic-duration-unknown-with-a-4": (4, {"chronic-neglect-unchanged", "duration-not-known"}, set()),
    "b2-teen-frequent-duration-unknown-history-half-asked": (2, {"history-not-checked", "duration-not-known"}, set()),
    "b3-teen-earlier-referral-persistent-duration-unknown": (4, {"chronic-neglect-unchanged"}, set()),
    # poverty with good care: a history check, never a neglect prompt
    "c1-poverty-good-care-duration-history-blank": (
        2,
        {"practical-help", "history-not-checked"},
        {"duration-not-known", "red-flag-immediate", "serious-concern"},
    ),
    "c2-well-cared-for-history-not-asked-no-child-section": (1, {"child-seen-not-recorded"}, {"history-not-checked"}),
    "d1-dependent-child-3s-in-one-domain": (3, {"dependent-child-concern"}, set()),
    "d3-dependent-child-hardship-only": (2, {"practical-help"}, {"dependent-child-concern"}),
    "e1-household-unseen-adults": (2, {"see-child-alone"}, set()),
    "e2-no-household-section-level-3": (3, {"serious-concern"}, set()),
    # neglect-core 3.2.0: last seen 8 months before the assessment is not seen for it (review 5, fix 11)
    "e3-child-last-seen-eight-months-ago": (3, {"serious-concern", "child-not-seen", "see-child-alone"}, set()),
    "f1-toddler-change-not-in-time": (3, {"not-in-the-childs-time"}, set()),
    "f2-teen-change-not-in-time-hardship-only": (2, {"practical-help"}, {"not-in-the-childs-time"}),
    "g1-recurrence-engagement-blank-household-says-no-change": (4, {"recurrence-after-protection"}, set()),
}


@pytest.mark.parametrize("stem", sorted(REVIEWED_FIFTH))
def test_fifth_review_case_gets_the_agreed_level_and_prompts(stem: str, tmp_path: Path) -> None:
    record = assessed(LEVELS / "review5" / f"{stem}.yaml", tmp_path, "--partial")
    assert_agreed(record, REVIEWED_FIFTH[stem])


# neglect-core 3.2.0: a young person whose whereabouts are often unknown (4) and who has been missing twice or
# more in 12 months, or whose whereabouts are almost never known (5) and who has been missing, is child
# protection (`missing-whereabouts-unknown`): a strategy discussion belongs with Level 4, not beside a Level 3.
# Missing once with whereabouts at 4 stays child in need (`extra-familial-harm`). In missing/, and case 06.
# Review 6, 4.1: extra-familial-harm is the missing-once prompt only; beside the Level 4 rule it is not said.
MISSING: dict[str, tuple[int, set[str], set[str]]] = {
    "w4-missing-once": (3, {"extra-familial-harm"}, {"missing-whereabouts-unknown"}),
    "w4-missing-twice": (4, {"missing-whereabouts-unknown"}, {"extra-familial-harm"}),
    "w5-missing-once": (4, {"missing-whereabouts-unknown", "red-flag-immediate"}, {"extra-familial-harm"}),
    # review 6, ruling 1.2: missing three times or more with whereabouts sometimes unknown is child protection too
    "w3-missing-three-times": (4, {"missing-whereabouts-unknown", "missing-repeated"}, {"extra-familial-harm"}),
}


@pytest.mark.parametrize("stem", sorted(MISSING))
def test_missing_with_whereabouts_unknown_gets_the_agreed_level_and_prompts(stem: str, tmp_path: Path) -> None:
    record = assessed(LEVELS / "missing" / f"{stem}.yaml", tmp_path)
    assert_agreed(record, MISSING[stem])


# Review 6 (practice educator) of neglect-core 3.2.0: cases built to break it, in review6/, with the level and prompts
# the reviewer judged right (docs/reviews/2026-11-27-review-6-findings.md). c1 and c2 (a child with SEND whose home
# gives everything) are pinned as rated by the 3.2.0 anchors (review 6, 2.1-2.3).
REVIEWED_SIXTH: dict[str, tuple[int, set[str], set[str]]] = {
    # a baby nobody has seen for almost seven months, with a serious unmet need: no later date to agree
    "a1-baby-7m-seen-only-at-new-birth-visit": (4, {"baby-not-seen", "child-not-seen"}, set()),
    # a baby cannot have six months of concern: most weeks since birth, after a brother's removal, is enough
    "a2-baby-10w-sibling-in-care-unmet-since-birth": (4, {"recurrence-after-protection"}, set()),
    "b1-teen15-whereabouts4-missing-twice-attendance-falling": (4, {"missing-whereabouts-unknown"}, set()),
    "b2-teen14-whereabouts3-missing-five-times": (4, {"missing-whereabouts-unknown", "missing-repeated"}, set()),
    "b3-teen17-whereabouts5-missing-once": (4, {"missing-whereabouts-unknown", "red-flag-immediate"}, set()),
    # a blank missing count must not be safer than the truth: find out today
    "b4-teen15-whereabouts4-missing-episodes-not-recorded": (3, {"missing-not-known"}, set()),
    # under 12 the whereabouts item does not apply: supervision 4 and missing twice is the same pattern, younger
    "b5-child11-supervision4-missing-twice": (4, {"missing-whereabouts-unknown", "missing-young"}, set()),
    # the floor reads the rating whatever its hardship mark
    "b6-teen12-whereabouts4-hardship-missing-three": (4, {"missing-whereabouts-unknown", "material-hardship"}, set()),
    # a child with SEND whose home gives everything, rated by 3.2.0's anchors (review 6, 2.1-2.2): a service's
    # delay is not neglect, so no neglect prompt
    "c1-send-ehcp-delayed-home-gives-everything": (
        1,
        set(),
        {"serious-concern", "persistent-concern", "additional-need", "dependent-child-concern"},
    ),
    "c2-disabled-child-carers-do-everything-service-gaps": (
        2,
        {"practical-help"},
        {"serious-concern", "persistent-concern", "dependent-child-concern", "child-not-seen"},
    ),
    # poverty with good care: help, never a neglect prompt
    "c3-poverty-temporary-accommodation-good-care": (
        2,
        {"practical-help"},
        {"serious-concern", "child-not-seen", "persistent-concern"},
    ),
    # the 63-day boundary is exact: 63 days counts as seen, 64 does not
    "d1-seen-62-days-before": (3, {"serious-concern"}, {"child-not-seen"}),
    "d2-seen-63-days-before": (3, {"serious-concern"}, {"child-not-seen"}),
    "d3-seen-64-days-before": (3, {"child-not-seen", "see-child-alone"}, set()),
    "e1-nonverbal-disabled-child-seen-never-alone": (3, {"see-child-alone", "dependent-child-concern"}, set()),
    "f1-household-five-adults-to-check": (3, {"see-child-alone"}, set()),
}


@pytest.mark.parametrize("stem", sorted(REVIEWED_SIXTH))
def test_sixth_review_case_gets_the_agreed_level_and_prompts(stem: str, tmp_path: Path) -> None:
    record = assessed(LEVELS / "review6" / f"{stem}.yaml", tmp_path, "--partial")
    assert_agreed(record, REVIEWED_SIXTH[stem])


def test_a_grandmother_who_minds_the_child_and_was_not_reached_is_named_under_to_check(tmp_path: Path) -> None:
    """Review 6, 3.1: an adult with a regular part in the child's care is named when not reached, whoever they are
    and wherever they live (before, only a man or someone living with the child was)."""
    assessed(LEVELS / "review6" / "f1-household-five-adults-to-check.yaml", tmp_path, "--partial")
    shown = CliRunner().invoke(app, ["report", str(tmp_path / "record.json"), "--format", "md"])
    assert shown.exit_code == 0, shown.output
    lines = [line for line in shown.output.splitlines() if "To check:" in line]
    assert any("Grandmother" in line and "not seen or spoken to" in line for line in lines), lines


def test_trainer_case_06_missing_twice_with_whereabouts_unknown_is_child_protection(tmp_path: Path) -> None:
    record = assessed(CASES_DIR / "06-adolescent-whereabouts.yaml", tmp_path)
    assert level(record) == 4
    assert {"missing-whereabouts-unknown", "missing-repeated"} <= prompts(record)
    assert "extra-familial-harm" not in prompts(record)  # review 6, 4.1: the missing-once prompt only
    rule = next(e for e in record["result"]["escalations"] if e["id"] == "missing-whereabouts-unknown")
    assert rule["severity"] == "urgent" and "strategy discussion" in rule["prompt"]


def test_at_child_in_need_the_missing_prompt_asks_whether_significant_harm_is_suspected(tmp_path: Path) -> None:
    """At Level 3 the missing-from-home prompts ask whether there is cause to suspect significant harm; only the
    Level 4 rule says to talk about a strategy discussion as the next step."""
    record = assessed(LEVELS / "missing" / "w4-missing-once.yaml", tmp_path)
    said = next(e["prompt"] for e in record["result"]["escalations"] if e["id"] == "extra-familial-harm")
    assert "reasonable cause to suspect significant harm, the level is child protection" in " ".join(said.split())


def _e3_seen(tmp_path: Path, seen_on: str, tool: str = "neglect-core") -> Path:
    """Review 5's e3 (assessed 2026-11-24, seen alone once) with the child last seen on `seen_on`."""
    text = (LEVELS / "review5" / "e3-child-last-seen-eight-months-ago.yaml").read_text(encoding="utf-8")
    # seen alone on the later visit: a new answers file says which visits were alone (review 7, finding 2)
    text = text.replace(
        "seen_on: ['2026-03-20']", f"seen_on: ['2026-01-05', '{seen_on}']\n  seen_alone_on: ['{seen_on}']"
    )
    text = text.replace("tool: neglect-core\n", f"tool: {tool}\n")
    path = tmp_path / "e3.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("seen_on", "not_seen"),
    [("2026-09-22", False), ("2026-09-21", True), ("2026-11-24", False), ("2026-03-20", True)],
    ids=["63-days-before", "64-days-before", "on-the-day", "8-months-before"],
)
def test_a_child_last_seen_more_than_9_weeks_before_the_assessment_is_not_seen_for_it(
    seen_on: str, not_seen: bool, tmp_path: Path
) -> None:
    """neglect-core 3.2.0 (review 5, fix 11): the last date the child was seen counts, by the same 63 days
    as the "To check:" line; seen (alone) earlier does not make up for it."""
    record = assessed(_e3_seen(tmp_path, seen_on), tmp_path, "--partial")
    assert level(record) == 3
    assert ("child-not-seen" in prompts(record)) is not_seen
    assert ("see-child-alone" in prompts(record)) is not_seen
    if not_seen:
        because = next(e["because"] for e in record["result"]["escalations"] if e["id"] == "child-not-seen")
        assert "the child was not seen (or was last seen more than 63 days before the assessment)" in because


def test_the_rules_and_the_to_check_line_use_the_same_9_weeks() -> None:
    from neglect_cli.definition import ChildSeenCondition
    from neglect_cli.world import SEEN_WITHIN_DAYS

    tool = find_tool("neglect-core").tool
    for rule_id in ("child-not-seen", "see-child-alone"):
        rule = next(e for e in tool.escalations if e.id == rule_id)
        parts = getattr(rule.when, "all_", [rule.when])
        days = {p.child_seen.within_days for p in parts if isinstance(p, ChildSeenCondition)}
        assert days == {SEEN_WITHIN_DAYS}, rule_id


def test_a_3_1_0_record_of_a_child_seen_long_ago_verifies_and_keeps_its_outcome(tmp_path: Path) -> None:
    """Records made with the retired 3.1.0 re-score as they were made: it had no `within_days`."""
    record = assessed(_e3_seen(tmp_path, "2026-03-20", tool="neglect-core@3.1.0"), tmp_path, "--partial")
    assert record["tool"]["version"] == "3.1.0"
    assert level(record) == 3
    assert {"serious-concern", "additional-need"} == prompts(record)
    verified = CliRunner().invoke(app, ["verify", str(tmp_path / "record.json")])
    assert verified.exit_code == 0, verified.output


# Review 6, 3.5: when the child was last seen on their own. A 14-year-old who told school he is not wanted at home
# (warmth 4), assessed 2026-11-24, in alone/; `seen_alone_on` says which of the dates seen were on his own. Outcomes as
# the finding asks: seen alone only more than 9 weeks before is not seen alone for this assessment.
SEEN_ALONE: dict[str, tuple[int, set[str], set[str]]] = {
    # the finding's case: alone on 2026-09-21 (64 days before), with his mother and her partner on 2026-11-20
    "g1-teen-seen-alone-in-september-with-parents-in-november": (3, {"see-child-alone"}, {"child-not-seen"}),
    "g3-teen-seen-alone-two-weeks-ago": (3, {"serious-concern"}, {"see-child-alone", "child-not-seen"}),
    "g4-teen-seen-alone-63-days-before": (3, {"serious-concern"}, {"see-child-alone", "child-not-seen"}),
    "g5-teen-seen-alone-twice-last-recently": (3, {"serious-concern"}, {"see-child-alone", "child-not-seen"}),
}
ALONE = LEVELS / "alone"
#: g2 as neglect-core 3.2.0 recorded it before `seen_alone_on` existed (made by the commit before it, sealed)
RECORD_BEFORE = LEVELS.parent / "records" / "PE6-G2_2026-11-24.before-seen-alone-on.json"


@pytest.mark.parametrize("stem", sorted(SEEN_ALONE))
def test_a_child_seen_alone_only_long_ago_gets_the_agreed_level_and_prompts(stem: str, tmp_path: Path) -> None:
    record = assessed(ALONE / f"{stem}.yaml", tmp_path)
    assert_agreed(record, SEEN_ALONE[stem])
    verified = CliRunner().invoke(app, ["verify", str(tmp_path / "record.json")])
    assert verified.exit_code == 0, verified.output


def _g1_alone_on(tmp_path: Path, alone_on: str) -> Path:
    """The finding's case (assessed 2026-11-24, seen with the parents on 2026-11-20) seen alone on `alone_on`."""
    text = (ALONE / "g1-teen-seen-alone-in-september-with-parents-in-november.yaml").read_text(encoding="utf-8")
    text = text.replace("seen_on: ['2026-09-21', '2026-11-20']", f"seen_on: ['{alone_on}', '2026-11-20']")
    text = text.replace("seen_alone_on: ['2026-09-21']", f"seen_alone_on: ['{alone_on}']")
    path = tmp_path / "g1.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("alone_on", "prompted"),
    [("2026-09-23", False), ("2026-09-22", False), ("2026-09-21", True), ("2026-03-20", True)],
    ids=["62-days-before", "63-days-before", "64-days-before", "8-months-before"],
)
def test_seen_alone_counts_within_the_same_9_weeks_as_seen(alone_on: str, prompted: bool, tmp_path: Path) -> None:
    """The dates seen alone are read by the rule's own `within_days` (world.SEEN_WITHIN_DAYS): 63 counts, 64 does not;
    the child seen (with the parents) 4 days before stays seen."""
    record = assessed(_g1_alone_on(tmp_path, alone_on), tmp_path)
    assert ("see-child-alone" in prompts(record)) is prompted
    assert "child-not-seen" not in prompts(record)
    if prompted:
        because = next(e["because"] for e in record["result"]["escalations"] if e["id"] == "see-child-alone")
        assert "the child was last seen on their own more than 63 days before the assessment" in because


def test_a_record_made_before_the_dates_seen_alone_verifies_and_keeps_its_outcome(tmp_path: Path) -> None:
    """Old records keep their meaning: g2, sealed by neglect-cli before `seen_alone_on` (seen alone, two dates, not
    saying which), verifies and keeps the result it holds; its report asks for the date (see ALONE_ROWS)."""
    verified = CliRunner().invoke(app, ["verify", str(RECORD_BEFORE)])
    assert verified.exit_code == 0, verified.output
    before = json.loads(RECORD_BEFORE.read_text(encoding="utf-8"))
    assert "seen_alone_on" not in before["child"]
    assert level(before) == 3 and "see-child-alone" not in prompts(before)


@pytest.mark.parametrize(
    "path",
    [
        ALONE / "g2-teen-seen-alone-date-not-recorded.yaml",
        LEVELS / "review7" / "h3b-teen15-chronic-seen-alone-in-july-dates-alone-not-given.yaml",
    ],
    ids=["g2-earliest-64-days-before", "h3b-earliest-133-days-before"],
)
def test_a_new_answers_file_must_say_which_visits_were_alone_when_it_matters(path: Path, tmp_path: Path) -> None:
    """Review 7, finding 2: seen alone, on several dates, the earliest more than 9 weeks before, not saying which
    were alone: whether the child was seen alone for this assessment is not known, so a new answers file is refused
    (exit 2, the line, what to write) rather than read as seen alone; nothing is written."""
    out = tmp_path / "record.json"
    for args in (["assess", "--answers", str(path), "-o", str(out), "--partial"], ["score", str(path)]):
        ran = CliRunner().invoke(app, args)
        assert ran.exit_code == 2, ran.output
        said = " ".join(ran.output.split())
        assert f"{path.name}:20:3: child.seen_alone: the child was seen on several dates and the earliest" in said or (
            f"{path.name}:21:3: child.seen_alone: the child was seen on several dates and the earliest" in said
        ), said
        assert "say on which of them the child was seen on their own (seen_alone_on: [DATE, ...])" in said
    assert not out.exists()


ALONE_ROWS = {
    "g1-teen-seen-alone-in-september-with-parents-in-november": (
        "not for this assessment (last seen on their own 2026-09-21, 64 days before)",
        "The child was last seen on their own on 2026-09-21, 64 days before this assessment (more than 9 weeks): "
        "see them on their own now, and record when.",
    ),
    "g2-teen-seen-alone-date-not-recorded": (
        "yes (which of the dates is not recorded)",
        "The child is recorded as seen on their own, but not on which of the dates seen (2026-09-21, 2026-11-20); "
        "the earliest, 2026-09-21, was 64 days before this assessment (more than 9 weeks). Record the date they "
        "were last seen on their own; if that was more than 9 weeks before, see them on their own now.",
    ),
    "g3-teen-seen-alone-two-weeks-ago": ("yes, last on 2026-11-10", None),
    "g4-teen-seen-alone-63-days-before": ("yes, last on 2026-09-22", None),
}


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
@pytest.mark.parametrize("stem", sorted(ALONE_ROWS))
def test_reports_say_when_the_child_was_last_seen_on_their_own(stem: str, fmt: str, tmp_path: Path) -> None:
    """Review 6, 3.5: the "Seen on their own" row gives the date last seen alone; seen alone only more than 9 weeks
    before, or not saying which date when it matters, is a "To check:" line under the level."""
    import html
    import re

    row, to_check = ALONE_ROWS[stem]
    if stem.startswith("g2-"):  # refused as a new answers file (review 7, finding 2): the record made before the key
        (tmp_path / "record.json").write_bytes(RECORD_BEFORE.read_bytes())
    else:
        assessed(ALONE / f"{stem}.yaml", tmp_path)
    shown = CliRunner().invoke(app, ["report", str(tmp_path / "record.json"), "--format", fmt], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", "", shown.output)).replace("**", "").split())
    assert row in said
    if to_check is None:
        assert "last seen on their own on" not in said and "but not on which of the dates" not in said
    else:
        assert f"To check: {to_check}" in said


def test_several_dates_all_within_9_weeks_ask_nothing_more(tmp_path: Path) -> None:
    """Seen alone on one of two dates, both within 9 weeks (trainer case 04, not saying which): seen alone within 9
    weeks whichever it was, so no "To check:" line and a plain "yes"."""
    record = assessed(CASES_DIR / "04-child-protection-left-alone.yaml", tmp_path)
    assert "seen_alone_on" not in record["child"] and len(record["child"]["seen_on"]) == 2
    shown = CliRunner().invoke(app, ["report", str(tmp_path / "record.json"), "--format", "md"])
    assert "**Seen on their own:** yes\n" in shown.output
    assert "seen on their own, but not on which" not in shown.output


def test_a_non_verbal_child_whose_dependence_is_left_blank_is_child_in_need(tmp_path: Path) -> None:
    """Review 5, fix 10: a child of two or more recorded as not using words depends on adults like a baby,
    whether or not the dependence fact was answered."""
    record = assessed(LEVELS / "review5" / "d2-non-verbal-child-dependency-left-blank.yaml", tmp_path, "--partial")
    assert level(record) == 3
    assert "dependent-child-concern" in prompts(record)
    because = next(e["because"] for e in record["result"]["escalations"] if e["id"] == "dependent-child-concern")
    assert "the child does not use words" in because


def test_a_parent_s_care_experience_alone_never_changes_the_level(tmp_path: Path) -> None:
    tool = find_tool("neglect-core").tool
    for age in (4, 100, 180):
        base = {item.id: 3 if item.id == "physical.hygiene" else 1 for item in tool.items()}
        facts = {"age_months": age, "concern_duration_months": 24, "concern_frequency": "frequent"}
        without = score(tool, base, facts)
        with_it = score(tool, base, facts | {"carers_care_experienced": True})
        assert with_it.overall.band == without.overall.band, age
        assert {e.id for e in with_it.escalations} - {e.id for e in without.escalations} == {"care-experienced-carer"}


def test_a_hardship_mark_without_hardship_known_is_refused_with_its_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["assess", "--answers", str(REVIEW / "J2-hardship-flag-no-hardship-fact.yaml"), "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert ":21:5: answers.physical.supervision.hardship: a hardship mark needs the context fact" in result.output
    assert not (tmp_path / "r").exists()


def test_a_5_on_clothing_or_hygiene_is_urgent_never_a_999_prompt(tmp_path: Path) -> None:
    tool = find_tool("neglect-core").tool
    base = {item.id: 1 for item in tool.items() if item.id in tool.applicable_ids(96)}
    for item in ("physical.clothing", "physical.hygiene", "medical.dental", "educational.attendance"):
        result = score(tool, base | {item: 5}, {"age_months": 96})
        assert "immediate" not in {e.severity for e in result.escalations}, item
        assert "urgent" in {e.severity for e in result.escalations}, item
    for item in ("physical.supervision", "physical.whereabouts", "medical.illness", "physical.shelter"):
        result = score(tool, base | {item: 5} if item != "physical.whereabouts" else base, {"age_months": 96})
        if item == "physical.whereabouts":
            continue  # applies from 12 years
        assert "immediate" in {e.severity for e in result.escalations}, item


def test_reasons_name_items_and_facts_in_plain_words_and_raised_only_when_raised(tmp_path: Path) -> None:
    record = assessed(LEVELS / "teen-chronic.yaml", tmp_path)
    because = [reason for e in record["result"]["escalations"] for reason in e["because"]]
    assert "Comfort when upset rated 4" in because
    assert "the child has lived with the concerns for 60 months" in because
    assert not any("_" in reason or "." in reason.split(" rated")[0] for reason in because), because
    by_id = {e["id"]: e for e in record["result"]["escalations"]}
    assert by_id["cumulative-persistent-harm"]["raised"] is True
    assert by_id["additional-need"]["raised"] is False  # level-2 is below the level from the scores


# --- properties on neglect-core itself -----------------------------------------------------

CORE = find_tool("neglect-core").tool
AGES = st.sampled_from([3, 9, 20, 30, 66, 100, 150, 190])
FACTS = st.fixed_dictionaries(
    {},
    optional={
        "concern_duration_months": st.integers(0, 60),
        "concern_frequency": st.sampled_from(["one_off", "occasional", "frequent", "persistent"]),
        "parental_factors": st.sampled_from([[], ["domestic_abuse"], ["substance_misuse", "mental_health"]]),
        "engagement": st.sampled_from(["engaged", "partial", "disguised_compliance", "not_engaging"]),
        "not_brought_count": st.integers(0, 5),
        "missing_episodes": st.integers(0, 5),
        "earlier_early_help": st.booleans(),
        "earlier_child_in_need": st.booleans(),
        "earlier_neglect_referral": st.booleans(),
        "earlier_protection_plans": st.sampled_from([[], ["neglect"], ["emotional_abuse", "physical_abuse"]]),
        "siblings_elsewhere": st.sampled_from([[], ["in_care"], ["adopted"], ["kinship_care", "other_parent"]]),
        "carers_care_experienced": st.booleans(),
        "material_hardship": st.booleans(),
        "child_depends_on_adults": st.booleans(),
    },
)


@st.composite
def core_cases(draw: st.DrawFn) -> tuple[dict[str, int | None], dict[str, Any], frozenset[str], frozenset[str]]:
    age = draw(AGES)
    context = {"age_months": age} | draw(FACTS)
    ratings: dict[str, int | None] = {}
    for item_id in sorted(CORE.applicable_ids(age)):
        kind = draw(st.integers(0, 6))
        if kind == 0:
            continue
        ratings[item_id] = None if kind == 1 else draw(st.integers(1, 5))
    rated = sorted(i for i, v in ratings.items() if v is not None and v >= 3)
    hardship = frozenset(draw(st.lists(st.sampled_from(rated), unique=True)) if rated else [])
    may_not_apply = sorted(
        i.id for i in CORE.items() if i.may_not_apply and i.id in CORE.applicable_ids(age) and i.id not in ratings
    )
    left_out = frozenset(draw(st.lists(st.sampled_from(may_not_apply), unique=True)) if may_not_apply else [])
    return ratings, context, hardship, left_out


@settings(max_examples=150, deadline=None)
@given(core_cases(), st.data())
def test_a_worse_rating_never_gives_neglect_core_a_lower_level(
    case: tuple[dict[str, int | None], dict[str, Any], frozenset[str], frozenset[str]], data: st.DataObject
) -> None:
    ratings, context, hardship, left_out = case
    raisable = sorted(i for i, v in ratings.items() if v is not None and v < 5)
    if not raisable:
        return
    item = data.draw(st.sampled_from(raisable))
    worse = ratings | {item: data.draw(st.integers(ratings[item] + 1, 5))}  # type: ignore[operator]
    # a hardship mark belongs to a rating of 3 or more: keep it only where it still can be
    before = score(CORE, ratings, context, does_not_apply=left_out, hardship=hardship)
    after = score(CORE, worse, context, does_not_apply=left_out, hardship=hardship)
    assert before.overall.band is not None and after.overall.band is not None
    assert CORE.band_index(after.overall.band) >= CORE.band_index(before.overall.band)


def _seen_alone(last_seen: int, alone_extra: int | None) -> ChildSeen:
    """Seen `last_seen` days before the assessment (within 9 weeks), alone `alone_extra` days before that (None:
    the dates seen alone not given)."""
    alone = None if alone_extra is None else last_seen + alone_extra
    return ChildSeen(seen=True, alone=True, uses_words=True, last_seen_days=last_seen, last_alone_days=alone)


@settings(max_examples=150, deadline=None)
@given(core_cases(), st.integers(0, 63), st.none() | st.integers(0, 200), st.data())
def test_a_worse_rating_never_gives_a_lower_level_whenever_the_child_was_last_seen_alone(
    case: tuple[dict[str, int | None], dict[str, Any], frozenset[str], frozenset[str]],
    last_seen: int,
    alone_extra: int | None,
    data: st.DataObject,
) -> None:
    ratings, context, hardship, left_out = case
    raisable = sorted(i for i, v in ratings.items() if v is not None and v < 5)
    if not raisable:
        return
    item = data.draw(st.sampled_from(raisable))
    worse = ratings | {item: data.draw(st.integers(ratings[item] + 1, 5))}  # type: ignore[operator]
    seen = _seen_alone(last_seen, alone_extra)
    before = score(CORE, ratings, context, does_not_apply=left_out, hardship=hardship, seen=seen)
    after = score(CORE, worse, context, does_not_apply=left_out, hardship=hardship, seen=seen)
    assert before.overall.band is not None and after.overall.band is not None
    assert CORE.band_index(after.overall.band) >= CORE.band_index(before.overall.band)


@settings(max_examples=150, deadline=None)
@given(core_cases(), st.integers(0, 63), st.integers(0, 200))
def test_saying_when_the_child_was_seen_alone_never_lowers_the_level_nor_drops_a_prompt(
    case: tuple[dict[str, int | None], dict[str, Any], frozenset[str], frozenset[str]], last_seen: int, extra: int
) -> None:
    """Review 6, 3.5: the dates seen alone can only take "seen alone" away (when the last is more than 63 days
    before), so they never lower a level or remove a prompt; within 63 days they change nothing at all."""
    ratings, context, hardship, left_out = case
    options: dict[str, Any] = {"does_not_apply": left_out, "hardship": hardship}
    unsaid = score(CORE, ratings, context, seen=_seen_alone(last_seen, None), **options)
    said = score(CORE, ratings, context, seen=_seen_alone(last_seen, extra), **options)
    if unsaid.overall.band is None:  # nothing answered: no level either way
        assert said == unsaid
        return
    assert said.overall.band is not None
    assert CORE.band_index(said.overall.band) >= CORE.band_index(unsaid.overall.band)
    assert {e.id for e in unsaid.escalations} <= {e.id for e in said.escalations}
    if last_seen + extra <= 63:
        assert said == unsaid
    elif unsaid.overall.computed_band is not None and CORE.band_index(unsaid.overall.computed_band) >= 1:
        # above universal from the scores alone (what see-child-alone's `overall` test reads), seen alone only long
        # ago: see them alone. A level raised only by a rule does not prompt today: review 7, finding 1
        assert "see-child-alone" in {e.id for e in said.escalations}


@settings(max_examples=150, deadline=None)
@given(core_cases())
def test_does_not_apply_never_changes_a_domain_score(
    case: tuple[dict[str, int | None], dict[str, Any], frozenset[str], frozenset[str]],
) -> None:
    ratings, context, hardship, left_out = case
    marked = score(CORE, ratings, context, does_not_apply=left_out, hardship=hardship)
    unmarked = score(CORE, ratings, context, hardship=hardship)
    assert [d.score for d in marked.domains] == [d.score for d in unmarked.domains]
    for m, u in zip(marked.domains, unmarked.domains, strict=True):
        assert m.applicable == u.applicable - m.does_not_apply  # and it leaves coverage's denominator


# --- drift means no progress above universal -------------------------------------------------


def _universal_records(tmp_path: Path, dates: list[str]) -> list[Path]:
    import yaml

    universal = LEVELS.parents[2] / "definitions" / "cases" / "01-universal-well-cared-for.yaml"
    case = yaml.safe_load(universal.read_text(encoding="utf-8"))
    paths = []
    for n, day in enumerate(dates):
        case["case"]["assessed_on"] = day
        case["child"]["seen_on"] = [day]  # seen on the day (a date after the assessment is refused)
        answers = tmp_path / f"u{n}.yaml"
        answers.write_text(yaml.safe_dump(case), encoding="utf-8")
        record = tmp_path / f"u{n}.json"
        ran = CliRunner().invoke(app, ["assess", "--answers", str(answers), "-o", str(record), "--format", "json"])
        assert ran.exit_code == 0, ran.output
        paths.append(record)
    return paths


def test_a_child_who_stays_universal_is_never_flagged_for_drift(tmp_path: Path) -> None:
    paths = _universal_records(tmp_path, ["2025-01-06", "2025-09-01", "2026-06-01"])
    diff = CliRunner().invoke(app, ["diff", str(paths[0]), str(paths[2]), "--format", "json"])
    assert diff.exit_code == 0, diff.output
    assert json.loads(diff.output)["drift"]["flagged"] is False
    trend = CliRunner().invoke(app, ["trend", *map(str, paths), "--format", "json"])
    assert trend.exit_code == 0, trend.output
    assert json.loads(trend.output)["flags"]["drift_and_delay"]["flagged"] is False
    text = CliRunner().invoke(app, ["trend", *map(str, paths)]).output
    assert "drift and delay in supervision" not in " ".join(text.split())


def test_tools_show_explains_every_rule_of_neglect_core_in_plain_words() -> None:
    shown = CliRunner().invoke(app, ["tools", "show", "neglect-core"])
    assert shown.exit_code == 0, shown.output
    rules = shown.output[shown.output.index("Escalation rules") : shown.output.index("Reflection prompts")]
    for rule in CORE.escalations:
        assert f"({rule.id})" in rules, rule.id
    conditions = [line.strip() for line in rules.splitlines() if line.strip().startswith(("When ", "- "))]
    assert len([line for line in conditions if line.startswith("When ")]) == len(CORE.escalations)
    for line in conditions:
        assert "_" not in line and not any(f"{d.id}." in line for d in CORE.domains), line  # no ids


def test_a_result_with_too_little_known_is_provisional_in_diff_and_trend_too(tmp_path: Path) -> None:
    cases = LEVELS.parents[2] / "definitions" / "cases"
    thin, full = tmp_path / "thin.json", tmp_path / "full.json"
    pairs = ((cases / "11-incomplete-low-coverage.yaml", thin), (cases / "01-universal-well-cared-for.yaml", full))
    for answers, out in pairs:
        ran = CliRunner().invoke(app, ["assess", "--answers", str(answers), "--partial", "-o", str(out)])
        assert ran.exit_code == 0, ran.output
    diff = CliRunner().invoke(app, ["diff", str(thin), str(full), "--mixed-cases", "--format", "md"])
    assert "**Provisional:** OLD: not enough known" in diff.output
    terminal = " ".join(CliRunner().invoke(app, ["diff", str(thin), str(full), "--mixed-cases"]).output.split())
    assert "PROVISIONAL OLD: not enough known" in terminal
    trend = CliRunner().invoke(app, ["trend", str(thin), str(full), "--mixed-cases", "--format", "md"])
    assert "(provisional)" in trend.output, trend.output


def test_a_report_says_which_ratings_were_left_out_of_the_scores_as_hardship(tmp_path: Path) -> None:
    out = tmp_path / "record.json"
    ran = CliRunner().invoke(app, ["assess", "--answers", str(LEVELS / "poverty-good-care-cold.yaml"), "-o", str(out)])
    assert ran.exit_code == 0, ran.output
    for fmt in ("terminal", "md", "html"):
        report = " ".join(CliRunner().invoke(app, ["report", str(out), "--format", fmt]).output.split())
        assert "Left out of the domain scores as mainly caused by money or housing" in report, fmt
        assert "Home conditions" in report and "mainly money or housing" in report, fmt


# --- neglect-core 3.1.0: what is not known is said, never read as "new" or "fine" -----------------


def _worse_of(one: Any, other: Any) -> bool:
    """`one` is at the same level as `other` or higher (nothing rated: no level, the lowest)."""

    def rank(result: Any) -> int:
        return -1 if result.overall.band is None else CORE.band_index(result.overall.band)

    return rank(one) >= rank(other)


@settings(max_examples=150, deadline=None)
@given(core_cases())
def test_a_duration_left_blank_never_gives_a_lower_level_than_new_concerns(
    case: tuple[dict[str, int | None], dict[str, Any], frozenset[str], frozenset[str]],
) -> None:
    ratings, context, hardship, left_out = case
    blank = {k: v for k, v in context.items() if k != "concern_duration_months"}
    new = blank | {"concern_duration_months": 0}
    unknown = score(CORE, ratings, blank, does_not_apply=left_out, hardship=hardship)
    assert _worse_of(unknown, score(CORE, ratings, new, does_not_apply=left_out, hardship=hardship))
    if any(v is not None and v >= 3 and item not in hardship for item, v in ratings.items()):
        assert "duration-not-known" in {e.id for e in unknown.escalations}  # hardship alone: no neglect prompt


@settings(max_examples=150, deadline=None)
@given(core_cases())
def test_a_child_who_depends_on_adults_never_gets_a_lower_level(
    case: tuple[dict[str, int | None], dict[str, Any], frozenset[str], frozenset[str]],
) -> None:
    ratings, context, hardship, left_out = case
    depends = score(
        CORE, ratings, context | {"child_depends_on_adults": True}, does_not_apply=left_out, hardship=hardship
    )
    other = score(
        CORE, ratings, context | {"child_depends_on_adults": False}, does_not_apply=left_out, hardship=hardship
    )
    assert _worse_of(depends, other)


def _everyday(age: int, **ratings: int) -> dict[str, int | None]:
    base: dict[str, int | None] = {item_id: 1 for item_id in CORE.applicable_ids(age)}
    return base | {key.replace("__", "."): value for key, value in ratings.items()}


def test_needs_unmet_most_days_across_three_domains_for_a_time_not_known_are_chronic_neglect() -> None:
    ratings = _everyday(120, physical__hygiene=3, emotional__warmth=3, educational__attendance=3)
    known_new = score(
        CORE, ratings, {"age_months": 120, "concern_duration_months": 0, "concern_frequency": "persistent"}
    )
    unknown = score(CORE, ratings, {"age_months": 120, "concern_frequency": "persistent"})
    assert unknown.overall.band in ("level-3", "level-4")
    assert {"chronic-neglect", "duration-not-known"} <= {e.id for e in unknown.escalations}
    assert "chronic-neglect" not in {e.id for e in known_new.escalations}
    reasons = [r for e in unknown.escalations if e.id == "duration-not-known" for r in e.because]
    assert "how long the child has lived with the concerns, in months: not recorded" in reasons


def test_an_unchecked_history_is_a_prompt_until_every_history_fact_is_answered() -> None:
    ratings = _everyday(100, physical__hygiene=3)
    facts = {"age_months": 100, "concern_duration_months": 3, "concern_frequency": "occasional"}
    history = {
        "earlier_early_help": False,
        "earlier_child_in_need": False,
        "earlier_neglect_referral": False,
        "earlier_protection_plans": [],  # "none" is an answer
        "siblings_elsewhere": [],
    }
    assert "history-not-checked" in {e.id for e in score(CORE, ratings, facts).escalations}
    for left_out in history:  # review 5: one answer (often the family's word) never hides the others
        half = {k: v for k, v in history.items() if k != left_out}
        assert "history-not-checked" in {e.id for e in score(CORE, ratings, facts | half).escalations}, left_out
    checked = {e.id for e in score(CORE, ratings, facts | history).escalations}
    assert "history-not-checked" not in checked
    nothing_wrong = {e.id for e in score(CORE, _everyday(100), facts).escalations}
    assert "history-not-checked" not in nothing_wrong  # no unmet need: no prompt


@pytest.mark.parametrize("age", [30, 100, 170])
def test_a_child_who_depends_on_adults_with_a_serious_unmet_need_is_child_in_need_with_a_same_day_prompt(
    age: int,
) -> None:
    ratings = _everyday(age, medical__illness=4)
    facts = {"age_months": age, "concern_duration_months": 2, "concern_frequency": "occasional"}
    flagged = score(CORE, ratings, facts | {"child_depends_on_adults": True})
    assert flagged.overall.band in ("level-3", "level-4")
    assert "dependent-child-concern" in {e.id for e in flagged.escalations}
    assert "urgent" in {e.severity for e in flagged.escalations}


def test_an_assessment_that_does_not_say_whether_the_child_was_seen_prompts_to_record_it(tmp_path: Path) -> None:
    cases = Path(__file__).resolve().parents[1] / "definitions" / "cases"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    text = (cases / "07-hardship-good-care.yaml").read_text(encoding="utf-8")
    unsaid = tmp_path / "07-child-left-out.yaml"  # the shipped case records the child seen: leave it out
    unsaid.write_text(text[: text.index("\nchild:\n")] + text[text.index("\nanswers:\n") :], encoding="utf-8")
    record = assessed(unsaid, tmp_path / "a")
    assert "child-seen-not-recorded" in prompts(record) and level(record) == 1  # poverty with good care stays
    seen = assessed(cases / "19-baby-seen-no-words.yaml", tmp_path / "b")
    assert "child-seen-not-recorded" not in prompts(seen)


def test_change_not_in_the_child_s_time_with_an_unmet_need_is_child_in_need_with_a_same_day_prompt(
    tmp_path: Path,
) -> None:
    """Review 4, 1.7: the capacity section's "not in the child's timescale" is read by a rule. A bare
    `no` (which YAML reads as false) means the word."""
    import yaml

    case = yaml.safe_load((CASES_DIR / "15-father-not-contacted.yaml").read_text(encoding="utf-8"))
    case.pop("expect")
    for timescale, want in (("yes", 2), (False, 3)):
        case["capacity"]["timescale"] = timescale
        folder = tmp_path / str(timescale)
        folder.mkdir()
        path = folder / "case.yaml"
        path.write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
        record = assessed(path, folder)
        assert level(record) == want, timescale
        assert ("not-in-the-childs-time" in prompts(record)) is (want == 3)
    assert record["capacity"]["timescale"] == "no"
    because = next(e["because"] for e in record["result"]["escalations"] if e["id"] == "not-in-the-childs-time")
    assert "change for the child is not happening in the child's timescale" in because


# --- review 7 (2026-11-28): when the child was last seen on their own, and the prompts' reading order ---------------

REVIEW7 = LEVELS / "review7"
# file stem -> (final level, prompts that must fire, prompts that must not); assessed 2026-11-24, plans deferred
REVIEWED_SEVENTH: dict[str, tuple[int, set[str], set[str]]] = {
    # a 4-month-old seen twice, both times with her carers in the room: the see-alone prompt asks, for a baby, to
    # observe her with and without them
    "h1-baby-4m-seen-only-with-parents": (3, {"baby-concerns", "see-child-alone"}, {"child-not-seen"}),
    # a 7-month-old seen apart from her carers only at the clinic 84 days before: not seen alone for this assessment
    "h2-baby-7m-seen-apart-from-carers-in-september-only": (
        3,
        {"baby-concerns", "see-child-alone"},
        {"child-not-seen"},
    ),
    # five years of neglect; seen on his own only in July, with his mother and her partner since
    "h3-teen15-chronic-seen-alone-in-july-with-parents-since": (
        4,
        {"chronic-neglect-unchanged", "see-child-alone"},
        {"child-not-seen"},
    ),
    "h4-teen16-seen-alone-two-weeks-ago": (3, {"serious-concern"}, {"see-child-alone", "child-not-seen"}),
    # seen (with parents) 63 days before counts; seen alone 64 days before does not
    "h5-seen-63-days-before-alone-64": (3, {"serious-concern", "see-child-alone"}, {"child-not-seen"}),
    "h6-seen-alone-once-63-days-before": (3, {"serious-concern"}, {"see-child-alone", "child-not-seen"}),
    # poverty with good care, seen alone 4 days before: help, and this change adds no prompt
    "h8-poverty-good-care-seen-alone-recently": (
        2,
        {"practical-help"},
        {
            "see-child-alone",
            "child-not-seen",
            "serious-concern",
            "persistent-concern",
            "engagement-concern",
            "cumulative-needs",
            "additional-need",
        },
    ),
    # a child without words seen apart from her mother only 88 days before
    "h9-no-words-seen-apart-from-mother-in-august-only": (
        3,
        {"dependent-child-concern", "see-child-alone"},
        {"child-not-seen"},
    ),
    "h10-order-consult-raised-urgent-not": (3, {"serious-concern", "child-not-seen", "see-child-alone"}, set()),
    "h11-order-baby-two-floors-same-severity": (4, {"baby-not-seen", "baby-serious-concern", "child-not-seen"}, set()),
}


@pytest.mark.parametrize("stem", sorted(REVIEWED_SEVENTH))
def test_seventh_review_case_gets_the_agreed_level_and_prompts(stem: str, tmp_path: Path) -> None:
    record = assessed(REVIEW7 / f"{stem}.yaml", tmp_path, "--partial")
    assert_agreed(record, REVIEWED_SEVENTH[stem])


def _md(record: Path) -> str:
    shown = CliRunner().invoke(app, ["report", str(record), "--format", "md"])
    assert shown.exit_code == 0, shown.output
    return shown.output


@pytest.mark.parametrize(
    ("stem", "row"),
    [
        (
            "h3-teen15-chronic-seen-alone-in-july-with-parents-since",
            "not for this assessment (last seen on their own 2026-07-14, 133 days before)",
        ),
        ("h4-teen16-seen-alone-two-weeks-ago", "yes, last on 2026-11-10"),
        (
            "h5-seen-63-days-before-alone-64",
            "not for this assessment (last seen on their own 2026-09-21, 64 days before)",
        ),
        ("h6-seen-alone-once-63-days-before", "yes, last on 2026-09-22"),
        ("h8-poverty-good-care-seen-alone-recently", "yes, last on 2026-11-20"),
    ],
)
def test_seventh_review_seen_on_their_own_row_reads_as_the_rules_do(stem: str, row: str, tmp_path: Path) -> None:
    assessed(REVIEW7 / f"{stem}.yaml", tmp_path, "--partial")
    assert f"- **Seen on their own:** {row}" in _md(tmp_path / "record.json")


def test_seventh_review_a_date_seen_alone_that_is_not_a_date_seen_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "record.json"
    path = REVIEW7 / "h7-seen-alone-on-a-date-not-seen.yaml"
    ran = CliRunner().invoke(app, ["assess", "--answers", str(path), "-o", str(out), "--partial"])
    assert ran.exit_code == 2
    assert f"{path}:20:" in ran.output
    assert "child.seen_alone_on[0]: 2026-11-12 is not among the dates the child was seen (seen_on)" in ran.output
    assert not out.exists()


def test_seventh_review_a_teen_seen_alone_on_one_of_three_dates_unsaid_is_not_read_as_seen_alone(
    tmp_path: Path,
) -> None:
    """h3b is h3 without `seen_alone_on`: seen alone on one of 2026-07-14, 09-29 and 11-17, not saying which. A new
    answers file must not be read as seen alone: either see-child-alone fires, or the file is refused (exit 2) until
    it says which dates were alone."""
    out = tmp_path / "record.json"
    path = REVIEW7 / "h3b-teen15-chronic-seen-alone-in-july-dates-alone-not-given.yaml"
    ran = CliRunner().invoke(app, ["assess", "--answers", str(path), "-o", str(out), "--partial", "--format", "json"])
    if ran.exit_code == 2:
        assert "seen_alone_on" in ran.output
        return
    assert ran.exit_code == 0, ran.output
    assert "see-child-alone" in prompts(json.loads(out.read_text(encoding="utf-8")))


def _reading_order(md: str) -> list[str]:
    return [line.removeprefix("### ") for line in md.splitlines() if line.startswith("### ") and " — " in line]


@pytest.mark.parametrize(
    "stem", ["h11-order-baby-two-floors-same-severity", "h3-teen15-chronic-seen-alone-in-july-with-parents-since"]
)
def test_seventh_review_the_prompt_that_set_level_4_is_read_before_those_that_set_level_3(
    stem: str, tmp_path: Path
) -> None:
    """h11 (a baby) and h3 (a teenager): raised to Level 3 by urgent prompts and to Level 4 by another urgent one
    (baby-not-seen; chronic-neglect-unchanged). The first prompt read is one that set the level the reader sees,
    not one that says "Raised the level to at least Level 3" under "Final level: Level 4"."""
    assessed(REVIEW7 / f"{stem}.yaml", tmp_path, "--partial")
    md = _md(tmp_path / "record.json")
    prompts_part = md[md.index("## Escalation prompts") :]
    first = prompts_part.split("\n### ")[1].split("\n### ")[0]
    assert "Raised the level to at least Level 4 — child protection" in first, first


def test_seventh_review_severity_still_leads_when_a_consult_prompt_raised_the_level(tmp_path: Path) -> None:
    """h10: serious-concern (consult) raised the level to 3; child-not-seen (urgent) raised nothing and is read first;
    within consult, the raising prompt comes before see-child-alone."""
    assessed(REVIEW7 / "h10-order-consult-raised-urgent-not.yaml", tmp_path, "--partial")
    order = _reading_order(_md(tmp_path / "record.json"))
    assert order[:3] == [
        "Urgent — act today: The child has not been seen",
        "Consult — talk it through: A serious unmet need",
        "Consult — talk it through: See the child on their own before deciding",
    ], order


@pytest.mark.parametrize(
    "stem", ["h2-baby-7m-seen-apart-from-carers-in-september-only", "h9-no-words-seen-apart-from-mother-in-august-only"]
)
def test_seventh_review_the_to_check_line_for_a_child_without_words_asks_what_can_be_done(
    stem: str, tmp_path: Path
) -> None:
    """For a baby or a child who does not use words, the "To check:" line asks to observe them with and without their
    carers (as see-child-alone does), not to "see them on their own" as if they could tell."""
    assessed(REVIEW7 / f"{stem}.yaml", tmp_path, "--partial")
    lines = [
        line for line in _md(tmp_path / "record.json").splitlines() if "To check:" in line and "on their own" in line
    ]
    assert lines and all("with and without their carers" in line for line in lines), lines


def test_seventh_review_the_family_says_a_baby_was_not_seen_at_all_for_the_assessment(tmp_path: Path) -> None:
    """h11's baby was last seen 96 days before the assessment (baby-not-seen, Level 4); the family view must say she
    was not seen for it and when she was last seen, not only that she was not seen alone."""
    assessed(REVIEW7 / "h11-order-baby-two-floors-same-severity.yaml", tmp_path, "--partial")
    runner = CliRunner()
    assert runner.invoke(app, ["family", "link", "FAM-R7", "PE7-H11"]).exit_code == 0
    shown = runner.invoke(app, ["family", "show", "FAM-R7", "--as-of", "2026-11-24", "--format", "markdown"])
    assert shown.exit_code == 0, shown.output
    assert "2026-08-20" in shown.output, shown.output


def test_seventh_review_an_empty_list_of_dates_seen_alone_says_what_to_do(tmp_path: Path) -> None:
    text = (REVIEW7 / "h4-teen16-seen-alone-two-weeks-ago.yaml").read_text(encoding="utf-8")
    path = tmp_path / "h4-empty.yaml"
    path.write_text(text.replace("seen_alone_on: ['2026-11-10']", "seen_alone_on: []"), encoding="utf-8")
    ran = CliRunner().invoke(app, ["assess", "--answers", str(path), "-o", str(tmp_path / "r.json"), "--partial"])
    assert ran.exit_code == 2
    assert "List should have" not in ran.output and "seen_alone" in ran.output, ran.output


@pytest.mark.parametrize("alone_on", [None, "2026-08-20"], ids=["never-alone", "alone-96-days-before"])
def test_seventh_review_a_teen_at_child_in_need_not_seen_alone_is_prompted_to_be(
    alone_on: str | None, tmp_path: Path
) -> None:
    """h12: a 16-year-old at Level 3 (raised by serious-concern from Level 1 by the scores), never seen on his own,
    or seen on his own only 96 days before: see-child-alone must fire whatever raised the level."""
    text = (REVIEW7 / "h12-teen16-warmth4-otherwise-well-never-seen-alone.yaml").read_text(encoding="utf-8")
    if alone_on is not None:
        text = text.replace("seen_alone: false", "seen_alone: true").replace(
            "seen_on: ['2026-08-20', '2026-11-10']",
            f"seen_on: ['2026-08-20', '2026-11-10']\n  seen_alone_on: ['{alone_on}']",
        )
    path = tmp_path / "h12.yaml"
    path.write_text(text, encoding="utf-8")
    record = assessed(path, tmp_path)
    assert level(record) == 3 and "serious-concern" in prompts(record)
    assert "see-child-alone" in prompts(record)


# --- review 8 (2026-11-28): newborns after removal, children not seen, homelessness, poverty and access, cumulative
# harm, disability, young carers, domestic abuse (docs/reviews/2026-11-28-review-8-findings.md) -------------------

REVIEW8 = LEVELS / "review8"


def _text(record: dict[str, Any]) -> str:
    """Every fired prompt's words, as one string (wording findings are tested by what the practitioner reads)."""
    return " ".join(" ".join(e["prompt"].split()) for e in record["result"]["escalations"])


# file stem -> (final level, prompts that must fire, prompts that must not); assessed 2026-11-24 (k13: yearly), plans
# deferred. Outcomes the reviewer judged right, as they are now.
REVIEWED_EIGHTH: dict[str, tuple[int, set[str], set[str]]] = {
    # disabled child, no words, exhausted mother, night medicines missed: child in need, same-day consultation
    "k3-teen13-pmld-no-words-mother-exhausted-short-breaks-stopped": (
        3,
        {"dependent-child-concern", "serious-concern"},
        {"see-child-alone", "child-not-seen"},
    ),
    # a young carer with breadth and persistence: Level 4 is the rule's floor, which a manager may override with reasons
    "k4-teen14-young-carer-mother-mental-illness-and-alcohol": (
        4,
        {"cumulative-persistent-harm", "parental-factors"},
        set(),
    ),
    "k5-teen16-sofa-surfing-called-a-lifestyle-choice": (
        4,
        {"cumulative-persistent-harm", "engagement-concern"},
        set(),
    ),
    "k5b-teen16-sofa-surfing-rated-as-a-lifestyle-choice-one-need-at-4": (3, {"serious-concern"}, set()),
    "k6-toddler18m-domestic-abuse-marac-partner-still-visits": (
        3,
        {"baby-serious-concern", "baby-adult-risk", "baby-concerns"},
        set(),
    ),
    # dental decay and toothache, not brought five times: child in need, not yet child protection
    "k7-child7-dental-decay-toothache-not-brought-five-times": (
        3,
        {"engagement-concern", "serious-concern"},
        {"red-flag-long-standing", "practical-help"},
    ),
    # as rated by dental care's anchor 5 ("has led to teeth being taken out"): finding 6 is the anchor, not the rules
    "k8-child6-teeth-out-under-anaesthetic-last-year-good-care-since": (4, {"red-flag-long-standing"}, set()),
    "k9-toddler26m-faltering-growth-no-medical-cause": (3, {"serious-concern"}, set()),
    # as rated by immunisations' anchor 4 "whatever the reason": finding 5 is the guidance, not the rules
    "k11-child5-newly-arrived-asylum-seeking-not-yet-registered-with-gp": (
        3,
        {"serious-concern", "carer-support"},
        set(),
    ),
    "k13a-boy-level-2-every-year-for-four-years": (2, {"additional-need"}, {"persistent-concern"}),
    "k13b-boy-level-2-every-year-for-four-years": (2, {"earlier-early-help"}, {"persistent-concern"}),
}


@pytest.mark.parametrize("stem", sorted(REVIEWED_EIGHTH))
def test_eighth_review_case_gets_the_agreed_level_and_prompts(stem: str, tmp_path: Path) -> None:
    record = assessed(REVIEW8 / f"{stem}.yaml", tmp_path, "--partial")
    assert_agreed(record, REVIEWED_EIGHTH[stem])


def _xfail(finding: int) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"review 8 finding {finding}")


def test_eighth_review_a_newborn_whose_siblings_were_removed_with_the_same_risks_now_is_child_protection(
    tmp_path: Path,
) -> None:
    """k1: 5 days old, three brothers and sisters in care or adopted after neglect plans, heroin and crack, domestic
    abuse, agreement without change; every rating 1 or 2 because a newborn's needs have not yet gone unmet at home.
    Today: Level 2 and no prompt at all."""
    record = assessed(REVIEW8 / "k1-newborn-5d-three-siblings-removed-mother-using.yaml", tmp_path, "--partial")
    assert level(record) == 4
    assert severities(record) & {"urgent", "immediate"}


def test_eighth_review_a_newborn_after_a_sibling_s_adoption_with_support_working_is_early_help_with_the_history_named(
    tmp_path: Path,
) -> None:
    """k2: mother with a learning disability, first child adopted five years ago; support in place and working.
    Not a concern in itself, and not Level 1 either: the history is named and the support kept (today Level 1)."""
    record = assessed(
        REVIEW8 / "k2-newborn-3w-mother-learning-disability-sibling-adopted-good-support.yaml", tmp_path, "--partial"
    )
    assert level(record) == 2
    assert not ({"serious-concern", "engagement-concern", "parental-factors"} & prompts(record))
    assert "brother or sister" in _text(record)


def test_eighth_review_a_child_not_seen_for_five_months_with_access_refused_and_a_history_is_child_protection(
    tmp_path: Path,
) -> None:
    """k12: home educated, last seen 157 days before, parents refuse visits, earlier child in need plan and neglect
    referral: Level 3 (provisional) today, with a next-working-day visit."""
    record = assessed(
        REVIEW8 / "k12-child10-home-educated-not-seen-five-months-access-refused.yaml", tmp_path, "--partial"
    )
    assert level(record) == 4
    assert "child-not-seen" in prompts(record)


@pytest.mark.parametrize(
    "stem", ["k13c-boy-level-2-every-year-for-four-years", "k13d-boy-level-2-every-year-for-four-years"]
)
def test_eighth_review_two_years_and_more_of_unmet_need_after_early_help_steps_up(stem: str, tmp_path: Path) -> None:
    """k13c/d: one need at 3 each year (a different one), 2s elsewhere, 'occasional', early help opened and closed
    again and again: after two years the band's own guidance says step up. Today Level 2 every year."""
    record = assessed(REVIEW8 / f"{stem}.yaml", tmp_path, "--partial")
    assert level(record) == 3


def _k13_records(tmp_path: Path) -> list[Path]:
    paths = []
    for tag in "abcd":
        out = tmp_path / f"k13{tag}.json"
        ran = CliRunner().invoke(
            app,
            [
                "assess",
                "--answers",
                str(REVIEW8 / f"k13{tag}-boy-level-2-every-year-for-four-years.yaml"),
                "-o",
                str(out),
            ],
        )
        assert ran.exit_code == 0, ran.output
        paths.append(out)
    return paths


def test_eighth_review_the_trend_of_four_early_help_years_flags_drift_and_delay(tmp_path: Path) -> None:
    """k13a-d: what the supervisor sees today, and right: drift and delay, and each late review."""
    shown = CliRunner().invoke(app, ["trend", *map(str, _k13_records(tmp_path)), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["flags"]["drift_and_delay"]["flagged"] is True


def test_eighth_review_the_trend_names_the_needs_that_moved_from_one_area_to_another(tmp_path: Path) -> None:
    """k13a-d: a need rated 3 in a different item each year (hygiene, teeth, attendance, food) averages away in the
    domain series (every band level-2): the trend must name the items rated 3 or more in each assessment."""
    shown = CliRunner().invoke(app, ["trend", *map(str, _k13_records(tmp_path))])
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.output.split())
    for title in ("Hygiene and personal care", "Dental care", "School attendance", "Food and nutrition"):
        assert title in text, title


def test_eighth_review_a_child_out_of_school_because_of_where_the_family_was_housed_is_not_a_protection_matter(
    tmp_path: Path,
) -> None:
    """k10: no school place for seven weeks after an out-of-borough placement (attendance 5, marked as housing);
    warm, attentive mother. Today red-flag-education: Level 3 and 'consider ... a child protection matter'."""
    record = assessed(
        REVIEW8 / "k10-child8-temporary-accommodation-no-school-place-seven-weeks.yaml", tmp_path, "--partial"
    )
    assert level(record) == 2
    assert "practical-help" in prompts(record)
    assert "child protection" not in _text(record)


def _item(item_id: str) -> Any:
    return next(i for d in CORE.domains for i in d.items if i.id == item_id)


def test_eighth_review_immunisations_say_how_to_rate_a_child_newly_arrived_or_refused_by_a_gp(tmp_path: Path) -> None:
    """k11: a newly arrived asylum-seeking child whose GP practice refused registration is Level 3 as the anchors
    read ('whatever the reason'). The guidance must say how to rate a child on a catch-up plan, and that a refusal to
    register is a service gap."""
    guidance = " ".join(str(_item("medical.immunisations").guidance).split())
    assert "catch-up" in guidance and "immigration status" in guidance


def test_eighth_review_the_carer_support_prompt_says_a_professional_interpreter_never_the_child(tmp_path: Path) -> None:
    record = assessed(
        REVIEW8 / "k11-child5-newly-arrived-asylum-seeking-not-yet-registered-with-gp.yaml", tmp_path, "--partial"
    )
    assert "professional interpreter, never the child" in _text(record)


def test_eighth_review_dental_care_5_is_about_the_child_s_teeth_now() -> None:
    """k8: teeth taken out under anaesthetic in January, good care since, rated 5 as the anchor reads: Level 4 and a
    strategy-discussion prompt. The anchor must read today's care."""
    anchor = " ".join(str(_item("medical.dental").anchors[5]).split())
    assert "or has led to teeth being taken out." not in anchor
    assert "now" in anchor


@pytest.mark.parametrize(
    "stem",
    [
        "k5-teen16-sofa-surfing-called-a-lifestyle-choice",
        "k5b-teen16-sofa-surfing-rated-as-a-lifestyle-choice-one-need-at-4",
    ],
)
def test_eighth_review_a_sixteen_year_old_with_no_home_gets_an_urgent_prompt_naming_the_duty(
    stem: str, tmp_path: Path
) -> None:
    """k5/k5b: told to leave, four months on friends' sofas. Only the hardship-marked 5 names sections 17 and 20;
    a 4 not marked as hardship ('lifestyle choice') gets serious-concern, 'this week'."""
    record = assessed(REVIEW8 / f"{stem}.yaml", tmp_path, "--partial")
    urgent = " ".join(
        " ".join(e["prompt"].split())
        for e in record["result"]["escalations"]
        if e["severity"] in {"urgent", "immediate"}
    )
    assert "section 20" in urgent


def test_eighth_review_a_child_nobody_lives_with_is_named_under_to_check(tmp_path: Path) -> None:
    """k5: the household records his mother (not living with him) and his father (no contact): nobody lives with a
    16-year-old, and the report says nothing."""
    assessed(REVIEW8 / "k5-teen16-sofa-surfing-called-a-lifestyle-choice.yaml", tmp_path, "--partial")
    lines = [line for line in _md(tmp_path / "record.json").splitlines() if "To check:" in line]
    assert any("living with the child" in line or "lives with the child" in line for line in lines), lines


def test_eighth_review_faltering_growth_at_two_is_as_urgent_as_at_twenty_three_months(tmp_path: Path) -> None:
    """k9: 26 months, weight from the 25th to below the 2nd centile, no medical cause: today a consult 'this week'
    (baby-serious-concern stops at 23 months)."""
    record = assessed(REVIEW8 / "k9-toddler26m-faltering-growth-no-medical-cause.yaml", tmp_path, "--partial")
    assert level(record) == 3
    assert "urgent" in severities(record)


def test_eighth_review_a_toddler_living_with_domestic_abuse_gets_a_prompt_that_says_what_to_do(tmp_path: Path) -> None:
    """k6: three call-outs, a high-risk MARAC referral, the person causing harm still visiting: seven prompts, none
    of which says safety planning, seeing the non-abusing parent alone, or MARAC (that sentence is in
    red-flag-long-standing, which adult conflict never sets off)."""
    record = assessed(REVIEW8 / "k6-toddler18m-domestic-abuse-marac-partner-still-visits.yaml", tmp_path, "--partial")
    assert "MARAC" in _text(record)


def test_eighth_review_a_disabled_child_s_prompts_ask_about_the_parent_carer_s_needs(tmp_path: Path) -> None:
    """k3: a mother caring alone for a 13-year-old with profound disabilities, short breaks stopped: start-again reads
    disability support as concerns that came back, and nothing asks about the carer's own needs."""
    record = assessed(
        REVIEW8 / "k3-teen13-pmld-no-words-mother-exhausted-short-breaks-stopped.yaml", tmp_path, "--partial"
    )
    text = _text(record)
    assert "parent carer" in text and "disabled child's own needs" in text


def test_eighth_review_a_young_carer_is_named_as_one(tmp_path: Path) -> None:
    """k4: caring for his mother and his 6-year-old sister; nothing says young carer or asks for his assessment."""
    record = assessed(REVIEW8 / "k4-teen14-young-carer-mother-mental-illness-and-alcohol.yaml", tmp_path, "--partial")
    assert "young carer" in _text(record)
