"""The child's world in answers files, records, reports and diffs (issue 14), through the CLI, with the
trainer cases in definitions/cases/ (14: a father not contacted; 15: not seen alone at Level 3;
16a/16b: evidence told by school, then seen; 17: a baby seen, without words)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import CASES, CORE_VERSION, Neglect

WORLD_CASES = (
    "15-father-not-contacted",
    "16-not-seen-alone-level-3",
    "18a-evidence-told-by-school",
    "18b-evidence-seen-at-home",
    "19-baby-seen-no-words",
)


def assessed(neglect: Neglect, tmp_path: Path, case: str, *extra: str) -> Path:
    out = tmp_path / f"{case}.json"
    ran = neglect("assess", "--answers", CASES / f"{case}.yaml", "--out", out, "--format", "json", *extra)
    assert ran.exit_code == 0, ran.output
    return out


def report(neglect: Neglect, record: Path, fmt: str, *extra: str) -> str:
    ran = neglect("report", record, "--format", fmt, *extra)
    assert ran.exit_code == 0, ran.output
    return " ".join(ran.stdout.split())  # wrapping aside


@pytest.mark.parametrize("case", WORLD_CASES)
def test_a_case_with_the_childs_world_writes_a_format_3_record_that_verifies(
    neglect: Neglect, tmp_path: Path, case: str
) -> None:
    record = assessed(neglect, tmp_path, case)
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["schema"] == "neglect-record/3"
    assert data["child"]["seen"] is True
    assert any("source" in row for row in data["answers"])
    ran = neglect("verify", record)
    assert ran.exit_code == 0, ran.output


def test_a_case_without_them_writes_none_of_their_keys(neglect: Neglect, tmp_path: Path) -> None:
    case = yaml.safe_load((CASES / "02-early-help-toddler.yaml").read_text(encoding="utf-8"))
    for part in ("child", "household"):
        del case[part]  # the shipped case records them; an answers file may leave them out
    path = tmp_path / "no-world.yaml"
    path.write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    out = tmp_path / "no-world.json"
    ran = neglect("assess", "--answers", path, "--out", out, "--format", "json")
    assert ran.exit_code == 0, ran.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert not {"child", "household", "strengths", "capacity", "identity"} & set(data)
    assert all("source" not in row for row in data["answers"])


def test_dates_are_read_as_yyyy_mm_dd_or_dd_mm_yyyy_and_written_as_yyyy_mm_dd(neglect: Neglect, tmp_path: Path) -> None:
    data = json.loads(assessed(neglect, tmp_path, "16-not-seen-alone-level-3").read_text(encoding="utf-8"))
    assert data["child"]["seen_on"] == ["2026-09-22", "2026-10-01"]  # given as 2026-09-22 and 01/10/2026


def test_a_father_not_contacted_is_named_in_the_summary_and_every_report(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect(
        "assess", "--answers", CASES / "15-father-not-contacted.yaml", "--out", tmp_path / "r.json", "--force"
    )
    assert ran.exit_code == 0, ran.output
    said = "Father: not seen or spoken to. What he brings to the child's care, and any risk, is not known"
    summary = " ".join(ran.stdout.split())
    assert f"To check: {said}" in summary
    # right under the level, before the domains
    assert summary.index(said) < summary.index("DOMAINS")
    for fmt in ("terminal", "md", "html"):
        text = report(neglect, tmp_path / "r.json", fmt)
        assert said in text.replace("&#x27;", "'"), fmt
    md = report(neglect, tmp_path / "r.json", "md")
    assert "| Father | father | no | Has the child every other weekend. | not seen, not spoken to |" in md
    # the mother's partner is a man who was seen: not named as not contacted
    assert "To check:** Partner A" not in md and "Partner A, a male carer" not in md


def test_a_partner_who_is_a_man_and_not_contacted_is_named_as_a_male_carer(neglect: Neglect, tmp_path: Path) -> None:
    case = yaml.safe_load((CASES / "15-father-not-contacted.yaml").read_text(encoding="utf-8"))
    case["household"][2].update(seen=False, spoken_to=False)
    case["tool"] = "neglect-core@3.0.0"
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case), encoding="utf-8")
    ran = neglect("assess", "--answers", path, "--out", tmp_path / "r.json")
    assert ran.exit_code == 0, ran.output
    said = "Partner A, a male carer who lives with the child: not seen or spoken to"
    assert said in " ".join(ran.stdout.split())


def test_a_household_with_no_father_asks_for_him_and_whoever_has_parental_responsibility(
    neglect: Neglect, tmp_path: Path
) -> None:
    """Review 4: every child has a father; the report asks whether he was contacted, or why not."""
    case = yaml.safe_load((CASES / "15-father-not-contacted.yaml").read_text(encoding="utf-8"))
    case["household"] = [adult for adult in case["household"] if adult["role"] != "father"]
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case), encoding="utf-8")
    ran = neglect("assess", "--answers", path, "--out", tmp_path / "r.json")
    assert ran.exit_code == 0, ran.output
    said = (
        "No father is recorded. Record the child's father or other parent, and anyone with parental "
        "responsibility, and whether they were contacted, or why not"
    )
    for fmt in ("terminal", "md", "html"):
        shown = " ".join(report(neglect, tmp_path / "r.json", fmt).split()).replace("&#x27;", "'")
        assert said in shown, fmt
    with_father = tmp_path / "father.json"
    assert neglect("assess", "--answers", CASES / "15-father-not-contacted.yaml", "--out", with_father).exit_code == 0
    assert "No father is recorded" not in report(neglect, with_father, "md")


def test_not_seen_alone_at_level_3_prompts_a_consultation_and_keeps_the_level(neglect: Neglect, tmp_path: Path) -> None:
    record = assessed(neglect, tmp_path, "16-not-seen-alone-level-3")
    data = json.loads(record.read_text(encoding="utf-8"))
    prompt = next(e for e in data["result"]["escalations"] if e["id"] == "see-child-alone")
    assert prompt["severity"] == "consult" and prompt["minimum_band"] is None
    assert prompt["title"] == "See the child on their own before deciding"
    assert data["result"]["overall"]["band"] == data["result"]["overall"]["computed_band"] == "level-3"
    text = report(neglect, record, "terminal")
    assert "SEEN AND HEARD The child was not seen on their own." in text
    # seen alone, the same case has no such prompt, and the same level
    case = yaml.safe_load((CASES / "16-not-seen-alone-level-3.yaml").read_text(encoding="utf-8"))
    case["child"]["seen_alone"] = True
    path = tmp_path / "alone.yaml"
    path.write_text(yaml.safe_dump(case), encoding="utf-8")
    ran = neglect("score", path, "--format", "json")
    row = json.loads(ran.stdout)[0]
    assert "see-child-alone" not in row["escalations"] and row["final_band"] == "level-3"


def test_a_baby_without_words_is_described_by_what_was_observed(neglect: Neglect, tmp_path: Path) -> None:
    record = assessed(neglect, tmp_path, "19-baby-seen-no-words")
    for fmt in ("terminal", "md", "html"):
        text = report(neglect, record, fmt)
        assert "Seen and heard" in text or "SEEN AND HEARD" in text, fmt
        assert "child's day" not in text.lower() and "child&#x27;s day" not in text.lower(), fmt
        assert "Babbles, reaches for toys and rolls." in text, fmt
        assert "Uses words" in text and "Not recorded. Has the child been seen" not in text


def test_reports_show_sources_strengths_beside_worries_and_capacity(neglect: Neglect, tmp_path: Path) -> None:
    record = assessed(neglect, tmp_path, "16-not-seen-alone-level-3")
    md = report(neglect, record, "md")
    assert "- Source: told by school or nursery, 2026-09-15" in md
    worries = md.index("**What we are worried about**")
    assert worries < md.index("**What is going well**") < md.index("**What keeps the child safe now**")
    assert "- Food and nutrition: 4 — Needs often not met (told by school or nursery, 2026-09-15)" in md
    assert "## Response to help and capacity to change" in md
    assert "- **Is change happening within the child's timescale?** partly" in md
    terminal = report(neglect, record, "terminal")
    assert "Food and nutrition: 4 — Needs often not met (told by school or nursery, 2026-09-15)" in terminal
    assert "RESPONSE TO HELP AND CAPACITY TO CHANGE" in terminal
    html = report(neglect, record, "html")
    assert '<div class="beside">' in html and "Source: told by school or nursery, 2026-09-15" in html


def world_free_text(case: str) -> list[str]:
    """Every free-text string a case gives in the world sections and evidence (labels included)."""
    data: dict[str, Any] = yaml.safe_load((CASES / f"{case}.yaml").read_text(encoding="utf-8"))
    found: list[str] = []
    child = data.get("child", {})
    found += [child["observed"]] if "observed" in child else []
    found += list(child.get("voice", {}).values())
    for adult in data.get("household", []):
        found += [adult[k] for k in ("part_in_care", "checks") if k in adult]
        if adult["label"] not in ("Mother", "Father"):
            found.append(adult["label"])
    for key in ("strengths", "capacity"):
        notes = {k: v for k, v in data.get(key, {}).items() if k not in ("understanding", "timescale")}
        found += [v for v in notes.values() if isinstance(v, str)]
    found += [a["evidence"] for a in data["answers"].values() if isinstance(a, dict) and "evidence" in a]
    return [" ".join(text.split())[:40] for text in found]


@pytest.mark.parametrize("case", ["15-father-not-contacted", "16-not-seen-alone-level-3", "19-baby-seen-no-words"])
def test_redact_removes_the_free_text_of_every_world_section(neglect: Neglect, tmp_path: Path, case: str) -> None:
    record = assessed(neglect, tmp_path, case)
    texts = world_free_text(case)
    assert len(texts) >= 8
    for fmt in ("terminal", "md", "html"):
        shown = report(neglect, record, fmt, "--redact").replace("&#x27;", "'")
        leaked = [t for t in texts if t in shown]
        assert leaked == [], f"{fmt}: {leaked}"
    redacted = assessed(neglect, tmp_path, case, "--redact", "--force")
    raw = " ".join(redacted.read_text(encoding="utf-8").split())
    assert [t for t in texts if t in json.dumps(raw)[1:-1] or t in raw] == []
    data = json.loads(redacted.read_text(encoding="utf-8"))
    labels = [adult["label"] for adult in data["household"]]  # a label might have been typed as a name
    assert all(re.fullmatch(r"(Mother|Father|Partner|Grandparent|Other) [0-9]+", label) for label in labels), labels


def test_identity_is_recorded_for_monitoring_and_never_scored(neglect: Neglect, tmp_path: Path) -> None:
    case = yaml.safe_load((CASES / "15-father-not-contacted.yaml").read_text(encoding="utf-8"))
    plain = tmp_path / "plain.yaml"
    plain.write_text(yaml.safe_dump(case), encoding="utf-8")
    case["identity"] = {
        "ethnicity": "White and Black Caribbean",
        "language": "English and Portuguese",
        "interpreter_used": False,
        "no_recourse_to_public_funds": True,
    }
    given = tmp_path / "identity.yaml"
    given.write_text(yaml.safe_dump(case), encoding="utf-8")
    results = [json.loads(neglect("score", path, "--format", "json").stdout)[0] for path in (plain, given)]
    for row in results:
        row.pop("file")
    assert results[0] == results[1]
    record = tmp_path / "r.json"
    assert neglect("assess", "--answers", given, "--out", record).exit_code == 0
    md = report(neglect, record, "md")
    assert "## Identity and access (for monitoring)" in md and "- **No recourse to public funds:** yes" in md
    redacted = report(neglect, record, "md", "--redact")
    assert "Portuguese" not in redacted and "Caribbean" not in redacted
    assert "- **No recourse to public funds:** yes" in redacted  # yes/no cannot carry words


def test_diff_shows_where_the_evidence_came_from_changing(neglect: Neglect, tmp_path: Path) -> None:
    old = assessed(neglect, tmp_path, "18a-evidence-told-by-school")
    new = assessed(neglect, tmp_path, "18b-evidence-seen-at-home")
    ran = neglect("diff", old, new)
    assert ran.exit_code == 0, ran.output
    assert "2 kept their rating with evidence from a different source" in " ".join(ran.stdout.split())
    text = neglect("diff", old, new, "--format", "md").stdout
    assert "| physical.clothing | same rating, source changed |" in text
    assert (
        "(source: told by school or nursery, 2026-05-20)" in text
        and "(source: seen by the assessor, 2026-07-08)" in text
    )
    data = json.loads(neglect("diff", old, new, "--format", "json").stdout)
    changed = {i["item"]: i for i in data["items"] if i["change"] == "source"}
    assert set(changed) == {"physical.clothing", "physical.hygiene"}
    assert changed["physical.hygiene"]["old"]["source"] == "told by school or nursery, 2026-05-20"
    dates = {"section": "Seen and heard", "what": "dates seen", "old": "2026-06-03", "new": "2026-06-03, 2026-07-08"}
    assert dates in data["world"]
    assert neglect("diff", old, new, "--exit-code").exit_code == 1


def test_a_record_of_the_previous_version_still_verifies_reports_and_diffs_with_a_new_one(
    neglect: Neglect, tmp_path: Path
) -> None:
    case = yaml.safe_load((CASES / "16-not-seen-alone-level-3.yaml").read_text(encoding="utf-8"))
    for key in ("child", "household", "strengths", "capacity", "expect"):
        case.pop(key)
    for answer in case["answers"].values():
        if isinstance(answer, dict):
            answer.pop("source", None)
    case["tool"] = "neglect-core@2.0.0"
    case["case"]["assessed_on"] = "2026-08-03"
    # 2.0.0 had one sleep item and one history fact (3.0.0 split and widened them)
    case["answers"]["physical.sleep"] = case["answers"].pop("physical.sleep_routine")
    case["answers"].pop("physical.settled_home")
    for fact in ("earlier_early_help", "earlier_child_in_need", "earlier_neglect_referral"):
        case["context"].pop(fact, None)
    for fact in ("earlier_protection_plans", "siblings_elsewhere", "carers_care_experienced"):
        case["context"].pop(fact, None)
    case["context"]["previous_neglect_plans"] = False
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(case), encoding="utf-8")
    old = tmp_path / "old.json"
    assert neglect("assess", "--answers", path, "--out", old).exit_code == 0
    assert neglect("verify", old).exit_code == 0
    assert "The child's voice" in report(neglect, old, "md")
    new = assessed(neglect, tmp_path, "16-not-seen-alone-level-3")
    ran = neglect("diff", old, new)
    assert ran.exit_code == 0, ran.output
    text = " ".join(ran.stdout.split())
    assert f"the tool version changed: OLD neglect-core 2.0.0, NEW {CORE_VERSION}" in text
    assert "Household section: not recorded → recorded" in text


# --- review 4, 1.6 and 1.7: every adult the assessment has not reached is named ------------------


def _household_case(neglect: Neglect, tmp_path: Path, *adults: dict[str, Any], engagement: str = "engaged") -> Path:
    case = yaml.safe_load((CASES / "15-father-not-contacted.yaml").read_text(encoding="utf-8"))
    case.pop("expect")
    case["household"] = [case["household"][0], *adults]
    case["context"]["engagement"] = engagement
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    out = tmp_path / "r.json"
    ran = neglect("assess", "--answers", path, "--out", out)
    assert ran.exit_code == 0, ran.output
    return out


ADULT = {"lives_with_child": True, "part_in_care": "Lives in the home.", "engagement": "engaged"}


@pytest.mark.parametrize(
    ("adult", "said"),
    [
        # a woman living with the child, never seen: named, whatever her sex
        (
            {"role": "other", "label": "Aunt", "male": False, "seen": False, "spoken_to": False, "checks": "Done."},
            "Aunt (another adult), who lives with the child: not seen or spoken to. What they bring to the child's "
            "care, and any risk, is not known to this assessment. See or speak to them, or record why not (for "
            "example not known, or not safe).",
        ),
        # a male carer seen at the door but never spoken to
        (
            {"role": "partner", "label": "Partner A", "male": True, "seen": True, "spoken_to": False, "checks": "Yes"},
            "Partner A, a male carer who lives with the child: seen but not spoken to. Ask him about his",
        ),
        # review 6: a grandparent who minds the child is checked like any other adult; the label already says
        # the role, so it is not repeated in brackets
        (
            {"role": "grandparent", "label": "Grandmother", "lives_with_child": False, "part_in_care": "Minds "
             "the child three days a week.", "seen": True, "spoken_to": True},
            "Grandmother, who has a part in the child's care: no checks recorded. Record what was checked",
        ),
        # a partner living in the home with no checks recorded
        (
            {"role": "partner", "label": "Partner B", "male": False, "seen": True, "spoken_to": True},
            "Partner B, who lives with the child: no checks recorded. Record what was checked",
        ),
    ],
)
def test_an_adult_the_assessment_has_not_reached_is_named_in_the_summary_and_every_report(
    neglect: Neglect, tmp_path: Path, adult: dict[str, Any], said: str
) -> None:
    record = _household_case(neglect, tmp_path, ADULT | adult)
    for fmt in ("md", "html"):
        text = " ".join(report(neglect, record, fmt).split()).replace("&#x27;", "'")
        assert said in text, fmt
    shown = " ".join(neglect("report", record).stdout.split())
    assert said in shown


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_an_adult_with_more_than_one_thing_not_done_has_one_line_naming_each(
    neglect: Neglect, tmp_path: Path, fmt: str
) -> None:
    """Review 5's e1: Partner A lives with the child, was never seen or spoken to and has no checks; Aunt was seen
    but not spoken to and has no checks. Each is one "To check:" line naming everything not done for them."""
    out = tmp_path / "r.json"
    ran = neglect("assess", "--answers", REVIEW5 / "e1-household-unseen-adults.yaml", "--out", out, "--partial")
    assert ran.exit_code == 0, ran.output
    shown = report(neglect, out, fmt).replace("&#x27;", "'").replace("**To check:**", "To check:")
    shown = shown.replace("<strong>To check:</strong>", "To check:")
    for label, gaps in (
        ("Partner A,", "not seen or spoken to; no checks recorded."),
        ("Aunt (another adult),", "seen but not spoken to; no checks recorded."),
        ("Partner B,", "not seen or spoken to; no checks recorded."),
    ):
        assert shown.count(f"To check: {label}") == 1, (fmt, label)
        assert gaps in shown.split(f"To check: {label}")[1].split("To check:")[0], (fmt, label)


def test_an_adult_reached_and_checked_is_not_named(neglect: Neglect, tmp_path: Path) -> None:
    adult = {"role": "partner", "label": "Partner A", "male": True, "seen": True, "spoken_to": True}
    record = _household_case(neglect, tmp_path, ADULT | adult | {"checks": "Police checks: nothing known."})
    text = " ".join(report(neglect, record, "md").split())
    assert "Partner A" not in text.split("## Household")[0]  # nothing at the top of the summary


def test_a_family_recorded_as_engaged_with_an_adult_who_agrees_without_change_is_flagged(
    neglect: Neglect, tmp_path: Path
) -> None:
    adult = {"role": "partner", "label": "Partner A", "male": True, "seen": True, "spoken_to": True, "checks": "Done."}
    record = _household_case(neglect, tmp_path, ADULT | adult | {"engagement": "agrees_no_change"})
    text = " ".join(report(neglect, record, "md").split())
    said = (
        "Partner A, a male carer who lives with the child: agrees to changes that do not happen, while the "
        "carers' response to help is recorded as engaged"
    )
    assert said in text


REVIEW5 = CASES.parents[1] / "tests" / "fixtures" / "levels" / "review5"


@pytest.mark.parametrize(
    ("stem", "said"),
    [
        # review 5, fix 8: no household section says so
        ("e2-no-household-section-level-3", "Nobody is recorded as living with or caring for the child"),
        # fix 9: a man who minds the child overnight, not living there, never checked
        (
            "e1-household-unseen-adults",
            "Partner B, a male carer who has a part in the child's care: not seen or spoken to; no checks",
        ),
        # fix 11: seen, but eight months before the assessment
        (
            "e3-child-last-seen-eight-months-ago",
            "The child was last seen on 2026-03-20, 249 days before this assessment (more than 9 weeks)",
        ),
        # fix 12: the family's response left blank while the household says nothing changes
        (
            "g1-recurrence-engagement-blank-household-says-no-change",
            "Mother, who lives with the child: agrees to changes that do not happen, while the carers' response to "
            "help is not answered",
        ),
    ],
)
def test_what_the_world_sections_leave_out_is_said_at_the_top_of_every_report(
    neglect: Neglect, tmp_path: Path, stem: str, said: str
) -> None:
    out = tmp_path / "r.json"
    ran = neglect("assess", "--answers", REVIEW5 / f"{stem}.yaml", "--out", out, "--partial")
    assert ran.exit_code == 0, ran.output
    for fmt in ("terminal", "md", "html"):
        shown = " ".join(report(neglect, out, fmt).split()).replace("&#x27;", "'")
        assert f"To check: {said}" in shown.replace("**To check:**", "To check:").replace(
            "<strong>To check:</strong>", "To check:"
        ), fmt


def test_a_response_to_help_is_called_blank_only_when_the_tool_asks_for_one() -> None:
    from neglect_cli.world import Adult, household_alerts

    adult = Adult.model_validate(
        {"role": "mother", "label": "Mother", "lives_with_child": True, "seen": True, "spoken_to": True,
         "engagement": "agrees_no_change"}
    )
    assert [a.kind for a in household_alerts([adult], None, engagement_asked=True)] == ["engagement_blank"]
    assert household_alerts([adult], None, engagement_asked=False) == []  # a tool with no such question


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_a_child_seen_only_long_before_the_assessment_is_said_not_seen_for_it(
    neglect: Neglect, tmp_path: Path, fmt: str
) -> None:
    """Review 5's e3: `seen: true`, `seen_alone: true`, but only on a date 8 months before the assessment. The
    seen-and-heard section says the child was not seen for this assessment, not that all is well."""
    out = tmp_path / "r.json"
    case = REVIEW5 / "e3-child-last-seen-eight-months-ago.yaml"
    ran = neglect("assess", "--answers", case, "--out", out, "--partial")
    assert ran.exit_code == 0, ran.output
    shown = report(neglect, out, fmt)
    assert "The child was not seen for this assessment: last seen on 2026-03-20." in shown, fmt
    # review 6, 3.4: the rows agree with it, with the figure, rather than saying "yes"
    flat = " ".join(re.sub(r"<[^>]+>|[|:*]", " ", shown).split())
    assert "Seen not for this assessment (last seen 2026-03-20, 249 days before)" in flat, fmt
    assert "Seen on their own not for this assessment" in flat, fmt
    assert "Seen on their own yes" not in flat, fmt


TRAINER_CASES = sorted(
    path for path in CASES.glob("*.yaml") if path.name[:2] in {f"{n:02d}" for n in range(1, 15)} | {"17"}
)


@pytest.mark.parametrize("case", TRAINER_CASES, ids=lambda path: path.stem)
def test_a_trainer_case_records_the_household(neglect: Neglect, tmp_path: Path, case: Path) -> None:
    """Review 6, section 6: the trainer cases model practice, so they record who lives with or cares for the child
    (roles and labels only) and their reports do not open with "Nobody is recorded ..."."""
    assert yaml.safe_load(case.read_text(encoding="utf-8"))["household"], case.name
    out = tmp_path / "r.json"
    ran = neglect("assess", "--answers", case, "--out", out, "--partial")
    assert ran.exit_code == 0, ran.output
    assert "Nobody is recorded as living with or caring for the child" not in report(neglect, out, "md")


NOBODY_LIVES_WITH = (
    "No adult is recorded as living with the child: find out who is responsible for them, and where they will "
    "sleep tonight."
)


def _to_check_and_household(shown: str, fmt: str) -> tuple[str, str]:
    """The "To check:" lines at the top of a report, and its household section, each flattened to one line."""
    flat = " ".join(shown.replace("&#x27;", "'").split())
    flat = flat.replace("**To check:**", "To check:").replace("<strong>To check:</strong>", "To check:")
    top, _, rest = flat.partition({"terminal": "DOMAINS", "md": "## Domains", "html": "id=\"domains\""}[fmt])
    household = rest.partition("Household and significant adults")[2] or rest.partition("HOUSEHOLD")[2]
    return top, household


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
@pytest.mark.parametrize(
    ("lives_with", "said"),
    [((False, False), True), ((True, False), False), ((False, True), False), ((), True)],
    ids=["nobody", "mother", "father", "no-adults"],
)
def test_a_household_where_nobody_lives_with_the_child_is_said_under_to_check_and_in_the_household(
    neglect: Neglect, tmp_path: Path, fmt: str, lives_with: tuple[bool, ...], said: bool
) -> None:
    """Review 8, 7b: a household recorded and no adult in it living with the child (a 16-year-old on friends'
    sofas) is said at the top and in the household section; one adult living with the child, and it is not."""
    case = yaml.safe_load((CASES / "15-father-not-contacted.yaml").read_text(encoding="utf-8"))
    case.pop("expect")
    case["household"] = [
        adult | {"lives_with_child": lives}
        for adult, lives in zip(case["household"][: len(lives_with)], lives_with, strict=True)
    ]
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    out = tmp_path / "r.json"
    ran = neglect("assess", "--answers", path, "--out", out)
    assert ran.exit_code == 0, ran.output
    ran = neglect("report", out, "--format", fmt)
    assert ran.exit_code == 0, ran.output
    top, household = _to_check_and_household(ran.stdout, fmt)
    assert (f"To check: {NOBODY_LIVES_WITH}" in top) is said, fmt
    assert (NOBODY_LIVES_WITH in household) is said, fmt
    assert "Nobody is recorded as living with or caring for the child" not in top  # a household is recorded
