"""What the walk asks through: the `Prompter` interface and its questionary implementation.

Everything the practitioner sees and answers goes through `Prompter`, so the walk is tested with a
scripted fake and the prompt library (questionary, on prompt_toolkit) stays at this edge.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import UserError
from ..signals import on_screen
from ..text import unsafe_reason, visible

if TYPE_CHECKING:
    from rich.console import Console

    from ..definition import ContextFact
    from ..record import Record
    from ..toolfiles import ToolSource

# --- the prompter interface ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    """One choice in a menu: the value returned, the words shown, and its one-key shortcut."""

    value: str
    title: str
    key: str | None = None


Validate = Callable[[str], str | None]  # returns an error message, or None when the text is fine


def typed_text(then: Validate | None = None, *, one_line: bool = False) -> Validate:
    """The check for typed text: no control characters, terminal escapes or bidi overrides (nor a tab or
    line break in a one-line answer), then `then`. The prompt asks again, saying why."""

    def check(text: str) -> str | None:
        problem = unsafe_reason(text, multiline=not one_line)
        if problem is None and then is not None:
            problem = then(text)
        return problem

    return check


class Prompter(Protocol):
    """What the walk needs from a terminal. `QuestionaryPrompter` is the real one."""

    def say(self, text: str, style: str = "") -> None:
        """Print a line (or lines) of plain text."""

    def heading(self, text: str) -> None:
        """Print a section heading (a domain, the case details, the finish)."""

    def rows(self, rows: Sequence[tuple[str, str]], style: str = "") -> None:
        """Print labelled lines (a scale value and its description), each text wrapped under itself."""

    def alert(self, severity: str, title: str, body: str) -> None:
        """Show an escalation in a clearly marked panel."""

    def acknowledge(self) -> None:
        """Wait until the practitioner has read the prompts just shown (the most urgent is last on screen)."""

    def show_summary(self, record: Record, source: ToolSource) -> None:
        """Show the assessment summary screen."""

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        """One option's value. Raises KeyboardInterrupt (Ctrl-C) or EOFError (Ctrl-D)."""

    def choose_many(self, message: str, options: Sequence[Option], *, default: Sequence[str] = ()) -> list[str]:
        """The values of the options ticked (possibly none)."""

    def text(
        self,
        message: str,
        *,
        default: str = "",
        validate: Validate | None = None,
        hint: str = "",
        keep: Callable[[str], None] | None = None,
    ) -> str:
        """A line of text that passed `validate`. When the prompt is interrupted (Ctrl-C, Ctrl-D, a signal,
        a closed terminal), `keep` is given what was typed so far, so a half-written note is not lost."""


class QuestionaryPrompter:
    """Prompts with questionary (one keypress for menus with shortcuts), text with rich."""

    def __init__(self, stream: Any = None) -> None:
        from rich.console import Console

        from ..output import color_enabled

        self.stream = stream or sys.stdout
        self.console: Console = Console(
            file=self.stream,
            no_color=not color_enabled(self.stream),
            force_terminal=True,
            highlight=False,
            emoji=False,
            markup=False,
        )
        self._pt: dict[str, Any] = {}
        if self.stream is not sys.stdout:
            from prompt_toolkit.output import create_output

            self._pt["output"] = create_output(stdout=self.stream)

    def say(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(visible(text), style=style))

    def heading(self, text: str) -> None:
        from rich.text import Text

        self.console.print()
        self.console.rule(Text(visible(text), style="bold"), align="left")

    def rows(self, rows: Sequence[tuple[str, str]], style: str = "") -> None:
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", min_width=3)
        grid.add_column()
        for label, text in rows:
            grid.add_row(Text(visible(label), style="bold"), Text(visible(text), style=style))
        self.console.print(grid)

    def alert(self, severity: str, title: str, body: str) -> None:
        from rich.panel import Panel
        from rich.text import Text

        style = {"immediate": "bold red", "urgent": "red"}.get(severity, "yellow")
        self.console.print()
        # the title goes inside, where it wraps: in the border a long one is cut at 80 columns
        self.console.print(
            Panel(
                Text(visible(title) + "\n", style="bold") + Text(visible(body)),
                title=Text(f"!! {severity.upper()}", style=style),
                title_align="left",
                border_style=style,
                box=_heavy_box(),
            )
        )

    def acknowledge(self) -> None:
        self.choose("Read the prompt above, then go on", [Option("go", "Go on", "g")], default="go")

    def show_summary(self, record: Record, source: ToolSource) -> None:
        from ..render.terminal import summary

        self.console.print()
        summary(record, self.console, source=source)

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        import questionary

        keyed = any(o.key for o in options)
        if default not in {o.value for o in options}:
            default = None
        choices = [
            questionary.Choice(
                visible(f"{o.key}) {o.title}" if o.key else (f"   {o.title}" if keyed else o.title)), value=o.value
            )
            for o in options
        ]
        question = questionary.select(
            message,
            choices=choices,
            default=default,
            use_shortcuts=False,
            use_arrow_keys=True,
            use_jk_keys=False,
            instruction="(press a key)" if keyed else "(arrows, then Enter)",
            qmark=">",
            **self._pt,
        )
        _one_keypress(question, options)
        with on_screen(question.application):
            return str(question.unsafe_ask())

    def choose_many(self, message: str, options: Sequence[Option], *, default: Sequence[str] = ()) -> list[str]:
        import questionary

        choices = [questionary.Choice(visible(o.title), value=o.value, checked=o.value in default) for o in options]
        question = questionary.checkbox(
            message,
            choices=choices,
            qmark=">",
            use_jk_keys=False,
            instruction="(Space to tick, Enter when done; none ticked is fine)",
            **self._pt,
        )
        _ctrl_d_is_eof(question)
        with on_screen(question.application):
            return [str(v) for v in question.unsafe_ask()]

    def text(
        self,
        message: str,
        *,
        default: str = "",
        validate: Validate | None = None,
        hint: str = "",
        keep: Callable[[str], None] | None = None,
    ) -> str:
        import questionary

        def check(value: str) -> bool | str:
            from ..loading import NOTE_MAX_CHARS

            if len(value) > NOTE_MAX_CHARS:  # every note is bounded where it is typed (records must stay readable)
                return f"at most {NOTE_MAX_CHARS:,} characters (this is {len(value):,}): shorten it"
            if validate is None:
                return True
            problem = validate(value)
            return True if problem is None else problem

        question = questionary.text(
            message, default=default, validate=check, instruction=hint or None, qmark=">", **self._pt
        )
        with on_screen(question.application):
            try:
                return str(question.unsafe_ask())
            except BaseException:
                if keep is not None:
                    # the prompt's buffer still holds what was typed when it was interrupted
                    typed = str(getattr(question.application.current_buffer, "text", ""))
                    if typed.strip():
                        keep(typed)
                raise


