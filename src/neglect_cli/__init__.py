"""neglect-cli: decision support for child-neglect assessment.

The command line is `neglect`; the same work is open to Python through the names in `__all__`
(defined in `neglect_cli.api`, imported on first use so that `neglect --version` stays fast):

    import neglect_cli as nc

    loaded = nc.load_answers("case.yaml")      # an answers file, checked against its tool
    result = nc.score(loaded)                  # domain scores, level of need, prompts
    record = nc.assess(loaded)                 # the sealed record, as a dict
    changes = nc.diff("old.json", "new.json")  # what changed for the child

Problems with the input raise `UserError`. Everything else in the package is private.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__ as __version__
from .version import version_line as version_line

__all__ = [
    "UserError",
    "__version__",
    "assess",
    "diff",
    "dumps_record",
    "find_tool",
    "load_answers",
    "load_record",
    "report",
    "score",
    "trend",
    "verify_record",
]

if TYPE_CHECKING:
    from .api import (
        assess,
        diff,
        dumps_record,
        find_tool,
        load_answers,
        load_record,
        report,
        score,
        trend,
        verify_record,
    )
    from .errors import UserError



def __getattr__(name: str) -> Any:
    """The public functions, imported from `neglect_cli.api` when first used."""
    if name == "UserError":
        from .errors import UserError

        return UserError
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'neglect_cli' has no attribute {name!r}")
