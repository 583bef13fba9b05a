"""`neglect` and `python -m neglect_cli`: run the CLI, map errors to exit codes."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        # Answered before the CLI framework is imported: the quickest question stays instant.
        from . import version_line

        sys.stdout.write(version_line())
        sys.exit(0)
    from .cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
