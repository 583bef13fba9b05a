"""neglect-cli: decision support for child-neglect assessment."""

__version__ = "0.1.0"


def version_line() -> str:
    """What `neglect --version` prints."""
    return f"neglect-cli {__version__}\n"
