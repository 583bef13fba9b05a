"""Record hashes cover RFC 8785 canonical JSON. The fast path must give exactly the bytes (and the errors)
of the reference implementation, or every record written before would stop verifying."""

from __future__ import annotations

import json

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import TESTS
from neglect_cli.record import canonical

AWKWARD_FLOATS = [0.0, -0.0, 1e-4, 9.999e-5, 1e-7, 1e15 + 0.5, 1e16, 2.0**53, 2.0**53 + 2, 1e21, 5e-324, 1 / 3, 2.5]
AWKWARD_TEXT = ['"', "\\", "\n", "\x00", "\x1f", "\x7f", "é", "\u2028", "\ue000", "\uffff", "😀", "\ud800"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats()
    | st.sampled_from(AWKWARD_FLOATS)
    | st.text(alphabet=st.sampled_from(AWKWARD_TEXT) | st.characters(), max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(alphabet=st.sampled_from(AWKWARD_TEXT) | st.characters(), max_size=4), inner, max_size=4
        )
    ),
    max_leaves=20,
)


def outcome(dumps: object, value: object) -> bytes | str:
    try:
        return dumps(value)  # type: ignore[operator, no-any-return]
    except Exception as exc:  # noqa: BLE001 - the error type is part of what must match
        return type(exc).__name__


@settings(max_examples=400, deadline=None)
@given(values)
def test_canonical_json_is_byte_for_byte_rfc8785(value: object) -> None:
    assert outcome(canonical, value) == outcome(rfc8785.dumps, value)


def test_a_real_record_body_canonicalises_as_the_reference_does() -> None:
    record = json.loads((TESTS / "bad_inputs" / "good" / "record.json").read_text(encoding="utf-8"))
    record.pop("integrity")
    assert canonical(record) == rfc8785.dumps(record)
