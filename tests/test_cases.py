"""Every trainer case scores as its header says.

Each case file in definitions/cases/ carries its expectations in comments, so
they live with the case:

    # Expected: final band level-4; escalations: cumulative-harm
    # Scores: physical 23/7 = 3.29 (level-3); ...; overall 3.29 (computed level-3), ...

The `Expected` line is required; the `Scores` block, when present, is checked too
(each domain's score to two places and band, and the overall score and computed band).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import CASES, Neglect
from neglect_cli.answers import load_answers, score_answers
from neglect_cli.scoring import Result

EXPECTED = re.compile(r"^# Expected: final band (?P<band>[a-z0-9-]+); escalations: (?P<rules>.+?)\s*$", re.MULTILINE)
DOMAIN_SCORE = re.compile(r"\b(?P<domain>[a-z]+) \d+/\d+ = (?P<score>\d+\.\d+) \((?P<band>[a-z0-9-]+)")
OVERALL_SCORE = re.compile(r"\boverall (?P<score>\d+\.\d+) \((?:computed )?(?P<band>[a-z0-9-]+)\)")
TODAY = dt.date(2026, 11, 24)


@dataclass(frozen=True)
class Expectation:
    band: str
    escalations: list[str]
    domains: dict[str, tuple[str, str]]  # domain id -> (score to 2 places, band)
    overall: tuple[str, str] | None


def expectation(path: Path) -> Expectation:
    text = path.read_text(encoding="utf-8")
    found = EXPECTED.search(text)
    assert found, f"{path.name}: no '# Expected: final band ...; escalations: ...' line"
    rules = found["rules"].strip()
    escalations = [] if rules == "none" else [r.strip() for r in rules.split(",")]
    scores = _scores_block(text)
    domains = {m["domain"]: (m["score"], m["band"]) for m in DOMAIN_SCORE.finditer(scores)}
    overall = OVERALL_SCORE.search(scores)
    return Expectation(found["band"], escalations, domains, (overall["score"], overall["band"]) if overall else None)


def _scores_block(text: str) -> str:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("# Scores:")), None)
    if start is None:
        return ""
    out = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("#   "):
            break
        out.append(line)
    return " ".join(out)


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def scored(path: Path) -> Result:
    return score_answers(load_answers(path, today=TODAY))


def test_there_are_enough_cases_to_teach_from() -> None:
    assert len(case_files()) >= 10


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.stem)
def test_case_scores_as_its_header_says(path: Path) -> None:
    expected = expectation(path)
    result = scored(path)
    assert result.overall.band == expected.band
    assert sorted(e.id for e in result.escalations) == sorted(expected.escalations)


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.stem)
def test_case_hand_worked_scores_match(path: Path) -> None:
    expected = expectation(path)
    if not expected.domains and expected.overall is None:
        pytest.skip("no '# Scores:' block")
    result = scored(path)
    for d in result.domains:
        if d.id in expected.domains:
            assert (f"{d.score:.2f}", d.band) == expected.domains[d.id], d.id
    if expected.overall is not None:
        assert result.overall.score is not None
        assert (f"{result.overall.score:.2f}", result.overall.computed_band) == expected.overall


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.stem)
def test_case_expect_says_what_its_header_says(path: Path) -> None:
    expected = expectation(path)
    expect = load_answers(path, today=TODAY).answers.expect
    assert expect is not None, f"{path.name}: no `expect:` for neglect score --check"
    assert expect.level == expected.band
    assert sorted(expect.prompts or []) == sorted(expected.escalations)
    assert expect.provisional == scored(path).overall.incomplete


def test_the_shipped_cases_meet_their_expectations_under_score_check(neglect: Neglect) -> None:
    ran = neglect("score", CASES, "--check")
    assert ran.exit_code == 0, ran.output
    count = len(case_files())
    assert ran.stdout == f"{count} case(s): {count} as expected, 0 differ, 0 unchecked\n"


def test_cases_cover_every_level_and_the_situations_trainers_need() -> None:
    results = {path.stem: scored(path) for path in case_files()}
    assert {r.overall.band for r in results.values()} >= {"level-1", "level-2", "level-3", "level-4"}
    fired = {e.id for r in results.values() for e in r.escalations}
    assert {"cumulative-harm", "cumulative-persistent-harm", "material-hardship", "engagement-concern"} <= fired
    assert {"baby-concerns", "low-coverage"} <= fired
    assert any(r.overall.incomplete for r in results.values())
    assert any(r.override is not None for r in results.values())
    # harm adding up across domains is a prompt on its own, and raises the level once it has lasted
    prompted = [r for r in results.values() if any(e.id == "cumulative-harm" for e in r.escalations)]
    assert any(r.overall.escalated_band == r.overall.computed_band for r in prompted)
    lifted = [r for r in results.values() if any(e.id == "cumulative-persistent-harm" for e in r.escalations)]
    assert any(r.overall.escalated_band != r.overall.computed_band for r in lifted)


# --- the raising rules that need a steer, pinned on variations of the cases ----------------


def variant(tmp_path: Path, case: str, context: dict[str, object], answers: dict[str, int]) -> Result:
    """A trainer case with some context facts and ratings changed."""
    import yaml

    from neglect_cli.scoring import applicable_items
    from neglect_cli.toolfiles import find_tool

    data = yaml.safe_load(next(CASES.glob(f"{case}-*.yaml")).read_text(encoding="utf-8"))
    data["context"] |= context
    data["answers"] |= {item: {"value": value, "evidence": "Seen on a visit."} for item, value in answers.items()}
    applies = applicable_items(find_tool(data["tool"]).tool, data["context"])
    data["answers"] = {item: answer for item, answer in data["answers"].items() if item in applies}
    path = tmp_path / f"{case}-variant.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return scored(path)


def fired(result: Result) -> set[str]:
    return {e.id for e in result.escalations}
