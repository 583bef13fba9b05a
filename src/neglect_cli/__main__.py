"""`neglect` and `python -m neglect_cli`: run the CLI, map errors to exit codes."""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        # Answered before the CLI framework is imported: the quickest question stays instant.
        from .version import version_line

        sys.stdout.write(version_line())
        sys.exit(0)
    if sys.argv[1:2] == ["history"]:
        # A child's history from the local store, also before the framework loads (see quickhistory).
        from .quickhistory import answer

        code = answer(sys.argv[2:])
        if code is not None:
            sys.exit(code)
    # Pydantic plugins see every value validated, and ours are records about children: none is
    # loaded into this process (which also spares pydantic's scan of every installed package).
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    if sys.argv[1:2] == ["score"]:
        # Bulk scoring in its commonest forms, also before the framework loads (see quickscore).
        from .quickscore import answer as score

        code = score(sys.argv[2:])
        if code is not None:
            sys.exit(code)
    from .cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