def _heavy_box() -> Any:
    from rich import box

    return box.HEAVY


def _one_keypress(question: Any, options: Sequence[Option]) -> None:
    """Each option's key answers at once (questionary's own shortcuts only move the pointer, and
    allow no `?`); Ctrl-D means end of input, as in a text prompt."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from questionary.prompts.common import InquirerControl

    app = question.application
    control = next((c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl)), None)
    bindings = KeyBindings()
    if control is not None:
        for index, option in enumerate(options):
            if not option.key:
                continue

            def pick(event: Any, index: int = index) -> None:
                control.pointed_at = index
                control.is_answered = True
                event.app.exit(result=control.choices[index].value)

            bindings.add(option.key, eager=True)(pick)

    def eof(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    bindings.add("c-d", eager=True)(eof)
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])


def _ctrl_d_is_eof(question: Any) -> None:
    _one_keypress(question, [])


# --- helpers ---------------------------------------------------------------------------


def shorten(text: str, width: int) -> str:
    import textwrap

    return textwrap.shorten(" ".join(text.split()), width, placeholder="…")


def words(choice_id: str) -> str:
    text = choice_id.replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


def option_key(index: int) -> str | None:
    keys = "123456789abcdefghijklmoprtuvwxz"
    return keys[index] if index < len(keys) else None


def typed(kind: str, text: str) -> Any:
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    return text


def range_hint(fact: ContextFact) -> str:
    if fact.min is not None and fact.max is not None:
        return f"a whole number, {fact.min}–{fact.max}"
    if fact.min is not None:
        return f"a whole number, at least {fact.min}"
    if fact.max is not None:
        return f"a whole number, at most {fact.max}"
    return "a whole number"


def ask_date(
    prompter: Prompter, question: str, today: dt.date, current: dt.date | None, *, future: str = "the date"
) -> dt.date:
    """A date on or before today, typed as YYYY-MM-DD, DD/MM/YYYY or D/M/YYYY; `future` says what may not
    be in the future when one is typed."""
    from ..dates import EARLIEST, parse_date

    def check(text: str) -> str | None:
        try:
            day = parse_date(text)
        except ValueError as exc:
            return str(exc)
        if day < EARLIEST:
            return f"{day.isoformat()} is before {EARLIEST.isoformat()}: check the year"
        return f"{future} cannot be in the future" if day > today else None

    hint = "(YYYY-MM-DD or DD/MM/YYYY)"
    answer = prompter.text(question, default=(current or today).isoformat(), validate=check, hint=hint)
    return parse_date(answer)  # validated above


def screen_stream() -> Any:
    """Where the walk is shown: stdout when it is a terminal, else stderr (so `--format json > x` works)."""
    if sys.stdout.isatty():
        return sys.stdout
    if sys.stderr.isatty():
        return sys.stderr
    raise UserError("neglect assess asks questions and needs a terminal to show them on")
