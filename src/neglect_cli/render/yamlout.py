"""YAML output that round-trips: every string survives a dump and a safe load unchanged."""

from __future__ import annotations

from typing import Any

import yaml

from ..text import json_safe, visible


def dump_yaml(data: Any) -> str:
    """Dump JSON-like data as YAML. Line-break characters PyYAML would fold (U+0085, U+2028,
    U+2029) and anything unsafe on a terminal (controls, DEL, C1, bidi overrides) force a
    double-quoted, escaped scalar so the text round-trips exactly and nothing raw is printed."""
    text: str = yaml.dump(data, Dumper=_YamlDumper, allow_unicode=True, sort_keys=False, width=100)
    # PyYAML writes bidi controls raw even in double quotes; only double-quoted scalars can hold them here
    return json_safe(text)


class _YamlDumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(ch in value for ch in "\x85\u2028\u2029") or visible(value) != value:
        # the double-quoted style makes the emitter escape them
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_YamlDumper.add_representer(str, _represent_str)
