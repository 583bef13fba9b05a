"""The child's world (tool format 3, record format 3): seen and heard, the adults in the child's life,
where each rating's evidence came from, strengths, the carers' capacity to change, and identity facts
kept for monitoring.

The same models read an answers file and a record (a record writes dates as YYYY-MM-DD; an answers file
may also give DD/MM/YYYY). Nothing here scores: `child_seen` is the only part a rule may read, and the
identity facts are never read by any rule (definition.check_tool refuses a rule that tries).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, model_validator

from .definition import Tool, seen_windows, words, yes_no_word
from .loading import NOTE_MAX_CHARS
from .scoring import ChildSeen
from .text import check_line, check_note

#: A household label is a role or a pseudonym ("Mother", "Partner A"), never a name: kept short.
LABEL_MAX_CHARS = 24
#: Identity facts are short descriptions in the family's own terms ("White British", "Polish").
IDENTITY_MAX_CHARS = 100
#: The top-level keys of an answers file and a record that hold this module's sections, in record order.
WORLD_KEYS: tuple[str, ...] = ("child", "household", "strengths", "capacity", "identity")

#: How long before the assessment a child last seen counts as not seen for it, when the tool's rules name no
#: `within_days` of their own (`seen_within_days`): 45 working days, the statutory time for an assessment in
#: England, is about 9 weeks. neglect-core's `child_seen` rules name the same figure (`within_days: 63`; a test
#: holds them equal).
SEEN_WITHIN_DAYS = 63


def seen_within_days(tool: Tool | None) -> int:
    """How many days before the assessment a child last seen, or last seen on their own, still counts as seen
    (on their own) for it, as the reports, the "To check:" line, `neglect family` and the answers-file check read
    it: the smallest `within_days` the tool's `child_seen` rules name, so that no view says the child was seen for
    the assessment when one of the tool's own rules says not, and no view uses a window the tool does not name.
    `SEEN_WITHIN_DAYS` when the tool names none (or is not known)."""
    named = seen_windows(tool) if tool is not None else set()
    return min(named) if named else SEEN_WITHIN_DAYS


def window_words(days: int) -> str:
    """A window in the words the reports use: "9 weeks" for 63 days, "4 weeks" for 28, "30 days" for 30."""
    if days and days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


Flag = Annotated[bool, Strict()]
Note = Annotated[str, Field(min_length=1, max_length=NOTE_MAX_CHARS), AfterValidator(check_note)]


def check_label(text: str) -> str:
    """A household label: one short line. It cannot tell a name from a pseudonym, so it says what is wanted."""
    check_line(text)
    if not text.strip() or len(text) > LABEL_MAX_CHARS:
        raise ValueError(
            f"a label is a role or a pseudonym such as 'Mother' or 'Partner A' ({LABEL_MAX_CHARS} characters at "
            "most), never a name"
        )
    return text


Label = Annotated[str, AfterValidator(check_label)]
Short = Annotated[str, Field(min_length=1, max_length=IDENTITY_MAX_CHARS), AfterValidator(check_line)]

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_day(value: Any) -> dt.date:
    """A date as YYYY-MM-DD or DD/MM/YYYY (UK order); a date and time, or anything else, is refused."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date (YYYY-MM-DD or DD/MM/YYYY), not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        found = _DMY.fullmatch(text)
        try:
            if found:
                day, month, year = (int(part) for part in found.groups())
                return dt.date(year, month, day)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError("is not a real date (check the day and month)") from None
    raise ValueError("must be a date (YYYY-MM-DD or DD/MM/YYYY)")


Day = Annotated[dt.date, BeforeValidator(parse_day)]


class _World(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True, defer_build=True)


# --- seen and heard ------------------------------------------------------------------------


