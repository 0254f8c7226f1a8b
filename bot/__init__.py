"""kindred: a peer-support Discord bot for research labs."""

__version__ = "0.1.0"
