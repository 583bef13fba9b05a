"""Facts the child's chronology can answer, offered during the walk for the practitioner to confirm or
correct (`neglect chronology`). The store is read once, when the walk reaches the facts about the child;
with no store or no chronology nothing is suggested and the walk asks as before."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..definition import Tool


def chronology_suggestions(tool: Tool, case_ref: str, assessed_on: dt.date) -> dict[str, dict[str, Any]]:
    """{fact id: {"suggested": value, "basis": words}} for the tool's facts the chronology can answer."""
    from ..chronology import SUGGESTED_FACTS, suggestions
    from ..errors import UserError
    from ..recordstore import open_store

    wanted = [f for f in tool.context if f.type in SUGGESTED_FACTS.get(f.id, frozenset())]
    if not wanted:
        return {}
    try:
        opened = open_store(create=False)
    except UserError:  # no store yet, or one that cannot be opened: the walk asks as it always has
        return {}
    try:
        entries = opened.chronology(case_ref)
    except UserError:
        return {}
    finally:
        opened.close()
    found = suggestions(entries, assessed_on, wanted)
    return {fid: {"suggested": s.value, "basis": s.basis} for fid, s in found.items()}
