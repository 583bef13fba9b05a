"""The interactive walk: case details, context facts, then domain by domain, item by item.

- `prompter`: the `Prompter` interface everything is asked through, and its questionary implementation;
- `walk`: one assessment in progress (`Walk`): facts, items, live prompts, summary, override;
- `start`: starting or resuming a walk, its draft and lock, and the way out on a stop or a signal.

Signal handling lives in `neglect_cli.signals`.
"""

from __future__ import annotations

from .prompter import Option, Prompter, QuestionaryPrompter, Validate, typed_text
from .start import run_interview
from .walk import Stop, Walk, WalkOutcome, resume_command

__all__ = [
    "Option",
    "Prompter",
    "QuestionaryPrompter",
    "Stop",
    "Validate",
    "Walk",
    "WalkOutcome",
    "resume_command",
    "run_interview",
    "typed_text",
]
