"""YAML is read by a fast one-pass builder, with the careful path (compose, check, construct) for anything
unusual: both must give the same data and the same field positions, and every refusal stays the careful one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers import DEFINITIONS, TESTS
from neglect_cli import loading
from neglect_cli.errors import UserError

FILES = sorted(p for p in [*DEFINITIONS.rglob("*.yaml"), *TESTS.rglob("*.yaml"), *TESTS.rglob("*.yml")] if p.is_file())

PLAIN = {
    "every scalar type": b"a: 1\nb: 0x1F\nc: 1_000\nd: 017\ne: +3\nf: -0\ng: 1:30\nh: 3.5\ni: .inf\n"
    b"j: .NaN\nk: yes\nl: No\nm: ~\nn: null\no: 2024-01-02\np: 2024-01-02 10:00:00\nq: ''\nr:\ns: '3'\n",
    "keys that are not text": b"1: one\n2.5: two\ntrue: three\n~: four\n2024-01-02: five\n",
    "nesting in both styles": b"a: [1, [2, {b: c}]]\nd:\n  - e: [f]\n  - - g\n    - h\n",
    "explicit scalar tags": b"a: !!str 3\nb: !!int '4'\nc: !!float 1\n",
    "a bare scalar": b"just text\n",
    "an empty document": b"---\n...\n",
}

CAREFUL = {
    "an anchor and alias": b"a: &x 1\nb: *x\n",
    "a duplicate key": b"a: 1\n'a': 2\n",
    "a merge key": b"a: {b: 1}\n<<: {c: 2}\n",
    "two documents": b"a: 1\n---\nb: 2\n",
    "no document": b"# only a comment\n",
    "a tag on a collection": b"a: !!set {x, y}\n",
    "a binary scalar": b"a: !!binary aGVsbG8=\n",
    "an unknown tag": b"a: !thing 3\n",
    "a date that does not exist": b"a: 2024-02-30\n",
    "a syntax error": b"a: [1, 2\n",
    "a key that is a list": b"? [a]\n: x\n",
    "deep nesting": b"a:\n" + b"".join(b"  " * i + b"- \n" for i in range(60)),
}


def careful(data: bytes, name: str) -> loading.Document:
    return loading._careful_document(data, loading.decode(data, name), name)


def outcome(read: object, data: bytes, name: str) -> tuple[object, ...]:
    try:
        doc = read(data, name)  # type: ignore[operator]
    except UserError as exc:
        return ("refused", str(exc))
    return ("read", repr(doc.data), sorted(doc.positions().items()))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTS.parent)))
def test_every_shipped_and_test_file_reads_the_same_both_ways(path: Path) -> None:
    data = path.read_bytes()
    assert outcome(loading.parse_yaml, data, path.name) == outcome(careful, data, path.name)


@pytest.mark.parametrize("name", PLAIN)
def test_plain_yaml_takes_the_fast_path_and_matches_the_careful_one(name: str) -> None:
    data = PLAIN[name]
    assert loading._plain_document(data.decode(), data, name) is not None
    assert outcome(loading.parse_yaml, data, name) == outcome(careful, data, name)


@pytest.mark.parametrize("name", CAREFUL)
def test_anything_unusual_is_left_to_the_careful_path(name: str) -> None:
    data = CAREFUL[name]
    assert loading._plain_document(data.decode(), data, name) is None
    assert outcome(loading.parse_yaml, data, name) == outcome(careful, data, name)


def test_a_message_after_the_fast_path_still_names_the_line() -> None:
    doc = loading.parse_yaml(b"case:\n  ref: A-1\nanswers:\n  physical.food: 7\n", "answers.yaml")
    assert doc.locate(("answers", "physical.food")) == (4, 3)
    assert doc.raw_scalar(("answers", "physical.food")) == "7"


# The refusals that guard against hostile files, by their message in the bad-input corpus.
HOSTILE_MESSAGES = ("anchors (&name / *name)", "duplicate key", "merge keys", "nested more than")
CORPUS = TESTS / "bad_inputs"
HOSTILE_CORPUS = [
    pytest.param(CORPUS / kind / name, spec["message"], id=f"{kind}/{name}")
    for kind, specs in yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8")).items()
    for name, spec in specs.items()
    if name.endswith(".yaml") and any(m in spec["message"] for m in HOSTILE_MESSAGES)
]


def test_the_corpus_has_every_kind_of_hostile_file() -> None:
    found = {m for _, message, *_ in (p.values for p in HOSTILE_CORPUS) for m in HOSTILE_MESSAGES if m in str(message)}
    assert found == set(HOSTILE_MESSAGES)


@pytest.mark.parametrize(("path", "message"), HOSTILE_CORPUS)
def test_the_fast_path_builds_nothing_from_a_hostile_file(path: Path, message: str) -> None:
    """Aliases (and so alias bombs), duplicate and merge keys and deep nesting: the fast path stops at the
    first sign and the careful path refuses the file with its message and line, as it always did."""
    data = path.read_bytes()
    assert loading._plain_document(data.decode(), data, path.name) is None
    with pytest.raises(UserError) as refused:
        loading.parse_yaml(data, path.name)
    assert message in str(refused.value)


def test_the_size_limit_comes_before_any_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" + b"# padding\n" * 110_000)
    with pytest.raises(UserError, match="larger than 1024 KiB"):
        loading.read_document(path)
