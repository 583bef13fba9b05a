"""The README is the manual: every command and option a user can type is documented there."""

from __future__ import annotations

import re

import typer

from helpers import CASES, ROOT, Neglect


def _commands() -> list[tuple[str, list[str]]]:
    from neglect_cli.cli import app

    found: list[tuple[str, list[str]]] = []
    root = typer.main.get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for sub_name, sub in subcommands.items():
                found.append((f"{name} {sub_name}", [o for p in sub.params for o in p.opts if o.startswith("--")]))
        else:
            found.append((name, [o for p in command.params for o in p.opts if o.startswith("--")]))
    return found


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name, _ in _commands() if not re.search(rf"neglect {re.escape(name)}\b", readme)]
    assert missing == []


def test_every_option_is_named_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = sorted(
        {f"{name} {option}" for name, options in _commands() for option in options if option not in readme}
    )
    assert missing == []


def test_the_readme_counts_the_shipped_cases_as_score_check_does(neglect: Neglect) -> None:
    # the independent check (hostile2): the README said 16 cases (and "the 21 example cases") when 25 shipped
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ran = neglect("score", CASES, "--check")
    assert ran.exit_code == 0, ran.output
    summary = ran.stdout.strip().splitlines()[-1]
    assert f"$ neglect score definitions/cases/ --check\n{summary}\n" in readme
    shipped = len(list(CASES.glob("*.yaml")))
    assert f"See the {shipped} example cases in" in readme
    assert f"{shipped + 1} case(s): {shipped} as expected, 1 differ, 0 unchecked" in readme
