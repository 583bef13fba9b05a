"""Dates as people in the UK type them: `2026-11-27`, `27/11/2026` or `7/3/2026`; always written out as ISO.

Day first, as in the UK. A two-digit year, a month past 12 or a day a month does not have is refused with
the forms that are accepted, never guessed at: a wrong date in a child's record is worse than a question.
"""

from __future__ import annotations

import datetime as dt
import re

#: The forms every date prompt, answers file and flag accepts, as messages show them.
ACCEPTED = "YYYY-MM-DD (2026-11-27) or DD/MM/YYYY (27/11/2026)"
#: No assessment, event or answer typed in this century's work is dated before this: an earlier year is a typo.
EARLIEST = dt.date(1900, 1, 1)

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")
_OTHER_SEPARATOR = re.compile(r"\d{1,2}[.-]\d{1,2}[.-]\d{4}")


def parse_date(text: str) -> dt.date:
    """A date typed or read as text. Raises ValueError with a message that shows the accepted forms."""
    given = text.strip()
    if match := _ISO.fullmatch(given):
        year, month, day = (int(part) for part in match.groups())
    elif match := _UK.fullmatch(given):
        day, month, year = (int(part) for part in match.groups())
    elif _SHORT_YEAR.fullmatch(given):
        raise ValueError(f"`{given}` is ambiguous: give the year in full, as {ACCEPTED}")
    elif _OTHER_SEPARATOR.fullmatch(given):
        raise ValueError(f"`{given}`: dates are read with slashes, day first, or in ISO form; write it as {ACCEPTED}")
    else:
        raise ValueError(f"not a date: write it as {ACCEPTED}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        pass
    if match.re is _UK and day <= 12 < month:
        raise ValueError(f"`{given}` is not a real date: the day comes first; write it as {ACCEPTED}") from None
    raise ValueError(f"`{given}` is not a real date: write it as {ACCEPTED}") from None


def to_date(value: object) -> object:
    """For a model's date field: text in any accepted form becomes a date; a date and time (which YAML
    reads from `2026-11-27T10:00`) is refused with the accepted forms, never cut to its day; anything else
    is left for the field to refuse (a date YAML read already, a number)."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"a date and time, not a date: write the date alone, as {ACCEPTED}")
    if isinstance(value, str):
        return parse_date(value)
    return value


def date_option(flag: str, text: str) -> dt.date:
    """A date given on the command line (`--as-of 27/11/2026`); a UserError naming the flag otherwise."""
    from .errors import Problem, UserError

    try:
        return parse_date(text)
    except ValueError as exc:
        raise UserError([Problem(str(exc), file="command line", field=flag)]) from None
