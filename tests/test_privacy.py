"""No case text leaks: evidence, not-known reasons, free-text context, the child's voice and override
rationales never appear in messages, warnings, logs or `--debug` output, and `--redact` leaves them out
of every format. They appear only in the record itself and in deliberate renders of it.

The marker is planted in every free-text field; each run's stdout, stderr and any crash log is searched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import TESTS, Neglect, Ran, available
from neglect_cli.store import state_dir

GOOD = TESTS / "bad_inputs" / "good"
TOOL = GOOD / "tool" / "mini-tool.yaml"
MARKER = "Q7PRIV"
FIELDS = ("EVIDENCE", "REASON", "NOTES", "RATIONALE", "VOICE")


@pytest.fixture(autouse=True)
def mini_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(GOOD / "tool"))


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    """The corpus's good answers file with the marker in evidence, a not-known reason, a text context
    fact, the override rationale and the child's voice."""
    text = (GOOD / "answers.yaml").read_text(encoding="utf-8").replace("ZQXJ", MARKER)
    text = text.replace("tool: tool/mini-tool.yaml", f"tool: {TOOL}")
    assert all(f"{MARKER}-{field}" in text for field in FIELDS)
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def record(neglect: Neglect, answers: Path, tmp_path: Path) -> Path:
    path = tmp_path / "record.json"
    ran = neglect("assess", "--answers", answers, "--out", path, "--format", "json")
    assert ran.exit_code == 0, ran.output
    text = path.read_text(encoding="utf-8")
    assert all(f"{MARKER}-{field}" in text for field in FIELDS), "the record itself keeps the case text"
    return path


def assert_no_marker(ran: Ran, *, in_stdout: bool = True) -> None:
    where = ran.output if in_stdout else ran.stderr
    assert MARKER not in where, where
    assert "Traceback" not in ran.output
    for log in (state_dir() / "crashes").glob("*"):
        assert MARKER not in log.read_text(encoding="utf-8")


def bad_answers(answers: Path, old: str, new: str) -> Path:
    text = answers.read_text(encoding="utf-8")
    assert old in text
    path = answers.with_name("bad.yaml")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --- invalid input: messages never quote case text ------------------------------------------------

BAD = {
    "marker where a rating is expected": (
        "physical.baby_sleep: 2",
        f'physical.baby_sleep: "{MARKER} sleeps in a drawer"',
    ),
    "marker where a rating is expected (long form)": (
        "physical.baby_sleep: 2",
        f'physical.baby_sleep: {{value: "{MARKER} two"}}',
    ),
    "marker where the age is expected": ("age_months: 18,", f'age_months: "{MARKER} months",'),
    "marker where a boolean is expected": ("seen_alone: false,", f'seen_alone: "{MARKER} no",'),
    "marker where a date is expected": ("last_seen: 2026-11-01,", f'last_seen: "{MARKER} last week",'),
    "marker where a choice is expected": ("engagement: engaged,", f'engagement: "{MARKER} engaged",'),
    "marker as a case ref": ("ref: CORPUS-001", f'ref: "{MARKER} Smith"'),
    "marker as an item id": ("physical.baby_sleep: 2", f'"{MARKER} fridge empty": 2'),
    "marker as a context fact": ("engagement: engaged,", f'"{MARKER} mum said": engaged,'),
    "marker as an unknown key": ("child_voice:", f'"{MARKER} voice":'),
    "marker as the tool": (f"tool: {TOOL}", f'tool: "{MARKER} tool"'),
    "marker as the override band": ("band: high", f'band: "{MARKER} high"'),
    "evidence missing beside a marker": ("evidence: ", "evidense: "),
    "marker in a YAML error": (
        f'"{MARKER}-EVIDENCE fridge empty on two visits"}}',
        f"{MARKER}-EVIDENCE: : ]",
    ),
    "marker in duplicate keys": ("physical.baby_sleep: 2", f'"{MARKER} a": 1\n  "{MARKER} a": 2'),
    "marker as too long evidence": ('evidence: "', 'evidence: "' + MARKER * 5000),
    "marker beside an anchor": ('evidence: "', 'evidence: &a "'),
}


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
@pytest.mark.parametrize("case", sorted(BAD))
def test_invalid_answers_never_quote_case_text(
    neglect: Neglect, answers: Path, tmp_path: Path, case: str, debug: bool
) -> None:
    path = bad_answers(answers, *BAD[case])
    flag = ("--debug",) if debug else ()
    for args in [("assess", "--answers", path, "--out", tmp_path / "r.json"), ("score", path, "--format", "json")]:
        ran = neglect(*flag, *args)
        assert ran.exit_code == 2, ran.output
        assert_no_marker(ran)


