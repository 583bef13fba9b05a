"""What a trainer's case expects to come out (`expect:` in an answers file), and how an outcome differs.

`neglect score --check` is a regression check for a training set: after a tool changes, every case
whose level, prompts or provisional flag came out otherwise than its `expect:` says is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict

from .loading import shown_key

if TYPE_CHECKING:
    from .definition import Tool
    from .scoring import Result

_Id = Annotated[str, Field(max_length=64)]


class Expectation(BaseModel):
    """`expect: {level: <band id>, prompts: [<escalation ids>], provisional: <bool>}`; every key optional.

    `level` is the final level (after escalation rules and any override); `prompts` the escalation
    prompts the case sets off, all of them, in any order; `provisional` whether too little is known.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True, defer_build=True)

    level: _Id | None = None
    prompts: list[_Id] | None = None
    provisional: Annotated[bool, Strict()] | None = None


def expectation_problems(tool: Tool, expect: Expectation) -> list[tuple[tuple[Any, ...], str]]:
    """Ids an expectation names that its tool does not have. Returns (location under `expect`, message) pairs."""
    out: list[tuple[tuple[Any, ...], str]] = []
    bands = [band.id for band in tool.bands]
    if expect.level is not None and expect.level not in bands:
        out.append((("level",), f"unknown band {shown_key(expect.level)!r}: {tool.id} has {', '.join(bands)}"))
    known = {rule.id for rule in tool.escalations}
    for n, prompt in enumerate(expect.prompts or []):
        if prompt not in known:
            shown = shown_key(prompt)
            out.append((("prompts", n), f"unknown escalation {shown!r} (`neglect tools show {tool.id}` lists them)"))
    seen: set[str] = set()
    for n, prompt in enumerate(expect.prompts or []):
        if prompt in seen:
            out.append((("prompts", n), f"{prompt!r} is listed twice"))
        seen.add(prompt)
    return out


@dataclass(frozen=True, slots=True)
class Difference:
    """One way an outcome is not what the case expected: `what` (level, prompts, provisional), both sides in words."""

    what: str
    expected: str
    got: str

    def as_dict(self) -> dict[str, str]:
        return {"what": self.what, "expected": self.expected, "got": self.got}


def differences(expect: Expectation, result: Result) -> list[Difference]:
    """How the result differs from what was expected (empty: as expected)."""
    out: list[Difference] = []
    overall = result.overall
    if expect.level is not None and overall.band != expect.level:
        out.append(Difference("level", expect.level, overall.band or "no level (nothing scored)"))
    if expect.prompts is not None:
        fired = [e.id for e in result.escalations]
        if set(fired) != set(expect.prompts):
            missing = [p for p in expect.prompts if p not in fired]
            extra = [p for p in fired if p not in expect.prompts]
            got = ", ".join(fired) or "none"
            parts = [f"missing {', '.join(missing)}" if missing else "", f"also {', '.join(extra)}" if extra else ""]
            detail = "; ".join(part for part in parts if part)
            out.append(Difference("prompts", ", ".join(expect.prompts) or "none", f"{got} ({detail})"))
    if expect.provisional is not None and overall.incomplete != expect.provisional:
        out.append(Difference("provisional", _yes_no(expect.provisional), _yes_no(overall.incomplete)))
    return out


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"
