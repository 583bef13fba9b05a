"""Fixtures and hooks: the CLI through typer's CliRunner with stable, colourless output and a pinned clock, the
record store on both backends, and the `slow` marker. Shared helpers are in tests/helpers/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

# Shared names live in tests/helpers/ (`from helpers import CASES`); these stay importable from conftest
# for tests written before it, until every branch has moved over.
from helpers import CASES as CASES
from helpers import CORE_VERSION as CORE_VERSION
from helpers import DEFINITIONS as DEFINITIONS
from helpers import PINNED_EPOCH, Neglect, Ran
from helpers import ROOT as ROOT
from helpers import TESTS as TESTS

#: Modules whose tests drive real terminals, send signals, start a browser, fill disks or fuzz: marked `slow`.
SLOW_MODULES = {
    "test_terminal_walk",
    "test_terminal_world",
    "test_terminal_safety",
    "test_signals",
    "test_concurrent_walks",
    "test_disk_full",
    "test_report_browser",
    "test_fuzz",
    "test_hostile_environment",
    "test_record_names",
    "test_recordstore_reliability",
    "test_crash",
    "test_limits",
    "test_terminal_plans",
}
#: Single tests elsewhere that take seconds: memory and worker-process runs, kill loops, walks in a terminal.
SLOW_TESTS = (
    "test_json_and_csv_rows_are_not_held_in_memory",
    "test_worker_processes_give_the_same_bytes_in_input_order",
    "test_a_large_import_is_shared_among_workers_and_loses_nothing",
    "test_a_record_rewritten_and_killed_at_random_is_always_whole_and_private",
    "test_a_three_level_walk_stopped_with_ctrl_c_resumes_with_its_own_tool",
    "test_a_long_scale_is_rated_with_digits_and_arrows_in_a_terminal",
    "test_sparkline_appears_on_a_terminal",
    "test_the_family_copy_prints_to_a4_in_headless_chromium",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`slow` on the modules and tests above and on every hypothesis property test, wherever it is."""
    for item in items:
        module = item.path.stem
        function = getattr(item, "function", None)
        slow_test = item.name.startswith(SLOW_TESTS)
        if module in SLOW_MODULES or slow_test or getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def private_homes(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Session-wide too, for module-scoped fixtures that run commands before `stable_env`: nothing
    the suite runs ever writes a draft or a stored record in the real home folder."""
    home = tmp_path_factory.mktemp("homes")
    os.environ["XDG_STATE_HOME"] = str(home / "state")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["NEGLECT_STORE"] = str(home / "data" / "records.sqlite3")


@pytest.fixture(autouse=True)
def stable_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PINNED_EPOCH)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    # Every record `assess` writes is also stored: never in the real home folder.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("NEGLECT_STORE", str(tmp_path / "data" / "records.sqlite3"))
    monkeypatch.delenv("NEGLECT_TOOLS_PATH", raising=False)
    monkeypatch.delenv("NEGLECT_SIGNING_KEY", raising=False)
    monkeypatch.delenv("NEGLECT_DEBUG", raising=False)
    from neglect_cli import toolfiles

    toolfiles.clear_tool_cache()


@pytest.fixture
def neglect() -> Neglect:
    """Invoke `neglect ARGS...` in-process with typer's CliRunner (no terminal)."""
    from neglect_cli.cli import app

    runner = CliRunner()

    def call(*args: str | os.PathLike[str], input: str | None = None) -> Ran:
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        return Ran(result.exit_code, result.stdout, result.stderr)

    return call


# --- the record store, on both backends --------------------------------------------------

POSTGRES_ENV = "NEGLECT_TEST_POSTGRES"  # a postgresql:// URL of a database the tests may empty (.ci/run sets it)


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        reason = f"no PostgreSQL server: set {POSTGRES_ENV} to a postgresql:// URL (.ci/postgres starts one)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " — in CI the PostgreSQL half must run, not skip")
        pytest.skip(reason)
    return url


def _empty_postgres(url: str) -> None:
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} is not reachable ({type(exc).__name__})")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A fresh, empty record store on each backend, named by NEGLECT_STORE for the commands under test."""
    if request.param == "sqlite":
        url = str(tmp_path / "data" / "records.sqlite3")
    else:
        url = _postgres_url()
        _empty_postgres(url)
    monkeypatch.setenv("NEGLECT_STORE", url)
    return url
