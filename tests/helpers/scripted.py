"""A scripted stand-in for a practitioner at a terminal: the walk's Prompter, fed from a list.

Each answer is what the practitioner would press or type:
- for a menu, an option's key ("3", "n", "?", "b") or its value; "" is Enter (the default);
- for ticking boxes, a list of values;
- for text, the text ("" is Enter, which keeps the default);
- an exception class or instance (KeyboardInterrupt, EOFError) is raised at that prompt;
- `TypedThen(text, exception)` at a text prompt: `text` typed, then the exception (Ctrl-C by default).
When the script runs out the next prompt raises EOFError, as Ctrl-D would.

Everything shown is kept in `events` as (kind, text) pairs, in order, so tests can check
what the practitioner saw and when.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neglect_cli.interview import Option, Validate, WalkOutcome, run_interview


@dataclass(frozen=True)
class TypedThen:
    """Some text typed at a text prompt, then the prompt interrupted (Ctrl-C unless told otherwise)."""

    typed: str
    then: BaseException | type[BaseException] = KeyboardInterrupt


class ScriptedPrompter:
    def __init__(self, script: Iterable[Any]) -> None:
        self.script: deque[Any] = deque(script)
        self.events: list[tuple[str, str]] = []
        self.records: list[Any] = []
        self.defaults: list[str] = []  # the default offered at each text prompt, in order

    # -- what is shown ----------------------------------------------------------------

    def say(self, text: str, style: str = "") -> None:
        self.events.append(("say", text))

    def heading(self, text: str) -> None:
        self.events.append(("heading", text))

    def rows(self, rows: Sequence[tuple[str, str]], style: str = "") -> None:
        for label, text in rows:
            self.events.append(("say", f"{label} {text}"))

    def alert(self, severity: str, title: str, body: str) -> None:
        self.events.append(("alert", f"{severity}: {title}"))

    def show_summary(self, record: Any, source: Any) -> None:
        self.records.append(record)
        self.events.append(("summary", str(record.result.overall.band)))

    # -- what is asked ----------------------------------------------------------------

    def _next(self) -> Any:
        if not self.script:
            raise EOFError
        answer = self.script.popleft()
        if isinstance(answer, BaseException) or (isinstance(answer, type) and issubclass(answer, BaseException)):
            raise answer
        return answer

    def acknowledge(self) -> None:
        self.events.append(("acknowledge", ""))

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        self.events.append(("choose", message))
        answer = self._next()
        if answer == "":
            assert default is not None, f"Enter at {message!r} has no default"
            return default
        for option in options:
            if option.key == answer:
                return option.value
        values = [o.value for o in options]
        assert answer in values, f"{answer!r} is not offered at {message!r}: {values}"
        return str(answer)

    def choose_many(self, message: str, options: Sequence[Option], *, default: Sequence[str] = ()) -> list[str]:
        self.events.append(("choose_many", message))
        answer = self._next()
        if answer == "":  # Enter keeps what is ticked, as on a real checkbox
            return list(default)
        values = [o.value for o in options]
        assert all(a in values for a in answer), f"{answer!r} not all offered at {message!r}: {values}"
        return list(answer)

    def text(
        self,
        message: str,
        *,
        default: str = "",
        validate: Validate | None = None,
        hint: str = "",
        keep: Callable[[str], None] | None = None,
    ) -> str:
        self.events.append(("text", message))
        self.defaults.append(default)
        while True:
            answer = self._next()
            if isinstance(answer, TypedThen):
                if keep is not None:
                    keep(answer.typed)
                raise answer.then
            value = default if answer == "" else str(answer)
            problem = validate(value) if validate is not None else None
            if problem is None:
                return value
            self.events.append(("invalid", problem))

    # -- reading the transcript ---------------------------------------------------------

    def shown(self, kind: str | None = None) -> list[str]:
        return [text for k, text in self.events if kind is None or k == kind]

    def index(self, kind: str, contains: str) -> int:
        """Position of the first event of this kind whose text contains `contains`."""
        for n, (k, text) in enumerate(self.events):
            if k == kind and contains in text:
                return n
        raise AssertionError(f"no {kind} event containing {contains!r} in {self.events}")


def scripted_walk(
    script: Iterable[Any],
    *,
    tool: str | None,
    out: Path | None,
    resume: str | None = None,
    prefill: Any = None,
    redact: bool = False,
) -> tuple[WalkOutcome, ScriptedPrompter]:
    """The guided walk (`run_interview`) with a scripted practitioner: its outcome and what was shown."""
    prompter = ScriptedPrompter(script)
    outcome = run_interview(
        tool=tool,
        prefill=prefill,
        resume=resume,
        out=out,
        fmt="terminal",
        redact=redact,
        force=False,
        prompter=prompter,
    )
    return outcome, prompter
