"""The exceptions pycoreneuron raises: one clear sentence each, caught by the CLI."""


class PyCoreNeuronError(Exception):
    """Base of every error pycoreneuron reports to a user (bad input, unsupported feature)."""


class DatasetError(PyCoreNeuronError):
    """A coredat dataset is missing, truncated, foreign or inconsistent."""


class NotSupportedError(PyCoreNeuronError):
    """The request is valid but this version of pycoreneuron cannot do it yet."""


class UsageError(PyCoreNeuronError):
    """A command-line flag or API argument is wrong."""


class RunError(PyCoreNeuronError):
    """The model asked for something during the run that cannot be carried out (a net_send
    into the past, memory for its events); the run stops, nothing is written."""


class RankFailed(PyCoreNeuronError):
    """Another MPI rank failed during set-up; that rank's message is reported by rank 0 only.

    ``report`` is False on the ranks that should stay silent, so the message appears once.
    """

    def __init__(self, message: str, report: bool):
        super().__init__(message)
        self.report = report


QUOTE_LIMIT = 80  # characters of offending content a message shows


def quote(content: str | bytes, limit: int = QUOTE_LIMIT) -> str:
    """Offending content for a message: at most ``limit`` characters of it, escaped (control
    characters and undecodable bytes as \\x.. escapes), with the full length when cut."""
    if isinstance(content, bytes):
        text = content[:limit].decode("ascii", "backslashreplace")
        total, unit = len(content), "bytes"
    else:
        text = content[:limit]
        total, unit = len(content), "characters"
    shown = repr(text)
    if total > limit:
        shown += f"... ({total} {unit} in all)"
    return shown


def one_line(message: str, limit: int = 400) -> str:
    """A message made safe for one terminal line: control characters escaped, and cut after
    ``limit`` characters (the location comes first in every message)."""
    clean = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    if len(clean) > limit:
        clean = clean[:limit] + f"... (message cut at {limit} characters)"
    return clean or "an error without a message (please report it)"
