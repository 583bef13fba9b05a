"""One module per command; each imports its heavy helpers inside the function."""
