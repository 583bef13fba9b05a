"""neglect-cli: decision support for child-neglect assessment."""

__version__ = "0.1.0"
