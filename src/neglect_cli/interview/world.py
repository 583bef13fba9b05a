"""The walk's questions about the child's world (tool format 3 `sections:`): seen and heard, the adults
in the child's life, where each rating's evidence came from, the child's voice in each domain,
strengths, capacity to change and identity.

Every answer goes into the draft (`draft.world`) and is saved before the next question, so an
interrupted walk resumes at the question it stopped on: a section asks only what it has not got yet,
and says it is done when it is (`draft.world["done"]`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

from .prompter import Option, typed_text

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from ..definition import Tool
    from ..drafts import Draft
    from ..scoring import ChildSeen
    from ..world import EvidenceSource
    from .prompter import Prompter


class Walk(Protocol):
    """What these questions use of the walk (walk.Walk; not imported here: it imports this module)."""

    draft: Draft
    prompter: Prompter

    @property
    def now(self) -> Callable[[], dt.datetime]: ...

    @property
    def tool(self) -> Tool: ...
    def save(self) -> Path: ...
    def context(self) -> dict[str, Any]: ...
    def applicable(self, item_id: str) -> bool: ...
    def announce_escalations(self) -> None: ...
    def _note_fits(self, text: str) -> str | None: ...


SKIP = "skip"
CHOOSE = "choose"
YES_NO = [Option("yes", "Yes", "y"), Option("no", "No", "n")]


def _world(walk: Walk) -> dict[str, Any]:
    world: dict[str, Any] = walk.draft.world
    world.setdefault("done", [])
    return world


def _done(walk: Walk, section: str) -> bool:
    return section in _world(walk)["done"]


def _mark_done(walk: Walk, section: str) -> None:
    _world(walk)["done"].append(section)
    walk.save()


def _pick(walk: Walk, question: str, options: list[Option], current: str | None = None) -> str:
    """A choice that Enter never makes for the practitioner: with no answer yet, nothing is picked in
    advance and Enter asks again (as on the facts screen)."""
    shown = [Option(CHOOSE, "Choose an answer", None), *options]
    while True:
        picked = walk.prompter.choose(question, shown, default=current or CHOOSE)
        if picked != CHOOSE:
            return picked
        walk.prompter.say("Choose an answer (press its key).", "yellow")


def _ask_yes_no(walk: Walk, question: str, current: Any = None) -> bool:
    default = None if current is None else ("yes" if current else "no")
    return _pick(walk, question, YES_NO, default) == "yes"


def _ask_text(
    walk: Walk, question: str, hint: str = "(optional; Enter to leave it out)", *, one_line: bool = False
) -> str | None:
    typed = walk.prompter.text(question, validate=typed_text(walk._note_fits, one_line=one_line), hint=hint).strip()
    return typed or None


def _ask_dates(walk: Walk, question: str) -> list[str]:
    """One or more dates, YYYY-MM-DD or DD/MM/YYYY, separated by commas; none in the future, nor after the
    assessment's date (review 6: a later date would count the child as seen for it)."""
    from ..world import parse_day, seen_after_assessment

    today = walk.now().date()
    assessed_on = walk.draft.case.assessed_on

    def parse(text: str) -> list[dt.date] | str:
        days = []
        for part in text.replace(";", ",").split(","):
            try:
                day = parse_day(part.strip())
            except ValueError as exc:
                return f"{part.strip() or 'a blank'}: {exc}"
            if day > today:
                return f"{day.isoformat()} is in the future"
            if assessed_on is not None and day > assessed_on:
                return seen_after_assessment(day, assessed_on)
            days.append(day)
        return days

    def check(text: str) -> str | None:
        found = parse(text)
        return found if isinstance(found, str) else None

    typed = walk.prompter.text(
        question,
        default=min(today, assessed_on or today).isoformat(),
        validate=check,
        hint="(YYYY-MM-DD or DD/MM/YYYY; several: commas)",
    )
    found = parse(typed)
    assert not isinstance(found, str)
    return sorted({day.isoformat() for day in found})


