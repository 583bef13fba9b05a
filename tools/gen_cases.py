"""Generate realistic, reproducible answers files for `neglect score` benchmarks.

    python tools/gen_cases.py N OUTDIR [--seed S] [--tool neglect-core]

Writes OUTDIR/GEN-000001.yaml ... GEN-<N>.yaml. The items, their age ranges,
`evidence_from` thresholds and the context facts come from the tool itself, so
the files stay valid when the tool changes. Each case is drawn from its own
seeded generator: case 42 is the same file whatever N is. The children, notes
and quotes are invented; case refs are pseudonymous (GEN-000042).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]

# Phrases are combined at random into evidence notes that read like a practitioner's.
SEEN = [
    "Seen on a home visit",
    "Noted at an unannounced visit",
    "School report",
    "Health visitor reports",
    "Nursery staff describe",
    "GP letter notes",
    "Observed during contact at the office",
    "The child told me when seen alone",
    "Police notification records",
    "Mother's own account is",
    "Father's own account is",
]
WHAT = {
    "physical": [
        "little food in the house and the fridge empty apart from milk",
        "the child left at home without an adult for part of the evening",
        "unsafe sleeping arrangements with the baby in the parents' bed after drinking",
        "medicines and cleaning products within the child's reach",
        "the same unwashed clothes for several days",
        "no working heating in the child's bedroom",
        "the child out in the park after dark with no adult knowing where",
        "nappy rash and a baby left in a soiled nappy for hours",
        "no bedtime routine, the child up past midnight on school nights",
        "dog mess on the floor of the room the child plays in",
    ],
    "emotional": [
        "carers rarely speak warmly to the child and do not comfort them when upset",
        "the child is watchful and startles at raised voices",
        "the baby's cues are missed; the bottle is propped and left",
        "the child looks after younger siblings most evenings",
        "shouting between the adults most weekends, the child present",
        "no play or talk with the toddler during a two-hour visit",
        "the child says nobody notices when they are sad",
        "rules change from day to day depending on the parent's mood",
    ],
    "educational": [
        "attendance below 85% this term with absences not explained",
        "the child often arrives late and without a reading book",
        "carers do not reply to school letters or come to meetings",
        "the early years place offered was not taken up",
        "the young person has not been in education or training since the summer",
        "agreed support for special educational needs has not been followed up at home",
        "the child starts reception with very little speech for their age",
    ],
    "medical": [
        "the child was not brought to three hospital appointments",
        "immunisations are two doses behind with no reason given",
        "visible tooth decay and no dentist registered",
        "an ear infection left untreated for over a week",
        "asthma inhaler not renewed since the spring",
        "the two-year review was missed twice and not rebooked",
        "the young person's self-harm was not followed up with the GP",
    ],
}
WHEN = [
    "on two visits in the last month",
    "on three occasions since the last review",
    "this term",
    "at every visit since the referral",
    "on one occasion, and the carer put it right the same week",
    "for several weeks, with short periods of improvement",
    "throughout the assessment",
]
LOW_EVIDENCE = [
    "No concerns raised by school or health.",
    "Carers describe a clear routine; seen to be followed at the visit.",
    "Some gaps, put right by the carers after advice.",
    "Occasional lapses; no harm seen.",
]
NOT_KNOWN = [
    "Child not yet seen alone.",
    "School have not yet replied to the request for information.",
    "Health records requested, not yet received.",
    "Not observed: the family cancelled the planned visit.",
    "Carers declined to discuss this; to follow up with the health visitor.",
]
CHILD_VOICE = [
    "I like it when Nan picks me up because she makes tea.",
    "Mum is tired a lot. I make my own breakfast.",
    "I don't like it when they shout. I go in my room.",
    "School is fine. I get free dinners and they are nice.",
    "Nobody is up when I go to school.",
    "I'm fine. I don't want to talk about home.",
    "I want my dad to stop drinking.",
]
SUPPORT = [
    "Referred to the food bank and a benefits check; family used the food bank twice.",
    "Help with a grant for beds offered; not taken up yet.",
    "Fuel vouchers arranged; housing officer contacted about damp.",
    "Family support worker offered weekly visits; two of four kept.",
]
RATIONALE = [
    "Recent improvements are not yet sustained; level kept higher until the next review.",
    "A supportive grandparent now lives in; supervision agrees a lower level with a review in six weeks.",
    "The scores understate the risk from the adults' drinking seen at night.",
]


def load_tool(name: str) -> Any:
    try:
        from neglect_cli.toolfiles import find_tool
    except ImportError:  # run from a clone without the package installed
        sys.path.insert(0, str(ROOT / "src"))
        from neglect_cli.toolfiles import find_tool

    return find_tool(name).tool


def applicable(item: Any, age: int) -> bool:
    return item.ages is None or item.ages.covers(age)


def draw_age(rng: random.Random) -> int:
    """Ages spread so that every age-specific item appears: babies, under-fives, school age, teenagers."""
    low, high = rng.choice([(0, 12), (12, 24), (24, 59), (60, 143), (144, 216)])
    return rng.randint(low, high)


def evidence(rng: random.Random, domain: str, value: int) -> str:
    if value <= 2:
        return rng.choice(LOW_EVIDENCE)
    phrase = rng.choice(WHAT.get(domain) or WHAT["physical"])
    return f"{rng.choice(SEEN)}: {phrase}, {rng.choice(WHEN)}."


def context_value(rng: random.Random, fact: Any, age: int, concern: float) -> Any:
    """A value of the fact's type; worrying values (later choices, "yes") are likelier when concern is high."""
    worry = (concern - 1) / 4  # 0 (needs met) .. 0.75
    if fact.id == "age_months":
        return age
    if fact.type == "integer":
        low = fact.min or 0
        high = fact.max if fact.max is not None else low + 36
        if fact.id == "concern_duration_months":
            high = min(high, max(age, low))
        # small counts are common, large ones rare
        return min(high, low + int(rng.expovariate(1.0 / (1 + 8 * worry))))
    if fact.type == "choice":
        choices = fact.choices or []
        weights = [(1 - worry) ** (len(choices) - 1 - i) * (worry + 0.1) ** i for i in range(len(choices))]
        return rng.choices(choices, weights)[0]
    if fact.type == "multichoice":
        return [c for c in fact.choices or [] if rng.random() < 0.05 + 0.4 * worry]
    if fact.type == "boolean":
        return rng.random() < 0.1 + 0.5 * worry
    if fact.type == "date":
        return dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
    return rng.choice(SUPPORT)


