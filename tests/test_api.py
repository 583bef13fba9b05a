"""The Python API: the README's example runs as printed, and every name in `__all__` is there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None, "the README's Python API section has no example"
    return match.group(1)


def test_the_readme_example_runs_and_scores_the_baby_case_as_the_cli_does(tmp_path: Path) -> None:
    (tmp_path / "definitions").symlink_to(ROOT / "definitions")
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    run = subprocess.run(
        [sys.executable, "-c", readme_example()], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    first, changed = run.stdout.splitlines()
    band, immediate = first.split(" ", 1)
    cli = subprocess.run(
        [sys.executable, "-m", "neglect_cli", "score", "-f", "json", "definitions/cases/05-baby-unsafe-sleep.yaml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    assert f'"final_band": "{band}"' in cli.stdout  # the same level as `neglect score`
    assert immediate != "[]"  # a baby asleep unsafely with an adult unable to respond sets off the immediate prompt
    assert changed == "False"  # a record compared with itself: nothing changed


def test_every_public_name_is_importable_and_documented() -> None:
    import neglect_cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("## Python API", 1)[1].split("\n## ", 1)[0]
    for name in neglect_cli.__all__:
        assert getattr(neglect_cli, name) is not None
        if name not in ("__version__", "UserError"):
            assert f"`{name}(" in readme, f"{name} is not in the README's API table"
    assert (Path(neglect_cli.__file__).parent / "py.typed").is_file()


def test_bad_input_raises_the_user_error_naming_the_file(tmp_path: Path) -> None:
    import neglect_cli as nc

    bad = tmp_path / "case.yaml"
    bad.write_text("schema: neglect-answers/1\ntool: neglect-core\ncase: {ref: X-1}\nanswers: {nope: 3}\n")
    with pytest.raises(nc.UserError) as caught:
        nc.load_answers(bad)
    assert "case.yaml" in str(caught.value)


def test_importing_the_package_stays_light() -> None:
    code = "import sys, neglect_cli; print(sorted(m for m in ('pydantic', 'yaml', 'typer') if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "[]"
