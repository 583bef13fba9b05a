"""How the items of an earlier version of a tool correspond to a later one (tool format 3's `formerly`).

An item keeps its id across versions. A renamed item lists the one id it replaced and is compared
with it; a split (several items replacing one id), a merge (one item replacing several) or an item
no longer in the tool cannot be compared one to one, and `diff` and `trend` name them instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .definition import Tool

Side = Literal["old", "new"]


@dataclass(frozen=True, slots=True)
class Lineage:
    """What a later version of a tool says each earlier item id became."""

    version: str
    #: an earlier id -> the ids of the later version's items that replaced it
    successors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: a later item's id -> the earlier ids it replaced
    predecessors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the later version's item ids, and the earlier version's when that tool was found
    later_items: frozenset[str] = frozenset()
    earlier_items: frozenset[str] | None = None

    @classmethod
    def of(cls, tool: Tool, earlier: Tool | None = None) -> Lineage:
        successors: dict[str, list[str]] = {}
        predecessors: dict[str, tuple[str, ...]] = {}
        for item in tool.items():
            if item.formerly:
                predecessors[item.id] = tuple(item.formerly)
                for old_id in item.formerly:
                    successors.setdefault(old_id, []).append(item.id)
        return cls(
            tool.version,
            {k: tuple(v) for k, v in successors.items()},
            predecessors,
            frozenset(item.id for item in tool.items()),
            frozenset(item.id for item in earlier.items()) if earlier is not None else None,
        )

    def changed_by_version(self, item_id: str, side: Side) -> bool:
        """Whether an item only one record has is explained by the change of version (not by the child's
        age or an item left out): an earlier id the later version no longer has, or a later item the
        earlier version did not have."""
        if side == "old":
            return item_id not in self.later_items
        if self.earlier_items is None:
            return True
        if item_id in self.earlier_items:
            return False  # the same item, not answered in the earlier record (the child's age, say)
        before = self.predecessors.get(item_id, ())
        # a renamed item whose earlier id the earlier record did not answer is like any unanswered item
        return not (len(before) == 1 and before[0] in self.earlier_items and self.renamed_to(before[0]) == item_id)

    def renamed_to(self, old_id: str) -> str | None:
        """The later item that is `old_id` under a new id (it replaced that id alone, and nothing else
        replaced it), else None."""
        after = self.successors.get(old_id, ())
        if len(after) == 1 and self.predecessors.get(after[0]) == (old_id,):
            return after[0]
        return None

    def why_old(self, old_id: str) -> str:
        """Why an earlier item that the later version does not have cannot be compared, in words."""
        after = self.successors.get(old_id, ())
        if not after:
            return f"{old_id} is no longer in version {self.version}"
        if len(after) > 1:
            return f"{old_id} was split into {_and(after)} by version {self.version}"
        return f"{old_id} was merged with {_and(o for o in self.predecessors[after[0]] if o != old_id)} into {after[0]}"

    def why_new(self, new_id: str, old_version: str) -> str:
        """Why a later item that the earlier record does not have cannot be compared, in words."""
        before = self.predecessors.get(new_id, ())
        if not before:
            if self.earlier_items is not None and new_id in self.earlier_items:
                return f"{new_id} has no answer in the earlier record"
            return f"{new_id} is not in version {old_version}"
        if self.renamed_to(before[0]) == new_id:
            return f"{new_id} (formerly {before[0]}) has no answer in the earlier record"
        if len(before) > 1:
            return f"{new_id} replaces {_and(before)} together"
        return f"{new_id} is one part of {before[0]}, which was split into {_and(self.successors[before[0]])}"


@dataclass(frozen=True, slots=True)
class NotComparable:
    item: str
    side: Side  # the record that has this item
    reason: str


@dataclass(frozen=True, slots=True)
class Matching:
    """Items of two records paired for comparison: (old id, new id), either None when one side has it alone."""

    pairs: list[tuple[str | None, str | None]]
    renamed: dict[str, str]  # a new id -> the earlier id it was compared with
    not_comparable: list[NotComparable]


def match_items(
    old_ids: Sequence[str], new_ids: Sequence[str], lineage: Lineage | None, old_version: str = ""
) -> Matching:
    """Pair the items of an earlier and a later record: by id, then by rename (`formerly`), in the later
    record's order and then the earlier one's. Without a lineage (one version, or the later tool not
    found) items are matched by id only and nothing is said about why the others differ."""
    old_set, new_set = set(old_ids), set(new_ids)
    renamed: dict[str, str] = {}
    if lineage is not None:
        for old_id in old_ids:
            if old_id in new_set:
                continue
            new_id = lineage.renamed_to(old_id)
            if new_id is not None and new_id in new_set and new_id not in old_set:
                renamed[new_id] = old_id
    taken = set(renamed.values())
    pairs: list[tuple[str | None, str | None]] = []
    for new_id in new_ids:
        if new_id in old_set:
            pairs.append((new_id, new_id))
        else:
            pairs.append((renamed.get(new_id), new_id))
    pairs.extend((old_id, None) for old_id in old_ids if old_id not in new_set and old_id not in taken)
    not_comparable: list[NotComparable] = []
    if lineage is not None:
        for before, after in pairs:
            if before is None and after is not None and lineage.changed_by_version(after, "new"):
                not_comparable.append(NotComparable(after, "new", lineage.why_new(after, old_version)))
            elif after is None and before is not None and lineage.changed_by_version(before, "old"):
                not_comparable.append(NotComparable(before, "old", lineage.why_old(before)))
    return Matching(pairs, renamed, not_comparable)


def _and(ids: Iterable[str]) -> str:
    names = list(ids)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
