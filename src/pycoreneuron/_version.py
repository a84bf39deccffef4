"""The package version; pyproject.toml reads it from here (importing importlib.metadata to
ask the installed metadata would cost start-up time on every run)."""

__version__ = "0.1.0"
