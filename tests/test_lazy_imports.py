"""Start-up stays light: the CLI imports prompt, rendering, model and YAML libraries only when a command needs them.

Each check runs a fresh interpreter, because this test process has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import CASES

# What `neglect --help` and `neglect --version` must never pay for.
HEAVY = (
    *("questionary", "prompt_toolkit", "rich", "pydantic", "pydantic_core", "yaml"),
    *("sqlalchemy", "psycopg", "sqlite3"),  # the record store's database layer and drivers
)

# Runs the real entry point, then reports every module it imported on the way out.
RUN_AND_LIST = """
import atexit, json, sys
atexit.register(lambda: sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n"))
sys.argv = ["neglect", *sys.argv[1:]]
from neglect_cli.__main__ import main
main()
"""


def top_level(modules: list[str]) -> set[str]:
    return {name.split(".", 1)[0] for name in modules}


def modules_after(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    ran = subprocess.run([sys.executable, "-c", RUN_AND_LIST, *args], capture_output=True, text=True, timeout=60)
    listed = [line for line in ran.stderr.splitlines() if line.startswith("MODULES ")]
    assert listed, ran.stderr
    return ran, top_level(json.loads(listed[-1].removeprefix("MODULES ")))


def test_importing_the_cli_loads_no_prompt_rendering_model_or_yaml_library() -> None:
    code = "import json, sys; import neglect_cli.cli; print(json.dumps(sorted(sys.modules)))"
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = top_level(json.loads(ran.stdout))
    assert "neglect_cli" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("options", [["--help"], ["--version"], ["--debug", "--version"]], ids=" ".join)
def test_help_and_version_load_no_heavy_library(options: list[str]) -> None:
    ran, loaded = modules_after(*options)
    assert ran.returncode == 0, ran.stderr
    assert "neglect" in ran.stdout
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_machine_readable_scoring_loads_no_terminal_or_prompt_library() -> None:
    case = CASES / "01-universal-well-cared-for.yaml"
    ran, loaded = modules_after("score", str(case), "--format", "csv")
    assert ran.returncode == 0, ran.stderr
    assert "TRAIN-001" in ran.stdout
    assert loaded.isdisjoint({"rich", "questionary", "prompt_toolkit"}), sorted(loaded)


def test_a_command_that_reads_files_does_load_them() -> None:
    # The listing above would pass vacuously if it could not see imports: a real command proves it can.
    ran, loaded = modules_after("tools", "list")
    assert ran.returncode == 0, ran.stderr
    assert {"pydantic", "yaml"} <= loaded
    assert loaded.isdisjoint({"questionary", "prompt_toolkit"})