def make_case(tool: Any, index: int, seed: int) -> dict[str, Any]:
    """One answers file as data: context, ratings drawn around a per-domain level of concern."""
    from neglect_cli.scoring import fact_asked  # after load_tool has found the package

    rng = random.Random(f"{seed}:{index}")
    age = draw_age(rng)
    concern = rng.choice([1.0, 1.2, 1.5, 1.8, 2.2, 2.6, 3.2, 3.8])
    context: dict[str, Any] = {}
    for fact in tool.context:
        if fact.required or rng.random() < 0.8:
            value = context_value(rng, fact, age, concern)
            if fact_asked(fact, context):  # drawn either way, so that the other values stay as they were
                context[fact.id] = value
    skip_rate = 0.5 if rng.random() < 0.03 else 0.02  # a few cases with low coverage
    values = tool.scale.values
    answers: dict[str, Any] = {}
    for domain in tool.domains:
        level = concern + rng.uniform(-0.6, 0.4)
        for item in domain.items:
            if not applicable(item, age) or rng.random() < skip_rate:
                continue
            if tool.scale.allow_not_known and rng.random() < 0.05:
                answers[item.id] = {"not_known": rng.choice(NOT_KNOWN)}
                continue
            value = min(max(round(rng.gauss(level, 0.6)), values[0]), values[-1])
            needs_note = item.evidence_from is not None and value >= item.evidence_from
            if needs_note or rng.random() < 0.2:
                answers[item.id] = {"value": value, "evidence": evidence(rng, domain.id, value)}
            else:
                answers[item.id] = value
    assessed = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
    case: dict[str, Any] = {
        "tool": tool.id,
        "case": {"ref": f"GEN-{index:06d}", "assessed_on": assessed, "assessor": f"Practitioner {rng.randint(1, 40)}"},
        "context": context,
        "answers": answers,
    }
    if rng.random() < 0.03:
        # agreed by a manager, as lowering the level needs (and raising it allows)
        case["override"] = {
            "band": rng.choice(tool.bands).id,
            "rationale": rng.choice(RATIONALE),
            "agreed_by": "Team manager",
            "agreed_on": assessed + dt.timedelta(days=2),
        }
    if rng.random() < 0.4:
        case["child_voice"] = rng.choice(CHILD_VOICE)
    case["plan"] = make_plan(answers, assessed, random.Random(f"{seed}:{index}:plan"))
    return case


#: Outcomes for the child, actions and contingencies the generated plans draw on (what changes for the child).
OUTCOMES = (
    "The child has a meal at home every evening and is not hungry at school.",
    "The child goes to bed at a set time on school nights and is not tired in class.",
    "The child is seen by the dentist and the treatment they need is done.",
    "The child comes to school clean, in clothes that fit.",
)
ACTIONS = (
    ("Visit twice a week to help set up the routine.", "Family support worker"),
    ("Book the appointment and take the child to it.", "Parent"),
    ("Tell the lead practitioner each week what staff have seen.", "School"),
)
CONTINGENCY = "If nothing has changed for the child by the review, the plan is looked at again with a manager."


def make_plan(answers: dict[str, Any], assessed: dt.date, rng: random.Random) -> dict[str, Any]:
    """A plan for a generated case: up to two items rated 3 or more as its needs, or, when none is,
    a plan deferred to a meeting a week on (valid at any level, so it never depends on the score)."""
    rated = [item for item, answer in answers.items() if isinstance(answer, dict) and answer.get("value", 0) >= 3]
    rated += [item for item, answer in answers.items() if isinstance(answer, int) and answer >= 3]
    if not rated:
        return {"deferred_to": {"meeting": "Team around the family meeting", "date": assessed + dt.timedelta(days=7)}}
    needs = []
    for item in rng.sample(rated, min(2, len(rated))):
        what, who = rng.choice(ACTIONS)
        by = assessed + dt.timedelta(days=rng.randint(7, 21))
        needs.append(
            {
                "item": item,
                "outcome": rng.choice(OUTCOMES),
                "actions": [{"what": what, "who": who, "by": by}],
                "contingency": CONTINGENCY,
            }
        )
    return {"needs": needs}


def write_cases(count: int, out: Path, *, seed: int = 2026, tool_name: str = "neglect-core") -> list[Path]:
    """Write `count` answers files into `out` (created if needed); returns their paths."""
    tool = load_tool(tool_name)
    out.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    paths = []
    for index in range(1, count + 1):
        text = yaml.dump(
            make_case(tool, index, seed),
            Dumper=dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=None,
            width=120,
        )
        path = out / f"GEN-{index:06d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many answers files")
    parser.add_argument("outdir", type=Path, help="folder to write them into")
    parser.add_argument("--seed", type=int, default=2026, help="same seed, same files (default 2026)")
    parser.add_argument("--tool", default="neglect-core", help="tool id (default neglect-core)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    write_cases(args.count, args.outdir, seed=args.seed, tool_name=args.tool)
    print(f"wrote {args.count} answers files to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
