"""A diff and a trend say the same words and facts in every format: the terminal, Markdown and HTML
renderers all lay out one view model (`render.changes.DiffView` and `TrendView`), as reports lay out
`ReportView`. Every phrase a view holds is found in each format's output."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from helpers import TESTS, Neglect
from neglect_cli.api import diff, trend
from neglect_cli.render.changes import DiffView, TrendView, diff_view, trend_view

FIXTURES = TESTS / "fixtures" / "diff"


def plain(text: str, fmt: str) -> str:
    """Output reduced to its words: tags and Markdown escapes gone, every run of white space one space."""
    if fmt == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    if fmt == "md":
        text = re.sub(r"\\(.)", r"\1", text).replace("**", "")
    return " ".join(text.split())


@pytest.fixture
def records(neglect: Neglect, tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name in ("early-help", "worse", "override", "improved"):
        path = tmp_path / f"{name}.json"
        ran = neglect("assess", "--answers", FIXTURES / f"{name}.yaml", "--out", path, "--format", "json")
        assert ran.exit_code == 0, ran.stderr
        out[name] = path
    return out


def diff_phrases(view: DiffView) -> list[str]:
    phrases = [view.ref, view.apart, view.final, view.disclaimer, *view.warnings]
    phrases += [*view.item_lines, *view.not_comparable]
    phrases += [text for _, text in view.level]
    phrases += [side.assessor for side in view.sides] + [side.tool for side in view.sides]
    phrases += [e.prompt for e in view.escalations] + [d.title for d in view.domains]
    phrases += [f"{o.words}. Rationale: {o.rationale}" for o in view.overrides]
    phrases += [view.items_summary]
    for item in view.items:
        phrases += [item.name, item.change, item.old_rating, item.new_rating]
        phrases += [note for note in (item.old_note, item.new_note) if note]
    phrases += [f"{c.what}" for c in view.context] + [f"{c.old} → {c.new}" for c in view.world]
    if view.provisional:
        phrases.append(view.provisional)
    if view.drift:
        phrases.append(view.drift)
    return [" ".join(p.split()) for p in phrases if p]


@pytest.mark.parametrize("old,new", [("early-help", "worse"), ("early-help", "override"), ("worse", "improved")])
def test_every_format_of_a_diff_says_every_phrase_of_its_view(
    neglect: Neglect, records: dict[str, Path], old: str, new: str
) -> None:
    view = diff_view(diff(records[old], records[new]), show_all=True)
    assert view.items and view.level and view.escalations  # a diff with something to say
    for fmt in ("terminal", "md", "html"):
        html_out = ["--out", "-"] if fmt == "html" else []
        ran = neglect("diff", records[old], records[new], "--all", "--format", fmt, *html_out)
        assert ran.exit_code == 0, ran.stderr
        shown = plain(ran.stdout, fmt)
        missing = [phrase for phrase in diff_phrases(view) if phrase not in shown]
        assert not missing, f"{fmt} leaves out {missing}"


def trend_phrases(view: TrendView, fmt: str) -> list[str]:
    phrases = [view.ref, view.heading, view.disclaimer, *view.warnings, *(s for _, s in view.flags)]
    phrases += [label for label, _ in view.flags]
    phrases += [view.tool or "", view.bands_key or "", view.no_drift or ""]
    for a in view.assessments:
        phrases += [a.assessed_on, a.assessor, a.computed, a.score, a.coverage]
        # a terminal's table wraps "(override from …)" under the band: its words, cell by cell
        phrases += a.final.split() if fmt == "terminal" else [a.final]
    for s in view.series:
        phrases += [s.title, s.scores, s.bands, s.direction_words]
    return [" ".join(p.split()) for p in phrases if p]


def test_every_format_of_a_trend_says_every_phrase_of_its_view(neglect: Neglect, records: dict[str, Path]) -> None:
    paths = [records[name] for name in ("early-help", "worse", "override", "improved")]
    view = trend_view(trend(paths))
    assert view.assessments and view.series
    for fmt in ("terminal", "md", "html"):
        ran = neglect("trend", *paths, "--format", fmt, *(["--out", "-"] if fmt == "html" else []))
        assert ran.exit_code == 0, ran.stderr
        shown = plain(ran.stdout, fmt)
        missing = [phrase for phrase in trend_phrases(view, fmt) if phrase not in shown]
        assert not missing, f"{fmt} leaves out {missing}"
