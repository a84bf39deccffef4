"""The exceptions pycoreneuron raises: one clear sentence each, caught by the CLI."""


class PyCoreNeuronError(Exception):
    """Base of every error pycoreneuron reports to a user (bad input, unsupported feature)."""


class DatasetError(PyCoreNeuronError):
    """A coredat dataset is missing, truncated, foreign or inconsistent."""


class NotSupportedError(PyCoreNeuronError):
    """The request is valid but this version of pycoreneuron cannot do it yet."""


class UsageError(PyCoreNeuronError):
    """A command-line flag or API argument is wrong."""


class RankFailed(PyCoreNeuronError):
    """Another MPI rank failed during set-up; that rank's message is reported by rank 0 only.

    ``report`` is False on the ranks that should stay silent, so the message appears once.
    """

    def __init__(self, message: str, report: bool):
        super().__init__(message)
        self.report = report
