"""Tools that are not the shipped ones, run through the CLI as a user would: nothing may assume the
shipped tools' band ids, domain ids, 1–5 scale, four bands or context facts.

The tools (tests/fixtures/other_tools/tools/) cover: a three-level scale without "not known", domain
max and overall mean of domains, two bands, six domains of its own and no context (three-level);
seven levels, weights, six bands with review weeks, every fact type and every condition kind
(seven-step); items with age ranges (aged); only the required keys (tiny); a twelve-level scale with
eight bands (long-scale); domain ids named like output columns (collide); a weighted mean a hair
above a band's limit (fine-bands). Each answers file says in its header how its result was worked
out by hand from DESIGN §4.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import TESTS, Neglect

FIXTURES = TESTS / "fixtures" / "other_tools"
TOOLS = FIXTURES / "tools"
ANSWERS = FIXTURES / "answers"
TOOL_IDS = ["three-level", "seven-step", "aged", "tiny", "long-scale", "collide", "fine-bands"]
MARKER = "ZQXJ"  # planted in every free-text field of the answers files


@pytest.fixture(autouse=True)
def other_tools_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(TOOLS))


def record_of(neglect: Neglect, tmp_path: Path, answers: str, *options: str) -> dict[str, Any]:
    """`assess --answers` one fixture into tmp_path; the record written."""
    out = tmp_path / f"{answers}.json"
    ran = neglect("assess", "--answers", ANSWERS / f"{answers}.yaml", "--out", out, "--format", "json", *options)
    assert ran.exit_code == 0, ran.output
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def domains_of(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in record["result"]["domains"]}


# --- tools ----------------------------------------------------------------------------


def test_every_other_tool_is_valid_and_listed(neglect: Neglect) -> None:
    ran = neglect("tools", "validate", *sorted(TOOLS.glob("*.yaml")))
    assert ran.exit_code == 0, ran.output
    listed = neglect("tools", "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert set(TOOL_IDS) <= {entry["id"] for entry in json.loads(listed.stdout)}


@pytest.mark.parametrize("tool_id", TOOL_IDS)
def test_tools_show_prints_every_item_band_and_rule(neglect: Neglect, tool_id: str) -> None:
    ran = neglect("tools", "show", tool_id)
    assert ran.exit_code == 0, ran.output
    tool = yaml.safe_load(next(p for p in TOOLS.glob("*.yaml") if f"id: {tool_id}\n" in p.read_text()).read_text())
    for domain in tool["domains"]:
        for item in domain["items"]:
            assert item["id"] in ran.stdout
            assert item["prompt"] in ran.stdout  # brackets in tool text are text, not terminal markup
    for band in tool["bands"]:
        assert band["label"] in ran.stdout
    for rule in tool.get("escalations", []):
        assert f"({rule['id']})" in ran.stdout
    for fact in tool.get("context", []):
        assert all(choice in ran.stdout for choice in fact.get("choices", []))


def test_other_tools_validate_against_the_published_json_schema(neglect: Neglect) -> None:
    import jsonschema

    ran = neglect("tools", "schema")
    assert ran.exit_code == 0, ran.output
    schema = json.loads(ran.stdout)
    validator = jsonschema.validators.validator_for(schema)(schema)
    for path in TOOLS.glob("*.yaml"):
        # what an editor's YAML language server sees: dates as their text
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        assert not [e.message for e in validator.iter_errors(data)], path.name


def test_a_two_band_tool_shows_its_top_band_in_red_not_amber(neglect: Neglect, tmp_path: Path) -> None:
    record_of(neglect, tmp_path, "three-a")
    html = neglect("report", tmp_path / "three-a.json", "--format", "html")
    assert html.exit_code == 0, html.output
    assert 'class="badge band-3">Act now' in html.stdout  # band-3 is red, whatever the number of bands
    assert 'class="badge band-0">Okay' in html.stdout


# --- scoring by hand (DESIGN §4) --------------------------------------------------------


def test_weighted_mean_max_domain_bands_and_escalations_in_severity_order(neglect: Neglect, tmp_path: Path) -> None:
    record = record_of(neglect, tmp_path, "seven-a")
    domains = domains_of(record)
    assert domains["alpha"]["score"] == pytest.approx(23.5 / 4.5) and domains["alpha"]["band"] == "b-high"
    assert domains["beta"]["score"] == 4 and domains["beta"]["band"] == "b-mod" and domains["beta"]["coverage"] == 0.5
    assert domains["gamma"]["band"] == "b-mild"
    overall = record["result"]["overall"]
    assert overall["score"] == pytest.approx(23.5 / 4.5)
    assert (overall["computed_band"], overall["escalated_band"], overall["band"]) == ("b-high",) * 3
    assert overall["coverage"] == pytest.approx(5 / 6) and not overall["incomplete"]
    fired = [e["id"] for e in record["result"]["escalations"]]
    assert fired == ["r-domcount", "r-date", "r-domain", "r-ctx", "r-any-all", "r-count-dom", "r-overall"]


def test_domain_max_and_mean_of_domains(neglect: Neglect, tmp_path: Path) -> None:
    record = record_of(neglect, tmp_path, "three-a")
    assert {d: v["score"] for d, v in domains_of(record).items()} == {
        "food": 3,
        "warmth": 1,
        "home": 2,
        "love": 1,
        "school": 1,
        "doctor": 2,
    }
    assert record["result"]["overall"]["score"] == pytest.approx(10 / 6)
    assert record["result"]["overall"]["band"] == "ok"


def test_an_escalation_raises_the_computed_band_to_its_minimum(neglect: Neglect, tmp_path: Path) -> None:
    overall = record_of(neglect, tmp_path, "seven-raise")["result"]["overall"]
    assert (overall["computed_band"], overall["escalated_band"], overall["band"]) == ("b-none", "b-mild", "b-mild")


def test_low_coverage_rule_and_an_override_down_are_kept_side_by_side(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("assess", "--answers", ANSWERS / "seven-b.yaml", "--out", tmp_path / "b.json")
    assert ran.exit_code == 2 and "--partial" in ran.stderr  # unanswered items, no terminal to ask
    record = record_of(neglect, tmp_path, "seven-b", "--partial")
    overall = record["result"]["overall"]
    assert overall["coverage"] == 0.5 and overall["incomplete"]
    assert (overall["computed_band"], overall["escalated_band"], overall["band"]) == ("b-top", "b-top", "b-low")
    assert record["result"]["escalations"][0]["id"] == "r-cov"
    assert record["result"]["override"]["band"] == "b-low"


@pytest.mark.parametrize(
    ("last_seen", "fired"),
    [("2025-12-31", {"r-date"}), ("2026-01-01", {"r-date2"}), (None, set())],
)
def test_date_facts_compare_by_date_and_a_missing_fact_is_false(
    neglect: Neglect, tmp_path: Path, last_seen: str | None, fired: set[str]
) -> None:
    text = (ANSWERS / "seven-raise.yaml").read_text(encoding="utf-8")
    if last_seen:
        text = text.replace("{kids: 2,", f"{{kids: 2, last_seen: {last_seen},")
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    ran = neglect("assess", "--answers", tmp_path / "case.yaml", "--out", tmp_path / "r.json", "--format", "json")
    assert ran.exit_code == 0, ran.output
    ids = {e["id"] for e in json.loads(ran.stdout)["result"]["escalations"]}
    assert ids & {"r-date", "r-date2"} == fired


def test_not_of_a_true_fact_stops_the_rule(neglect: Neglect, tmp_path: Path) -> None:
    text = (
        (ANSWERS / "seven-raise.yaml")
        .read_text(encoding="utf-8")
        .replace("[violence]}", "[violence], known_before: true}")
    )
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    ran = neglect("assess", "--answers", tmp_path / "case.yaml", "--out", tmp_path / "r.json", "--format", "json")
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.stdout)["result"]["overall"]["band"] == "b-none"


def test_items_outside_the_childs_age_are_left_out_of_everything(neglect: Neglect, tmp_path: Path) -> None:
    record = record_of(neglect, tmp_path, "aged-18")
    status = {row["item"]: row["status"] for row in record["answers"]}
    assert status == {
        "early.feeds": "answered",
        "early.sleep": "not_applicable",
        "early.play": "answered",
        "later.school": "not_applicable",
        "later.friends": "not_applicable",
    }
    domains = domains_of(record)
    assert (
        domains["early"]["score"] == 2 and domains["early"]["band"] == "green" and domains["early"]["applicable"] == 2
    )
    assert domains["later"]["score"] is None and domains["later"]["band"] is None
    assert record["result"]["overall"]["coverage"] == 1


def test_an_answer_to_an_item_outside_the_childs_age_is_refused(neglect: Neglect, tmp_path: Path) -> None:
    text = (ANSWERS / "aged-18.yaml").read_text(encoding="utf-8") + "  later.school: 4\n"
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    ran = neglect("assess", "--answers", tmp_path / "case.yaml", "--out", tmp_path / "r.json")
    assert ran.exit_code == 2
    assert "answers.later.school: item later.school does not apply" in ran.stderr


def test_band_is_chosen_at_full_precision_though_shown_to_two_places(neglect: Neglect, tmp_path: Path) -> None:
    record = record_of(neglect, tmp_path, "fine-a")
    overall = record["result"]["overall"]
    assert 1 < overall["score"] < 1.001 and overall["band"] == "above-one"
    shown = neglect("report", tmp_path / "fine-a.json")
    assert re.search(r"score 1\.00\b", shown.stdout) and "Above one" in shown.stdout


# --- templates and bulk scoring ----------------------------------------------------------


FILL = {
    "three-level": ({}, 3),
    "seven-step": ({"kids": "2"}, 5),
    "tiny": ({}, 2),
    "long-scale": ({}, 12),
    "aged": ({"age_months": "6"}, 4),
}


@pytest.mark.parametrize("tool_id", sorted(FILL))
def test_a_filled_in_template_scores(neglect: Neglect, tmp_path: Path, tool_id: str) -> None:
    facts, value = FILL[tool_id]
    template = neglect("template", tool_id)
    assert template.exit_code == 0, template.output
    text = template.stdout.replace("CASE-REF", "OT-TPL").replace("YYYY-MM-DD", "2026-03-01")
    for fact, given in facts.items():
        text = re.sub(rf"^  {fact}:", f"  {fact}: {given}", text, flags=re.M)
    # the practitioner answers every item that applies (for a six-month-old, not the later ones)
    text = re.sub(r"^  # ([a-z0-9-]+\.[a-z0-9_.-]+):(?!.*only for ages 60)", rf"  \1: {value}", text, flags=re.M)
    (tmp_path / "filled.yaml").write_text(text, encoding="utf-8")
    ran = neglect("score", tmp_path / "filled.yaml", "--format", "json")
    assert ran.exit_code == 0, ran.output
    row = json.loads(ran.stdout)[0]
    assert row["coverage"] == 1 and row["final_band"] is not None


def test_the_template_offers_not_known_only_when_the_tool_allows_it(neglect: Neglect) -> None:
    assert "not_known" not in neglect("template", "three-level").stdout
    assert "not_known" in neglect("template", "seven-step").stdout
    tiny = neglect("template", "tiny").stdout
    assert re.search(r"Short form: +item\.id: [12]\b", tiny)  # examples on the tool's own scale


def test_score_keeps_domain_columns_apart_from_the_overall_ones(neglect: Neglect) -> None:
    ran = neglect("score", ANSWERS / "collide-a.yaml", "--format", "json")
    assert ran.exit_code == 0, ran.output
    row = json.loads(ran.stdout)[0]
    assert (row["overall_score"], row["computed_band"], row["final_band"]) == (1.67, "mid", "mid")
    assert (row["domain:overall_score"], row["domain:overall_band"]) == (3, "hi")
    assert (row["domain:final_band"], row["domain:computed_band"]) == ("lo", "lo")


def test_score_table_csv_json_and_records_for_other_tools(neglect: Neglect, tmp_path: Path) -> None:
    files = [ANSWERS / f"{name}.yaml" for name in ("three-a", "aged-18", "tiny-a", "seven-a")]
    for fmt in ("table", "csv", "json"):
        ran = neglect("score", *files, "--format", fmt)
        assert ran.exit_code == 0, ran.output
        assert all(ref in ran.stdout for ref in ("OT-3", "OT-AG", "OT-T", "OT-7"))
        assert MARKER not in ran.output
    ran = neglect("score", *files, "--out", tmp_path / "out")
    assert ran.exit_code == 0, ran.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["OT-3_2026-02-01.json", "OT-7_2026-01-10.json", "OT-AG_2026-03-01.json", "OT-T_2026-03-01.json"]
    assert neglect("verify", *(tmp_path / "out").iterdir()).exit_code == 0


# --- records: verify, report, diff, trend ----------------------------------------------


def test_verify_passes_a_fresh_record_and_fails_an_edited_one(neglect: Neglect, tmp_path: Path) -> None:
    record_of(neglect, tmp_path, "seven-a")
    path = tmp_path / "seven-a.json"
    assert neglect("verify", path).exit_code == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    data["result"]["overall"]["band"] = "b-none"
    path.write_text(json.dumps(data), encoding="utf-8")
    ran = neglect("verify", path)
    assert ran.exit_code == 1 and "integrity hash does not match" in ran.stdout


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_report_of_another_tool_and_redaction(neglect: Neglect, tmp_path: Path, fmt: str) -> None:
    record_of(neglect, tmp_path, "seven-a")
    ran = neglect("report", tmp_path / "seven-a.json", "--format", fmt)
    assert ran.exit_code == 0, ran.output
    assert "High" in ran.stdout and "1–7" in ran.stdout  # the tool's band label and scale
    if fmt == "terminal":
        assert "by A. Checker [/]," in ran.stdout  # free text with brackets is text, not terminal markup
    redacted = neglect("report", tmp_path / "seven-a.json", "--format", fmt, "--redact")
    assert redacted.exit_code == 0 and MARKER not in redacted.output


def test_report_without_the_tool_draws_no_profile_on_a_guessed_scale(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_of(neglect, tmp_path, "seven-a")
    with_tool = neglect("report", tmp_path / "seven-a.json", "--format", "md")
    assert "Profile (1–7)" in with_tool.stdout
    monkeypatch.delenv("NEGLECT_TOOLS_PATH")
    from neglect_cli import toolfiles

    toolfiles.clear_tool_cache()
    # Without the tool its scale is unknown: bars against a made-up range would mislead, so there are none.
    md = neglect("report", tmp_path / "seven-a.json", "--format", "md")
    assert md.exit_code == 0, md.output
    assert "| Domain | Score | Band | Coverage |" in md.stdout and "Profile" not in md.stdout
    terminal = neglect("report", tmp_path / "seven-a.json")
    assert "Score (" not in terminal.stdout and "[#" not in terminal.stdout
    html = neglect("report", tmp_path / "seven-a.json", "--format", "html")
    assert "<svg" not in html.stdout and "its scale is not known" in html.stdout


def test_diff_exit_code_and_json_for_another_tool(neglect: Neglect, tmp_path: Path) -> None:
    record_of(neglect, tmp_path, "seven-a")
    shutil.copy(tmp_path / "seven-a.json", tmp_path / "again.json")
    record_of(neglect, tmp_path, "seven-c")
    same = neglect("diff", tmp_path / "seven-a.json", tmp_path / "again.json", "--exit-code")
    assert same.exit_code == 0, same.output
    changed = neglect("diff", tmp_path / "seven-a.json", tmp_path / "seven-c.json", "--exit-code")
    assert changed.exit_code == 1, changed.output
    data = json.loads(neglect("diff", tmp_path / "seven-a.json", tmp_path / "seven-c.json", "--format", "json").stdout)
    assert data["changed"] and data["band_order"]["source"] == "tool"


def test_trend_over_six_months_uses_the_tools_bands_and_review_weeks(neglect: Neglect, tmp_path: Path) -> None:
    for name in ("seven-a", "seven-b", "seven-c"):
        record_of(neglect, tmp_path, name, "--partial")
    ran = neglect("trend", tmp_path, "--format", "json")
    assert ran.exit_code == 0, ran.output
    data = json.loads(ran.stdout)
    assert data["count"] == 3 and data["days_spanned"] == 203
    assert [b["id"] for b in data["band_order"]["bands"]] == ["b-none", "b-low", "b-mild", "b-mod", "b-high", "b-top"]
    terminal = neglect("trend", tmp_path)
    assert terminal.exit_code == 0 and "LATE REVIEW" in terminal.stdout  # 90 days where b-high asks for 4 weeks


# --- hostile and wrong input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{id: only.q, prompt: The one question}",
            "{id: only.q, prompt: Q, weight: true}",
            "weight: expected a number",
        ),
        (
            "{id: only.q, prompt: The one question}",
            '{id: only.q, prompt: Q, weight: "2"}',
            "weight: expected a number, but `2` is read as text: write a plain number",
        ),
        ("min_coverage: 1}", "min_coverage: true}", "min_coverage: expected a number"),
        ("up_to: 2}", "up_to: true}", "up_to: expected a number"),
        ("    - {value: 2, label: B}\n", "    - {value: 2, label: B}\n  allow_not_known: 'yes'\n", "allow_not_known"),
        ("up_to: 2}", "up_to: 1.5}", "the last band must reach the top of the scale"),
    ],
)
def test_a_tool_with_a_value_of_the_wrong_type_is_refused(
    neglect: Neglect, tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = (TOOLS / "tiny.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "bad.yaml").write_text(text.replace(old, new), encoding="utf-8")
    ran = neglect("tools", "validate", tmp_path / "bad.yaml")
    assert ran.exit_code == 2
    assert message in ran.stderr and "bad.yaml:" in ran.stderr and "Traceback" not in ran.output


@pytest.mark.parametrize("value", ["true", '"2"', "1.5", ""])
def test_a_rating_that_is_not_a_whole_number_is_refused_clearly(neglect: Neglect, tmp_path: Path, value: str) -> None:
    text = (ANSWERS / "tiny-a.yaml").read_text(encoding="utf-8").replace("{only.q: 2}", f"{{only.q: {value}}}")
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    ran = neglect("assess", "--answers", tmp_path / "case.yaml", "--out", tmp_path / "r.json")
    assert ran.exit_code == 2
    assert "case.yaml:3:" in ran.stderr and "answers.only.q: expected a whole-number rating" in ran.stderr


def test_not_known_is_refused_where_the_tool_does_not_allow_it(neglect: Neglect, tmp_path: Path) -> None:
    text = (
        (ANSWERS / "three-a.yaml")
        .read_text(encoding="utf-8")
        .replace("love.praise: 1", "love.praise: {not_known: ZQXJ}")
    )
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    ran = neglect("assess", "--answers", tmp_path / "case.yaml", "--out", tmp_path / "r.json")
    assert ran.exit_code == 2 and "does not allow 'not known'" in ran.stderr and MARKER not in ran.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_force_never_replaces_something_that_is_not_a_file(neglect: Neglect, tmp_path: Path) -> None:
    pipe = tmp_path / "record.json"
    os.mkfifo(pipe)
    ran = neglect("assess", "--answers", ANSWERS / "tiny-a.yaml", "--out", pipe, "--force")
    assert ran.exit_code == 2 and "is not a regular file" in ran.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)


# --- the walk ---------------------------------------------------------------------------


def test_the_walk_names_an_open_ended_age_range_as_it_is(tmp_path: Path) -> None:
    from helpers.scripted import scripted_walk

    script = ["OT-W", "", "", "", "18", "3", "1", "", "k", "s"]
    outcome, prompter = scripted_walk(script, tool=str(TOOLS / "aged.yaml"), out=tmp_path)
    assert outcome.status == "written"
    said = [text for kind, text in prompter.events if kind == "say"]
    assert "Skipped School: applies to ages from 60 months; this child is 18 months." in said
    assert "Skipped Sleep: applies to ages 0–12 months; this child is 18 months." in said


def test_resuming_a_draft_whose_tool_file_is_gone_says_where_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers.scripted import scripted_walk
    from neglect_cli.errors import UserError

    tool = tmp_path / "copy" / "three-level.yaml"
    tool.parent.mkdir()
    shutil.copy(TOOLS / "three-level.yaml", tool)
    first, _ = scripted_walk(["OT-GONE", "", "", "", "2", KeyboardInterrupt], tool=str(tool), out=tmp_path)
    assert first.status == "interrupted"
    monkeypatch.delenv("NEGLECT_TOOLS_PATH")  # the tool is found neither by its path nor by its id
    from neglect_cli import toolfiles

    toolfiles.clear_tool_cache()
    tool.unlink()
    with pytest.raises(UserError) as caught:
        scripted_walk([], tool=None, resume="OT-GONE", out=tmp_path)
    message = str(caught.value.problems[0].message)
    assert "three-level@0.3.0 is not available" in message and str(tool) in message


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_long_scale_is_rated_with_digits_and_arrows_in_a_terminal(tmp_path: Path) -> None:
    from helpers.terminal import answer, enter_case, finish, save_as_it_is, spawn

    child = spawn(tmp_path, "assess", "--tool", str(TOOLS / "long-scale.yaml"))
    child.expect_exact("Keys: 1–9 rate (arrows and Enter for 10–12)")
    enter_case(child, "OT-L")
    answer(child, "Rating for A", "9")
    answer(child, "Rating for B", "\x1b[A\x1b[A")  # up from "guidance", past "not known", to L12
    child.send("\r")
    save_as_it_is(child)
    assert finish(child) == 0
    record = json.loads((tmp_path / "OT-L_2026-11-24.json").read_text(encoding="utf-8"))
    assert [row["value"] for row in record["answers"]] == [9, 12]
    assert record["result"]["overall"]["band"] == "band-g"  # (9 + 12) / 2 = 10.5


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_three_level_walk_stopped_with_ctrl_c_resumes_with_its_own_tool(tmp_path: Path) -> None:
    from helpers.terminal import answer, enter_case, finish, rating_prompt, save_as_it_is, spawn, stopped

    child = spawn(tmp_path, "assess", "--tool", str(TOOLS / "three-level.yaml"))
    child.expect_exact("Keys: 1–3 rate · ? guidance")  # no "n not known": the tool does not allow it
    enter_case(child, "OT-3W")
    answer(child, "Rating for Meals", "3")
    answer(child, "Rating for Water", "1")
    answer(child, "Rating for Clothes", "\x03")  # Ctrl-C
    stopped(child, "neglect assess --resume OT-3W")

    child = spawn(tmp_path, "assess", "--resume", "OT-3W")
    for item in ("warmth.clothes", "home.hazards", "home.bed", "love.praise", "school.attendance", "doctor.gp"):
        answer(child, rating_prompt(item), "1")
    answer(child, "Rating for Teeth", "2")
    save_as_it_is(child)
    assert finish(child) == 0
    record = json.loads((tmp_path / "OT-3W_2026-11-24.json").read_text(encoding="utf-8"))
    assert record["tool"]["id"] == "three-level"
    assert record["result"]["overall"]["score"] == pytest.approx((3 + 1 + 1 + 1 + 1 + 2) / 6)


def test_a_damaged_draft_is_listed_with_how_to_drop_it_and_can_be_discarded(neglect: Neglect, tmp_path: Path) -> None:
    from neglect_cli.drafts import drafts_dir

    folder = drafts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "OT-BROKEN.json").write_text('{"schema": "neglect-draft/1", "tool": ', encoding="utf-8")
    listed = neglect("drafts", "list")
    assert listed.exit_code == 0 and "neglect drafts discard OT-BROKEN.json" in listed.stdout
    ran = neglect("drafts", "discard", "OT-BROKEN.json", "--yes")
    assert ran.exit_code == 0, ran.output
    assert not (folder / "OT-BROKEN.json").exists()


def test_a_diff_run_backwards_says_how_far_apart_and_warns(neglect: Neglect, tmp_path: Path) -> None:
    record_of(neglect, tmp_path, "seven-a")
    record_of(neglect, tmp_path, "seven-c")
    for fmt in ("terminal", "md"):
        ran = neglect("diff", tmp_path / "seven-c.json", tmp_path / "seven-a.json", "--format", fmt)
        assert ran.exit_code == 0, ran.output
        assert "203 days (29 weeks) apart" in ran.stdout and "before apart" not in ran.stdout
        assert "the comparison runs backwards" in ran.output


def test_a_template_for_a_tool_given_by_path_names_that_file_and_scores(neglect: Neglect, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "elsewhere" / "yes-no.yaml", tmp_path / "yes-no.yaml")
    (tmp_path / "cases").mkdir()
    ran = neglect("template", tmp_path / "yes-no.yaml", "--out", tmp_path / "cases" / "case.yaml")
    assert ran.exit_code == 0, ran.output
    text = (tmp_path / "cases" / "case.yaml").read_text(encoding="utf-8")
    assert "\ntool: ../yes-no.yaml\n" in text  # relative to the answers file, as `tool:` paths are read
    text = text.replace("CASE-REF", "OT-YN").replace("YYYY-MM-DD", "2026-03-01").replace("# d.a:", "d.a: 1")
    (tmp_path / "cases" / "case.yaml").write_text(text.replace("  seen:", '  seen: "no"'), encoding="utf-8")
    scored = neglect("score", tmp_path / "cases" / "case.yaml", "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)[0]["final_band"] == "yes"  # raised by the rule on seen == "no"


def test_a_choice_yaml_reads_as_true_or_false_is_explained(neglect: Neglect, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "elsewhere" / "yes-no.yaml", tmp_path / "yes-no.yaml")
    (tmp_path / "case.yaml").write_text(
        "tool: yes-no.yaml\ncase: {ref: OT-YN, assessed_on: 2026-03-01}\n"
        "context: {seen: no, flags: [on]}\nanswers: {d.a: 1}\n",
        encoding="utf-8",
    )
    ran = neglect("assess", "--answers", tmp_path / "case.yaml", "--out", tmp_path / "r.json")
    assert ran.exit_code == 2
    assert "context.seen: must be one of: yes, no, unsure (YAML read it as a number, date or true/false" in ran.stderr
    assert "context.flags: must be a list of: on, off, null (YAML read one as" in ran.stderr
