"""The answers-file skeleton `neglect template` prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..toolfiles import ToolSource


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.strip().splitlines()]


def _line(text: str) -> str:
    """Tool text on one line: a title or label written as a YAML block must not end the comment."""
    return " ".join(text.split())


def _scalar(text: str) -> str:
    """A value on a YAML line: plain when it is plainly text, else double-quoted (a path with `#` or `: `)."""
    import json
    import re

    if re.fullmatch(r"[\w./][\w.@/+-]*", text) and not re.fullmatch(r"[-+.\d_:eE]+|\.(inf|nan|Inf|NaN|INF|NAN)", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def answers_template(source: ToolSource, tool_ref: str | None = None) -> str:
    """Every context fact and item id with its prompt and the scale as comments.

    `tool_ref` is what the `tool:` line names (default `id@version`; a path for a tool given by path).
    """
    from ..definition import asked_when
    from ..placeholders import BAND, CASE_REF, DATE

    tool = source.tool
    values = tool.scale.values
    short, long = values[len(values) // 2], values[max(0, len(values) - 2)]  # examples on this tool's own scale
    lines = [
        f"# Answers file for {_line(tool.title)} ({tool.id} {tool.version}).",
        "# Fill in the values; leave an item out if it was not assessed (it lowers coverage).",
        f"# Short form:  item.id: {short}      "
        f"Long form: item.id: {{value: {long}, evidence: What was seen, by whom, when.}}",
    ]
    if tool.scale.allow_not_known:
        lines.append("# Not known:   item.id: {not_known: Why it is not known yet.}")
    if any(item.may_not_apply for item in tool.items()):
        lines.append("# Does not apply (only the items marked so): item.id: {does_not_apply: Why not, for this child.}")
    if tool.hardship is not None:
        lines.append(
            f"# Hardship:    item.id: {{value: N, evidence: ..., hardship: true}} when {tool.hardship.fact} is true"
            f" and N is {tool.hardship.ask_from} or more: the unmet need is mainly caused by money or housing"
        )
    lines.append("# Scale:")
    lines += [f"#   {lv.value} = {_line(lv.label)}" for lv in tool.scale.levels]
    lines += [
        f"tool: {_scalar(tool_ref or tool.ref)}",
        "case:",
        f"  ref: {CASE_REF}       # a pseudonymous case reference, never a name",
        f"  assessed_on: {DATE}   # or DD/MM/YYYY",
        "  assessor:           # who assessed (optional)",
        "  supervisor:         # who supervised or agreed it (optional)",
        "context:",
    ]
    for fact in tool.context:
        hint: str = fact.type
        if fact.choices:
            hint += ": " + " | ".join(fact.choices)
        if fact.min is not None or fact.max is not None:
            hint += f" ({fact.min if fact.min is not None else ''}–{fact.max if fact.max is not None else ''})"
        if fact.required:
            hint += ", required"
        if fact.ask_if is not None:
            hint += f"; only when {asked_when(fact, tool)}, else leave it empty"
        lines += _comment(fact.question, "  ")
        lines.append(f"  {fact.id}:     # {hint}")
    lines.append("answers:")
    for domain in tool.domains:
        lines.append(f"  # --- {_line(domain.title)} ---")
        for item in domain.items:
            lines += _comment(item.prompt, "  ")
            notes = []
            if item.ages is not None:
                top = item.ages.max_months if item.ages.max_months is not None else "…"
                notes.append(f"only for ages {item.ages.min_months}–{top} months")
            if item.evidence_from is not None:
                notes.append(f"evidence needed from {item.evidence_from}")
            if item.may_not_apply:
                notes.append("may be {does_not_apply: why}")
            for value, text in sorted((item.anchors or {}).items()):
                lines += _comment(f"{value}: {' '.join(text.split())}", "  ")
            suffix = f"     # {'; '.join(notes)}" if notes else ""
            lines.append(f"  # {item.id}: {suffix}".rstrip())
    lines += [
        f"# override: {{band: {BAND}, rationale: Why professional judgement differs.}}",
        "# bands: " + ", ".join(b.id for b in tool.bands),
    ]
    planned = [b.label for b in tool.bands if b.plan_required]
    if planned:
        lines += [
            f"# plan:                                # needed at {_line(', '.join(planned))}; or",
            "#                                      # plan: {deferred_to: {meeting: Meeting name, date: YYYY-MM-DD}}",
            "#   needs:",
            "#     - item: ITEM-ID                  # an item rated 3 or more",
            "#       outcome: What will be different for the child, that someone could see.",
            "#       actions: [{what: What will be done., who: A role (never a name), by: YYYY-MM-DD}]",
            "#       contingency: What happens if the outcome is not reached by the review.",
        ]
    if not tool.asks("seen"):
        lines.append("# child_voice: In the child's own words.")
    lines += _world_template(source)
    return "\n".join(lines) + "\n"


#: The answers-file keys of each section of the child's world (tool format 3), as comments to fill in.
_WORLD_TEMPLATE: dict[str, list[str]] = {
    "seen": [
        "# child:                               # seen and heard",
        "#   seen: true",
        "#   seen_alone: true",
        "#   seen_on: [YYYY-MM-DD]              # or DD/MM/YYYY; several allowed",
        "#   seen_alone_on: [YYYY-MM-DD]        # seen on several dates: which of them on their own",
        "#   uses_words: true                   # false for a baby or a child without words; then:",
        "#   observed: What you saw of the child (response, play, feeding, settling).",
        "#   voice: {FIRST-DOMAIN: What the child says or shows about it.}   # by domain id: DOMAINS",
    ],
    "household": [
        "# household:                           # roles and pseudonymous labels, NEVER names",
        "#   - {role: mother, label: Mother, lives_with_child: true, seen: true, spoken_to: true,",
        "#      part_in_care: Main carer, engagement: engaged}",
        "#   - {role: partner, label: Partner A, male: true, lives_with_child: true, seen: false, spoken_to: false,",
        "#      checks: Checks made on a new partner.}",
        "#   # role: mother | father | partner | grandparent | other",
        "#   # engagement: engaged | partly | agrees_no_change | not_engaging | not_offered | not_known",
    ],
    "sources": [
        "# On a rating: source: {kind: seen | told | records, by: child | carer | school | health_visitor | gp |",
        "#   police | other (only with told), date: YYYY-MM-DD}",
    ],
    "strengths": ["# strengths: {going_well: What is going well., safe_now: What keeps the child safe now.}"],
    "capacity": [
        "# capacity:                            # the carers' response to help, apart from the ratings",
        "#   understanding: understands | partly | not_yet | not_known",
        "#   help_began: YYYY-MM-DD",
        "#   changes: What has changed for the child since help began.",
        "#   timescale: yes | partly | no | not_known   # within the child's timescale?",
        "#   age_considered: How the child's age bears on how long they can wait.",
    ],
    "identity": [
        "# identity:                            # optional, for monitoring only: never scored",
        "#   {ethnicity: As the family describes it, language: English, interpreter_used: false,",
        "#    no_recourse_to_public_funds: false}",
    ],
}


def _world_template(source: ToolSource) -> list[str]:
    tool = source.tool
    if not tool.sections:
        return []
    domains = ", ".join(d.id for d in tool.domains)
    out = ["# The child's world (this tool asks for these):"]
    for section in tool.sections:
        out += [
            line.replace("FIRST-DOMAIN", tool.domains[0].id).replace("DOMAINS", domains)
            for line in _WORLD_TEMPLATE[section]
        ]
    return out
