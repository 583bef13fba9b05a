"""One family of user-facing errors: each carries problems a user can fix.

The CLI turns a `UserError` into a red message and exit code 2. Anything
else that escapes is a bug. Messages never carry free text from a file
(evidence, context notes, the child's voice): only names, ids and positions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located as precisely as we know."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


class UserError(Exception):
    """Input the user can fix: bad file, bad option, unknown tool. Exit 2."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem] | str, *, file: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, file=file)]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class Interrupted(BaseException):  # noqa: N818 - mirrors KeyboardInterrupt
    """Raised by our signal handlers (SIGTERM, SIGHUP) so `finally` blocks run."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by signal {signum}")
