"""neglect-core 3.0.0 (issue 14): descriptors rate the child's unmet need alone, at every value; items
keep their ids across versions, and an item that replaced others says so in `formerly`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from helpers import CORE_VERSION, DEFINITIONS, Neglect
from neglect_cli.toolfiles import find_tool, load_tool_file

CORE = find_tool("neglect-core").tool
RETIRED = sorted((DEFINITIONS / "retired").glob("neglect-core-*.yaml"))

# Wording that makes a rating depend on the carers' response to help rather than on the child's need.
RESPONSE_TO_HELP = re.compile(
    r"despite help|after advice|help (is|was|has been) offered|when prompted|even when|do(es)? not act"
    r"|not follow(ed)? advice|advice is accepted|refus|blocking help|with help but",
    re.IGNORECASE,
)


def test_every_neglect_core_item_has_a_descriptor_for_every_value() -> None:
    for item in CORE.items():
        assert item.anchors is not None and sorted(item.anchors) == CORE.scale.values, item.id


def test_no_rating_descriptor_asks_whether_help_was_offered_or_taken_up() -> None:
    for item in CORE.items():
        for value, text in (item.anchors or {}).items():
            found = RESPONSE_TO_HELP.search(text)
            assert found is None, f"{item.id} {value}: {found.group(0) if found else ''}"
    for level in CORE.scale.levels:  # 2.0.0's 3 and 4 asked whether help had led to change
        described = " ".join((level.description or "").split())
        assert "help offered has not" not in described and "with support but" not in described, level.value


def test_a_first_sight_of_a_baby_asleep_on_a_sofa_with_an_intoxicated_adult_is_a_5() -> None:
    safe_sleep = CORE.item("physical.safe_sleep")
    assert safe_sleep is not None and safe_sleep.anchors is not None
    five = " ".join(safe_sleep.anchors[5].split())
    assert "sofa" in five and "alcohol" in five and "One sighting is enough" in five


@pytest.mark.parametrize("retired", RETIRED, ids=lambda p: p.stem)
def test_every_item_of_an_earlier_version_is_kept_or_named_in_formerly(retired: Path) -> None:
    old = load_tool_file(retired).tool
    replaced = {old_id for item in CORE.items() for old_id in item.formerly or []}
    for item in old.items():
        assert CORE.item(item.id) is not None or item.id in replaced, f"{item.id} of {old.version} went silently"


def test_the_split_and_the_rename_of_3_0_0_are_recorded() -> None:
    sleep, settled = CORE.item("physical.sleep_routine"), CORE.item("physical.settled_home")
    assert sleep is not None and settled is not None
    assert sleep.formerly == ["physical.sleep"] and settled.formerly == ["physical.sleep"]
    learning = CORE.item("educational.learning_or_work")
    assert learning is not None and learning.formerly == ["educational.neet"]
    assert CORE.item("physical.sleep") is None and CORE.item("educational.neet") is None


def test_the_shipped_tool_validates_with_its_formerly_ids_checked_against_retired_versions(neglect: Neglect) -> None:
    ran = neglect("tools", "validate", DEFINITIONS / "neglect-core.yaml")
    assert ran.exit_code == 0, ran.stderr
    assert f"valid (neglect-core@{CORE_VERSION})" in ran.stdout


def test_a_formerly_id_no_earlier_version_had_is_refused_with_its_line(neglect: Neglect, tmp_path: Path) -> None:
    tool = yaml.safe_load((DEFINITIONS / "neglect-core.yaml").read_text(encoding="utf-8"))
    tool["version"] = "9.0.0"
    item = tool["domains"][0]["items"][0]
    item["formerly"] = ["physical.supervison"]  # a typo: no earlier version has it
    item["id"] = "physical.supervision_and_care"  # so that physical.supervision is replaced, but misnamed
    for rule in tool["escalations"]:
        _rename_in(rule, "physical.supervision", "physical.supervision_and_care")
    path = tmp_path / "core-9.yaml"
    path.write_text(yaml.safe_dump(tool, sort_keys=False, allow_unicode=True), encoding="utf-8")
    ran = neglect("tools", "validate", path)
    assert ran.exit_code == 2
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "physical.supervison" in text)
    assert f"core-9.yaml:{line}:" in ran.stderr
    said = " ".join(ran.stderr.split())
    assert "'physical.supervison' is not an item of any earlier version of neglect-core" in said
    assert "(1.0.0, 1.1.0, 2.0.0, 2.1.0, 3.0.0, 3.1.0, 3.2.0, 3.3.0, 3.4.0)" in said


def test_formerly_ids_are_taken_on_trust_when_no_earlier_version_is_found(neglect: Neglect, tmp_path: Path) -> None:
    tool = yaml.safe_load((DEFINITIONS / "neglect-core.yaml").read_text(encoding="utf-8"))
    tool["id"] = "local-neglect"  # a tool of its own, with no earlier version anywhere here
    path = tmp_path / "local.yaml"
    path.write_text(yaml.safe_dump(tool, sort_keys=False, allow_unicode=True), encoding="utf-8")
    ran = neglect("tools", "validate", path)
    assert ran.exit_code == 0, ran.stderr


def test_records_of_2_x_still_find_their_tool_by_exact_version() -> None:
    names = {p.name for p in RETIRED}
    assert {f"neglect-core-{v}.yaml" for v in ("1.0.0", "1.1.0", "2.0.0", "2.1.0")} <= names
    for version in ("2.0.0", "2.1.0"):
        old = find_tool(f"neglect-core@{version}")
        assert old.tool.version == version and old.tool.item("physical.sleep") is not None


def _rename_in(node: object, old: str, new: str) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if value == old:
                node[key] = new
            else:
                _rename_in(value, old, new)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if value == old:
                node[i] = new
            else:
                _rename_in(value, old, new)


def test_difficulties_at_school_3_and_4_rate_what_home_is_not_giving_not_the_child_s_needs_alone() -> None:
    """neglect-core 3.2.0 (review 5, finding 7): a child's special needs or being bullied are not rated as
    neglect; 3 and 4 name what the child goes without from home, and a service's gap is still not neglect."""
    item = CORE.item("educational.home_school")
    assert item is not None and item.anchors is not None and item.guidance is not None
    home = {
        3: ("getting there on time", "the setting can reach", "phone credit", "learning at home"),
        4: ("not got there", "cannot reach anyone at home", "learning at home", "special need or disability"),
    }
    for value, missing in home.items():
        said = " ".join(item.anchors[value].split())
        assert "from home" in said and "is missing" in said, value
        assert all(words in said for words in missing), value
    guidance = " ".join(item.guidance.split())
    assert "not neglect on their own" in guidance
    assert "the gap lies with a service (a waiting list, an assessment delayed, no dentist), this is not" in guidance


def test_a_service_s_delay_is_not_rated_as_the_child_s_unmet_need_at_home() -> None:
    """neglect-core 3.2.0 (review 6, 2.1-2.2): special needs 2 takes a waiting list the carers are chasing, or a gap
    that lies with a service; 3 and 4 rate what is not done at home. Help with difficulties at school 1 and 2 rate
    what home gives, whether or not the child is settled at the setting."""
    send = CORE.item("educational.send")
    school = CORE.item("educational.home_school")
    assert send is not None and send.anchors is not None and school is not None and school.anchors is not None
    said = {value: " ".join(text.split()) for value, text in send.anchors.items()}
    assert "waiting list and the carers are chasing it" in said[2] and "the gap lies with a service" in said[2]
    assert "only partly met at home" in said[3] and "not followed up by the carers" in said[3]
    assert "largely unmet at home" in said[4]
    assert "delayed or missing" not in said[3]
    first = " ".join(school.anchors[1].split())
    assert "in place" in first and "whether or not the child is settled there" in first
    assert "now in place" in " ".join(school.anchors[2].split())
