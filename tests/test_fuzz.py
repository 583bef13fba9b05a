"""Generated YAML and JSON thrown at the tool, answers and record loaders: only valid results or clean
`UserError`s come out; generated hostile text is refused at the door or never reaches any output raw
(see tests/fuzzing.py; tools/fuzz.py runs the same with a longer budget)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from helpers.fuzzing import TARGETS, environment

BUDGET = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@pytest.fixture(autouse=True)
def fuzz_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in environment().items():
        monkeypatch.setenv(key, value)


#: A render example draws two records eleven ways: fewer of them keep the suite quick (tools/fuzz.py runs more).
EXAMPLES = {"render": 40}
CASES = [(target, kind) for target, (_, strategies) in TARGETS.items() for kind in strategies]


@pytest.mark.parametrize(("target", "kind"), CASES, ids=[f"{t}-{k.replace(' ', '-')}" for t, k in CASES])
def test_loader_gives_a_valid_result_or_a_clean_error(target: str, kind: str) -> None:
    check, strategies = TARGETS[target]

    @settings(BUDGET, max_examples=EXAMPLES.get(target, BUDGET.max_examples))
    @given(strategies[kind])
    def run(data: bytes) -> None:
        check(data)

    run()
