"""The record store through the CLI, on SQLite and on a real PostgreSQL server (`store_url`)."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from helpers import CASES, CORE_VERSION, Neglect
from helpers.storecases import answers_file, make_record, write_record


def assess(neglect: Neglect, case: Path, out: Path) -> None:
    ran = neglect("assess", "--answers", case, "--out", out, "--format", "json")
    assert ran.exit_code == 0, ran.stderr


def history(neglect: Neglect, ref: str, *options: str) -> dict[str, Any]:
    ran = neglect("history", ref, "--format", "json", *options)
    assert ran.exit_code == 0, ran.stderr
    data: dict[str, Any] = json.loads(ran.stdout)
    return data


def test_every_assessment_is_stored_and_listed_newest_first(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    for day in ("2026-05-11", "2026-09-07"):
        assess(neglect, answers_file(tmp_path / "in", "SCH-0417", day), tmp_path / f"r-{day}.json")
    assess(neglect, answers_file(tmp_path / "in", "SCH-9999", "2026-06-01"), tmp_path / "other.json")

    data = history(neglect, "SCH-0417")
    rows = data["assessments"]
    assert isinstance(rows, list)
    assert [r["assessed_on"] for r in rows] == ["2026-09-07", "2026-05-11"]
    newest, older = rows
    assert newest["tool"] == f"neglect-core@{CORE_VERSION}"
    assert newest["final_label"] == "Level 2 — early help"
    # Level 2's review period is 12 weeks: due 2026-08-03, and the next assessment came 35 days late
    assert older["review_due"] == "2026-08-03"
    assert (older["in_time"], older["days_late"], older["next_assessed_on"]) == (False, 35, "2026-09-07")
    # the newest: 2026-09-07 + 12 weeks = 2026-11-30, six days after the pinned today (2026-11-24)
    assert (newest["review_due"], newest["due_in_days"]) == ("2026-11-30", 6)


def test_history_text_shows_date_assessor_levels_prompts_and_review(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    assess(neglect, answers_file(tmp_path, "SCH-1", "2026-05-11"), tmp_path / "a.json")
    assess(neglect, answers_file(tmp_path, "SCH-1", "2026-09-07", base="10b-drift-second-review.yaml"), tmp_path / "b")
    ran = neglect("history", "SCH-1")
    assert ran.exit_code == 0, ran.stderr
    text = ran.stdout
    assert "Case SCH-1: 2 assessments, newest first" in text
    assert f"2026-09-07  J. Trainer · neglect-core {CORE_VERSION}" in text
    assert "    level       Level 3 — child in need\n" in text
    assert "CONSULT persistent-concern" in text
    assert "review due  2026-08-03: next assessment 2026-09-07, 35 days late" in text
    assert "review due  2026-10-19: OVERDUE by 36 days, no later assessment" in text


def test_training_records_are_kept_out_of_history_unless_asked(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    # the shipped cases say `training: true`
    assess(neglect, CASES / "10a-drift-first-review.yaml", tmp_path / "t.json")
    assert history(neglect, "TRAIN-010")["assessments"] == []
    ran = neglect("history", "TRAIN-010")
    assert "training records are left out; --training shows them" in " ".join(ran.stdout.split())
    shown = history(neglect, "TRAIN-010", "--training")["assessments"]
    assert isinstance(shown, list) and len(shown) == 1 and shown[0]["training"] is True


def test_an_old_record_without_the_training_key_still_verifies(neglect: Neglect, tmp_path: Path) -> None:
    record = make_record("SCH-OLD", "2026-01-05")
    assert "training" not in record
    path = write_record(tmp_path, "old.json", record)
    ran = neglect("verify", path)
    assert ran.exit_code == 0, ran.output


def test_score_never_writes_to_the_store(neglect: Neglect, tmp_path: Path) -> None:
    ran = neglect("score", CASES / "01-universal-well-cared-for.yaml", "--out", tmp_path / "out", "--format", "csv")
    assert ran.exit_code == 0, ran.stderr
    assert not (tmp_path / "data").exists()


def test_the_default_store_is_private_under_xdg_data_home(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEGLECT_STORE")
    os.umask(0)
    try:
        assess(neglect, answers_file(tmp_path / "in", "SCH-2", "2026-05-11"), tmp_path / "r.json")
    finally:
        os.umask(0o022)
    folder = tmp_path / "data" / "neglect-cli"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert history(neglect, "SCH-2")["assessments"]


def test_import_verifies_skips_duplicates_and_reports_counts(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "records"
    for i, day in enumerate(("2026-01-05", "2026-02-05", "2026-03-05")):
        write_record(folder / "sub", f"r{i}.json", make_record("SCH-IMP", day))
    tampered = make_record("SCH-IMP", "2026-04-05")
    tampered["child_voice"] = "edited afterwards"
    write_record(folder, "tampered.json", tampered)

    ran = neglect("store", "import", folder, "--format", "json")
    assert ran.exit_code == 2
    assert "tampered.json" in ran.stderr and "integrity hash does not match" in ran.stderr
    assert "edited afterwards" not in ran.output
    counts = json.loads(ran.stdout)
    assert (counts["imported"], counts["duplicates"], counts["refused"]) == (3, 0, 1)

    (folder / "tampered.json").unlink()
    again = neglect("store", "import", folder)
    assert again.exit_code == 0, again.stderr
    assert "0 imported, 3 already in the store, 0 refused" in again.stderr
    assert len(history(neglect, "SCH-IMP")["assessments"]) == 3


def test_export_writes_files_that_verify_accepts(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    write_record(tmp_path / "in", "a.json", make_record("SCH-EXP", "2026-01-05"))
    write_record(tmp_path / "in", "b.json", make_record("SCH-EXP", "2026-02-05"))
    write_record(tmp_path / "in", "c.json", make_record("SCH-OTHER", "2026-02-05"))
    assert neglect("store", "import", tmp_path / "in").exit_code == 0
    ran = neglect("store", "export", "SCH-EXP", tmp_path / "out")
    assert ran.exit_code == 0, ran.stderr
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == 2
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert neglect("verify", *files).exit_code == 0
    everything = neglect("store", "export", "--all", tmp_path / "all")
    assert everything.exit_code == 0, everything.stderr
    assert len(list((tmp_path / "all").iterdir())) == 3


def test_check_re_verifies_every_record_and_finds_an_edit(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    write_record(tmp_path / "in", "a.json", make_record("SCH-CHK", "2026-01-05"))
    write_record(tmp_path / "in", "b.json", make_record("SCH-CHK", "2026-02-05"))
    assert neglect("store", "import", tmp_path / "in").exit_code == 0
    ok = neglect("store", "check")
    assert ok.exit_code == 0 and "2 records checked" in ok.stdout and "all ok" in ok.stdout

    # someone edits a stored record behind the tool's back
    import sqlalchemy as sa

    url = store_url if store_url.startswith("postgresql") else f"sqlite:///{store_url}"
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        body = conn.execute(sa.text("SELECT body FROM record_bodies WHERE id = 1")).scalar_one()
        changed = body.replace("J. Trainer", "Someone")
        conn.execute(sa.text("UPDATE record_bodies SET body = :b WHERE id = 1"), {"b": changed})
    engine.dispose()
    bad = neglect("store", "check")
    assert bad.exit_code == 1
    assert "#1: integrity hash does not match" in bad.stdout and "1 with problems" in bad.stdout


@pytest.mark.parametrize(
    "ref",
    ["O'Brien-1", "50%_done", "../../etc/passwd", "'; DROP TABLE records; --", 'a"b\\c', "ü-ñ-漢字", "x" * 256],
    ids=["quote", "percent", "dotdot", "sql", "escapes", "unicode", "long"],
)
def test_hostile_case_refs_are_data(neglect: Neglect, store_url: str, tmp_path: Path, ref: str) -> None:
    write_record(tmp_path / "in", "h.json", make_record(ref, "2026-01-05"))
    write_record(tmp_path / "in", "n.json", make_record("SCH-NORMAL", "2026-01-05"))
    ran = neglect("store", "import", tmp_path / "in")
    assert ran.exit_code == 0, ran.stderr
    data = history(neglect, ref)
    assert data["case_ref"] == ref and len(data["assessments"]) == 1
    assert len(history(neglect, "SCH-NORMAL")["assessments"]) == 1
    assert history(neglect, "%")["assessments"] == []  # never a pattern
    exported = neglect("store", "export", ref, tmp_path / "out")
    assert exported.exit_code == 0, exported.stderr
    (written,) = (tmp_path / "out").iterdir()
    assert written.parent == tmp_path / "out"
    assert neglect("verify", written).exit_code == 0


@pytest.mark.parametrize("ref", ["nul\x00byte", "x" * 10_000, "new\nline"], ids=["nul", "10kB", "newline"])
def test_refs_that_cannot_be_data_are_refused_with_exit_2(
    neglect: Neglect, store_url: str, tmp_path: Path, ref: str
) -> None:
    write_record(tmp_path / "in", "h.json", make_record(ref, "2026-01-05"))
    ran = neglect("store", "import", tmp_path / "in")
    assert ran.exit_code == 2
    assert "case reference" in ran.stderr
    assert neglect("history", ref).exit_code == 2


def test_a_broken_store_never_loses_the_record_file(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database, it is an old shopping list" * 100)
    monkeypatch.setenv("NEGLECT_STORE", str(corrupt))
    out = tmp_path / "kept.json"
    ran = neglect("assess", "--answers", answers_file(tmp_path, "SCH-3", "2026-05-11"), "--out", out)
    assert ran.exit_code == 2
    assert out.exists() and neglect("verify", out).exit_code == 0
    assert "not in the store" in ran.stderr and f"neglect store import {out}" in ran.stderr
    assert "file is not a database" in ran.stderr

    # once the store works again, the record goes in as the message said
    monkeypatch.setenv("NEGLECT_STORE", str(tmp_path / "fixed.sqlite3"))
    assert neglect("store", "import", out).exit_code == 0
    assert len(history(neglect, "SCH-3")["assessments"]) == 1


def test_an_unreachable_postgresql_server_never_loses_the_record_file(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEGLECT_STORE", "postgresql://someone:secret@127.0.0.1:9/nowhere")
    out = tmp_path / "kept.json"
    ran = neglect("assess", "--answers", answers_file(tmp_path, "SCH-4", "2026-05-11"), "--out", out)
    assert ran.exit_code == 2
    assert out.exists()
    assert "postgresql://someone:***@127.0.0.1:9/nowhere" in ran.stderr
    assert "secret" not in ran.stderr
    assert f"neglect store import {out}" in ran.stderr


@pytest.mark.parametrize("url", ["mysql://team:secret@db.example/records", "mysql+pymysql://team@db/records"])
def test_a_url_of_a_database_neglect_cannot_use_is_refused_never_made_a_local_file(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    # the independent check (hostile2): `mysql://…` was read as a path and a SQLite store was made in
    # ./mysql:/team:secret@db.example/records, while the team believed the records in its shared store
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEGLECT_STORE", url)
    out = tmp_path / "kept.json"
    case = answers_file(tmp_path, "SCH-4", "2026-05-11")
    ran = neglect("assess", "--answers", case, "--out", out)
    assert ran.exit_code == 2
    scheme = url.partition("://")[0]
    assert f"NEGLECT_STORE: a {scheme}:// URL is not a store neglect-cli can use" in ran.stderr
    assert "secret" not in ran.stderr
    assert out.exists() and f"neglect store import {out}" in ran.stderr
    assert sorted(tmp_path.iterdir()) == sorted([case, out])  # no store made here
    ran = neglect("store", "where", "--store", url)
    assert ran.exit_code == 2 and f"--store: a {scheme}:// URL" in ran.stderr


def test_a_read_only_store_never_loses_the_record_file(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only files; the corrupt and unreachable cases cover the path")
    assess(neglect, answers_file(tmp_path, "SCH-5", "2026-05-11"), tmp_path / "first.json")
    store = Path(os.environ["NEGLECT_STORE"])
    store.chmod(0o400)
    out = tmp_path / "kept.json"
    ran = neglect("assess", "--answers", answers_file(tmp_path, "SCH-5", "2026-06-11"), "--out", out)
    assert ran.exit_code == 2 and out.exists()
    assert "neglect store import" in ran.stderr


def test_a_locked_sqlite_store_is_waited_for_not_lost(neglect: Neglect, tmp_path: Path) -> None:
    assess(neglect, answers_file(tmp_path, "SCH-6", "2026-05-11"), tmp_path / "first.json")
    # another process holds the write lock briefly (a backup tool, say): the save waits its turn
    import threading

    holder = sqlite3.connect(os.environ["NEGLECT_STORE"], isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        assess(neglect, answers_file(tmp_path, "SCH-6", "2026-06-11"), tmp_path / "second.json")
    finally:
        release.join()
        holder.close()
    assert len(history(neglect, "SCH-6")["assessments"]) == 2


def test_purge_removes_old_records_after_asking(neglect: Neglect, store_url: str, tmp_path: Path) -> None:
    for ref, day in (
        ("SCH-A", "2019-01-05"),
        ("SCH-A", "2019-06-05"),
        ("SCH-B", "2019-02-05"),
        ("SCH-A", "2026-01-05"),
    ):
        write_record(tmp_path / "in", f"{ref}-{day}.json", make_record(ref, day))
    assert neglect("store", "import", tmp_path / "in").exit_code == 0
    refused = neglect("store", "purge", "--before", "2020-01-01")  # no terminal to ask, no --yes
    assert refused.exit_code == 2 and "3 records of 2 children" in refused.stderr and "--yes" in refused.stderr
    assert len(history(neglect, "SCH-A")["assessments"]) == 3
    ran = neglect("store", "purge", "--before", "2020-01-01", "--yes")
    assert ran.exit_code == 0, ran.stderr
    assert "removed 3 records of 2 children assessed before 2020-01-01" in ran.stderr
    assert [r["assessed_on"] for r in history(neglect, "SCH-A")["assessments"]] == ["2026-01-05"]
    assert neglect("store", "purge", "--before", "not-a-date", "--yes").exit_code == 2


def test_a_correction_supersedes_with_a_reason_and_both_are_kept(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    assess(neglect, answers_file(tmp_path, "SCH-7", "2026-05-11"), tmp_path / "wrong.json")
    corrected = answers_file(tmp_path / "c", "SCH-7", "2026-05-11", base="10b-drift-second-review.yaml")
    ran = neglect("assess", "--answers", corrected, "--out", tmp_path / "right.json", "--format", "json")
    assert ran.exit_code == 0
    rows = history(neglect, "SCH-7")["assessments"]
    ids = sorted(r["id"] for r in rows)
    sup = neglect("store", "supersede", str(ids[0]), str(ids[1]), "--reason", "ratings entered for the wrong visit")
    assert sup.exit_code == 0, sup.stderr
    rows = history(neglect, "SCH-7")["assessments"]
    by_id = {r["id"]: r for r in rows}
    assert by_id[ids[0]]["superseded_by"] == ids[1]
    assert by_id[ids[1]]["supersedes"] == ids[0]
    assert by_id[ids[1]]["correction_reason"] == "ratings entered for the wrong visit"
    again = neglect("store", "supersede", str(ids[0]), str(ids[1]), "--reason", "twice")
    assert again.exit_code == 2 and "already superseded" in again.stderr
    assert neglect("store", "supersede", str(ids[1]), str(ids[0]), "--reason", "").exit_code == 2


def test_the_quick_history_path_prints_what_the_full_command_prints(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    import subprocess
    import sys

    assess(neglect, answers_file(tmp_path, "SCH-Q", "2026-05-11"), tmp_path / "a.json")
    assess(neglect, answers_file(tmp_path, "SCH-Q", "2026-09-07", base="10b-drift-second-review.yaml"), tmp_path)
    assess(neglect, answers_file(tmp_path, "SCH-Q", "2026-10-12", base="10c-improved-third-review.yaml"), tmp_path)
    assess(neglect, answers_file(tmp_path / "t", "SCH-Q", "2026-11-01", training=True), tmp_path)
    first, second = sorted(r["id"] for r in history(neglect, "SCH-Q")["assessments"])[:2]
    assert neglect("store", "supersede", str(first), str(second), "--reason", "a correction").exit_code == 0
    # what the quick path imports: proves it answered (a SQLite store) or handed over (PostgreSQL)
    listing = "import sys, atexit; atexit.register(lambda: print('MODULES', *sorted(sys.modules), file=sys.stderr));"
    listing += "sys.argv = ['neglect', *sys.argv[1:]]; from neglect_cli.__main__ import main; main()"
    for options in ([], ["--training"], ["--format", "json"], ["--format=json", "--training"]):
        ran = subprocess.run(
            [sys.executable, "-c", listing, "history", "SCH-Q", *options], capture_output=True, text=True, timeout=60
        )
        assert ran.returncode == 0, ran.stderr
        full = neglect("history", "SCH-Q", *options)
        assert ran.stdout == full.stdout
        modules = set(ran.stderr.split("MODULES", 1)[1].split())
        quick = not store_url.startswith("postgresql")
        assert ("typer" not in modules and "sqlalchemy" not in modules) == quick, sorted(modules)[:5]
    assert "superseded  by" in full.stdout or "superseded_by" in full.stdout


def test_a_large_import_is_shared_among_workers_and_loses_nothing(
    neglect: Neglect, store_url: str, tmp_path: Path
) -> None:
    # more files than one worker's share: verified in worker processes, stored in the given order
    base = make_record("SCH-BIG-0", "2026-01-05")
    import datetime as dt

    from neglect_cli.record import seal

    body = {k: v for k, v in base.items() if k != "integrity"}
    for i in range(600):
        record = seal(
            {
                **body,
                "case": {
                    **body["case"],
                    "ref": f"SCH-BIG-{i % 7}",
                    "assessed_on": (dt.date(2020, 1, 1) + dt.timedelta(days=i)).isoformat(),
                },
            }
        )
        if i == 333:
            record["child_voice"] = "changed after sealing"
        write_record(tmp_path / "in", f"r{i:03d}.json", record)
    ran = neglect("store", "import", tmp_path / "in", "--format", "json")
    assert ran.exit_code == 2
    counts = json.loads(ran.stdout)
    assert (counts["imported"], counts["refused"]) == (599, 1)
    assert counts["refused_files"] == [str(tmp_path / "in" / "r333.json")]
    check = neglect("store", "check", "--format", "json")
    assert json.loads(check.stdout)["checked"] == 599


def test_a_walk_whose_store_fails_writes_the_record_and_keeps_the_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers import TESTS
    from helpers.scripted import scripted_walk
    from neglect_cli.errors import UserError

    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"not a database " * 200)
    monkeypatch.setenv("NEGLECT_STORE", str(corrupt))
    case = ["CASE-1", "", "A. Worker", ""]
    facts = ["30", "engaged", ["substance_misuse"], "no", "2026-11-01", ""]
    script = case + facts + ["1", "2", "3", "Not brought to two checks in May", "1"] + ["", "k", "s"]
    with pytest.raises(UserError) as raised:
        scripted_walk(script, tool=str(TESTS / "interview" / "walk-tool.yaml"), out=tmp_path)
    record = tmp_path / "CASE-1_2026-11-24.json"
    assert record.exists()
    assert f"neglect store import {record}" in str(raised.value)
    from neglect_cli.drafts import draft_path

    assert draft_path("CASE-1").exists()  # kept until the record is in the store


def test_import_checks_the_signature_when_a_signing_key_is_set(
    neglect: Neglect, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unsigned = write_record(tmp_path / "in", "unsigned.json", make_record("SCH-SIG", "2026-01-05"))
    monkeypatch.setenv("NEGLECT_SIGNING_KEY", "team-key")
    signed = write_record(tmp_path / "in", "signed.json", make_record("SCH-SIG", "2026-02-05"))
    ran = neglect("store", "import", tmp_path / "in", "--format", "json")
    assert ran.exit_code == 2
    assert "unsigned.json" in ran.stderr and "not signed" in ran.stderr
    assert json.loads(ran.stdout)["refused_files"] == [str(unsigned)]
    monkeypatch.setenv("NEGLECT_SIGNING_KEY", "another-key")
    assert neglect("store", "check").exit_code == 1  # the stored record's HMAC is checked too
    assert signed.exists()