class SeenAndHeard(_World):
    """Whether and how the child was seen, and what the child says or shows, domain by domain."""

    seen: Flag
    seen_alone: Flag | None = None
    seen_on: list[Day] = Field(default_factory=list, max_length=50)
    #: the dates of `seen_on` the child was seen on their own (review 6, 3.5); None: not said (records made
    #: before it, and files that leave it out, read as they always did)
    seen_alone_on: list[Day] | None = Field(default=None, max_length=50)
    uses_words: Flag | None = None  # False: a baby, or a child who does not (yet) use words
    observed: Note | None = None  # for a child without words: what was seen of them (play, care, response)
    voice: dict[str, Note] = Field(default_factory=dict)  # domain id -> what the child says or shows

    @model_validator(mode="after")
    def _consistent(self) -> SeenAndHeard:
        if self.seen_alone_on == []:
            raise ValueError(
                "seen_alone_on is empty: list the dates the child was seen on their own (dates in seen_on), or "
                "leave the key out; if they were never seen on their own, write seen_alone: false"
            )
        if self.seen:
            if self.seen_alone is None:
                raise ValueError("say whether the child was seen alone (seen_alone: true or false)")
            if not self.seen_on:
                raise ValueError("give the date or dates the child was seen (seen_on)")
            if self.uses_words is False and not (self.observed or "").strip():
                raise ValueError("for a child without words, say what was observed of them (observed)")
            if self.seen_alone is False and self.seen_alone_on is not None:
                raise ValueError(
                    "seen_alone_on lists dates the child was seen on their own, but seen_alone is false: correct "
                    "one of them"
                )
        else:
            if self.seen_alone:
                raise ValueError("a child not seen cannot have been seen alone")
            if self.seen_on:
                raise ValueError("seen_on lists the dates the child was seen, but seen is false")
            if self.seen_alone_on is not None:
                raise ValueError("seen_alone_on lists dates the child was seen on their own, but seen is false")
        return self

    @property
    def last_seen_alone(self) -> dt.date | None:
        """The last date the child was seen on their own: the latest of `seen_alone_on`, or the one date the
        child was seen when they were seen alone on one date only. None when not seen alone, or when the child
        was seen on several dates and the record does not say which were alone (`alone_date_unknown`)."""
        if not (self.seen and self.seen_alone):
            return None
        if self.seen_alone_on:
            return max(self.seen_alone_on)
        return self.seen_on[0] if len(set(self.seen_on)) == 1 else None

    @property
    def alone_date_unknown(self) -> bool:
        """Seen alone, on several dates, without saying which: whether that was recent is not known."""
        return bool(self.seen and self.seen_alone and self.seen_on) and self.last_seen_alone is None

    def facts(self, assessed_on: dt.date | None = None) -> ChildSeen:
        """What a `child_seen` rule reads (`assessed_on`: the assessment's date, for how long ago the child
        was last seen)."""
        return ChildSeen(
            seen=self.seen,
            alone=bool(self.seen and self.seen_alone),
            uses_words=self.uses_words,
            last_seen_days=days_since_seen(self.seen_on, assessed_on) if self.seen else None,
            last_alone_days=days_since_seen(self.seen_alone_on or [], assessed_on) if self.seen else None,
        )


def observed_rather_than_told(age_months: int | None, uses_words: bool | None) -> bool:
    """Whether the child is observed rather than asked when seen apart from their carers: a child under two
    (not yet able to tell anyone what happens at home, whatever words they have), or one recorded as not
    using words. Reports and the "To check:" lines say so in the same words."""
    return (age_months is not None and age_months < 24) or uses_words is False


def days_since_seen(seen_on: Sequence[dt.date], assessed_on: dt.date | None) -> int | None:
    """Days from the last date the child was seen to the assessment's date (negative when seen after it),
    or None when no date is known."""
    if not seen_on or assessed_on is None:
        return None
    return (assessed_on - max(seen_on)).days


def child_seen(
    child: SeenAndHeard | None, capacity: Capacity | None = None, assessed_on: dt.date | None = None
) -> ChildSeen | None:
    """What `child_seen` and `capacity` rules read, or None when nothing is recorded."""
    if child is None and capacity is None:
        return None
    seen = child.facts(assessed_on) if child is not None else ChildSeen()
    if capacity is None:
        return seen
    return dataclasses.replace(seen, timescale=capacity.timescale)


# --- household ------------------------------------------------------------------------------

