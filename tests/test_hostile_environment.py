"""What the environment can throw at the CLI (issue 22, items 8-12): odd signing keys and clocks, output
paths that cannot be written, links that loop, pipes nobody writes to, a wide-open umask. Each is a clear
message and exit 2 (never an internal error, never a hang), and nothing outside what was asked changes."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import PINNED_EPOCH, TESTS, Neglect, Ran

GOOD = TESTS / "bad_inputs" / "good"
TOOL = GOOD / "tool" / "mini-tool.yaml"
ANSWERS = GOOD / "answers.yaml"
RECORD = GOOD / "record.json"
LONG_NAME = "r" * 300 + ".json"

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files, modes and pipes")


@pytest.fixture(autouse=True)
def mini_tool_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(GOOD / "tool"))


def assert_refused(ran: Ran, message: str) -> None:
    assert ran.exit_code == 2, ran.output
    assert message in ran.stderr, ran.output
    assert "Traceback" not in ran.output and "internal error" not in ran.output


def run(tmp_path: Path, *args: str | Path, umask: int | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """A real `neglect` process (for what must not hang, and for the umask), with a 60 s guard."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "NO_COLOR": "1",
        "SOURCE_DATE_EPOCH": PINNED_EPOCH,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "NEGLECT_TOOLS_PATH": str(GOOD / "tool"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "neglect_cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        timeout=60,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,  # noqa: PLW1509 - test only
    )


# --- 8: signing keys and the clock -----------------------------------------------------------------


