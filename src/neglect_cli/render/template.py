"""The answers-file skeleton `neglect template` prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..loading import ToolSource


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.strip().splitlines()]


def answers_template(source: ToolSource) -> str:
    """Every context fact and item id with its prompt and the scale as comments."""
    tool = source.tool
    lines = [
        f"# Answers file for {tool.title} ({tool.id} {tool.version}).",
        "# Fill in the values; leave an item out if it was not assessed (it lowers coverage).",
        "# Short form:  item.id: 3      Long form: item.id: {value: 4, evidence: What was seen, by whom, when.}",
        "# Not known:   item.id: {not_known: Why it is not known yet.}",
        "# Scale:",
    ]
    lines += [f"#   {lv.value} = {lv.label}" for lv in tool.scale.levels]
    lines += [
        f"tool: {tool.id}@{tool.version}",
        "case:",
        "  ref: CASE-REF       # a pseudonymous case reference, never a name",
        "  assessed_on: YYYY-MM-DD",
        "  assessor: ",
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
        lines += _comment(fact.question, "  ")
        lines.append(f"  {fact.id}:     # {hint}")
    lines.append("answers:")
    for domain in tool.domains:
        lines.append(f"  # --- {domain.title} ---")
        for item in domain.items:
            lines += _comment(item.prompt, "  ")
            notes = []
            if item.ages is not None:
                top = item.ages.max_months if item.ages.max_months is not None else "…"
                notes.append(f"only for ages {item.ages.min_months}–{top} months")
            if item.evidence_from is not None:
                notes.append(f"evidence needed from {item.evidence_from}")
            for value, text in sorted((item.anchors or {}).items()):
                lines += _comment(f"{value}: {' '.join(text.split())}", "  ")
            suffix = f"     # {'; '.join(notes)}" if notes else ""
            lines.append(f"  # {item.id}: {suffix}".rstrip())
    lines += [
        "# override: {band: BAND-ID, rationale: Why professional judgement differs.}",
        "# bands: " + ", ".join(b.id for b in tool.bands),
        "# child_voice: In the child's own words.",
    ]
    return "\n".join(lines) + "\n"