Role = Literal["mother", "father", "partner", "grandparent", "other"]
ROLES: tuple[str, ...] = ("mother", "father", "partner", "grandparent", "other")
Engagement = Literal["engaged", "partly", "agrees_no_change", "not_engaging", "not_offered", "not_known"]
ENGAGEMENT: dict[str, str] = {
    "engaged": "takes up help and things change",
    "partly": "takes up some help, or some of the time",
    "agrees_no_change": "agrees to changes that do not happen",
    "not_engaging": "does not take up help offered",
    "not_offered": "no help offered to them yet",
    "not_known": "not known",
}


class Adult(_World):
    """A parent, carer or significant adult, by role and a pseudonymous label: never a name."""

    role: Role
    label: Label
    male: Flag | None = None  # for a partner, grandparent or other adult: a man in the child's life
    lives_with_child: Flag
    part_in_care: Note | None = None
    seen: Flag
    spoken_to: Flag
    engagement: Engagement = "not_known"
    checks: Note | None = None  # checks made on a new partner (e.g. police, children's services records)

    @model_validator(mode="after")
    def _male_only_when_not_implied(self) -> Adult:
        if self.role in ("mother", "father") and self.male is not None:
            raise ValueError(f"`male` is for a partner, grandparent or other adult, not a {self.role}")
        return self

    @property
    def is_male_carer(self) -> bool:
        return self.role == "father" or self.male is True

    @property
    def contacted(self) -> bool:
        return self.seen or self.spoken_to


Household = Annotated[list[Adult], Field(max_length=30)]


def not_contacted_men(household: Sequence[Adult]) -> list[Adult]:
    """Fathers and male carers neither seen nor spoken to: named in every summary, never silently absent."""
    return [adult for adult in household if adult.is_male_carer and not adult.contacted]


#: Roles of adults on whom checks are expected (police, children's services records) when they live with
#: the child or have a regular part in their care: a parent's partner, a grandparent (review 6: a grandparent
#: who minds a child is checked like any other adult), or another adult.
CHECKED_ROLES: tuple[str, ...] = ("partner", "grandparent", "other")

#: Responses to help that contradict "engaged" for the family as a whole.
NOT_ENGAGED: tuple[str, ...] = ("agrees_no_change", "not_engaging")


@dataclass(frozen=True)
class HouseholdAlert:
    """Something about an adult in the child's life that an assessment must not leave unsaid."""

    adult: Adult
    kind: Literal["not_contacted", "not_spoken_to", "no_checks", "engagement_differs", "engagement_blank"]


def household_alerts(
    household: Sequence[Adult], engagement: object = None, *, engagement_asked: bool = False
) -> list[HouseholdAlert]:
    """The adults this assessment has not reached, or whose answers disagree, in household order.

    - a father or male carer, or anyone living with the child, neither seen nor spoken to;
    - a father or male carer, or anyone living with the child, seen but not spoken to;
    - a partner, grandparent or other adult living with the child or with a part in their care, with no
      checks recorded;
    - an adult whose response to help contradicts the family's recorded as `engaged`, or says what the
      family's left blank does not (`engagement`: the value of the tool's engagement fact; `engagement_asked`:
      whether the tool has one, so that a fact never asked is not called blank)."""
    out: list[HouseholdAlert] = []
    for adult in household:
        regular = bool((adult.part_in_care or "").strip())  # a part in the child's care, whoever they are
        close = adult.is_male_carer or adult.lives_with_child or regular
        if close and not adult.contacted:
            out.append(HouseholdAlert(adult, "not_contacted"))
        elif close and not adult.spoken_to:
            out.append(HouseholdAlert(adult, "not_spoken_to"))
        cares = adult.lives_with_child or regular
        if adult.role in CHECKED_ROLES and cares and not (adult.checks or "").strip():
            out.append(HouseholdAlert(adult, "no_checks"))
        if engagement == "engaged" and adult.engagement in NOT_ENGAGED:
            out.append(HouseholdAlert(adult, "engagement_differs"))
        elif engagement_asked and engagement is None and adult.engagement in NOT_ENGAGED:
            out.append(HouseholdAlert(adult, "engagement_blank"))
    return out


def household_problems(household: Sequence[Adult]) -> list[tuple[tuple[Any, ...], str]]:
    """Labels must tell the adults apart. Returns (location under `household`, message) pairs."""
    out: list[tuple[tuple[Any, ...], str]] = []
    seen: set[str] = set()
    for n, adult in enumerate(household):
        key = adult.label.strip().casefold()
        if key in seen:
            out.append(((n, "label"), f"two adults are labelled {adult.label!r}: use labels such as 'Partner A'"))
        seen.add(key)
    return out


