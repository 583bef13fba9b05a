"""The one place that reads the clock. `SOURCE_DATE_EPOCH` pins it (tests, reproducible training packs)."""

from __future__ import annotations

import datetime as dt
import os

EPOCH_ENV = "SOURCE_DATE_EPOCH"


def _pinned() -> dt.datetime | None:
    """The time `SOURCE_DATE_EPOCH` pins, if set; a value that is not a usable time is a UserError (exit 2)."""
    text = (os.environ.get(EPOCH_ENV) or "").strip()
    if not text:
        return None
    from .errors import UserError  # only on a bad value: `neglect history`'s quick path reads the clock

    if not (text.isascii() and text.isdigit()):
        raise UserError(f"{EPOCH_ENV} must be a whole number of seconds since 1970-01-01 UTC (or unset)")
    try:
        return dt.datetime.fromtimestamp(int(text), dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise UserError(f"{EPOCH_ENV} is out of range: give seconds since 1970-01-01 UTC up to year 9999") from None


def now() -> dt.datetime:
    return _pinned() or dt.datetime.now(dt.UTC)


def today() -> dt.date:
    pinned = _pinned()
    return pinned.date() if pinned is not None else dt.date.today()
