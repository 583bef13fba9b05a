"""Nothing a record carries can take over a terminal (issue 20).

Control characters (C0 but tab and newline, ESC among them), DEL, C1 controls and Unicode bidi
overrides and isolates are refused where people write text: answers files, tool files, typed
answers in the walk and command-line values. Records made by hand (or by older versions) can
still carry them, sealed with a valid hash: every command shows them escaped in every format.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from helpers import TESTS, Neglect, Ran
from helpers.walktool import CASE, FACTS, answers_of, read_record, walk
from neglect_cli.record import Record, seal

FIXTURES = TESTS / "fixtures"
GOOD = TESTS / "bad_inputs" / "good"
MINI_TOOL = GOOD / "tool" / "mini-tool.yaml"

#: Every character that must never reach a terminal raw.
UNSAFE = "".join(
    chr(code)
    for code in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F)]
    + [*range(0x2066, 0x206A)]
)
#: The issue's evidence note: sets the window title, clears the screen, turns red, reverses the line.
ISSUE_NOTE = "\x1b]0;pwned\x07\x1b[2J\x1b[31mRED \u202eevil"
HOSTILE = f"{ISSUE_NOTE} T\x1b[5mblink {UNSAFE} end"
#: What may never appear in output: the characters above (tab and newline are ordinary).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_shown_safely(ran: Ran, *texts: str) -> None:
    for where, text in (("stdout", ran.stdout), ("stderr", ran.stderr), *(("file", t) for t in texts)):
        found = RAW.search(text)
        assert found is None, f"raw U+{ord(found.group()):04X} in {where}: {text[max(0, found.start() - 60) :][:120]!r}"
    assert "Traceback" not in ran.output
    assert "internal error" not in ran.output


# --- refused at the door ----------------------------------------------------------------------------

ISSUE_ANSWERS = FIXTURES / "safety" / "issue-20.yaml"


def test_the_issues_escape_sequence_answers_file_is_refused_with_each_place_named(
    neglect: Neglect, tmp_path: Path
) -> None:
    ran = neglect("assess", "--answers", ISSUE_ANSWERS, "--partial", "--out", tmp_path / "r.json")
    assert ran.exit_code == 2
    assert (
        f"{ISSUE_ANSWERS.name}:5:" in ran.stderr and "case.assessor: the control character U+001B (ESC)" in ran.stderr
    )
    assert f"{ISSUE_ANSWERS.name}:9:" in ran.stderr
    assert "answers.physical.supervision.evidence: the control character U+001B (ESC) at character 1" in ran.stderr
    assert not (tmp_path / "r.json").exists()
    assert_shown_safely(ran)
    assert "pwned" not in ran.output and "blink" not in ran.output  # the text itself is never echoed


def answers_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (GOOD / "answers.yaml").read_text(encoding="utf-8").replace("tool/mini-tool.yaml", str(MINI_TOOL))
    assert old in text
    path = tmp_path / "answers.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def yaml_escape(char: str) -> str:
    return f"\\u{ord(char):04x}"


FIELDS = {  # where the corpus's good answers file has free text, and how that field is named in messages
    "evidence": ('"ZQXJ-EVIDENCE', "answers.physical.food.evidence", 7),
    "not-known reason": ('"ZQXJ-REASON', "answers.emotional.warmth.not_known", 9),
    "override rationale": ('"ZQXJ-RATIONALE', "override.rationale", 10),
    "child's voice": ('"ZQXJ-VOICE', "child_voice", 11),
    "text context fact": ('"ZQXJ-NOTES', "context.notes", 5),
    "assessor": ("assessor: A. Tester", "case.assessor", 3),
}


CASES = [("evidence", char) for char in UNSAFE] + [(field, char) for field in FIELDS for char in "\x1b\x9b\u202e"]


@pytest.mark.parametrize(("field", "char"), CASES, ids=[f"{field}-U+{ord(char):04X}" for field, char in CASES])
def test_unsafe_characters_are_refused_in_every_free_text_field(
    neglect: Neglect, tmp_path: Path, field: str, char: str
) -> None:
    """Every unsafe character in an evidence note; the commonest in every other free-text field."""
    old, name, line = FIELDS[field]
    new = f'assessor: "A. Tester {yaml_escape(char)}"' if field == "assessor" else f"{old} {yaml_escape(char)}"
    ran = neglect("score", answers_with(tmp_path, old, new), "--format", "csv")
    assert ran.exit_code == 2, ran.output
    assert f"answers.yaml:{line}:" in ran.stderr and f"{name}: the " in ran.stderr, ran.stderr
    assert f"U+{ord(char):04X}" in ran.stderr
    assert_shown_safely(ran)


def test_tab_and_line_breaks_are_fine_in_notes_but_not_in_one_line_fields(neglect: Neglect, tmp_path: Path) -> None:
    notes = answers_with(tmp_path, '"ZQXJ-EVIDENCE', '"line one\\n\\tline two ZQXJ-EVIDENCE')
    ran = neglect("assess", "--answers", notes, "--out", tmp_path / "r.json")
    assert ran.exit_code == 0, ran.output
    assert "line one\n\tline two" in json.loads((tmp_path / "r.json").read_text())["answers"][0]["evidence"]
    for one_line in ('assessor: "A.\\tTester"', 'assessor: "A. Tester\\nLevel: none"'):
        ran = neglect("score", answers_with(tmp_path, "assessor: A. Tester", one_line))
        assert ran.exit_code == 2
        assert (
            "answers.yaml:3:" in ran.stderr
            and "case.assessor: a " in ran.stderr
            and "keep this on one line" in ran.stderr
        )


@pytest.mark.parametrize(
    ("where", "old", "new", "field"),
    [
        ("title", "title: Mini tool for the bad-input corpus", 'title: "Mini \\e[2J tool"', "title"),
        (
            "item prompt",
            "prompt: Is the child fed enough?",
            'prompt: "\\u202eIs the child fed?"',
            "domains[0].items[0].prompt",
        ),
        ("anchor", "4: Often hungry}", '4: "Often\\x9bhungry"}', "domains[0].items[0].anchors[4]"),
        ("band label", "label: Low,", 'label: "Low\\x7f",', "bands[0].label"),
        ("escalation prompt", "prompt: Act now.", 'prompt: "Act\\anow."', "escalations[0].prompt"),
        ("reflection", "- What have I seen, and what am I assuming?", '- "\\u2066What have I seen?"', "reflection[0]"),
    ],
)
def test_a_tool_file_with_unsafe_text_is_refused(
    neglect: Neglect, tmp_path: Path, where: str, old: str, new: str, field: str
) -> None:
    text = MINI_TOOL.read_text(encoding="utf-8")
    assert old in text, where
    path = tmp_path / "tool.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    ran = neglect("tools", "validate", path)
    assert ran.exit_code == 2
    assert re.search(rf"tool\.yaml:\d+:\d+: {re.escape(field)}: the ", ran.stderr), ran.stderr
    assert_shown_safely(ran)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["report", "rec\x1b[2J.json"], "RECORD"),
        (["assess", "--tool", "neglect-core\x1b]0;x\x07"], "--tool"),
        (["assess", "--resume", "CASE\u202e1"], "--resume"),
        (["drafts", "discard", "CASE\x9b1"], "REF"),
        (["tools", "show", "mini\x7f"], "NAME"),
        (["trend", "ok.json", "a\tb.json"], "RECORDS"),
    ],
)
def test_command_line_values_with_unsafe_characters_are_refused(neglect: Neglect, args: list[str], field: str) -> None:
    ran = neglect(*args)
    assert ran.exit_code == 2
    assert f"error: command line: {field}: the " in ran.stderr or f"error: command line: {field}: a tab" in ran.stderr
    assert_shown_safely(ran)


def test_the_walk_asks_again_when_typed_text_carries_a_control_character(tmp_path: Path) -> None:
    case = ["CASE-1", "", "A. \x1b[5mWorker", "A. Worker", "Super\tvisor", ""]
    items = ["2", "Lunchbox empty \x1b[2J", "Lunchbox empty three days running", "1", "1", "1"]
    outcome, prompter = walk(tmp_path, case + FACTS + items + ["\u202eI am fine", "I am fine", "k", "s"])
    assert outcome.status == "written"
    invalid = prompter.shown("invalid")
    assert len(invalid) == 4, invalid
    assert "the control character U+001B (ESC) at character 4" in invalid[0]
    assert "a tab at character 6: keep this on one line" in invalid[1]
    assert "the control character U+001B (ESC) at character 16" in invalid[2]
    assert "the bidi control U+202E (right-to-left override) at character 1" in invalid[3]
    record = read_record(tmp_path)
    assert record["case"]["assessor"] == "A. Worker" and record["case"]["supervisor"] is None
    assert answers_of(record)["physical.food"]["evidence"] == "Lunchbox empty three days running"
    assert record["child_voice"] == "I am fine"


def test_the_walk_refuses_a_control_character_in_a_text_fact_and_an_override_rationale(tmp_path: Path) -> None:
    facts = [*FACTS[:-1], "Moved in \x1b[8mAugust", "Moved in August"]
    rationale = ["Seen twice\x9b since; food now in the house", "Seen twice since; food now in the house"]
    agreed = ["T.\tManager", "T. Manager", "2026-11-20"]  # lowering the level: who agreed, one line
    finish = ["", "o", "low", *rationale, *agreed, "s"]
    outcome, prompter = walk(tmp_path, CASE + facts + ["1", "1", "3", "Three checks missed", "2"] + finish)
    assert outcome.status == "written"
    invalid = prompter.shown("invalid")
    assert len(invalid) == 3 and "a tab at character 3: keep this on one line" in invalid[2], invalid
    override = read_record(tmp_path)["result"]["override"]
    assert (override["rationale"], override["agreed_by"]) == ("Seen twice since; food now in the house", "T. Manager")
    assert "\x1b" not in json.dumps(read_record(tmp_path), ensure_ascii=False)


def test_the_walk_refuses_a_control_character_in_a_does_not_apply_reason(tmp_path: Path) -> None:
    tool = tmp_path / "walk-tool.yaml"
    text = (TESTS / "interview" / "walk-tool.yaml").read_text(encoding="utf-8")
    text = text.replace("schema: neglect-tool/1", "schema: neglect-tool/2")
    tool.write_text(text.replace("prompt: Is the home safe?", "prompt: Is the home safe?\n        may_not_apply: true"))
    items = ["1", "d", "Lives \u202ein hospital", "Lives in hospital", "1", "1"]
    outcome, prompter = walk(tmp_path, CASE + FACTS + items + ["", "k", "s"], tool=str(tool))
    assert outcome.status == "written"
    assert prompter.shown("invalid") == [
        "the bidi control U+202E (right-to-left override) at character 7: control characters, terminal escapes "
        "and bidi overrides are not allowed"
    ]
    assert answers_of(read_record(tmp_path))["physical.home"]["reason"] == "Lives in hospital"


# --- shown safely on the way out: a hand-built record with a valid hash ----------------------------

#: Keys whose values the record model constrains (a fixed word, a date, a plan's line that refuses control
#: characters): never planted.
CONSTRAINED = {"schema", "status", "severity", "assessed_on", "date", "by", "review_on", "meeting", "who"}
#: Keys whose values are looked up in the record's tool: planted only in the "everywhere" variant.
LOOKED_UP = {"id", "version", "sha256", "item", "domain", "band", "computed_band", "escalated_band", "minimum_band"}


def plant(data: Any, *, everywhere: bool, key: str = "") -> Any:
    """`data` with HOSTILE added to every string the record model accepts."""
    if isinstance(data, dict):
        return {k: plant(v, everywhere=everywhere, key=k) for k, v in data.items()}
    if isinstance(data, list):
        return [plant(v, everywhere=everywhere, key=key) for v in data]
    if isinstance(data, str) and key not in CONSTRAINED and (everywhere or key not in LOOKED_UP):
        return data + HOSTILE
    return data


def hostile_record(source: Path, target: Path, *, everywhere: bool) -> Path:
    """A record carrying every unsafe character in every text field, sealed with the project's own `seal`."""
    body = json.loads(source.read_text(encoding="utf-8"))
    body.pop("integrity")
    planted = plant(body, everywhere=everywhere)
    planted["context"][f"fact{HOSTILE}"] = HOSTILE
    sealed = seal(planted)
    Record.model_validate(sealed)  # a valid record: only its content is hostile
    target.write_text(json.dumps(sealed, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


@pytest.fixture(params=["text", "everywhere"])
def records(request: pytest.FixtureRequest, neglect: Neglect, tmp_path: Path) -> tuple[Path, Path]:
    """Two hand-built hostile records of one child, validly sealed: in "text" their free text, names and
    titles carry every unsafe character; "everywhere" adds them to ids too (so the tool is not found)."""
    made = []
    for name in ("early-help", "worse"):
        clean = tmp_path / f"{name}-clean.json"
        ran = neglect("assess", "--answers", FIXTURES / "diff" / f"{name}.yaml", "--partial", "--out", clean)
        assert ran.exit_code == 0, ran.output
        made.append(hostile_record(clean, tmp_path / f"{name}.json", everywhere=request.param == "everywhere"))
    assert json.loads(made[0].read_text(encoding="utf-8"))["case"]["assessor"].endswith(HOSTILE)
    ran = neglect("verify", made[0])
    assert "integrity hash does not match" not in ran.output  # a valid hash: only the content is hostile
    return made[0], made[1]


REPORT_FORMATS = ("terminal", "md", "html")


@pytest.mark.parametrize("redact", [False, True])
@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_report_shows_a_hostile_record_safely_in_every_format(
    neglect: Neglect, records: tuple[Path, Path], fmt: str, redact: bool
) -> None:
    ran = neglect("report", records[0], "--format", fmt, *(["--redact"] if redact else []))
    assert ran.exit_code == 0, ran.output
    assert_shown_safely(ran)
    if not redact:
        assert "pwned" in ran.stdout  # shown, not obeyed
    if fmt == "terminal" and not redact:
        assert "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mRED <U+202E>evil" in ran.stdout


@pytest.mark.parametrize("fmt", ["json", "yaml", "md", "terminal"])
def test_assess_prints_a_record_safely_in_every_format(neglect: Neglect, tmp_path: Path, fmt: str) -> None:
    # `assess` prints what it wrote; the record it reads here is one it made, so the check is on the printers
    ran = neglect(
        "assess", "--answers", FIXTURES / "diff" / "worse.yaml", "--out", tmp_path / "r.json", "--format", fmt
    )
    assert ran.exit_code == 0, ran.output
    assert_shown_safely(ran)


def strings(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [*strings(list(data)), *strings(list(data.values()))]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return [data] if isinstance(data, str) else []


@pytest.mark.parametrize("suffix", ["md", "html"])
def test_a_report_written_to_a_file_carries_no_raw_control_characters(
    neglect: Neglect, records: tuple[Path, Path], tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"report.{suffix}"
    ran = neglect("report", records[0], "--out", out)
    assert ran.exit_code == 0, ran.output
    assert_shown_safely(ran, out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["terminal", "json", "md"])
def test_diff_and_trend_show_hostile_records_safely(neglect: Neglect, records: tuple[Path, Path], fmt: str) -> None:
    for args in (["diff", *records, "--all"], ["trend", *records], ["trend", records[0].parent]):
        ran = neglect(*args, "--format", fmt)
        assert ran.exit_code in (0, 2), ran.output  # the folder also holds the clean copies: a trend of 4 is fine
        assert_shown_safely(ran)
        if fmt == "json" and ran.exit_code == 0:
            assert any(HOSTILE in text for text in strings(json.loads(ran.stdout)))  # the data, escaped as JSON


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_verify_shows_hostile_records_safely(neglect: Neglect, records: tuple[Path, Path], fmt: str) -> None:
    ran = neglect("verify", *records, "--format", fmt)
    assert ran.exit_code in (0, 1)
    assert_shown_safely(ran)


def test_json_output_keeps_the_text_exactly_but_escaped(neglect: Neglect, records: tuple[Path, Path]) -> None:
    for args in (["diff", *records], ["trend", *records], ["verify", *records]):
        ran = neglect(*args, "--format", "json")
        assert_shown_safely(ran)
        if args[0] != "verify":
            assert "A. Supervisor" + HOSTILE in strings(json.loads(ran.stdout))  # the same data, every character kept
        else:
            assert all(entry["readable"] for entry in json.loads(ran.stdout))


HOSTILE_NAME = "\x1b[2J\x1b]0;pwned\x07\u202eevil"


def test_file_names_from_a_folder_are_shown_escaped(neglect: Neglect, tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    clean = tmp_path / "clean.json"
    assert neglect("assess", "--answers", FIXTURES / "diff" / "early-help.yaml", "--out", clean).exit_code == 0
    shutil.copy(clean, folder / f"{HOSTILE_NAME}.json")
    (folder / f"broken{HOSTILE_NAME}.json").write_text("{", encoding="utf-8")
    for fmt in ("terminal", "json", "md"):
        ran = neglect("trend", folder, "--format", fmt)
        assert ran.exit_code == 2 and "broken\\x1b[2J" in ran.stderr
        assert_shown_safely(ran)


def test_score_shows_hostile_file_names_safely_and_csv_cells_never_start_a_formula(
    neglect: Neglect, tmp_path: Path
) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    text = (GOOD / "answers.yaml").read_text(encoding="utf-8").replace("tool/mini-tool.yaml", str(MINI_TOOL))
    for name in (f"=HYPERLINK(1){HOSTILE_NAME}.yaml", "+1.yaml", "-2.yaml", "@SUM(A1).yaml"):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / f"bad{HOSTILE_NAME}.yaml").write_text("case: [", encoding="utf-8")
    for fmt in ("table", "json", "csv"):
        ran = neglect("score", folder, "--format", fmt)
        assert ran.exit_code == 2  # the broken file is reported, the others scored
        assert_shown_safely(ran)
    csv_rows = ran.stdout.splitlines()[1:]
    files = sorted(row.split(",")[0].removeprefix('"').removeprefix(str(folder) + "/") for row in csv_rows)
    assert len(files) == 4
    assert all(not cell.lstrip("'").startswith(str(folder)) for cell in files)
    for row in csv_rows:
        assert row[0] not in "=+-@\t", row


def test_a_cell_that_would_start_a_formula_gets_a_quote() -> None:
    from neglect_cli.render.tabular import csv_cell

    for cell in ("=1+1", "+1", "-1", "@A1", "\tx"):
        assert csv_cell(cell) == "'" + cell
    assert csv_cell("CASE-1") == "CASE-1" and csv_cell(-1.5) == -1.5 and csv_cell("a=b") == "a=b"
    assert csv_cell("\x1b[2J") == "\\x1b[2J"


def test_tools_list_and_show_escape_a_hostile_file_name(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "tools"
    folder.mkdir()
    shutil.copy(MINI_TOOL, folder / f"{HOSTILE_NAME}.yaml")
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(folder))
    for args in (["tools", "list"], ["tools", "list", "--format", "json"], ["tools", "show", "mini-tool"]):
        ran = neglect(*args)
        assert ran.exit_code == 0, ran.output
        assert_shown_safely(ran)
        assert "mini-tool" in ran.stdout


def test_drafts_list_escapes_a_hostile_draft_name(neglect: Neglect) -> None:
    from neglect_cli.drafts import drafts_dir

    folder = drafts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{HOSTILE_NAME}.json").write_text("{}", encoding="utf-8")
    for fmt in ("table", "json"):
        ran = neglect("drafts", "list", "--format", fmt)
        assert ran.exit_code == 0, ran.output
        assert_shown_safely(ran)
    assert "\\x1b[2J" in ran.stdout or "\\u001b[2J" in ran.stdout


def test_visible_shows_every_unsafe_character_and_leaves_other_text_alone() -> None:
    from neglect_cli.text import visible

    assert visible(ISSUE_NOTE) == "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mRED <U+202E>evil"
    assert RAW.search(visible(UNSAFE)) is None
    ordinary = "Café — naïve 日本語 עברית\tnote\nline two 🙂 \u200f"
    assert visible(ordinary) == ordinary


# --- on a real terminal, with colour ---------------------------------------------------------------


def test_a_hostile_record_is_shown_escaped_on_a_real_colour_terminal(
    records: tuple[Path, Path], tmp_path: Path
) -> None:
    """On a terminal rich draws live, in colour: our own colour codes go out, the record's never do."""
    import sys

    import pexpect

    from helpers.terminal import STEP, terminal_env

    env = {k: v for k, v in terminal_env(tmp_path).items() if k != "NO_COLOR"}
    for args in (["report", records[0]], ["diff", *records, "--all"], ["trend", *records]):
        child = pexpect.spawn(
            sys.executable,
            ["-m", "neglect_cli", *map(str, args)],
            env=env,
            dimensions=(40, 120),
            encoding="utf-8",
            timeout=STEP,
        )
        screen = child.read()
        child.close()
        assert child.exitstatus == 0, screen
        assert "\x1b[1m" in screen or "\x1b[31m" in screen or "\x1b[" in screen  # colour is on
        assert "\x1b]" not in screen and "\x07" not in screen  # no window title set, no bell
        assert "\x1b[2J" not in screen and "\x1b[5m" not in screen  # no screen cleared, nothing blinking
        assert not re.search("[\x80-\x9f\u202a-\u202e\u2066-\u2069]", screen)
        assert "\\x1b]0;pwned\\x07" in screen


def test_a_record_whose_tool_id_looks_like_a_path_with_a_nul_is_shown_not_crashed_on(
    neglect: Neglect, tmp_path: Path
) -> None:
    """Found by tools/fuzz.py: `a/\\x00@1` was taken for a tool file's path, and resolving it raised."""
    clean = tmp_path / "clean.json"
    assert neglect("assess", "--answers", FIXTURES / "diff" / "early-help.yaml", "--out", clean).exit_code == 0
    body = json.loads(clean.read_text(encoding="utf-8"))
    body.pop("integrity")
    body["tool"]["id"] = "core\x00/../../etc"
    record = tmp_path / "nul-tool.json"
    record.write_text(json.dumps(seal(body)), encoding="utf-8")
    for args in (["report", record], ["diff", clean, record], ["trend", clean, record], ["verify", record]):
        ran = neglect(*args)
        assert ran.exit_code in (0, 1), ran.output
        assert_shown_safely(ran)
    assert "is not available here" in neglect("verify", record).stdout


# --- the record store: history, caseload and store commands ---------------------------------------

STORED_TEXT = {"assessor", "supervisor", "evidence", "reason", "child_voice", "rationale", "agreed_by"}


def test_the_store_shows_hostile_records_safely(neglect: Neglect, tmp_path: Path) -> None:
    """A record carrying every unsafe character where `verify` still passes it (names, notes, the voice,
    a rationale) is imported, then listed by history, caseload and store; one with them in its case ref
    is refused by the store, and the refusal shown safely."""
    folder = tmp_path / "in"
    folder.mkdir()
    for ref in ("SAFE-001", "REF\x1b[2J\u202e"):
        clean = tmp_path / "clean.json"
        clean.unlink(missing_ok=True)
        ran = neglect("assess", "--answers", FIXTURES / "diff" / "override.yaml", "--out", clean, "--partial")
        assert ran.exit_code == 0, ran.output
        body = json.loads(clean.read_text(encoding="utf-8"))
        body.pop("integrity")
        body = _plant_keys(body, STORED_TEXT)
        body["case"]["ref"] = ref
        (folder / f"{len(list(folder.iterdir()))}.json").write_text(json.dumps(seal(body)), encoding="utf-8")
    ran = neglect("store", "import", folder)
    assert ran.exit_code == 2 and "1 imported" in ran.stderr and "1 refused" in ran.stderr, ran.output
    assert_shown_safely(ran)
    runs = [neglect("history", "SAFE-001", "--format", fmt) for fmt in ("terminal", "json", "md")]
    formats = ("terminal", "json", "md", "html")
    runs += [neglect("caseload", "--as-of", "2030-01-01", "--format", fmt) for fmt in formats]
    runs += [neglect("store", "check"), neglect("store", "where")]
    for ran in runs:
        assert ran.exit_code in (0, 1), ran.output
        assert_shown_safely(ran)
    assert "\\x1b]0;pwned" in runs[0].stdout  # the assessor, shown
    assert "\\x1b]0;pwned" in runs[3].stdout  # the assessor again, in the caseload
    import subprocess
    import sys

    for fmt in ("terminal", "json"):  # `history` answered from SQLite before the CLI framework loads
        quick = subprocess.run(
            [sys.executable, "-m", "neglect_cli", "history", "SAFE-001", "--format", fmt],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert quick.returncode == 0, quick.stderr
        assert_shown_safely(Ran(quick.returncode, quick.stdout, quick.stderr))


def _plant_keys(data: Any, keys: set[str], key: str = "") -> Any:
    if isinstance(data, dict):
        return {k: _plant_keys(v, keys, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_plant_keys(v, keys, key) for v in data]
    return data + HOSTILE if isinstance(data, str) and key in keys else data