# --- evidence sources ------------------------------------------------------------------------

SourceKind = Literal["seen", "told", "records"]
Teller = Literal["child", "carer", "school", "health_visitor", "gp", "police", "other"]
TELLERS: tuple[str, ...] = ("child", "carer", "school", "health_visitor", "gp", "police", "other")
TELLER_WORDS: dict[str, str] = {
    "child": "the child",
    "carer": "a carer",
    "school": "school or nursery",
    "health_visitor": "the health visitor",
    "gp": "the GP",
    "police": "the police",
    "other": "someone else",
}


class EvidenceSource(_World):
    """Where a rating's evidence came from: seen by the assessor, told by someone, or from records; when."""

    kind: SourceKind
    by: Teller | None = None
    date: Day  # (not `on`: YAML 1.1 reads a key `on` as true)

    @model_validator(mode="after")
    def _teller_when_told(self) -> EvidenceSource:
        if self.kind == "told" and self.by is None:
            raise ValueError(f"say who told you (by: {', '.join(TELLERS)})")
        if self.kind != "told" and self.by is not None:
            raise ValueError("`by` is for evidence someone told you (kind: told)")
        return self

    @property
    def words(self) -> str:
        """ "told by school, 2026-11-03", "seen by the assessor, ...", "from records, ..."."""
        what = {
            "seen": "seen by the assessor",
            "told": f"told by {TELLER_WORDS.get(self.by or '', 'someone')}",
            "records": "from records",
        }[self.kind]
        return f"{what}, {self.date.isoformat()}"


# --- strengths, capacity to change, identity ---------------------------------------------------


class Strengths(_World):
    """What is going well, and what keeps the child safe now: recorded beside the worries."""

    going_well: Note | None = None
    safe_now: Note | None = None

    @model_validator(mode="after")
    def _something(self) -> Strengths:
        if not ((self.going_well or "").strip() or (self.safe_now or "").strip()):
            raise ValueError("give going_well, safe_now or both (leave `strengths` out when there is nothing yet)")
        return self


Understanding = Literal["understands", "partly", "not_yet", "not_known"]
UNDERSTANDING: dict[str, str] = {
    "understands": "yes, and how the concerns affect the child",
    "partly": "partly",
    "not_yet": "not yet",
    "not_known": "not known",
}
Timescale = Literal["yes", "partly", "no", "not_known"]
TIMESCALE: dict[str, str] = {
    "yes": "yes",
    "partly": "partly",
    "no": "no",
    "not_known": "not known",
}


class Capacity(_World):
    """The carers' response to help and capacity to change: assessed apart from the item ratings,
    which rate the harm or unmet need to the child on their own."""

    understanding: Understanding
    understanding_note: Note | None = None
    help_began: Day | None = None
    changes: Note | None = None  # what has changed for the child since help began
    # is change happening within the child's timescale? (YAML reads a bare yes/no as true/false)
    timescale: Annotated[Timescale, BeforeValidator(yes_no_word)]
    age_considered: Note | None = None  # how the child's age and stage bear on how long they can wait


class Identity(_World):
    """Optional, for monitoring disproportionality; never read by any scoring rule."""

    ethnicity: Short | None = None
    language: Short | None = None
    interpreter_used: Flag | None = None
    disability: Short | None = None
    no_recourse_to_public_funds: Flag | None = None


# --- checks against the tool ------------------------------------------------------------------


def section_of(key: str) -> str:
    """The tool's `sections:` entry that a top-level key needs (`child` is the `seen` section)."""
    return "seen" if key == "child" else key


def seen_after_assessment(day: dt.date, assessed_on: dt.date) -> str:
    """The problem with a date the child was seen after the assessment's date (review 6): it would count as seen
    for an assessment already made."""
    return (
        f"{day.isoformat()} is after the assessment's date ({assessed_on.isoformat()}): give only dates the child "
        "was seen on or before it, or correct the assessment date"
    )


def alone_not_seen(day: dt.date) -> str:
    """The problem with a date the child was seen alone that is not among the dates they were seen."""
    return (
        f"{day.isoformat()} is not among the dates the child was seen (seen_on): give only dates listed in "
        "seen_on, or add it there"
    )


