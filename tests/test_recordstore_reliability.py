"""The store under stress: concurrent writers, kill -9 mid-save, schema upgrades. Both backends, real processes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import Neglect
from helpers.storecases import make_record, write_record
from neglect_cli.storeinfo import SCHEMA_VERSION

# A writer process: saves the record files named on the command line one by one, each in its own transaction.
SAVER = """
import json, sys
from neglect_cli.recordstore import open_store
store = open_store()
for path in sys.argv[1:]:
    store.save(json.loads(open(path, encoding="utf-8").read()))
    print("saved", flush=True)
"""


def records_on_disk(folder: Path, prefix: str, count: int, *, refs: list[str], year: int = 2020) -> list[Path]:
    """`count` distinct records, of the children in `refs` in turn, a day apart in `year`."""
    paths = []
    for i in range(count):
        day = f"{year}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}"
        paths.append(write_record(folder, f"{prefix}-{i}.json", make_record(refs[i % len(refs)], day)))
    return paths


def saver(paths: list[Path]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SAVER, *map(str, paths)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def stored_count(neglect: Neglect) -> int:
    ran = neglect("store", "check", "--format", "json")
    assert ran.exit_code == 0, ran.output
    checked: int = json.loads(ran.stdout)["checked"]
    return checked


def test_concurrent_writers_lose_nothing(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    # two processes at once, each saving 40 records one transaction at a time: some of the same child, some not
    first = records_on_disk(tmp_path / "a", "a", 40, refs=["SCH-SHARED", "SCH-A"], year=2020)
    second = records_on_disk(tmp_path / "b", "b", 40, refs=["SCH-SHARED", "SCH-B"], year=2021)
    writers = [saver(first), saver(second)]
    for proc in writers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-2000:]
        assert out.count("saved") == 40
    assert stored_count(neglect) == 80
    shared = neglect("history", "SCH-SHARED", "--format", "json")
    assert len(json.loads(shared.stdout)["assessments"]) == 40


def test_kill_9_during_saves_leaves_the_store_consistent(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    paths = records_on_disk(tmp_path / "in", "k", 60, refs=["SCH-K1", "SCH-K2", "SCH-K3"])
    rng = random.Random(15)
    confirmed = 0
    for _round in range(4):
        proc = saver(paths)
        # Kill only once the saver has said it saved `wanted` records (it says so after each commit): the kill
        # lands among the saves whatever the machine's load, never before the first one, with half or more left.
        wanted = rng.randint(1, len(paths) // 2)
        assert proc.stdout is not None
        for n in range(wanted):
            line = proc.stdout.readline()
            assert line == "saved\n", f"the saver stopped after {n} saves: {proc.communicate(timeout=60)[1][-2000:]}"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        confirmed = max(confirmed, wanted)  # the first `wanted` records are committed, in order
        # every record is wholly there or not at all (each stored body still matches its hash), and every save
        # the saver reported before it was killed is still there
        done = stored_count(neglect)
        assert confirmed <= done <= len(paths)
    # what was not saved before the kills is saved now, and nothing is stored twice
    final = saver(paths)
    _, err = final.communicate(timeout=300)
    assert final.returncode == 0, err[-2000:]
    assert stored_count(neglect) == len(paths)


def test_kill_9_during_assess_leaves_a_whole_record_file_or_none(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    from helpers.storecases import answers_file

    rng = random.Random(7)
    for i in range(3):
        out = tmp_path / f"r{i}.json"
        case = answers_file(tmp_path / "cases", f"SCH-KA{i}", "2026-05-11")
        proc = subprocess.Popen(
            [sys.executable, "-m", "neglect_cli", "assess", "--answers", str(case), "--out", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if out.exists():
            assert neglect("verify", out).exit_code == 0
    # whatever was cut off, the store opens, takes the next record and checks clean
    last = neglect("assess", "--answers", answers_file(tmp_path / "cases", "SCH-KA9", "2026-05-11"), "--out", tmp_path)
    assert last.exit_code == 0, last.stderr
    assert stored_count(neglect) >= 1


def test_an_older_store_is_upgraded_after_a_backup(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    from neglect_cli.recordstore import RecordStore

    old = RecordStore(store_url, upgrade_to=1)  # the store as schema 1 made it
    old.save(make_record("SCH-UP", "2026-01-05"))
    old.close()

    ran = neglect("history", "SCH-UP", "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    assert f"upgraded from schema 1 to {SCHEMA_VERSION}" in ran.stderr
    assert len(json.loads(ran.stdout)["assessments"]) == 1
    if store_url.startswith("postgresql"):
        assert backup_tables(store_url) == {"meta_schema1_backup", "records_schema1_backup"}
    else:
        (backup,) = Path(store_url).parent.glob("records.sqlite3.schema1-backup-*")
        assert backup.stat().st_mode & 0o777 == 0o600
        # the copy is the store as it was: still schema 1
        import sqlite3

        with sqlite3.connect(backup) as conn:
            assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    # upgraded once: opening again says nothing more
    again = neglect("history", "SCH-UP")
    assert "upgraded" not in again.stderr
    # schema 3's chronology is there
    added = neglect("chronology", "add", "SCH-UP", "--by", "A", "--date", "2026-01-02", "--category", "referral",
                    "--agency", "School", "--event", "Referral")  # fmt: skip
    assert added.exit_code == 0, added.stderr


def test_a_schema_2_store_gains_the_chronology_and_keeps_its_records(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    from neglect_cli.recordstore import RecordStore

    old = RecordStore(store_url, upgrade_to=2)
    old.save(make_record("SCH-UP2", "2026-01-05"))
    old.close()
    ran = neglect("chronology", "show", "SCH-UP2", "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    assert f"upgraded from schema 2 to {SCHEMA_VERSION}" in ran.stderr
    assert [e["category"] for e in json.loads(ran.stdout)["entries"]] == ["assessment"]


def backup_tables(url: str) -> set[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE '%backup'").fetchall()
    return {r[0] for r in rows}


def test_a_newer_store_is_refused_and_left_alone(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    write_record(tmp_path / "in", "a.json", make_record("SCH-NEW", "2026-01-05"))
    assert neglect("store", "import", tmp_path / "in").exit_code == 0
    import sqlalchemy as sa

    url = (
        store_url.replace("postgresql://", "postgresql+psycopg://") if "://" in store_url else f"sqlite:///{store_url}"
    )
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    engine.dispose()
    ran = neglect("history", "SCH-NEW")
    assert ran.exit_code == 2
    assert f"made by a newer neglect-cli (store schema 99; this version knows up to {SCHEMA_VERSION})" in ran.stderr
    out = tmp_path / "kept.json"
    from helpers.storecases import answers_file

    assessed = neglect("assess", "--answers", answers_file(tmp_path, "SCH-NEW", "2026-02-05"), "--out", out)
    assert assessed.exit_code == 2 and out.exists() and "neglect store import" in assessed.stderr


def test_the_store_folder_and_file_stay_private_under_umask_000(neglect: Neglect, tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        write_record(tmp_path / "in", "a.json", make_record("SCH-PRIV", "2026-01-05"))
        assert neglect("store", "import", tmp_path / "in").exit_code == 0
    finally:
        os.umask(old)
    store = Path(os.environ["NEGLECT_STORE"])
    assert store.stat().st_mode & 0o777 == 0o600
    assert store.parent.stat().st_mode & 0o777 == 0o700
