"""Every screen fits an 80-column terminal: each command runs through the real CLI with COLUMNS=80,
piped and (where the layout differs) in a pseudo-terminal 80 columns wide, and no line may be longer
than 80 characters, unless it holds a path or URL that cannot be broken.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import CASES, PINNED_EPOCH, TESTS

WIDTH = 80
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def too_long(text: str) -> list[str]:
    """Lines wider than 80 columns, except those that are long only because of one path or URL."""
    from wcwidth import wcswidth

    out = []
    for line in ANSI.sub("", text).replace("\r", "").split("\n"):
        if max(wcswidth(line), len(line)) <= WIDTH:
            continue
        unbreakable = [w for w in line.split() if ("/" in w or "://" in w) and len(w) > WIDTH // 3]
        rest = " ".join(w for w in line.split() if w not in unbreakable)
        if unbreakable and len(rest) + 1 <= WIDTH:
            continue  # a path or URL that cannot be broken, and the rest would fit beside a short one
        out.append(line)
    return out


@dataclass(frozen=True)
class Place:
    """Where the screens run: a folder, the environment, and record files of every trainer case."""

    root: Path
    env: dict[str, str]
    records: Path


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Place]:
    """A store and record files of every trainer case, made through the CLI."""
    root = tmp_path_factory.mktemp("screens")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEGLECT_", "COLUMNS", "LINES"))}
    env |= {
        "XDG_STATE_HOME": str(root / "state"),
        "XDG_DATA_HOME": str(root / "data"),
        "NEGLECT_STORE": str(root / "data" / "records.sqlite3"),
        "SOURCE_DATE_EPOCH": PINNED_EPOCH,
        "NO_COLOR": "1",
        "COLUMNS": str(WIDTH),
        "TERM": "xterm-256color",
    }
    records = root / "records"
    records.mkdir()
    for case in sorted(CASES.glob("*.yaml")):
        subprocess.run(
            [sys.executable, "-m", "neglect_cli", "assess", "--answers", str(case), "--partial"]
            + ["--out", str(records / f"{case.stem}.json")],
            env=env,
            capture_output=True,
            check=True,
        )
    yield Place(root=root, env=env, records=records)


def rec(place: Place, stem: str) -> str:
    return str(place.records / f"{stem}.json")


#: (name, argv) for every screen; paths are filled in from the fixture.
def screens(place: Place) -> list[tuple[str, list[str]]]:
    def r(stem: str) -> str:
        return rec(place, stem)

    trend = [r(s) for s in ("10a-drift-first-review", "10b-drift-second-review", "10c-improved-third-review")]
    trend.append(r("10d-relapse-fourth-review"))
    bad = TESTS / "bad_inputs"
    return [
        ("score", ["score", str(CASES)]),
        ("tools list", ["tools", "list"]),
        ("tools show core", ["tools", "show", "neglect-core"]),
        ("tools show screening", ["tools", "show", "neglect-screening"]),
        ("error: bad tool", ["tools", "validate", str(bad / "tools" / "escape-in-condition-value.yaml")]),
        ("report immediate", ["report", r("04-child-protection-left-alone")]),
        ("report override", ["report", r("12-practitioner-override")]),
        ("report provisional", ["report", r("11-incomplete-low-coverage")]),
        ("report hardship", ["report", r("07-hardship-good-care")]),
        ("diff", ["diff", r("10a-drift-first-review"), r("10d-relapse-fourth-review")]),
        ("diff --all", ["diff", r("10a-drift-first-review"), r("10d-relapse-fourth-review"), "--all"]),
        ("trend", ["trend", *trend]),
        ("history", ["history", "TRAIN-010", "--training"]),
        ("caseload", ["caseload", "--training", "--as-of", "2026-12-01"]),
        ("verify", ["verify", r("04-child-protection-left-alone"), r("10a-drift-first-review")]),
        ("drafts list", ["drafts", "list"]),
        ("store where", ["store", "where"]),
        ("error: a record as answers", ["assess", "--answers", r("04-child-protection-left-alone")]),
        ("error: no such record", ["report", str(place.root / "no-such-record.json")]),
        ("error: answers as a record", ["verify", str(CASES / "04-child-protection-left-alone.yaml")]),
        ("error: bad answers", ["score", str(bad / "answers")]),
        ("help", ["--help"]),
        ("assess --help", ["assess", "--help"]),
        ("score --help", ["score", "--help"]),
    ]


SCREEN_NAMES = [name for name, _ in screens(Place(root=Path("/r"), env={}, records=Path("/r")))]


def run_piped(place: Place, argv: list[str]) -> str:
    ran = subprocess.run(
        [sys.executable, "-m", "neglect_cli", *argv],
        env=place.env,
        cwd=str(place.root),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return ran.stdout + ran.stderr


def run_in_terminal(place: Place, argv: list[str]) -> str:
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in place.env.items() if k != "NO_COLOR"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "neglect_cli", *argv],
        env=env,
        cwd=str(place.root),
        dimensions=(2000, WIDTH),
        encoding="utf-8",
        timeout=120,
    )
    output: str = child.read()
    child.close()
    return output


# Messages on stderr are wrapped on a terminal; piped, each problem stays on one line for grep and
# editors (`file:line: field: message`), so errors are checked in a terminal only.
@pytest.mark.parametrize("name", [name for name in SCREEN_NAMES if not name.startswith("error")])
def test_every_screen_fits_80_columns_when_piped(place: Place, name: str) -> None:
    argv = dict(screens(place))[name]
    output = run_piped(place, argv)
    assert output.strip(), f"{name}: printed nothing"
    assert too_long(output) == [], f"{name}: lines over {WIDTH} columns"


@pytest.mark.parametrize(
    "name",
    [
        "score",
        "tools list",
        "tools show core",
        "report immediate",
        "report override",
        "diff",
        "trend",
        "caseload",
        *(name for name in SCREEN_NAMES if name.startswith("error")),
    ],
)
def test_every_screen_fits_80_columns_on_a_terminal(place: Place, name: str) -> None:
    argv = dict(screens(place))[name]
    output = run_in_terminal(place, argv)
    assert output.strip(), f"{name}: printed nothing"
    assert too_long(output) == [], f"{name}: lines over {WIDTH} columns"


def test_a_diff_of_many_changed_items_keeps_evidence_under_each_item(place: Place) -> None:
    output = run_piped(place, ["diff", rec(place, "10a-drift-first-review"), rec(place, "10d-relapse-fourth-review")])
    changed = re.search(r"(\d+) of \d+ items changed rating or status", " ".join(output.split()))
    assert changed is not None and int(changed[1]) >= 12
    lines = output.splitlines()
    # one line per item with its rating old -> new, then notes at nearly the full width: no narrow columns
    assert "physical.supervision worsened: 2 Needs mostly met → 3 Some needs not met" in lines
    assert not any(" | " in line for line in lines[lines.index("Items") :])
    notes = [line for line in lines if line.startswith(("  NEW ", "  OLD "))]
    assert notes and max(len(line) for line in notes) > 60
    assert len(lines) < 8 * int(changed[1]) + 60  # the old side-by-side layout took about 12 lines an item


def test_the_check_itself_catches_a_long_line_but_not_a_long_path() -> None:
    assert too_long("x" * 81) == ["x" * 81]
    assert too_long("error: " + "/very/long/path/" * 8 + "record.json: no such file") == []
    assert too_long("word " * 17) == ["word " * 17]


def test_the_tool_picker_at_80x24_shows_every_tool_ref_whole(tmp_path: Path) -> None:
    pytest.importorskip("pexpect")
    from helpers.terminal import Screen, finish, spawn

    child = spawn(tmp_path, rows=24, columns=80)  # `neglect` alone: the shipped tools to choose from
    screen = Screen(child, rows=24, columns=80)
    child.expect_exact("Which tool?")
    from neglect_cli.toolfiles import discover_tools

    refs = [source.ref for source in discover_tools()]
    child.expect_exact(refs[-1])
    child.expect_exact(["…", "services"])  # the end of its line: the title, whole or shortened
    shown = "\n".join(screen.lines())
    for ref in refs:
        assert ref in shown, shown
    assert "…" in shown or "Neglect screening — a quick check for universal services" in shown
    child.send("\x03")
    assert finish(child) == 130