def _ask_alone_dates(walk: Walk, seen_on: list[str]) -> list[str]:
    """Which of the dates the child was seen were on their own (review 6, 3.5): seen alone only long before
    the assessment is not seen alone for it. Only dates among `seen_on` (already none after the assessment's
    date); no default, so Enter never picks one for the practitioner."""
    from ..world import parse_day, seen_after_assessment

    assessed_on = walk.draft.case.assessed_on
    listed = ", ".join(seen_on)

    def parse(text: str) -> list[str] | str:
        days: list[str] = []
        for part in text.replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                day = parse_day(part.strip())
            except ValueError as exc:
                return f"{part.strip()}: {exc}"
            if assessed_on is not None and day > assessed_on:
                return seen_after_assessment(day, assessed_on)
            if day.isoformat() not in seen_on:
                return f"{day.isoformat()} is not one of the dates seen: give one of {listed}"
            days.append(day.isoformat())
        return sorted(set(days)) or f"give at least one of the dates seen: {listed}"

    def check(text: str) -> str | None:
        found = parse(text)
        return found if isinstance(found, str) else None

    walk.prompter.say(
        "Seeing the child apart from their carers is how a child can tell you what happens at home, and how you "
        "see a baby, or a child who does not use words, as they are when their carers are not there. If that was "
        "only long ago, they have not been seen on their own for this assessment.",
        "dim",
    )
    typed = walk.prompter.text(
        "On which of these dates did you see the child on their own?",
        validate=check,
        hint=f"({listed}; several: commas)",
    )
    found = parse(typed)
    assert not isinstance(found, str)
    return found


def _field(walk: Walk, part: dict[str, Any], key: str, ask: Any) -> Any:
    """Ask one field unless the draft has it already; save it before going on."""
    if key not in part:
        part[key] = ask()
        walk.save()
    return part[key]


# --- before the items: seen and heard, household ------------------------------------------------


def ask_before_items(walk: Walk) -> None:
    """The sections asked after the facts about the child and family, each only until it is done."""
    if walk.tool.asks("seen") and not _done(walk, "seen"):
        ask_seen(walk)
    if walk.tool.asks("household") and not _done(walk, "household"):
        ask_household(walk)


def ask_seen(walk: Walk) -> None:
    walk.draft.position = "seen"
    walk.prompter.heading("Seen and heard")
    walk.prompter.say("Whether you have seen the child, on their own, and how they communicate.", "dim")
    child: dict[str, Any] = _world(walk).setdefault("child", {})
    seen = _field(walk, child, "seen", lambda: _ask_yes_no(walk, "Have you seen the child for this assessment?"))
    if seen:
        _field(walk, child, "seen_alone", lambda: _ask_yes_no(walk, "Have you seen the child on their own?"))
        seen_on = _field(walk, child, "seen_on", lambda: _ask_dates(walk, "When did you see the child?"))
        if child["seen_alone"] and len(seen_on) > 1:
            _field(walk, child, "seen_alone_on", lambda: _ask_alone_dates(walk, seen_on))
        age = walk.context().get("age_months")
        if isinstance(age, int) and age < 24:
            walk.prompter.say("For a baby, answer no: you will be asked what you observed of them.", "dim")
        words = _field(
            walk,
            child,
            "uses_words",
            lambda: _ask_yes_no(walk, "Does the child use words (spoken, signed or with a device)?"),
        )
        if not words:

            def observed() -> str:
                return walk.prompter.text(
                    "What did you observe of the child? (how they respond, play, feed and settle, with and without "
                    "their carers)",
                    validate=typed_text(lambda t: walk._note_fits(t) or (None if t.strip() else "say what you saw")),
                    hint="(required for a child without words)",
                ).strip()

            _field(walk, child, "observed", observed)
    _mark_done(walk, "seen")
    walk.announce_escalations()


ENGAGEMENT_KEYS = {
    "engaged": "e",
    "partly": "p",
    "agrees_no_change": "a",
    "not_engaging": "n",
    "not_offered": "o",
    "not_known": "k",
}
ROLE_OPTIONS = [
    Option("mother", "Mother", "m"),
    Option("father", "Father", "f"),
    Option("partner", "A parent's partner", "p"),
    Option("grandparent", "Grandparent", "g"),
    Option("other", "Another adult", "o"),
]


