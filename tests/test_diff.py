"""`neglect diff`: what a supervisor sees changed between two assessments of one child."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import CASES, CORE_VERSION, DEFINITIONS, TESTS, Neglect

FIXTURES = TESTS / "fixtures" / "diff"


def documented(key: str, text: str) -> bool:
    """The key is named inside some `code span` of the text."""
    return re.search(rf"`[^`]*(?<![\w-]){re.escape(key)}(?![\w-])[^`]*`", text) is not None


def words(text: str) -> str:
    """Text with runs of spaces and line breaks folded, so checks do not depend on layout or width."""
    return " ".join(text.split())


def assessed(neglect: Neglect, answers: Path, out: Path) -> Path:
    """Score an answers file into a record, as a trainer would."""
    ran = neglect("assess", "--answers", answers, "--out", out, "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    return out


@pytest.fixture
def record(neglect: Neglect, tmp_path: Path):  # type: ignore[no-untyped-def]
    """record("early-help") -> path of a record built from tests/fixtures/diff/early-help.yaml."""

    def build(name: str) -> Path:
        path = tmp_path / f"{name}.json"
        return path if path.exists() else assessed(neglect, FIXTURES / f"{name}.yaml", path)

    return build


def diff_json(neglect: Neglect, old: Path, new: Path, *extra: str) -> dict[str, Any]:
    ran = neglect("diff", old, new, "--format", "json", *extra)
    assert ran.exit_code == 0, ran.stderr
    data: dict[str, Any] = json.loads(ran.stdout)
    return data


def test_a_record_diffed_with_itself_has_no_changes_and_exit_code_0(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    a = record("early-help")
    ran = neglect("diff", a, a, "--exit-code")
    assert ran.exit_code == 0
    assert "Level of need: UNCHANGED" in words(ran.stdout)
    assert "Nothing in the assessment changed" in words(ran.stdout)


def test_two_different_assessments_exit_1_with_exit_code_and_0_without(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    old, new = record("early-help"), record("improved")
    assert neglect("diff", old, new, "--exit-code").exit_code == 1
    assert neglect("diff", old, new).exit_code == 0


def test_improvement_is_said_in_words_with_bands_old_to_new(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    ran = neglect("diff", record("early-help"), record("improved"))
    assert "Level of need: IMPROVED Level 2 — early help → Level 1 — universal" in words(ran.stdout)
    assert "final band Level 2 — early help → Level 1 — universal" in words(ran.stdout)
    # the domain table shows ids, with a key to the labels under it
    assert "Bands: level-1 = Level 1 — universal; level-2 = Level 2 — early help" in words(ran.stdout)
    assert "score 2.00 → 1.00 (-1.00)" in words(ran.stdout)
    assert "not known → answered" in words(ran.stdout)  # emotional.warmth was not known, now rated


def test_json_carries_band_changes_per_domain(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    data = diff_json(neglect, record("early-help"), record("improved"))
    assert data["schema"] == "neglect-diff/1"
    assert data["overall"]["band"] == {"old": "level-2", "new": "level-1", "changed": True, "direction": "improved"}
    bands = {d["id"]: (d["band"]["old"], d["band"]["new"], d["direction"]) for d in data["domains"]}
    assert bands == {
        domain: ("level-2", "level-1", "improved") for domain in ("physical", "emotional", "educational", "medical")
    }
    assert data["days_elapsed"] == 70
    assert data["changed"] is True


def test_worsening_shows_the_escalation_that_appeared_and_both_evidence_notes(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    old, new = record("early-help"), record("worse")
    ran = neglect("diff", old, new)
    assert "Level of need: WORSENED Level 2 — early help → Level 4 — child protection" in words(ran.stdout)
    raised = "after escalation Level 2 — early help → Level 4 — child protection (raised by red-flag-immediate)"
    assert raised in words(ran.stdout)
    assert "computed Level 2 — early help after escalation" in words(ran.stdout)
    assert "appeared" in words(ran.stdout) and "red-flag-immediate" in words(ran.stdout)
    assert "physical.supervision" in words(ran.stdout) and "Left alone overnight" in words(ran.stdout)

    data = diff_json(neglect, old, new)
    esc = data["escalations"]
    assert "red-flag-immediate" in [e["id"] for e in esc["appeared"]]
    assert esc["cleared"] == []
    assert [e["id"] for e in esc["persisted"]] == ["child-seen-not-recorded"]  # neither record says
    item = next(i for i in data["items"] if i["item"] == "physical.supervision")
    assert item["change"] == "value"
    assert (item["old"]["value"], item["new"]["value"]) == (2, 5)
    assert item["new"]["evidence"].startswith("Left alone overnight")


def test_unchanged_band_after_the_review_period_is_flagged_as_drift(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    old, new = record("early-help"), record("unchanged-later")
    ran = neglect("diff", old, new)
    same = "Level of need: UNCHANGED Level 2 — early help final band Level 2 — early help score 2.00 → 2.00"
    assert same in words(ran.stdout)
    assert "DRIFT" in words(ran.stdout)
    assert "longer than the 12-week review period for Level 2 — early help" in words(ran.stdout)
    assert "Discuss drift and delay in supervision" in words(ran.stdout)

    drift = diff_json(neglect, old, new)["drift"]
    assert drift["flagged"] is True and drift["days_elapsed"] == 112 and drift["review_weeks"] == 12


def test_review_exactly_at_the_review_period_is_not_drift(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    # 2026-01-12 to 2026-04-06 is 84 days: exactly the 12 weeks level-2 allows.
    drift = diff_json(neglect, record("early-help"), record("worse"))["drift"]
    assert drift["days_elapsed"] == 84
    assert drift["flagged"] is False


def test_an_improvement_is_never_drift(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    # level-4 asks for review within 4 weeks; 17 weeks later the level is lower
    drift = diff_json(neglect, record("worse"), record("relapse"))["drift"]
    assert drift["days_elapsed"] > 4 * 7 and drift["flagged"] is False


def test_only_changed_items_by_default_and_every_item_with_all(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    old, new = record("early-help"), record("worse")
    default = neglect("diff", old, new).stdout
    everything = neglect("diff", old, new, "--all").stdout
    assert "physical.supervision" in default and "medical.dental" not in default
    assert "medical.dental" in everything
    assert "--all shows every item" in default


def test_overrides_are_shown_with_both_levels_who_agreed_and_their_rationale(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    old, new = record("worse"), record("override")
    ran = neglect("diff", old, new)
    lowered = "NEW level LOWERED by override from Level 4 — child protection to Level 3 — child in need"
    assert lowered + ", agreed by A. Manager on 2026-04-06" in words(ran.stdout)
    md = neglect("diff", old, new, "--format", "md")
    assert "**level LOWERED by override from Level 4 — child protection to Level 3 — child in need" in md.stdout
    assert "grandmother now stays every night" in words(ran.stdout)
    data = diff_json(neglect, old, new)
    assert data["overrides"]["old"] is None
    assert data["overrides"]["new"]["band"] == "level-3"
    assert data["overall"]["escalated_band"]["changed"] is False
    assert data["overall"]["band"]["direction"] == "improved"


def test_different_cases_are_refused_naming_both_refs(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    ran = neglect("diff", record("early-help"), record("other-case"))
    assert ran.exit_code == 2
    assert "DIFF-001" in ran.stderr and "DIFF-002" in ran.stderr and "--mixed-cases" in ran.stderr
    assert ran.stdout == ""


def test_different_cases_with_mixed_cases_are_diffed_under_a_loud_warning(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    ran = neglect("diff", record("early-help"), record("other-case"), "--mixed-cases")
    assert ran.exit_code == 0
    assert "WARNING" in words(ran.stdout) and "different cases" in words(ran.stdout)
    data = diff_json(neglect, record("early-help"), record("other-case"), "--mixed-cases")
    assert data["same_case"] is False
    assert any("different cases" in w for w in data["warnings"])


def test_a_tampered_record_is_diffed_under_an_integrity_warning(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    old, new = record("early-help"), record("worse")
    text = new.read_text(encoding="utf-8")
    new.write_text(text.replace("Left alone overnight", "Left alone overnighT"), encoding="utf-8")
    ran = neglect("diff", old, new)
    assert ran.exit_code == 0
    assert "failed its checks (neglect verify)" in words(ran.stdout)
    data = diff_json(neglect, old, new)
    assert data["new"]["integrity_ok"] is False and data["old"]["integrity_ok"] is True
    assert any("integrity" in w for w in data["warnings"])


def test_a_file_that_is_not_a_record_is_exit_2(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    ran = neglect("diff", record("early-help"), FIXTURES / "improved.yaml")
    assert ran.exit_code == 2
    assert "error" in ran.stderr


def _tool_copy(folder: Path, **changes: object) -> Path:
    tool = yaml.safe_load((DEFINITIONS / "neglect-core.yaml").read_text(encoding="utf-8"))
    tool.update(changes)
    folder.mkdir()
    path = folder / "tool.yaml"
    path.write_text(yaml.safe_dump(tool, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _use_tools(monkeypatch: pytest.MonkeyPatch, folder: Path | None) -> None:
    from neglect_cli import toolfiles

    if folder is None:
        monkeypatch.delenv("NEGLECT_TOOLS_PATH", raising=False)
    else:
        monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(folder))
    toolfiles.clear_tool_cache()
    toolfiles.load_tool_file.cache_clear()


def test_different_tool_versions_warn_and_list_items_added_and_removed(
    neglect: Neglect, record: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = record("early-help")
    # version 9.1.0 renames medical.conditions to medical.long_term_conditions, without saying so in formerly
    text = (DEFINITIONS / "neglect-core.yaml").read_text(encoding="utf-8")
    tool = yaml.safe_load(text.replace("medical.conditions", "medical.long_term_conditions"))  # rules follow it
    _tool_copy(tmp_path / "tools", version="9.1.0", domains=tool["domains"], escalations=tool["escalations"])
    answers = yaml.safe_load((FIXTURES / "improved.yaml").read_text(encoding="utf-8"))
    answers["answers"]["medical.long_term_conditions"] = answers["answers"].pop("medical.conditions")
    (tmp_path / "improved-1.2.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    _use_tools(monkeypatch, tmp_path / "tools")
    new = assessed(neglect, tmp_path / "improved-1.2.yaml", tmp_path / "new.json")

    ran = neglect("diff", old, new)
    assert ran.exit_code == 0
    assert f"the tool version changed: OLD neglect-core {CORE_VERSION}, NEW 9.1.0" in words(ran.stdout)
    assert "Items new in neglect-core 9.1.0: medical.long_term_conditions" in words(ran.stdout)
    assert "Items no longer in neglect-core 9.1.0: medical.conditions" in words(ran.stdout)
    data = diff_json(neglect, old, new)
    assert data["same_tool"] is False
    assert data["items_added"] == ["medical.long_term_conditions"]
    assert data["items_removed"] == ["medical.conditions"]
    assert data["overall"]["band"]["direction"] == "improved"


def test_without_the_tool_bands_are_compared_by_score(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tool_copy(tmp_path / "tools", id="local-core")
    for name in ("early-help", "worse"):
        answers = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
        answers["tool"] = "local-core"
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    _use_tools(monkeypatch, tmp_path / "tools")
    old = assessed(neglect, tmp_path / "early-help.yaml", tmp_path / "old.json")
    new = assessed(neglect, tmp_path / "worse.yaml", tmp_path / "new.json")
    _use_tools(monkeypatch, None)

    data = diff_json(neglect, old, new)
    assert data["band_order"]["source"] == "score"
    assert data["overall"]["direction"] == "worsened"  # score 2.00 -> 2.43
    assert data["drift"]["flagged"] is None  # no review period known without the tool
    assert any("compared by score" in w for w in data["warnings"])
    shown = words(neglect("diff", old, new).stdout)
    assert "Level of need: WORSENED level-2 → level-4" in shown  # without the tool, bands go by their ids
    assert "Bands:" not in shown  # and there is no key to give


def test_markdown_is_a_supervision_note(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    ran = neglect("diff", record("early-help"), record("unchanged-later"), "--format", "md")
    assert ran.exit_code == 0
    assert ran.stdout.startswith("# Changes for case DIFF-001: 2026-01-12 to 2026-05-04")
    assert "> **Drift:**" in words(ran.stdout)
    assert "| Domain | Score | Change | Band | Direction |" in words(ran.stdout)


def test_piped_output_fits_80_columns(neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    old = assessed(neglect, CASES / "10b-drift-second-review.yaml", tmp_path / "b.json")
    new = assessed(neglect, CASES / "10d-relapse-fourth-review.yaml", tmp_path / "c.json")
    ran = neglect("diff", old, new, "--all")
    assert ran.exit_code == 0
    too_long = [line for line in ran.stdout.splitlines() if len(line) > 80]
    assert too_long == []
    assert "\x1b[" not in ran.stdout


def test_trainer_review_with_no_better_level_after_17_weeks_is_drift(neglect: Neglect, tmp_path: Path) -> None:
    old = assessed(neglect, CASES / "10a-drift-first-review.yaml", tmp_path / "a.json")
    new = assessed(neglect, CASES / "10b-drift-second-review.yaml", tmp_path / "b.json")
    data = diff_json(neglect, old, new)
    assert data["days_elapsed"] == 119
    assert data["overall"]["band"]["direction"] == "worsened"  # early help for 17 weeks, and needs grew
    assert "persistent-concern" in [e["id"] for e in data["escalations"]["appeared"]]
    assert data["context"][0]["id"] == "age_months"


def test_readme_documents_every_key_of_the_diff_json(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For supervisors: diff and trend") :]
    data = diff_json(neglect, record("early-help"), record("worse"))
    missing = [key for key in data if not documented(key, section)]
    missing += [f"overall.{key}" for key in data["overall"] if not documented(key, section)]
    missing += [f"items[].{key}" for key in data["items"][0] if not documented(key, section)]
    missing += [f"drift.{key}" for key in data["drift"] if not documented(key, section)]
    assert missing == []


def test_help_lists_the_supervisor_options(neglect: Neglect) -> None:
    ran = neglect("diff", "--help")
    assert ran.exit_code == 0
    assert "--exit-code" in words(ran.stdout) and "--all" in words(ran.stdout) and "--mixed-cases" in words(ran.stdout)


def test_the_same_answers_recorded_again_later_is_no_change(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = assessed(neglect, FIXTURES / "early-help.yaml", tmp_path / "first.json")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 25, tzinfo=dt.UTC).timestamp())))
    again = assessed(neglect, FIXTURES / "early-help.yaml", tmp_path / "again.json")
    assert first.read_text(encoding="utf-8") != again.read_text(encoding="utf-8")  # created_at differs
    assert neglect("diff", first, again, "--exit-code").exit_code == 0


def test_records_given_newest_first_are_compared_under_a_warning(neglect: Neglect, record) -> None:  # type: ignore[no-untyped-def]
    data = diff_json(neglect, record("improved"), record("early-help"))
    assert data["days_elapsed"] == -70
    assert any("runs backwards" in w for w in data["warnings"])
    assert data["overall"]["direction"] == "worsened"


def test_a_redacted_record_shows_no_evidence_and_says_so(neglect: Neglect, tmp_path: Path, record) -> None:  # type: ignore[no-untyped-def]
    ran = neglect("assess", "--answers", FIXTURES / "worse.yaml", "--out", tmp_path / "r.json", "--redact")
    assert ran.exit_code == 0, ran.stderr
    shown = neglect("diff", record("early-help"), tmp_path / "r.json")
    assert "Left alone" not in shown.stdout
    assert "is redacted" in words(shown.stdout)


def test_an_item_that_stops_not_applying_is_named_in_words_with_its_reason(
    neglect: Neglect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """county-a answers health.condition "does not apply"; county-b "not known" (tool format 2)."""
    other = TESTS / "fixtures" / "other_tools" / "later_formats"
    monkeypatch.setenv("NEGLECT_TOOLS_PATH", str(other / "tools"))
    old = assessed(neglect, other / "answers" / "county-a.yaml", tmp_path / "a.json")
    new = assessed(neglect, other / "answers" / "county-b.yaml", tmp_path / "b.json")
    for fmt in ("terminal", "md", "html"):
        ran = neglect("diff", old, new, "--format", fmt)
        assert ran.exit_code == 0, ran.output
        shown = words(ran.stdout)
        assert "does_not_apply" not in shown
        assert "does not apply to this child → not known" in shown.replace("&rarr;", "→")
        assert "No condition known ZQXJ." in shown  # the reason, as the reason for "not known" is shown
