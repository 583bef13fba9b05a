"""The guided walk, driven through its Prompter interface by a scripted practitioner."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from helpers import TESTS
from helpers.scripted import TypedThen
from helpers.walktool import CASE, FACTS, FINISH, RECORD_NAME, TOOL, answers_of, read_record, walk


def drafts_folder() -> Path:
    from neglect_cli.drafts import drafts_dir

    return drafts_dir()


def test_full_walk_writes_a_sealed_private_record_and_removes_the_draft(tmp_path: Path) -> None:
    script = CASE + FACTS + ["1", "2", "3", "Not brought to two checks in May", "1"] + ["Mum is sad a lot", "k", "s"]
    outcome, prompter = walk(tmp_path, script)

    assert outcome.status == "written"
    path = tmp_path / RECORD_NAME
    assert outcome.record_path == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    record = read_record(tmp_path)
    rows = answers_of(record)
    assert rows["physical.food"]["value"] == 1
    assert rows["physical.home"]["value"] == 2
    assert rows["medical.appointments"] | {"item": None} == {
        "item": None,
        "domain": "medical",
        "status": "answered",
        "value": 3,
        "evidence": "Not brought to two checks in May",
        "reason": None,
        "hardship": False,
    }
    assert rows["medical.teeth"]["value"] == 1
    assert record["case"] == {"ref": "CASE-1", "assessed_on": "2026-11-24", "assessor": "A. Worker", "supervisor": None}
    assert record["context"] == {
        "age_months": 30,
        "engagement": "engaged",
        "parental_factors": ["substance_misuse"],
        "hardship": False,
        "last_seen": "2026-11-01",
    }
    assert record["child_voice"] == "Mum is sad a lot"
    assert record["result"]["overall"]["band"] == "mid"
    assert record["result"]["override"] is None

    from neglect_cli.record import integrity_problems, load_record

    assert integrity_problems(load_record(path)) == []
    assert list(drafts_folder().glob("*.json")) == []
    assert not prompter.script, "the walk asked fewer questions than scripted"


def test_each_domain_ends_with_a_one_line_score_and_band(tmp_path: Path) -> None:
    _, prompter = walk(tmp_path, CASE + FACTS + ["1", "2", "3", "Two checks missed", "1"] + FINISH)
    lines = prompter.shown("say")
    assert "Physical care: score 1.50 — Low (2 of 2 rated)" in lines
    assert "Health care: score 2.00 — Middle (2 of 2 rated)" in lines
    assert prompter.index("say", "Physical care: score") < prompter.index("choose", "Rating for Appointments")


def test_items_outside_the_childs_age_are_skipped_with_a_notice(tmp_path: Path) -> None:
    outcome, prompter = walk(tmp_path, CASE + FACTS + ["1", "1", "1", "1"] + FINISH)
    assert outcome.status == "written"
    assert "Skipped Baby sleep: applies to ages 0–12 months; this child is 30 months." in prompter.shown("say")
    assert not any("physical.baby_sleep" in m for m in prompter.shown("choose"))
    assert answers_of(read_record(tmp_path))["physical.baby_sleep"]["status"] == "not_applicable"


def test_a_baby_is_asked_the_baby_items(tmp_path: Path) -> None:
    facts = ["6", *FACTS[1:]]
    outcome, prompter = walk(tmp_path, CASE + facts + ["1", "2", "1", "1", "1"] + FINISH)
    assert outcome.status == "written"
    assert "Rating for Baby sleep" in prompter.shown("choose")
    assert answers_of(read_record(tmp_path))["physical.baby_sleep"]["value"] == 2


def test_back_returns_to_the_previous_item_and_the_changed_answer_is_kept(tmp_path: Path) -> None:
    script = CASE + FACTS + ["1", "b", "2", "Seen hungry at school on 3 Nov", "1", "1", "1"] + FINISH
    outcome, prompter = walk(tmp_path, script)
    assert outcome.status == "written"
    asked = [m for m in prompter.shown("choose") if m.startswith("Rating for")]
    assert asked == [
        "Rating for Food",
        "Rating for Home",
        "Rating for Food",
        "Rating for Home",
        "Rating for Appointments",
        "Rating for Teeth",
    ]
    food = answers_of(read_record(tmp_path))["physical.food"]
    assert (food["value"], food["evidence"]) == (2, "Seen hungry at school on 3 Nov")


def test_going_back_twice_walks_forward_again_through_the_answers_kept(tmp_path: Path) -> None:
    # At medical.appointments: back to physical.home, back to physical.food; Enter keeps each answer.
    script = CASE + FACTS + ["1", "2", "b", "b", "", "", "1", "1"] + FINISH
    outcome, prompter = walk(tmp_path, script)
    assert outcome.status == "written"
    asked = [m.removeprefix("Rating for ") for m in prompter.shown("choose") if m.startswith("Rating for")]
    assert asked == [
        "Food",
        "Home",
        "Appointments",
        "Home",
        "Food",
        "Home",
        "Appointments",
        "Teeth",
    ]
    rows = answers_of(read_record(tmp_path))
    assert (rows["physical.food"]["value"], rows["physical.home"]["value"]) == (1, 2)


def test_back_from_the_first_item_returns_to_the_facts_about_the_child(tmp_path: Path) -> None:
    # Age corrected from 30 to 6 months: the baby item now applies and is asked.
    script = CASE + FACTS + ["b", "6", "", [], "", "", "", "1", "1", "1", "1", "1"] + FINISH
    outcome, prompter = walk(tmp_path, script)
    assert outcome.status == "written"
    record = read_record(tmp_path)
    assert record["context"]["age_months"] == 6
    assert answers_of(record)["physical.baby_sleep"]["value"] == 1


def test_not_known_records_the_reason_and_is_not_scored(tmp_path: Path) -> None:
    script = CASE + FACTS + ["n", "Not yet seen at a mealtime", "3", "1", "1"] + FINISH
    outcome, _ = walk(tmp_path, script)
    assert outcome.status == "written"
    record = read_record(tmp_path)
    food = answers_of(record)["physical.food"]
    assert (food["status"], food["value"], food["reason"]) == ("not_known", None, "Not yet seen at a mealtime")
    physical = next(d for d in record["result"]["domains"] if d["id"] == "physical")
    assert (physical["score"], physical["answered"], physical["not_known"]) == (3.0, 1, 1)


def test_not_known_without_a_reason_goes_back_to_the_rating(tmp_path: Path) -> None:
    outcome, prompter = walk(tmp_path, CASE + FACTS + ["n", "", "1", "1", "1", "1"] + FINISH)
    assert outcome.status == "written"
    assert prompter.shown("choose").count("Rating for Food") == 2
    assert answers_of(read_record(tmp_path))["physical.food"]["status"] == "answered"


def test_evidence_is_required_at_or_above_evidence_from(tmp_path: Path) -> None:
    # physical.food needs evidence from 2; Enter on an empty note goes back to the rating.
    script = CASE + FACTS + ["2", "", "2", "Lunchbox empty three days running", "1", "1", "1"] + FINISH
    outcome, prompter = walk(tmp_path, script)
    assert outcome.status == "written"
    assert prompter.shown("choose").count("Rating for Food") == 2
    assert prompter.shown("text").count("Evidence for a rating of 2") == 2
    food = answers_of(read_record(tmp_path))["physical.food"]
    assert food["evidence"] == "Lunchbox empty three days running"


def test_no_evidence_is_asked_below_evidence_from(tmp_path: Path) -> None:
    outcome, prompter = walk(tmp_path, CASE + FACTS + ["1", "1", "2", "1"] + FINISH)
    assert outcome.status == "written"
    assert not any(m.startswith("Evidence") for m in prompter.shown("text"))


def test_guidance_is_shown_on_request_and_the_item_asked_again(tmp_path: Path) -> None:
    outcome, prompter = walk(tmp_path, CASE + FACTS + ["?", "1", "1", "1", "1"] + FINISH)
    assert outcome.status == "written"
    guidance = prompter.index("say", "Guidance: Look in the fridge and ask the school.")
    asked = [n for n, (k, m) in enumerate(prompter.events) if k == "choose" and m == "Rating for Food"]
    assert len(asked) == 2 and asked[0] < guidance < asked[1]
    # the scale's own descriptions fill in where the item has no anchor
    assert "2 Some worry: Small gaps." in prompter.shown("say")


def test_item_anchors_are_shown_with_the_item(tmp_path: Path) -> None:
    _, prompter = walk(tmp_path, CASE + FACTS + ["1", "1", "1", "1"] + FINISH)
    anchor = prompter.index("say", "3 Serious worry: Often hungry")
    assert anchor < prompter.index("choose", "Rating for Food")


def test_immediate_escalation_is_shown_before_the_next_item(tmp_path: Path) -> None:
    script = CASE + FACTS + ["3", "Child says there was no tea for two days", "1", "1", "1"] + FINISH
    outcome, prompter = walk(tmp_path, script)
    assert outcome.status == "written"
    alert = prompter.index("alert", "immediate: Danger now")
    assert prompter.index("choose", "Rating for Food") < alert < prompter.index("choose", "Rating for Home")
    assert prompter.shown("alert") == ["immediate: Danger now"], "shown once, and consult rules are not live alerts"
    assert read_record(tmp_path)["result"]["overall"]["escalated_band"] == "high"


def test_an_escalation_is_shown_again_if_it_stops_and_then_fires_again(tmp_path: Path) -> None:
    # food 3 fires it; back and change to 1 clears it; home 3 fires it again.
    script = CASE + FACTS + ["3", "No food in the house", "b", "1", "3", "1", "1"] + FINISH
    outcome, prompter = walk(tmp_path, script)
    assert outcome.status == "written"
    assert prompter.shown("alert") == ["immediate: Danger now", "immediate: Danger now"]


def test_override_needs_a_rationale_and_is_kept_beside_the_computed_band(tmp_path: Path) -> None:
    finish = ["", "o", "low", "", "Seen twice since; food now in the house", "T. Manager", "2026-11-20", "s"]
    outcome, prompter = walk(tmp_path, CASE + FACTS + ["1", "1", "3", "Three checks missed", "2"] + finish)
    assert outcome.status == "written"
    assert any("needs a rationale" in text for text in prompter.shown("invalid"))
    overall = read_record(tmp_path)["result"]["overall"]
    override = read_record(tmp_path)["result"]["override"]
    assert (overall["computed_band"], overall["escalated_band"], overall["band"]) == ("mid", "mid", "low")
    assert override == {
        "band": "low",
        "rationale": "Seen twice since; food now in the house",
        "agreed_by": "T. Manager",
        "agreed_on": "2026-11-20",
    }
    assert "Final level of need: Low (practitioner override)" in prompter.shown("say")


def test_the_summary_is_shown_before_saving(tmp_path: Path) -> None:
    _, prompter = walk(tmp_path, CASE + FACTS + ["1", "1", "3", "Three checks missed", "2"] + FINISH)
    assert prompter.shown("summary") == ["mid"]
    assert prompter.index("summary", "mid") < prompter.index("choose", "Save the assessment?")


def test_an_answer_can_be_changed_before_saving(tmp_path: Path) -> None:
    finish = ["", "k", "c", "physical.home", "3", "", "", "s"]
    outcome, prompter = walk(tmp_path, CASE + FACTS + ["1", "1", "1", "1"] + finish)
    assert outcome.status == "written"
    assert "immediate: Danger now" in prompter.shown("alert")
    assert prompter.shown("summary") == ["low", "high"]
    assert answers_of(read_record(tmp_path))["physical.home"]["value"] == 3


def test_case_reference_that_looks_like_a_name_is_refused(tmp_path: Path) -> None:
    outcome, prompter = walk(tmp_path, ["Jane Smith", *CASE] + FACTS + ["1", "1", "1", "1"] + FINISH)
    assert outcome.status == "written"
    assert prompter.shown("invalid") == ["use a pseudonymous case reference (no spaces), never a name"]


def test_assessment_date_defaults_to_today_and_cannot_be_in_the_future(tmp_path: Path) -> None:
    case = ["CASE-1", "2026-12-25", "2026-11-20", "", ""]
    outcome, prompter = walk(tmp_path, case + FACTS + ["1", "1", "1", "1"] + FINISH, out=tmp_path / "r.json")
    assert outcome.status == "written"
    assert prompter.shown("invalid") == ["the assessment date cannot be in the future"]
    assert read_record(tmp_path, "r.json")["case"]["assessed_on"] == "2026-11-20"


def test_an_assessment_date_a_millennium_ago_is_asked_again(tmp_path: Path) -> None:
    # the independent check (hostile2): 20/11/1026 (for 2026) was taken, and the record dated in 1026
    case = ["CASE-1", "20/11/1026", "20/11/2026", "", ""]
    outcome, prompter = walk(tmp_path, case + FACTS + ["1", "1", "1", "1"] + FINISH, out=tmp_path / "r.json")
    assert outcome.status == "written"
    assert prompter.shown("invalid") == ["1026-11-20 is before 1900-01-01: check the year"]
    assert read_record(tmp_path, "r.json")["case"]["assessed_on"] == "2026-11-20"


def test_a_uk_date_is_taken_in_the_walk_and_written_as_iso(tmp_path: Path) -> None:
    case = ["CASE-1", "20/11/26", "20/11/2026", "", ""]
    outcome, prompter = walk(tmp_path, case + FACTS + ["1", "1", "1", "1"] + FINISH, out=tmp_path / "r.json")
    assert outcome.status == "written"
    assert prompter.shown("invalid") == [
        "`20/11/26` is ambiguous: give the year in full, as YYYY-MM-DD (2026-11-27) or DD/MM/YYYY (27/11/2026)"
    ]
    assert read_record(tmp_path, "r.json")["case"]["assessed_on"] == "2026-11-20"


def test_context_facts_are_checked_by_type(tmp_path: Path) -> None:
    facts = ["", "abc", "300", "30", "s", [], "s", "20-11-2026", "", "Food bank voucher given"]
    outcome, prompter = walk(tmp_path, CASE + facts + ["1", "1", "1", "1"] + FINISH)
    assert outcome.status == "written"
    assert prompter.shown("invalid") == [
        "this fact is required",
        "must be a whole number",
        "must be at most 216",
        "must be a date: `20-11-2026`: dates are read with slashes, day first, or in ISO form; write it as "
        "YYYY-MM-DD (2026-11-27) or DD/MM/YYYY (27/11/2026)",
    ]
    assert read_record(tmp_path)["context"] == {
        "age_months": 30,
        "parental_factors": [],
        "notes": "Food bank voucher given",
    }


def test_an_existing_record_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / RECORD_NAME).write_text("earlier record\n", encoding="utf-8")
    outcome, prompter = walk(tmp_path, CASE + FACTS + ["1", "1", "1", "1"] + FINISH)
    assert outcome.record_path == tmp_path / "CASE-1_2026-11-24-2.json"
    assert (tmp_path / RECORD_NAME).read_text(encoding="utf-8") == "earlier record\n"
    assert any("already exists and is kept" in line for line in prompter.shown("say"))


def test_redact_leaves_free_text_out_of_the_record(tmp_path: Path) -> None:
    script = CASE + FACTS + ["2", "Lunchbox empty", "1", "1", "1", "Mum is sad", "k", "s"]
    outcome, _ = walk(tmp_path, script, redact=True)
    assert outcome.status == "written"
    text = (tmp_path / RECORD_NAME).read_text(encoding="utf-8")
    assert "Lunchbox empty" not in text and "Mum is sad" not in text and "A. Worker" not in text


# --- drafts and resuming ----------------------------------------------------------------


def test_the_draft_holds_every_answer_given_before_the_walk_stopped(tmp_path: Path) -> None:
    outcome, _ = walk(tmp_path, CASE + FACTS + ["2", "Lunchbox empty", "n", "Not visited yet"])  # then Ctrl-D
    assert outcome.status == "interrupted"
    # the program as it runs here (`neglect`, the venv's script or `python -m neglect_cli`), then the command
    assert outcome.resume_command is not None and outcome.resume_command.endswith(" assess --resume CASE-1")
    assert outcome.draft_path is not None
    assert stat.S_IMODE(outcome.draft_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(outcome.draft_path.parent.stat().st_mode) == 0o700
    draft = json.loads(outcome.draft_path.read_text(encoding="utf-8"))
    assert draft["schema"] == "neglect-draft/1"
    assert draft["tool"]["id"] == "walk-test" and len(draft["tool"]["sha256"]) == 64
    assert draft["answers"] == {
        "physical.food": {
            "value": 2,
            "evidence": "Lunchbox empty",
            "not_known": None,
            "does_not_apply": None,
            "hardship": False,
            "source": None,
        },
        "physical.home": {
            "value": None,
            "evidence": None,
            "not_known": "Not visited yet",
            "does_not_apply": None,
            "hardship": False,
            "source": None,
        },
    }
    assert draft["context"]["age_months"] == 30
    assert draft["position"] == "medical.appointments"
    assert draft["progress"] == {"answered": 2, "applicable": 4}
    assert draft["saved_at"] == "2026-11-24T00:00:00Z"


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, EOFError])
def test_ctrl_c_or_ctrl_d_at_any_prompt_saves_the_draft(tmp_path: Path, interrupt: type[BaseException]) -> None:
    outcome, _ = walk(tmp_path, CASE + FACTS + ["1", "3", interrupt])
    assert outcome.status == "interrupted"
    assert outcome.draft_path is not None
    draft = json.loads(outcome.draft_path.read_text(encoding="utf-8"))
    assert set(draft["answers"]) == {"physical.food", "physical.home"}


def test_resume_continues_where_it_stopped_with_every_earlier_answer(tmp_path: Path) -> None:
    first, _ = walk(tmp_path, CASE + FACTS + ["2", "Lunchbox empty", "3", KeyboardInterrupt])
    assert first.status == "interrupted"
    outcome, prompter = walk(tmp_path, ["1", "1"] + FINISH, tool=None, resume="CASE-1")
    assert outcome.status == "written"
    asked = [m for m in prompter.shown("choose") if m.startswith("Rating for")]
    assert asked == ["Rating for Appointments", "Rating for Teeth"]
    assert "Still open: IMMEDIATE: Danger now" in prompter.shown("say")
    assert prompter.shown("alert") == [], "an escalation already shown is not sprung again on resume"
    rows = answers_of(read_record(tmp_path))
    assert (rows["physical.food"]["value"], rows["physical.food"]["evidence"]) == (2, "Lunchbox empty")
    assert [rows[i]["value"] for i in ("physical.home", "medical.appointments", "medical.teeth")] == [3, 1, 1]
    assert read_record(tmp_path)["context"]["parental_factors"] == ["substance_misuse"]
    assert list(drafts_folder().glob("*.json")) == []


def test_resume_writes_the_record_where_the_walk_began_and_keeps_redaction(tmp_path: Path) -> None:
    chosen = tmp_path / "records" / "chosen.json"
    chosen.parent.mkdir()
    first, _ = walk(tmp_path, CASE + FACTS + ["2", "Lunchbox empty", KeyboardInterrupt], out=chosen, redact=True)
    assert first.status == "interrupted"
    outcome, _ = walk(tmp_path, ["1", "1", "1"] + FINISH, tool=None, resume="CASE-1", out=None)
    assert outcome.status == "written"
    assert outcome.record_path == chosen and not (tmp_path / RECORD_NAME).exists()
    text = chosen.read_text(encoding="utf-8")
    assert "Lunchbox empty" not in text and json.loads(text)["redacted"] is True


def test_an_out_given_on_resume_replaces_the_one_given_at_the_start(tmp_path: Path) -> None:
    walk(tmp_path, CASE + FACTS + ["2", "Lunchbox empty", KeyboardInterrupt], out=tmp_path / "first.json")
    outcome, _ = walk(tmp_path, ["1", "1", "1"] + FINISH, tool=None, resume="CASE-1", out=tmp_path / "second.json")
    assert outcome.record_path == tmp_path / "second.json"
    assert not (tmp_path / "first.json").exists()


def test_resume_with_the_drafts_own_tool_carries_on_and_with_another_is_refused(tmp_path: Path) -> None:
    from neglect_cli.errors import UserError

    walk(tmp_path, CASE + FACTS + ["2", "Lunchbox empty", KeyboardInterrupt])
    other = TESTS / "fixtures" / "tools" / "mini.yaml"
    with pytest.raises(UserError, match=r"--tool mini@1\.0\.0 is not the tool of this draft \(walk-test@"):
        walk(tmp_path, [], tool=str(other), resume="CASE-1")
    assert list(drafts_folder().glob("*.json")), "the draft is untouched"
    outcome, _ = walk(tmp_path, ["1", "1", "1"] + FINISH, tool=str(TOOL), resume="CASE-1")
    assert outcome.status == "written"


def test_a_note_cut_off_mid_typing_is_kept_and_offered_again_on_resume(tmp_path: Path) -> None:
    first, _ = walk(tmp_path, CASE + FACTS + ["3", TypedThen("Fridge empty on two vis")])
    assert first.status == "interrupted" and first.draft_path is not None
    pending = json.loads(first.draft_path.read_text(encoding="utf-8"))["pending"]
    assert pending == {"item": "physical.food", "value": 3, "text": "Fridge empty on two vis"}
    # on resume the rating is offered again with the note filled in: Enter accepts both
    outcome, prompter = walk(tmp_path, ["", "", "1", "1", "1"] + FINISH, tool=None, resume="CASE-1")
    assert outcome.status == "written"
    assert any("you were writing when the walk stopped is kept" in m for m in prompter.shown("say"))
    assert prompter.defaults[0] == "Fridge empty on two vis"
    food = answers_of(read_record(tmp_path))["physical.food"]
    assert (food["value"], food["evidence"]) == (3, "Fridge empty on two vis")


def test_a_reason_cut_off_mid_typing_is_kept_and_a_used_note_is_gone_from_the_draft(tmp_path: Path) -> None:
    walk(tmp_path, CASE + FACTS + ["n", TypedThen("Not seen at h", EOFError)])
    second, prompter = walk(tmp_path, ["", "... home yet", "1", KeyboardInterrupt], tool=None, resume="CASE-1")
    assert prompter.defaults[0] == "Not seen at h"
    assert second.draft_path is not None
    draft = json.loads(second.draft_path.read_text(encoding="utf-8"))
    assert draft["pending"] is None
    assert draft["answers"]["physical.food"]["not_known"] == "... home yet"


def test_a_note_cut_off_while_changing_an_answer_at_the_end_is_asked_first_on_resume(tmp_path: Path) -> None:
    change = ["", "k", "c", "physical.food", "3", TypedThen("Seen hungry at sch")]
    first, _ = walk(tmp_path, CASE + FACTS + ["1", "1", "1", "1"] + change)
    assert first.status == "interrupted"
    outcome, prompter = walk(tmp_path, ["", ""] + FINISH, tool=None, resume="CASE-1")
    assert outcome.status == "written"
    assert prompter.shown("choose")[0] == "Rating for Food"
    food = answers_of(read_record(tmp_path))["physical.food"]
    assert (food["value"], food["evidence"]) == (3, "Seen hungry at sch")


def test_resume_with_no_reference_offers_the_drafts(tmp_path: Path) -> None:
    walk(tmp_path, CASE + FACTS + ["1"])
    walk(tmp_path, ["CASE-2", *CASE[1:], *FACTS])
    outcome, prompter = walk(tmp_path, ["CASE-1", "1", "1", "1"] + FINISH, tool=None, resume="list")
    assert outcome.status == "written"
    assert prompter.shown("choose")[0] == "Which assessment do you want to carry on?"
    assert (tmp_path / RECORD_NAME).exists()


def test_resume_by_draft_path(tmp_path: Path) -> None:
    first, _ = walk(tmp_path, CASE + FACTS + ["1", "1", "1"])
    assert first.draft_path is not None
    outcome, _ = walk(tmp_path, ["1"] + FINISH, tool=None, resume=str(first.draft_path))
    assert outcome.status == "written"


def test_resume_of_an_unknown_case_is_a_clear_error(tmp_path: Path) -> None:
    from neglect_cli.errors import UserError

    with pytest.raises(UserError, match="no draft for 'NOPE-1'"):
        walk(tmp_path, [], tool=None, resume="NOPE-1")


def test_starting_a_case_that_has_a_draft_offers_to_carry_it_on(tmp_path: Path) -> None:
    walk(tmp_path, CASE + FACTS + ["1", "2"])
    outcome, prompter = walk(tmp_path, ["CASE-1", "r", "1", "1"] + FINISH)
    assert outcome.status == "written"
    assert "There is already a draft for CASE-1" in prompter.shown("choose")
    assert answers_of(read_record(tmp_path))["physical.home"]["value"] == 2


def test_a_draft_of_a_changed_tool_is_flagged_and_resumed_only_after_confirmation(tmp_path: Path) -> None:
    tool = tmp_path / "walk-tool.yaml"
    tool.write_text(TOOL.read_text(encoding="utf-8"), encoding="utf-8")
    walk(tmp_path, CASE + FACTS + ["1", "2"], tool=str(tool))
    tool.write_text(tool.read_text(encoding="utf-8").replace("Is the home safe?", "Is the home safe enough?"))
    from neglect_cli import toolfiles

    toolfiles.clear_tool_cache()  # a new process would read the file afresh

    declined, prompter = walk(tmp_path, ["n"], tool=None, resume="CASE-1")
    assert declined.status == "stopped"
    assert any("has changed since this draft was saved" in line for line in prompter.shown("say"))
    assert (drafts_folder() / "CASE-1.json").exists()

    outcome, _ = walk(tmp_path, ["y", "1", "1"] + FINISH, tool=None, resume="CASE-1")
    assert outcome.status == "written"
    assert answers_of(read_record(tmp_path))["physical.home"]["value"] == 2


def test_stopping_at_the_end_keeps_the_draft(tmp_path: Path) -> None:
    outcome, prompter = walk(tmp_path, CASE + FACTS + ["1", "1", "1", "1", "", "k", "q"])
    assert outcome.status == "stopped"
    # the program as it runs here (`neglect`, the venv's script or `python -m neglect_cli`), then the command
    assert outcome.resume_command is not None and outcome.resume_command.endswith(" assess --resume CASE-1")
    assert not (tmp_path / RECORD_NAME).exists()
    draft = json.loads((drafts_folder() / "CASE-1.json").read_text(encoding="utf-8"))
    assert draft["position"] == "finish"
    resumed, _ = walk(tmp_path, FINISH, tool=None, resume="CASE-1")
    assert resumed.status == "written"


def test_partial_answers_prefill_and_only_missing_items_are_asked(tmp_path: Path) -> None:
    from neglect_cli.answers import load_answers

    answers = tmp_path / "partial.yaml"
    answers.write_text(
        f"tool: {TOOL}\n"
        "case: {ref: CASE-1, assessed_on: 2026-11-20}\n"
        "context: {age_months: 30, engagement: engaged, parental_factors: [], hardship: false}\n"
        "answers:\n"
        "  physical.food: {value: 2, evidence: Lunchbox empty}\n"
        "  medical.teeth: 1\n",
        encoding="utf-8",
    )
    import datetime as dt

    loaded = load_answers(answers, today=dt.date(2026, 11, 24), complete=False)
    outcome, prompter = walk(tmp_path, ["", "", "1", "1"] + FINISH, prefill=loaded, tool=None)
    assert outcome.status == "written"
    asked = [m.removeprefix("Rating for ") for m in prompter.shown("choose") if m.startswith("Rating for")]
    assert asked == ["Home", "Appointments"]
    assert prompter.shown("text")[:2] == ["Child last seen on?", "Support offered?"]
    rows = answers_of(read_record(tmp_path, "CASE-1_2026-11-20.json"))
    assert (rows["physical.food"]["value"], rows["medical.teeth"]["value"]) == (2, 1)


# --- the command line ---------------------------------------------------------------------


def test_resume_given_without_a_value_means_choose_from_the_list() -> None:
    from neglect_cli.commands.assess import resume_without_value

    assert resume_without_value(["assess", "--resume"]) == ["assess", "--resume", "list"]
    assert resume_without_value(["assess", "--resume", "--tool", "x"]) == ["assess", "--resume", "list", "--tool", "x"]
    assert resume_without_value(["assess", "--resume", "CIN-1"]) == ["assess", "--resume", "CIN-1"]
    assert resume_without_value(["score", "--", "--resume"]) == ["score", "--", "--resume"]