def ask_household(walk: Walk) -> None:
    """Each adult in the child's life by role and a label (never a name), until the practitioner says done."""
    from ..world import LABEL_MAX_CHARS

    walk.draft.position = "household"
    world = _world(walk)
    household: list[dict[str, Any]] = world.setdefault("household", [])
    walk.prompter.heading("The adults in the child's life")
    walk.prompter.say(
        "Parents, carers and other significant adults, one at a time. Use a role or a label such as "
        f"'Mother' or 'Partner A' — never a name ({LABEL_MAX_CHARS} characters at most).",
        "dim",
    )
    while True:
        adult: dict[str, Any] | None = world.get("adult")
        if adult is None:
            if household:
                walk.prompter.say("Recorded so far: " + ", ".join(a["label"] for a in household), "dim")
            more = walk.prompter.choose(
                "Add an adult?" if not household else "Add another adult?",
                [Option("add", "Add an adult", "a"), Option("done", "Done: no more adults", "d")],
                default="add" if not household else "done",
            )
            if more == "done":
                break
            adult = world["adult"] = {}
            walk.save()
        _ask_adult(walk, adult, {a["label"].casefold() for a in household})
        household.append({k: v for k, v in adult.items() if v is not None})
        world.pop("adult")
        walk.save()
    _mark_done(walk, "household")


def _ask_adult(walk: Walk, adult: dict[str, Any], taken: set[str]) -> None:
    """One adult's answers, each saved as given; `taken`: the labels of the adults already recorded."""
    from ..world import CHECKED_ROLES, ENGAGEMENT, LABEL_MAX_CHARS

    role = _field(walk, adult, "role", lambda: _pick(walk, "Their role", ROLE_OPTIONS))

    def label() -> str:
        suggested = {"partner": "Partner A", "other": "Adult A"}.get(role, role.capitalize())

        def check(text: str) -> str | None:
            text = text.strip()
            if not text or len(text) > LABEL_MAX_CHARS:
                return f"a role or label such as 'Partner A', {LABEL_MAX_CHARS} characters at most — never a name"
            return "another adult has this label: use 'Partner B' or similar" if text.casefold() in taken else None

        return walk.prompter.text(
            "Label (a role or pseudonym, never a name)",
            default=suggested if suggested.casefold() not in taken else "",
            validate=typed_text(check, one_line=True),
        ).strip()

    name = _field(walk, adult, "label", label)
    if role not in ("mother", "father"):
        _field(walk, adult, "male", lambda: _ask_yes_no(walk, f"Is {name} a man (a father figure or male carer)?"))
    _field(walk, adult, "lives_with_child", lambda: _ask_yes_no(walk, f"Does {name} live with the child?"))
    _field(walk, adult, "part_in_care", lambda: _ask_text(walk, f"{name}'s part in the child's care"))
    _field(walk, adult, "seen", lambda: _ask_yes_no(walk, f"Have you seen {name}?"))
    _field(walk, adult, "spoken_to", lambda: _ask_yes_no(walk, f"Have you spoken to {name}?"))
    _field(
        walk,
        adult,
        "engagement",
        lambda: walk.prompter.choose(
            f"{name}'s response to help",
            [Option(key, words[:1].upper() + words[1:], ENGAGEMENT_KEYS[key]) for key, words in ENGAGEMENT.items()],
            default="not_known",
        ),
    )
    if role in CHECKED_ROLES:  # a partner, a grandparent or another adult: checks are expected
        _field(
            walk,
            adult,
            "checks",
            lambda: _ask_text(walk, f"What checks have been made on {name}? (police, children's services records)"),
        )


# --- during the items: sources, the child's voice per domain --------------------------------------

SOURCE_OPTIONS = [
    Option("seen", "Seen by me", "s"),
    Option("told", "Told by someone", "t"),
    Option("records", "From records", "r"),
    Option(SKIP, "Not recorded", "n"),
]
TELLER_OPTIONS = [
    Option("child", "The child", "c"),
    Option("carer", "A carer", "a"),
    Option("school", "School or nursery", "s"),
    Option("health_visitor", "Health visitor", "h"),
    Option("gp", "GP", "g"),
    Option("police", "Police", "p"),
    Option("other", "Someone else", "o"),
]


