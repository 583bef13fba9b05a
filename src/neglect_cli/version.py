"""The program's version: one place, read by the build (hatch), `--version`, records and crash logs."""

__version__ = "0.1.0"


def version_line() -> str:
    """What `neglect --version` prints."""
    return f"neglect-cli {__version__}\n"
