"""The exceptions pycoreneuron raises: one clear sentence each, caught by the CLI."""


class PyCoreNeuronError(Exception):
    """Base of every error pycoreneuron reports to a user (bad input, unsupported feature)."""


class DatasetError(PyCoreNeuronError):
    """A coredat dataset is missing, truncated, foreign or inconsistent."""


class NotSupportedError(PyCoreNeuronError):
    """The request is valid but this version of pycoreneuron cannot do it yet."""


class UsageError(PyCoreNeuronError):
    """A command-line flag or API argument is wrong."""