def ask_source(walk: Walk, item_id: str, value: int, note: str) -> EvidenceSource | None:
    """Where a rating's evidence came from, and when (tool format 3 `sources`). The note is kept in the
    draft first, so that an interruption here asks the item again with the note filled in."""
    from ..drafts import PendingNote
    from ..world import EvidenceSource

    if not walk.tool.asks("sources"):
        return None
    walk.draft.pending = PendingNote(item=item_id, value=value, text=note)
    walk.save()
    current = walk.draft.answers.get(item_id)
    was = current.source if current is not None else None
    kind = _pick(walk, "Where did this evidence come from?", SOURCE_OPTIONS, was.kind if was is not None else None)
    if kind == SKIP:
        return None
    by = None
    if kind == "told":
        by = _pick(walk, "Who told you?", TELLER_OPTIONS, was.by if was is not None else None)
    today = walk.now().date()
    from .prompter import ask_date

    day = ask_date(walk.prompter, "On what date?", today, was.date if was is not None else walk.draft.case.assessed_on)
    return EvidenceSource(kind=kind, by=by, date=day)


def ask_domain_voice(walk: Walk, domain_id: str) -> None:
    """What the child says or shows about this domain, asked once at the end of the domain."""
    if not walk.tool.asks("seen") or domain_id in _world(walk).setdefault("voice_asked", []):
        return
    domain = walk.tool.domain(domain_id)
    assert domain is not None
    child = _world(walk).setdefault("child", {})
    words = child.get("uses_words", True) is not False
    walk.draft.position = f"voice:{domain_id}"
    walk.prompter.say(" ".join(domain.voice_question.split()), "bold")
    said = _ask_text(
        walk,
        "In the child's words" if words else "What the child shows",
        "(their own words where you can; optional; Enter to leave it out)",
    )
    if said:
        child.setdefault("voice", {})[domain_id] = said
    _world(walk)["voice_asked"].append(domain_id)
    walk.save()


# --- before the summary: voices not yet asked, strengths, capacity, identity ------------------------

UNDERSTANDING_OPTIONS = [
    Option("understands", "Yes, and how the concerns affect the child", "y"),
    Option("partly", "Partly", "p"),
    Option("not_yet", "Not yet", "n"),
    Option("not_known", "Not known", "k"),
]
TIMESCALE_OPTIONS = [
    Option("yes", "Yes", "y"),
    Option("partly", "Partly", "p"),
    Option("no", "No", "n"),
    Option("not_known", "Not known", "k"),
]


def ask_before_summary(walk: Walk) -> None:
    """The sections asked after the items, before the summary."""
    for domain in walk.tool.domains:
        if any(walk.applicable(item.id) for item in domain.items):
            ask_domain_voice(walk, domain.id)
    world = _world(walk)
    if walk.tool.asks("strengths") and not _done(walk, "strengths"):
        walk.draft.position = "strengths"
        walk.prompter.heading("Strengths and safety")
        walk.prompter.say("Recorded beside the worries in the report.", "dim")
        part = world.setdefault("strengths", {})
        _field(walk, part, "going_well", lambda: _ask_text(walk, "What is going well for the child?"))
        _field(walk, part, "safe_now", lambda: _ask_text(walk, "What keeps the child safe now?"))
        _mark_done(walk, "strengths")
    if walk.tool.asks("capacity") and not _done(walk, "capacity"):
        walk.draft.position = "capacity"
        walk.prompter.heading("Response to help and capacity to change")
        walk.prompter.say("Assessed apart from the ratings, which describe the child's experience on its own.", "dim")
        part = world.setdefault("capacity", {})
        _field(
            walk,
            part,
            "understanding",
            lambda: _pick(walk, "Do the carers understand the concerns?", UNDERSTANDING_OPTIONS),
        )
        _field(walk, part, "understanding_note", lambda: _ask_text(walk, "What shows it?"))
        _field(walk, part, "help_began", lambda: _ask_help_began(walk))
        _field(walk, part, "changes", lambda: _ask_text(walk, "What has changed for the child since help began?"))
        _field(
            walk,
            part,
            "timescale",
            lambda: _pick(walk, "Is change happening within the child's timescale?", TIMESCALE_OPTIONS),
        )
        _field(
            walk,
            part,
            "age_considered",
            lambda: _ask_text(walk, "How do the child's age and stage bear on how long they can wait?"),
        )
        _mark_done(walk, "capacity")
    if walk.tool.asks("identity") and not _done(walk, "identity"):
        walk.draft.position = "identity"
        walk.prompter.heading("Identity and access (optional)")
        walk.prompter.say("Recorded to monitor fairness; never used by any scoring rule. Enter skips each.", "dim")
        part = world.setdefault("identity", {})
        for key, question in (
            ("ethnicity", "The child's ethnicity, as the family describes it"),
            ("language", "Language(s) spoken at home"),
        ):
            _field(walk, part, key, lambda q=question: _ask_text(walk, q, "(optional)", one_line=True))
        _field(walk, part, "interpreter_used", lambda: _ask_optional_yes_no(walk, "Was an interpreter used?"))
        _field(
            walk,
            part,
            "disability",
            lambda: _ask_text(walk, "Disability (the child's or a carer's)", "(optional)", one_line=True),
        )
        _field(
            walk,
            part,
            "no_recourse_to_public_funds",
            lambda: _ask_optional_yes_no(walk, "Does the family have no recourse to public funds?"),
        )
        _mark_done(walk, "identity")


