"""The Typer app: options in, calls out, errors to exit codes. No logic lives here.

Command bodies are in `commands/`, one module per command; heavy modules
(rich, questionary, pydantic models) are imported inside the functions that
need them so that `neglect --help` starts fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from .commands import (
    assess,
    caseload,
    chronology,
    diff,
    drafts,
    family,
    history,
    report,
    score,
    signoff,
    store,
    template,
    tools,
    trend,
    verify,
)
from .version import version_line

app = typer.Typer(
    name="neglect",
    help=(
        "Decision support for child-neglect assessment: guided assessment, scoring, "
        "levels of need, escalation prompts, reports and supervision diffs.\n\n"
        "It supports professional judgement; it never replaces it."
    ),
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEBUG_ENV = "NEGLECT_DEBUG"
P = ParamSpec("P")
R = TypeVar("R")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(version_line())
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for internal errors."),
) -> None:
    """neglect-cli."""
    if debug:
        os.environ[DEBUG_ENV] = "1"
    from .crash import no_core_dumps
    from .store import state_dir, sweep_stale_temps

    no_core_dumps()
    sweep_stale_temps(state_dir() / "drafts")  # temp files a killed walk left behind hold answers
    if ctx.invoked_subcommand is None:
        # `neglect` on its own: the practitioner's main job (a choice of tool when several are loaded).
        guarded(assess.start)()


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Map our errors to messages and exit codes inside the command, so every way of
    invoking the app (console script, `python -m`, CliRunner) behaves the same."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from .errors import Interrupted

        try:
            refuse_unsafe_arguments(func, kwargs)
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except (Exception, KeyboardInterrupt, Interrupted) as exc:  # noqa: BLE001 - every ending has its exit code
            raise typer.Exit(exit_code(exc)) from None

    return wrapper


def exit_code(exc: BaseException) -> int:
    """The one mapping from how a command ended to its exit code, saying on stderr what the user needs:
    our errors 2 (or their own code), an interrupt 130, a closed pipe 1 (silently), a bug 1 with a crash log.
    The framework's own endings here; the rest as `quickscore.exit_code` (which runs without the framework)."""
    from .quickscore import exit_code as ending

    if isinstance(exc, typer.Exit):
        return exc.exit_code
    if isinstance(exc, typer.Abort):
        exc = KeyboardInterrupt()  # the framework's word for an interrupt
    return ending(exc, bug=_internal_error)


def refuse_unsafe_arguments(func: Callable[..., object], values: dict[str, object]) -> None:
    """Command-line values (ids, refs, paths) with control characters, terminal escapes or bidi overrides
    are refused before a command runs: they would be shown, and could be written into a record."""
    import inspect

    from .errors import Problem, UserError
    from .text import unsafe_reason

    problems = []
    for name, value in values.items():
        given = value if isinstance(value, list | tuple) else [value]
        for one in given:
            reason = unsafe_reason(str(one), multiline=False) if isinstance(one, str | os.PathLike) else None
            if reason:
                declared = getattr(inspect.signature(func).parameters[name].default, "param_decls", None) or ()
                option = next((d for d in declared if d.startswith("--")), name.upper())
                problems.append(Problem(reason, file="command line", field=option))
    if problems:
        raise UserError(problems)


def command(group: typer.Typer, name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def register(func: Callable[P, R]) -> Callable[P, R]:
        group.command(name)(guarded(func))
        return func

    return register


tools.register(command)
drafts.register(command)
store.register(command)
chronology.register(command)
family.register(command)
command(app, "assess")(assess.assess)
command(app, "score")(score.score)
command(app, "template")(template.template)
command(app, "verify")(verify.verify)
command(app, "diff")(diff.diff)
command(app, "trend")(trend.trend)
command(app, "report")(report.report)
command(app, "history")(history.history)
command(app, "caseload")(caseload.caseload)
command(app, "signoff")(signoff.signoff)
app.add_typer(tools.app, name="tools")
app.add_typer(drafts.app, name="drafts")
app.add_typer(store.app, name="store")
app.add_typer(chronology.app, name="chronology")
app.add_typer(family.app, name="family")


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (UserError 2, interrupt 130, bug 1): see `exit_code`."""
    from .errors import Interrupted

    argv = assess.resume_without_value(sys.argv[1:] if argv is None else argv)
    try:
        code = app(args=argv, standalone_mode=False)
    except (Exception, KeyboardInterrupt, Interrupted, SystemExit) as exc:  # noqa: BLE001 - the last line of defence
        return exit_code(exc)
    return code if isinstance(code, int) else 0


def _internal_error(exc: BaseException) -> int:
    # Usage errors come from click (vendored inside newer typer): they know how to show themselves.
    module = type(exc).__module__
    if module.startswith(("click", "typer")) and hasattr(exc, "show") and hasattr(exc, "exit_code"):
        import io

        from .text import visible

        shown = io.StringIO()
        exc.show(file=shown)  # it may quote what was typed: shown, never obeyed
        sys.stderr.write(visible(shown.getvalue()))
        return int(exc.exit_code)
    from .crash import report_crash

    return report_crash(exc, debug=bool(os.environ.get(DEBUG_ENV)))
