"""The user warehouse's Python side: the `uw` command and what its subcommands run."""

__version__ = "0.3.0"