def _ask_help_began(walk: Walk) -> str | None:
    picked = _pick(
        walk,
        "Has help been offered yet?",
        [Option("yes", "Yes: give the date it began", "y"), Option("no", "Not yet", "n")],
    )
    if picked == "no":
        return None
    from .prompter import ask_date

    return ask_date(walk.prompter, "When did help begin?", walk.now().date(), None).isoformat()


def _ask_optional_yes_no(walk: Walk, question: str) -> bool | None:
    picked = walk.prompter.choose(question, [Option(SKIP, "Not asked / skip", "s"), *YES_NO], default=SKIP)
    return None if picked == SKIP else picked == "yes"


# --- the record ------------------------------------------------------------------------------------


def world_parts(walk: Walk) -> dict[str, Any]:
    """The world sections of the draft as models for the record (a section not yet complete is left out)."""
    from pydantic import ValidationError

    from ..world import Adult, Capacity, Identity, SeenAndHeard, Strengths

    world = _world(walk)
    out: dict[str, Any] = {}
    for key, model in (
        ("child", SeenAndHeard),
        ("strengths", Strengths),
        ("capacity", Capacity),
        ("identity", Identity),
    ):
        data = {k: v for k, v in world.get(key, {}).items() if v is not None}
        if not data:
            continue
        try:
            out[key] = model.model_validate(data)
        except ValidationError:
            continue  # not finished yet (or strengths left empty): not in the record
    if "household" in world["done"]:
        out["household"] = [Adult.model_validate(adult) for adult in world.get("household", [])]
    return out


def seen_facts(walk: Walk) -> ChildSeen:
    """What `child_seen` and `capacity` rules read, from the draft as it stands."""
    from ..scoring import ChildSeen
    from ..world import days_since_seen

    world = _world(walk)
    child = world.get("child", {})
    seen = child.get("seen")
    timescale = world.get("capacity", {}).get("timescale") if "capacity" in world.get("done", []) else None
    seen_on = [dt.date.fromisoformat(str(day)) for day in child.get("seen_on") or []]
    alone_on = [dt.date.fromisoformat(str(day)) for day in child.get("seen_alone_on") or []]
    return ChildSeen(
        seen=seen,
        alone=bool(seen and child.get("seen_alone")) if "seen_alone" in child or seen is False else None,
        timescale=timescale,
        uses_words=child.get("uses_words"),
        last_seen_days=days_since_seen(seen_on, walk.draft.case.assessed_on) if seen else None,
        last_alone_days=days_since_seen(alone_on, walk.draft.case.assessed_on) if seen else None,
    )


def prefilled_world(answers: Any) -> dict[str, Any]:
    """An answers file's world sections as a draft holds them: each section given is done (not asked)."""
    world: dict[str, Any] = {"done": []}
    for key, section in (
        ("child", "seen"),
        ("strengths", "strengths"),
        ("capacity", "capacity"),
        ("identity", "identity"),
    ):
        value = getattr(answers, key)
        if value is not None:
            world[key] = value.model_dump(mode="json")
            world["done"].append(section)
    if answers.child is not None:
        world["voice_asked"] = list(answers.child.voice)
    if answers.household is not None:
        world["household"] = [adult.model_dump(mode="json", exclude_none=True) for adult in answers.household]
        world["done"].append("household")
    return world
