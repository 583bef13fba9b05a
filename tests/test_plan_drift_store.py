"""Sign-offs kept in the record store, read by `diff` and `trend` (issue 16): an assessment signed off in the
store is not said to be waiting for a sign-off, whether the records come from the store or are files the store
also holds (matched by sha256), in every output format, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import TESTS, Neglect

PLANS = TESTS / "fixtures" / "plans"


@pytest.fixture(autouse=True)
def plans_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(PLANS))


@pytest.fixture
def signed_in_store(neglect: Neglect, store_url: str, tmp_path: Path) -> Path:
    """SAME-1's three assessments as files in one folder (and so in the store); the newest signed off by
    case ref, its sign-off in the store and in a file elsewhere, never beside the record."""
    folder = tmp_path / "same"
    folder.mkdir()
    for n in (1, 2, 3):
        shutil.copy(PLANS / "trainer" / f"same-{n}.yaml", folder)
        ran = neglect("assess", "--answers", folder / f"same-{n}.yaml", "--out", folder)
        assert ran.exit_code == 0, ran.output
    answers = tmp_path / "s.yaml"
    answers.write_text(
        yaml.safe_dump({"agrees": True, "why": "Right level.", "decision": "strategy_discussion",
                        "role": "Team manager", "name": "T. Manager", "signed_on": "2026-08-26"}),
        encoding="utf-8",
    )
    ran = neglect("signoff", "SAME-1", "--training", "--answers", answers, "--out", tmp_path / "kept.signoff.json")
    assert ran.exit_code == 0 and "as sign-off #1" in ran.stderr, ran.output
    assert not list(folder.glob("*.signoff.json"))
    return folder


def waits(text: str) -> list[str]:
    """The dates of the assessments said to be waiting for a sign-off, in the order said."""
    import re

    return re.findall(r"the assessment of (\d{4}-\d\d-\d\d) has waited", " ".join(text.split()))


SOURCES = {
    "store": lambda folder: ["SAME-1", "--training"],
    "files": lambda folder: sorted(str(p) for p in folder.glob("SAME-1_*.json")),
}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("fmt", ["terminal", "md", "json", "html"])
def test_diff_and_trend_read_the_signoffs_kept_in_the_store(
    neglect: Neglect, signed_in_store: Path, source: str, fmt: str
) -> None:
    args = SOURCES[source](signed_in_store)
    diff_args = args if source == "store" else args[1:]
    page = ["--out", "-"] if fmt == "html" else []  # the printable page on standard output
    ran = neglect("diff", *diff_args, "--as-of", "2026-09-20", "--format", fmt, *page)
    assert ran.exit_code == 0, ran.output
    text = ran.stdout if fmt != "json" else " ".join(d["text"] for d in json.loads(ran.stdout)["plans"])
    # the older of the two is waiting; the newest was signed off in the store
    assert waits(text) == ["2026-07-13"]
    ran = neglect("trend", *args, "--as-of", "2026-09-20", "--format", fmt, *page)
    assert ran.exit_code == 0, ran.output
    text = ran.stdout if fmt != "json" else " ".join(d["text"] for d in json.loads(ran.stdout)["plans"])
    assert waits(text) == ["2026-06-01", "2026-07-13"]


def test_a_signoff_changed_in_the_store_does_not_count(
    neglect: Neglect, signed_in_store: Path, store_url: str
) -> None:
    import sqlalchemy as sa

    url = (
        store_url.replace("postgresql://", "postgresql+psycopg://") if "://" in store_url else f"sqlite:///{store_url}"
    )
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        body = json.loads(conn.execute(sa.text("SELECT body FROM signoffs")).scalar_one())
        body["signoff"]["agrees"] = False  # edited after it was sealed
        conn.execute(sa.text("UPDATE signoffs SET body = :b"), {"b": json.dumps(body)})
    engine.dispose()
    ran = neglect("trend", "SAME-1", "--training", "--as-of", "2026-09-20", "--format", "md")
    assert ran.exit_code == 0, ran.output
    assert waits(ran.stdout) == ["2026-06-01", "2026-07-13", "2026-08-24"]