def alone_dates_unsaid(earliest: dt.date, assessed_on: dt.date, within: int = SEEN_WITHIN_DAYS) -> str:
    """The problem with `seen_alone: true` over several dates, the earliest long before (more than `within` days,
    the tool's window: `seen_within_days`), without `seen_alone_on`."""
    days = (assessed_on - earliest).days
    return (
        f"the child was seen on several dates and the earliest, {earliest.isoformat()}, is {days} days before the "
        f"assessment (more than {window_words(within)}): say on which of them the child was seen on their "
        "own (seen_alone_on: [DATE, ...])"
    )


def world_problems(
    tool: Tool,
    parts: Mapping[str, Any],
    sources: Mapping[str, EvidenceSource | None],
    *,
    today: dt.date,
    assessed_on: dt.date | None = None,
) -> list[tuple[tuple[Any, ...], str]]:
    """What the world sections break of the tool and the calendar. `parts`: top-level key -> model or None;
    `sources`: item id -> its evidence source; `assessed_on`: the assessment's date, when a date the child was
    seen after it must be refused (answers files; records made before this check are read as they are).
    Returns (location, message) pairs."""
    out: list[tuple[tuple[Any, ...], str]] = []
    for key in WORLD_KEYS:
        if parts.get(key) is not None and not tool.asks(section_of(key)):
            out.append(((key,), f"{tool.id} does not ask for `{section_of(key)}` (not in its sections)"))
    child = parts.get("child")
    if isinstance(child, SeenAndHeard):
        for n, day in enumerate(child.seen_on):
            if day > today:
                out.append((("child", "seen_on", n), "the date the child was seen is in the future"))
            elif assessed_on is not None and day > assessed_on:
                out.append((("child", "seen_on", n), seen_after_assessment(day, assessed_on)))
        for n, day in enumerate(child.seen_alone_on or []):
            if day > today:
                out.append((("child", "seen_alone_on", n), "the date the child was seen alone is in the future"))
            elif assessed_on is not None and day > assessed_on:
                out.append((("child", "seen_alone_on", n), seen_after_assessment(day, assessed_on)))
            elif day not in child.seen_on:
                out.append((("child", "seen_alone_on", n), alone_not_seen(day)))
        if assessed_on is not None and child.alone_date_unknown:
            earliest, within = min(child.seen_on), seen_within_days(tool)
            if (assessed_on - earliest).days > within:
                # Which visit was alone decides whether the child was seen alone for this assessment (review 7,
                # finding 2); records made before the key are read as they are (no `assessed_on` passed for them).
                out.append((("child", "seen_alone"), alone_dates_unsaid(earliest, assessed_on, within)))
        for domain_id in child.voice:
            if tool.domain(domain_id) is None:
                out.append((("child", "voice", domain_id), f"not a domain of {tool.id}"))
    household = parts.get("household")
    if isinstance(household, list):
        out.extend((("household", *loc), message) for loc, message in household_problems(household))
    capacity = parts.get("capacity")
    if isinstance(capacity, Capacity) and capacity.help_began is not None and capacity.help_began > today:
        out.append((("capacity", "help_began"), "the date help began is in the future"))
    for item_id, source in sources.items():
        if source is None:
            continue
        if not tool.asks("sources"):
            out.append((("answers", item_id, "source"), f"{tool.id} does not ask for evidence sources"))
        elif source.date > today:
            out.append((("answers", item_id, "source", "date"), "the date of the evidence is in the future"))
    return out


# --- records ----------------------------------------------------------------------------------


def world_body(parts: Mapping[str, BaseModel | list[Adult] | None]) -> dict[str, Any]:
    """The record's world sections as JSON-ready data, in record order; sections not given are left out."""
    out: dict[str, Any] = {}
    for key in WORLD_KEYS:
        value = parts.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            out[key] = [adult.model_dump(mode="json", exclude_none=True) for adult in value]
        else:
            out[key] = value.model_dump(mode="json", exclude_none=True)
    return out


