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
            for value, text in sorted((item.anchors or {}).items()):
                lines += _comment(f"{value}: {' '.join(text.split())}", "  ")
            suffix = f"     # {'; '.join(notes)}" if notes else ""
            lines.append(f"  # {item.id}: {suffix}".rstrip())
    lines += [
        f"# override: {{band: {BAND}, rationale: Why professional judgement differs.}}",
        "# bands: " + ", ".join(b.id for b in tool.bands),
        "# child_voice: In the child's own words.",
    ]
    return "\n".join(lines) + "\n"
