"""Reports never let user text become markup, and --redact leaves no free text behind, in every format."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import TESTS, Neglect

HOSTILE = TESTS / "fixtures" / "report" / "hostile.yaml"
MARKERS = (
    "MARKER-EVIDENCE",
    "MARKER-EVIDENCE-TWO",
    "MARKER-REASON",
    "MARKER-CONTEXT",
    "MARKER-VOICE",
    "MARKER-RATIONALE",
    "MARKER-ASSESSOR",
)
FORMATS = ("terminal", "md", "html")


@pytest.fixture
def hostile(neglect: Neglect, tmp_path: Path) -> Path:
    out = tmp_path / "hostile.json"
    ran = neglect("assess", "--answers", HOSTILE, "--partial", "--out", out, "--format", "json")
    assert ran.exit_code == 0, ran.output
    return out


class Elements(HTMLParser):
    """Every element, attribute and piece of text in an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[str] = []
        self.ends: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append(tag)
        self.attributes += attrs

    def handle_endtag(self, tag: str) -> None:
        self.ends.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def test_hostile_text_in_html_renders_as_text_and_adds_no_elements(neglect: Neglect, hostile: Path) -> None:
    ran = neglect("report", hostile, "--format", "html")
    assert ran.exit_code == 0, ran.output
    doc = parse(ran.stdout)
    assert "script" not in doc.starts
    assert "img" not in doc.starts
    assert doc.starts.count("style") == 1  # our own stylesheet only
    assert doc.starts.count("h1") == 1
    assert doc.starts.count("table") == doc.ends.count("table")
    assert doc.starts.count("blockquote") == doc.ends.count("blockquote") == 1
    assert doc.comments == []
    assert not [name for name, _ in doc.attributes if name.startswith("on") or name in ("href", "src", "xlink:href")]
    text = "".join(doc.text)
    for written in (
        "MARKER-EVIDENCE <script>alert('x')</script></table></td> & &amp; **not bold**",
        "<img src=x onerror=alert(1)> MARKER-EVIDENCE-TWO",
        "MARKER-REASON <!-- comment --> <style>body{display:none}</style>",
        "MARKER-RATIONALE </section><h1>forged heading</h1>",
        "MARKER-VOICE </blockquote><script>document.write('x')</script> \"quoted\"",
        "Food bank voucher MARKER-CONTEXT <b>bold</b> | --- |",
        "Assessor MARKER-ASSESSOR",
    ):
        assert written in text, written


def test_html_report_is_self_contained(neglect: Neglect, hostile: Path) -> None:
    html = neglect("report", hostile, "--format", "html").stdout
    doc = parse(html)
    assert not {"script", "link", "img", "iframe", "object", "embed", "a", "base", "form"} & set(doc.starts)
    style = html[html.index("<style>") : html.index("</style>")]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert "default-src 'none'" in html  # a CSP refuses anything external even if escaping ever failed
    assert "@page { size: A4" in style


def test_hostile_text_in_markdown_renders_as_text(neglect: Neglect, hostile: Path) -> None:
    from markdown_it import MarkdownIt

    md = neglect("report", hostile, "--format", "md").stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    flat = [t for token in tokens for t in [token, *(token.children or [])]]
    kinds = {t.type for t in flat}
    assert not kinds & {"html_inline", "html_block", "link_open", "image"}
    assert [t.content for t in tokens if t.type == "inline" and t.content.startswith("Neglect")] == [
        "Neglect assessment — case HOSTILE-001"
    ]
    assert sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1") == 1
    text = " ".join(t.content for t in flat if t.type == "text")
    assert "MARKER-EVIDENCE <script>alert('x')</script></table></td> & &amp; **not bold** [link](" in text
    assert "MARKER-RATIONALE </section><h1>forged heading</h1> # not a heading - not a list" in text
    assert "Food bank voucher MARKER-CONTEXT <b>bold</b> | --- |" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_redact_removes_every_piece_of_free_text(neglect: Neglect, hostile: Path, fmt: str) -> None:
    plain = neglect("report", hostile, "--format", fmt).stdout
    shown = ("MARKER-VOICE", "MARKER-RATIONALE", "MARKER-ASSESSOR") if fmt == "terminal" else MARKERS
    assert all(marker in plain for marker in shown)  # the terminal summary leaves evidence to md and html
    ran = neglect("report", hostile, "--format", fmt, "--redact")
    assert ran.exit_code == 0, ran.output
    for marker in MARKERS:
        assert marker not in ran.output, marker
    assert "[redacted]" in ran.stdout
    assert "HOSTILE-001" in ran.stdout  # the case ref stays
    assert "Level 3 — child in need" in ran.stdout  # the override's band stays, its rationale goes


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_redacted_reports_mark_each_place_text_was_removed(neglect: Neglect, hostile: Path, fmt: str) -> None:
    text = neglect("report", hostile, "--format", fmt, "--redact").stdout
    # two evidence notes, one not-known reason (with its item, and again under "Still not known"), the text
    # context fact, child's voice, rationale, assessor
    assert text.count("[redacted]") == 8


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_record_written_redacted_reports_the_same_as_redacting_at_report_time(
    neglect: Neglect, hostile: Path, tmp_path: Path, fmt: str
) -> None:
    redacted_record = tmp_path / "redacted.json"
    ran = neglect("assess", "--answers", HOSTILE, "--partial", "--redact", "--out", redacted_record, "--format", "json")
    assert ran.exit_code == 0, ran.output
    assert not any(marker in redacted_record.read_text(encoding="utf-8") for marker in MARKERS)
    already = neglect("report", redacted_record, "--format", fmt).stdout
    at_report = neglect("report", hostile, "--format", fmt, "--redact").stdout
    # same content apart from the record's own hash
    sha = json.loads(redacted_record.read_text(encoding="utf-8"))["integrity"]["sha256"]
    other = json.loads(hostile.read_text(encoding="utf-8"))["integrity"]["sha256"]
    assert already.replace(sha, "SHA").replace(sha[:16], "SHA") == at_report.replace(other, "SHA").replace(
        other[:16], "SHA"
    )


@pytest.mark.parametrize("fmt", ["json", "yaml", "md", "terminal"])
def test_assess_redact_leaves_no_free_text_in_what_it_prints(neglect: Neglect, tmp_path: Path, fmt: str) -> None:
    ran = neglect(
        "assess", "--answers", HOSTILE, "--partial", "--redact", "--out", tmp_path / "r.json", "--format", fmt
    )
    assert ran.exit_code == 0, ran.output
    for marker in MARKERS:
        assert marker not in ran.output, marker