def redact_world(body: dict[str, Any], marker: str) -> None:
    """Replace the free text of the world sections in a record body (in place). Household labels become
    the role and a number ("Partner 1"): a label may have been typed as a name. Identity text is removed;
    yes/no facts (interpreter, no recourse to public funds) cannot carry words and stay."""
    child = body.get("child")
    if isinstance(child, dict):
        if child.get("observed"):
            child["observed"] = marker
        voice = child.get("voice")
        if isinstance(voice, dict):
            child["voice"] = {key: marker for key in voice}
    household = body.get("household")
    if isinstance(household, list):
        counts: dict[str, int] = {}
        for adult in household:
            if not isinstance(adult, dict):
                continue
            role = str(adult.get("role", "other"))
            counts[role] = counts.get(role, 0) + 1
            adult["label"] = f"{words(role).capitalize()} {counts[role]}"
            for key in ("part_in_care", "checks"):
                if adult.get(key):
                    adult[key] = marker
    for key, fields in (
        ("strengths", ("going_well", "safe_now")),
        ("capacity", ("understanding_note", "changes", "age_considered")),
        ("identity", ("ethnicity", "language", "disability")),
    ):
        section = body.get(key)
        if isinstance(section, dict):
            for field in fields:
                if section.get(field):
                    section[field] = marker


# --- what changed between two records ------------------------------------------------------------

_FIELD_WORDS: dict[str, str] = {
    "seen": "seen",
    "seen_alone": "seen on their own",
    "seen_on": "dates seen",
    "seen_alone_on": "dates seen on their own",
    "uses_words": "uses words",
    "observed": "what was observed",
    "lives_with_child": "lives with the child",
    "part_in_care": "part in care",
    "spoken_to": "spoken to",
    "engagement": "response to help",
    "checks": "checks made",
    "male": "male carer",
    "role": "role",
    "going_well": "what is going well",
    "safe_now": "what keeps the child safe now",
    "understanding": "understanding of the concerns",
    "understanding_note": "what shows the understanding",
    "help_began": "help began",
    "changes": "what has changed since help began",
    "timescale": "change within the child's timescale",
    "age_considered": "the child's age considered",
    "ethnicity": "ethnicity",
    "language": "language",
    "interpreter_used": "interpreter used",
    "disability": "disability",
    "no_recourse_to_public_funds": "no recourse to public funds",
}
_SECTION_WORDS = {
    "child": "Seen and heard",
    "household": "Household",
    "strengths": "Strengths",
    "capacity": "Capacity to change",
    "identity": "Identity",
}


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and value in ENGAGEMENT:
        return ENGAGEMENT[value]
    return str(value)


def _flat_section(key: str, value: Any) -> dict[str, str | None]:
    """What -> value in words, for every field one world section holds."""
    out: dict[str, str | None] = {}
    if isinstance(value, list):
        for adult in value:
            out[f"{adult.label}: listed"] = "yes"
            for name, field_value in adult.model_dump(mode="json", exclude_none=True).items():
                if name != "label":
                    out[f"{adult.label}: {_FIELD_WORDS.get(name, words(name))}"] = _shown(field_value)
        return out
    for name, field_value in value.model_dump(mode="json", exclude_none=True).items():
        if name == "voice":
            for domain_id, said in field_value.items():
                out[f"says or shows: {words(domain_id)}"] = said
        else:
            out[_FIELD_WORDS.get(name, words(name))] = _shown(field_value)
    return out


def world_changes(old: Any, new: Any) -> list[tuple[str, str, str | None, str | None]]:
    """What changed in the world sections between two records: (section, what, old, new) in words.
    Adults are matched by their label. A section recorded on one side only is one change (records of
    formats 1 and 2 hold none)."""
    out: list[tuple[str, str, str | None, str | None]] = []
    for key in WORLD_KEYS:
        had, has = getattr(old, key, None), getattr(new, key, None)
        if had is None and has is None:
            continue
        if had is None or has is None:
            out.append((_SECTION_WORDS[key], "section", "recorded" if had else None, "recorded" if has else None))
            continue
        a, b = _flat_section(key, had), _flat_section(key, has)
        out += [
            (_SECTION_WORDS[key], what, a.get(what), b.get(what))
            for what in [*b, *(k for k in a if k not in b)]
            if a.get(what) != b.get(what)
        ]
    return out