def test_invalid_record_never_quotes_case_text(neglect: Neglect, record: Path) -> None:
    data = json.loads(record.read_text(encoding="utf-8"))
    data["answers"][0]["value"] = f"{MARKER} three"
    data["context"]["age_months"] = f"{MARKER} months"
    data[f"{MARKER} note"] = "x"
    record.write_text(json.dumps(data), encoding="utf-8")
    for args in [("verify", record), ("--debug", "verify", record), ("report", record), ("--debug", "report", record)]:
        if not available(str(args[-2])):
            continue
        ran = neglect(*args)
        assert ran.exit_code == 2, ran.output
        assert_no_marker(ran)


# --- valid input: what is printed, and what is redacted ----------------------------------------------


@pytest.mark.parametrize("fmt", ["terminal", "json", "yaml", "md"])
def test_redacted_assessment_holds_no_case_text_in_any_format(
    neglect: Neglect, answers: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "redacted.json"
    ran = neglect("assess", "--answers", answers, "--out", out, "--format", fmt, "--redact")
    assert ran.exit_code == 0, ran.output
    assert_no_marker(ran)
    assert MARKER not in out.read_text(encoding="utf-8")
    assert json.loads(out.read_text(encoding="utf-8"))["redacted"] is True


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
@pytest.mark.skipif(not available("report"), reason="no report command yet")
def test_redacted_report_holds_no_case_text_in_any_format(neglect: Neglect, record: Path, fmt: str) -> None:
    ran = neglect("report", record, "--format", fmt, "--redact")
    assert ran.exit_code == 0, ran.output
    assert_no_marker(ran)


@pytest.mark.parametrize("suffix", [".md", ".html"])
@pytest.mark.skipif(not available("report"), reason="no report command yet")
def test_redacted_report_file_holds_no_case_text(neglect: Neglect, record: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"report{suffix}"
    ran = neglect("report", record, "--out", out, "--redact")
    assert ran.exit_code == 0, ran.output
    assert_no_marker(ran)
    assert MARKER not in out.read_text(encoding="utf-8")


def test_redacted_records_written_in_bulk_hold_no_case_text(neglect: Neglect, answers: Path, tmp_path: Path) -> None:
    ran = neglect("score", answers, "--out", tmp_path / "out", "--redact")
    assert ran.exit_code == 0, ran.output
    assert_no_marker(ran)
    [written] = (tmp_path / "out").iterdir()
    assert MARKER not in written.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_bulk_scoring_output_holds_no_case_text(neglect: Neglect, answers: Path, fmt: str) -> None:
    ran = neglect("score", answers, "--format", fmt)
    assert ran.exit_code == 0, ran.output
    assert_no_marker(ran)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_verify_holds_no_case_text(neglect: Neglect, record: Path, fmt: str) -> None:
    ran = neglect("verify", record, "--format", fmt)
    assert ran.exit_code == 0, ran.output
    assert_no_marker(ran)
    record.write_text(record.read_text(encoding="utf-8").replace(MARKER, MARKER.lower(), 1), encoding="utf-8")
    ran = neglect("--debug", "verify", record, "--format", fmt)
    assert ran.exit_code == 1
    assert_no_marker(ran)
    assert MARKER.lower() not in ran.output


@pytest.mark.parametrize(
    "args",
    [("template", TOOL), ("tools", "list"), ("tools", "show", TOOL), ("tools", "validate", TOOL)],
    ids=["template", "tools-list", "tools-show", "tools-validate"],
)
def test_commands_that_do_not_read_cases_print_none(neglect: Neglect, record: Path, args: tuple[object, ...]) -> None:
    ran = neglect(*args)
    assert ran.exit_code == 0, ran.output
    assert_no_marker(ran)


def test_deliberate_renders_keep_case_text_on_stdout_only(neglect: Neglect, answers: Path, tmp_path: Path) -> None:
    """Without --redact the practitioner sees their own evidence; messages on stderr still never do."""
    ran = neglect("assess", "--answers", answers, "--out", tmp_path / "r.json", "--format", "md")
    assert ran.exit_code == 0, ran.output
    assert f"{MARKER}-EVIDENCE" in ran.stdout
    assert_no_marker(ran, in_stdout=False)
    for args in [("report", tmp_path / "r.json"), ("diff", tmp_path / "r.json", tmp_path / "r.json")]:
        if not available(str(args[0])):
            continue
        ran = neglect(*args)
        assert ran.exit_code == 0, ran.output
        assert_no_marker(ran, in_stdout=False)


def test_a_crash_while_handling_case_text_does_not_log_it(
    neglect: Neglect, answers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    import rfc8785

    def dumps(data: object, *args: object, **kwargs: object) -> bytes:
        raise RuntimeError(f"cannot encode {data!r}")

    # the encoders that canonicalise a record before hashing: the standard library's, rfc8785 for unusual values
    monkeypatch.setattr(rfc8785, "dumps", dumps)
    monkeypatch.setattr(json, "dumps", dumps)
    for flag in ((), ("--debug",)):
        ran = neglect(*flag, "assess", "--answers", answers, "--out", tmp_path / "r.json")
        assert ran.exit_code == 1
        assert MARKER not in ran.output
    logs = list((state_dir() / "crashes").glob("*.log"))
    assert len(logs) == 2
    assert all(MARKER not in log.read_text(encoding="utf-8") for log in logs)


def test_no_pydantic_plugin_sees_the_case(answers: Path, tmp_path: Path) -> None:
    """Pydantic plugins are handed every value validated: an installed one (say, an observability
    package) must not be loaded into the `neglect` process that reads a child's case."""
    import os
    import subprocess
    import sys

    site = tmp_path / "site"
    (site / "spyplugin-1.0.dist-info").mkdir(parents=True)
    (site / "spyplugin-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: spyplugin\nVersion: 1.0\n")
    (site / "spyplugin-1.0.dist-info" / "entry_points.txt").write_text("[pydantic]\nspy = spyplugin:plugin\n")
    loaded = tmp_path / "plugin-loaded"
    (site / "spyplugin.py").write_text(
        f"open({str(loaded)!r}, 'w').close()\n"
        "class Plugin:\n"
        "    def new_schema_validator(self, *args, **kwargs):\n"
        "        return None, None, None\n"
        "plugin = Plugin()\n"
    )
    env = os.environ | {"PYTHONPATH": str(site)}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    check = [sys.executable, "-c", "import pydantic\nclass M(pydantic.BaseModel):\n    x: int\n"]
    subprocess.run(check, env=env, check=True, capture_output=True)
    assert loaded.exists(), "the spy plugin is not installed the way pydantic finds plugins"
    loaded.unlink()

    argv = [sys.executable, "-m", "neglect_cli", "score", "--format", "json", str(answers)]
    ran = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    assert not loaded.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("history", "CORPUS-001"),
        ("history", "CORPUS-001", "--format", "json"),
        ("history", "CORPUS-001", "--format", "md"),
        ("caseload",),
        ("caseload", "--format", "json"),
        ("caseload", "--format", "md"),
        ("caseload", "--format", "html"),
        ("store", "check"),
        ("store", "where"),
        ("--debug", "store", "check", "--format", "json"),
    ],
    ids=" ".join,
)
def test_the_record_store_commands_print_no_case_text(neglect: Neglect, record: Path, args: tuple[object, ...]) -> None:
    ran = neglect(*args)
    assert ran.exit_code == 0, ran.output
    assert "CORPUS-001" in ran.output or args[-1] == "where" or "check" in args
    assert_no_marker(ran)


def test_store_import_and_export_messages_hold_no_case_text(neglect: Neglect, record: Path, tmp_path: Path) -> None:
    ran = neglect("store", "import", record)  # already stored by assess: a duplicate
    assert ran.exit_code == 0 and "1 already in the store" in ran.stderr
    assert_no_marker(ran)
    exported = neglect("store", "export", "CORPUS-001", tmp_path / "out")
    assert exported.exit_code == 0, exported.output
    assert_no_marker(exported)
    tampered = tmp_path / "tampered.json"
    tampered.write_text(record.read_text(encoding="utf-8").replace(MARKER, MARKER.lower(), 1), encoding="utf-8")
    refused = neglect("--debug", "store", "import", tampered)
    assert refused.exit_code == 2
    assert_no_marker(refused)
    assert MARKER.lower() not in refused.output