def signed_record(neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEGLECT_SIGNING_KEY", "team-key")
    path = tmp_path / "signed.json"
    assert neglect("assess", "--answers", ANSWERS, "--out", path).exit_code == 0
    return path


def test_a_non_ascii_signature_is_a_mismatch_not_a_crash(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = signed_record(neglect, tmp_path, monkeypatch)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["integrity"]["hmac_sha256"] = "é" * 64
    path.write_text(json.dumps(data), encoding="utf-8")
    ran = neglect("verify", path)
    assert ran.exit_code == 1
    assert "signature (HMAC) does not match" in ran.stdout
    for args in (("report", path), ("diff", path, path), ("trend", path, RECORD, "--mixed-cases")):
        ran = neglect(*args)
        assert ran.exit_code == 0, ran.output
        assert "signature (HMAC) does not match" in ran.output


@posix_only
def test_a_signing_key_file_that_is_a_device_or_an_idle_pipe_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)
    for key_file in ("/dev/zero", str(fifo), str(tmp_path)):
        ran = run(tmp_path, "verify", RECORD, NEGLECT_SIGNING_KEY_FILE=key_file)
        assert ran.returncode == 2, ran.stderr
        assert "the signing key file is not a regular file" in ran.stderr
        assert "Traceback" not in ran.stderr
    big = tmp_path / "big.key"
    big.write_bytes(b"k" * (65 * 1024))
    ran = run(tmp_path, "verify", RECORD, NEGLECT_SIGNING_KEY_FILE=str(big))
    assert ran.returncode == 2 and "larger than 64 KiB" in ran.stderr


@pytest.mark.parametrize(
    ("epoch", "message"),
    [
        ("99999999999999999999", "SOURCE_DATE_EPOCH is out of range"),
        ("9" * 5000, "SOURCE_DATE_EPOCH is out of range"),
        ("yesterday", "SOURCE_DATE_EPOCH must be a whole number of seconds"),
        ("-5", "SOURCE_DATE_EPOCH must be a whole number of seconds"),
    ],
)
def test_a_source_date_epoch_that_is_no_time_is_refused(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: str, message: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert_refused(neglect("assess", "--answers", ANSWERS, "--out", tmp_path / "r.json"), message)
    assert not (tmp_path / "r.json").exists()


# --- 9: where output goes ---------------------------------------------------------------------------


def test_score_out_that_is_a_file_or_under_a_file_is_refused(neglect: Neglect, tmp_path: Path) -> None:
    file = tmp_path / "file.txt"
    file.write_text("not a folder\n", encoding="utf-8")
    assert_refused(neglect("score", ANSWERS, "--out", file), "is a file, not a folder")
    assert_refused(neglect("score", ANSWERS, "--out", file / "records"), "is a file, not a folder")
    assert file.read_text(encoding="utf-8") == "not a folder\n"


@posix_only
@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_score_out_into_a_read_only_folder_is_refused(neglect: Neglect, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    assert_refused(neglect("score", ANSWERS, "--out", folder), "could not write")
    assert_refused(neglect("score", ANSWERS, "--out", folder / "sub"), "cannot create or use this folder")


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("unshare") is None, reason="needs Linux mount namespaces")
def test_score_out_into_a_read_only_file_system_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    mount = f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && exec "$0" "$@"'
    score = [sys.executable, "-m", "neglect_cli", "score", str(ANSWERS), "--out"]
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "NEGLECT_TOOLS_PATH": str(GOOD / "tool")}
    for out in (folder, folder / "sub"):
        ran = subprocess.run(
            ["unshare", "-rm", "sh", "-c", mount, *score, str(out)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        if ran.returncode != 2 and "mount" in ran.stderr:
            pytest.skip("this system allows no private mounts")
        assert ran.returncode == 2, ran.stderr
        assert "Read-only file system" in ran.stderr and "Traceback" not in ran.stderr
        assert "invalid" not in ran.stderr  # the case was fine: the folder is what is wrong
    assert list(folder.iterdir()) == []


@posix_only
def test_score_out_into_an_existing_shared_folder_leaves_its_mode_alone(neglect: Neglect, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # like /tmp
    ran = neglect("score", ANSWERS, "--out", shared, "--format", "csv")
    assert ran.exit_code == 0, ran.output
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert [stat.S_IMODE(p.stat().st_mode) for p in shared.glob("*.json")] == [0o600]


@posix_only
def test_a_store_and_an_export_in_an_existing_shared_folder_leave_its_mode_alone(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store file or export folder named in a shared folder (like /tmp) must not make it private:
    as root that would lock every other user out of /tmp."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    monkeypatch.setenv("NEGLECT_STORE", str(shared / "records.sqlite3"))
    ran = neglect("assess", "--answers", ANSWERS, "--out", tmp_path / "record.json")
    assert ran.exit_code == 0, ran.output
    assert stat.S_IMODE((shared / "records.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    ran = neglect("store", "export", "--all", shared)
    assert ran.exit_code == 0, ran.output
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert [stat.S_IMODE(p.stat().st_mode) for p in shared.glob("*.json")] == [0o600]


def test_an_output_name_too_long_for_the_file_system_is_refused_before_any_work(
    neglect: Neglect, tmp_path: Path
) -> None:
    long = tmp_path / LONG_NAME
    assert_refused(neglect("assess", "--answers", ANSWERS, "--out", long), "File name too long")
    assert_refused(neglect("report", RECORD, "--out", long), "File name too long")
    assert_refused(neglect("template", TOOL, "--out", long), "File name too long")
    assert_refused(neglect("score", ANSWERS, "--out", long), "File name too long")
    assert list(tmp_path.iterdir()) == [tmp_path / "state"] or not list(tmp_path.glob("r*"))


def test_a_state_folder_that_cannot_be_created_is_a_clear_error(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker / "state"))
    ran = neglect("drafts", "list")
    assert_refused(ran, "is a file, not a folder")
    assert "set XDG_STATE_HOME to a folder you can write" in ran.stderr


def test_out_dash_means_standard_output(neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ran = neglect("report", RECORD, "--out", "-", "--format", "md")
    assert ran.exit_code == 0 and ran.stdout.startswith("# Neglect assessment — case CORPUS-001")
    ran = neglect("template", TOOL, "-o", "-")
    assert ran.exit_code == 0 and "tool:" in ran.stdout
    assert_refused(neglect("assess", "--answers", ANSWERS, "-o", "-"), "to print it, use --format json")
    assert not (tmp_path / "-").exists()


# --- 10: links that loop, pipes nobody writes to --------------------------------------------------


@posix_only
def test_a_symbolic_link_loop_given_as_a_file_is_refused(neglect: Neglect, tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    commands = [("tools", "validate", loop), ("template", loop), ("assess", "--answers", loop), ("verify", loop)]
    commands += [("report", loop), ("diff", RECORD, loop), ("trend", RECORD, loop), ("score", loop)]
    for args in commands:
        ran = neglect(*args)
        assert ran.exit_code == 2, ran.output
        assert "loop.yaml" in ran.stderr and ("loops back on itself" in ran.stderr or "symbolic links" in ran.stderr)
        assert "internal error" not in ran.output
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS.read_text(encoding="utf-8").replace("tool/mini-tool.yaml", "loop.yaml"), "utf-8")
    assert_refused(neglect("assess", "--answers", answers), "is a symbolic link that loops back on itself")


@posix_only
def test_a_named_pipe_nobody_writes_to_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    for args in (("tools", "validate", fifo), ("assess", "--answers", fifo), ("score", fifo), ("verify", fifo)):
        ran = run(tmp_path, *args)
        assert ran.returncode == 2, ran.stderr
        assert "case.yaml: is a named pipe that nothing is writing to" in ran.stderr


@posix_only
def test_a_broken_link_a_loop_or_a_pipe_in_a_folder_is_named_never_dropped(tmp_path: Path) -> None:
    # the independent check (hostile2): in a folder they were left out without a word, so `score --check`
    # of a training set passed with a case missing and `store import` said "of 1 file"
    cases, records = tmp_path / "cases", tmp_path / "records"
    cases.mkdir()
    records.mkdir()
    shutil.copy(ANSWERS, cases / "answers.yaml")
    (cases / "answers.yaml").write_text(
        ANSWERS.read_text(encoding="utf-8").replace("tool/mini-tool.yaml", "mini-tool"), encoding="utf-8"
    )
    shutil.copy(RECORD, records / "a.json")
    shutil.copy(RECORD, records / "b.json")
    for folder, suffix in ((cases, ".yaml"), (records, ".json")):
        (folder / f"moved{suffix}").symlink_to(tmp_path / f"gone{suffix}")
        (folder / f"loop{suffix}").symlink_to(folder / f"loop{suffix}")
        os.mkfifo(folder / f"pipe{suffix}")

    ran = run(tmp_path, "score", "cases", "--check")
    assert ran.returncode == 2, ran.stderr
    for says in (
        "cases/moved.yaml: is a symbolic link to a file that does not exist",
        "cases/loop.yaml: is a symbolic link that loops back on itself",
        "cases/pipe.yaml: is a named pipe that nothing is writing to",
        "3 of 4 file(s) were invalid",
    ):
        assert says in ran.stderr

    store = tmp_path / "store.sqlite3"
    ran = run(tmp_path, "store", "import", "records", NEGLECT_STORE=str(store))
    assert ran.returncode == 2, ran.stderr
    assert "records/moved.json: is a symbolic link to a file that does not exist" in ran.stderr
    assert "records/pipe.json: is a named pipe that nothing is writing to" in ran.stderr
    assert "3 refused (of 5 files)" in ran.stderr

    ran = run(tmp_path, "trend", "records", NEGLECT_STORE=str(store))
    assert ran.returncode == 0, ran.stderr
    assert (
        "skipped 3 files that are not records: records/loop.json (a symbolic link that loops back on itself); "
        "records/moved.json (a broken symbolic link); records/pipe.json (a named pipe)"
    ) in ran.stderr


@posix_only
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash for <(...)")
def test_a_pipe_with_a_writer_is_still_read(tmp_path: Path) -> None:
    script = f'"{sys.executable}" -m neglect_cli tools validate <(sleep 0.2; cat "{TOOL}")'
    ran = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr


# --- 11: folders are private whatever the umask -----------------------------------------------------


@posix_only
def test_every_folder_created_is_0700_under_umask_000(tmp_path: Path) -> None:
    state = tmp_path / "deep" / "er" / "state"
    ran = run(tmp_path, "drafts", "list", umask=0, XDG_STATE_HOME=str(state))
    assert ran.returncode == 0, ran.stderr
    ran = run(tmp_path, "score", ANSWERS, "--out", tmp_path / "out" / "records", umask=0, XDG_STATE_HOME=str(state))
    assert ran.returncode == 0, ran.stderr
    created = [
        tmp_path / "deep",
        tmp_path / "deep" / "er",
        state,
        state / "neglect-cli",
        state / "neglect-cli" / "drafts",
        tmp_path / "out",
        tmp_path / "out" / "records",
    ]
    assert {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in created} == {
        str(p.relative_to(tmp_path)): "0o700" for p in created
    }
    assert [oct(stat.S_IMODE(p.stat().st_mode)) for p in (tmp_path / "out" / "records").iterdir()] == ["0o600"]


# --- 12: a template always loads back -------------------------------------------------------------


def test_a_template_for_a_tool_at_an_odd_path_reads_back_and_scores(neglect: Neglect, tmp_path: Path) -> None:
    folder = tmp_path / "team #2: tools"
    folder.mkdir()
    tool = folder / "mini tool #1.yaml"
    tool.write_bytes(TOOL.read_bytes())
    out = tmp_path / "case.yaml"
    assert neglect("template", tool, "--out", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    text = (
        text.replace("CASE-REF", "ODD-1")
        .replace("YYYY-MM-DD", "2026-11-20")
        .replace("  age_months:", "  age_months: 18")
    )
    out.write_text(text, encoding="utf-8")
    ran = neglect("assess", "--answers", out, "--partial", "--format", "json", "--out", tmp_path / "r.json")
    assert ran.exit_code == 0, ran.output
