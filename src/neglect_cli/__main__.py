"""`neglect` and `python -m neglect_cli`: run the CLI, map errors to exit codes."""

from __future__ import annotations

import sys


def main() -> None:
    from .cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
