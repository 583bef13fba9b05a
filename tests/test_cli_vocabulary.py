"""One word, one meaning across commands (issue 19 item 4): `--force` only replaces what `--out` names;
`--mixed-cases` lets `diff` and `trend` put different children's records together. Old spellings keep
doing what they did, with a warning; none is quietly given another meaning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from helpers import TESTS, Neglect

FIXTURES = TESTS / "fixtures" / "diff"


def _options() -> dict[str, dict[str, Any]]:
    """Each command's options by spelling (subcommands as "store export")."""
    from neglect_cli.cli import app

    found: dict[str, dict[str, Any]] = {}
    root = typer.main.get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        for sub_name, sub in (getattr(command, "commands", None) or {name: command}).items():
            label = name if sub is command else f"{name} {sub_name}"
            found[label] = {opt: param for param in sub.params for opt in param.opts}
    return found


def test_force_means_replace_the_out_file_in_every_command_that_has_one() -> None:
    commands = _options()
    with_force = {name: opts["--force"] for name, opts in commands.items() if "--force" in opts}
    wanted = {"diff", "trend", "report", "score", "assess", "caseload", "family show", "chronology show"}
    assert wanted <= set(with_force)
    for name, option in with_force.items():
        assert option.help.startswith("Replace"), f"{name} --force: {option.help}"
    for name, opts in commands.items():
        if "--out" in opts:
            assert "--force" in opts, f"{name} writes --out but cannot replace it"
    mixing = {name for name, opts in commands.items() if "--mixed-cases" in opts}
    assert mixing == {"diff", "trend"}


@pytest.fixture
def records(neglect: Neglect, tmp_path: Path) -> list[Path]:
    """Two records of one child and one of another."""
    out = []
    for name in ("early-help", "worse", "other-case"):
        path = tmp_path / f"{name}.json"
        ran = neglect("assess", "--answers", FIXTURES / f"{name}.yaml", "--out", path, "--format", "json")
        assert ran.exit_code == 0, ran.stderr
        out.append(path)
    return out


@pytest.mark.parametrize("command", ["diff", "trend"])
def test_diff_and_trend_replace_an_out_file_only_with_force(
    neglect: Neglect, records: list[Path], tmp_path: Path, command: str
) -> None:
    out = tmp_path / "pack.md"
    out.write_text("an earlier note\n", encoding="utf-8")
    kept = neglect(command, records[0], records[1], "--out", out)
    assert kept.exit_code == 2 and "already exists; use --force" in kept.stderr
    assert out.read_text(encoding="utf-8") == "an earlier note\n"
    replaced = neglect(command, records[0], records[1], "--out", out, "--force")
    assert replaced.exit_code == 0, replaced.stderr
    assert out.read_text(encoding="utf-8").startswith("#")


@pytest.mark.parametrize("command", ["diff", "trend"])
def test_force_no_longer_mixes_cases_and_says_what_does(
    neglect: Neglect, records: list[Path], tmp_path: Path, command: str
) -> None:
    out = tmp_path / "pack.md"
    ran = neglect(command, records[0], records[2], "--force", "--out", out)
    assert ran.exit_code == 2
    said = " ".join(ran.stderr.split())
    assert "pass --mixed-cases" in said and "--force no longer does: it replaces an existing --out file" in said
    assert not out.exists()
    mixed = neglect(command, records[0], records[2], "--mixed-cases", "--out", out)
    assert mixed.exit_code == 0, mixed.stderr
    assert "different cases" in out.read_text(encoding="utf-8")


def test_trends_old_replace_still_replaces_with_a_warning_and_is_not_in_the_help(
    neglect: Neglect, records: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "trend.md"
    out.write_text("an earlier trend\n", encoding="utf-8")
    ran = neglect("trend", records[0], records[1], "--out", out, "--replace")
    assert ran.exit_code == 0, ran.stderr
    assert "--replace is deprecated and will be removed: use --force" in " ".join(ran.stderr.split())
    assert out.read_text(encoding="utf-8").startswith("#")
    assert "--replace" not in neglect("trend", "--help").stdout


def test_out_dash_is_standard_output_for_every_command_that_prints(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the independent check (hostile2): `chronology show`, `family` and `tools schema` wrote a file named `-`
    # (and `family` then refused, since `-` existed); their `--as-of` took only YYYY-MM-DD, and 20260914 too
    monkeypatch.chdir(tmp_path)
    added = neglect(
        "chronology", "add", "CASE-A", "--date", "01/09/2026", "--category", "other", "--agency", "School",
        "--event", "Event", "--impact", "Impact", "--by", "A. Worker",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert neglect("family", "link", "FAM-A", "CASE-A", "--by", "A. Worker").exit_code == 0
    for args, starts in (
        (("chronology", "show", "CASE-A", "--as-of", "14/09/2026", "-f", "md"), "# Chronology of case CASE-A"),
        (("family", "FAM-A", "--as-of", "14/09/2026", "-f", "md"), "# Family FAM-A"),
        (("family", "FAM-A", "-f", "json"), "{"),
        (("tools", "schema"), "{"),
    ):
        for _ in range(2):  # twice: the second would find a file `-` left by the first
            ran = neglect(*args, "--out", "-")
            assert ran.exit_code == 0, ran.output
            assert ran.stdout.startswith(starts), ran.stdout[:80]
    assert not (tmp_path / "-").exists()
    for command in (("chronology", "show", "CASE-A"), ("family", "FAM-A")):
        ran = neglect(*command, "--as-of", "20260914")
        assert ran.exit_code == 2 and "--as-of: not a date: write it as YYYY-MM-DD" in ran.stderr


@pytest.mark.parametrize("command", ["diff", "trend"])
def test_diff_and_trend_read_as_of_as_every_date_is_read(neglect: Neglect, records: list[Path], command: str) -> None:
    # README: --as-of takes DD/MM/YYYY as well as YYYY-MM-DD; diff and trend took only the ISO form (and 20260920)
    uk = neglect(command, records[0], records[1], "--as-of", "20/09/2026", "-f", "json")
    iso = neglect(command, records[0], records[1], "--as-of", "2026-09-20", "-f", "json")
    assert uk.exit_code == iso.exit_code == 0, uk.output
    assert uk.stdout == iso.stdout
    ran = neglect(command, records[0], records[1], "--as-of", "20260920")
    assert ran.exit_code == 2 and "--as-of: not a date: write it as YYYY-MM-DD" in ran.stderr
