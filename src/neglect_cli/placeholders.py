"""The placeholders `neglect template` prints, and how an answers file that still holds them is refused:
every placeholder left at once, each with its line, rather than one puzzling error about the first."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .errors import Problem, UserError
from .loading import Document

CASE_REF = "CASE-REF"
DATE = "YYYY-MM-DD"
BAND = "BAND-ID"

#: Where the template puts each placeholder, what it stands for and what to write instead.
PLACEHOLDERS: dict[tuple[str, str], tuple[str, str]] = {
    ("case", "ref"): (CASE_REF, "give the case's pseudonymous reference (no spaces), never a name"),
    ("case", "assessed_on"): (DATE, "give the date of the assessment as YYYY-MM-DD or DD/MM/YYYY"),
    ("override", "band"): (BAND, "give one of the tool's band ids, or remove the override"),
}


def check_unfilled(doc: Document, required_facts: Callable[[], Iterable[str]] = tuple) -> None:
    """A UserError listing every placeholder still in an answers file made from `neglect template`
    (and each required context fact left empty: `required_facts` is asked only when a placeholder is
    found), each with its line; nothing when none is left."""
    data = doc.data if isinstance(doc.data, Mapping) else {}
    found: list[Problem] = []
    for (section, key), (placeholder, fix) in PLACEHOLDERS.items():
        part: Any = data.get(section)
        if isinstance(part, Mapping) and part.get(key) == placeholder:
            found.append(doc.problem(f"still the placeholder {placeholder}: {fix}", (section, key)))
    if not found:
        return
    context = data.get("context")
    for fact in required_facts():
        if isinstance(context, Mapping) and fact in context and context[fact] is None:
            found.append(doc.problem("left empty, and the tool requires it: fill it in", ("context", fact)))
    found.sort(key=lambda p: p.line or 0)
    heading = Problem(
        f"this answers file from `neglect template` is not filled in yet: {len(found)} placeholder(s) left",
        doc.name,
    )
    raise UserError([heading, *found])
