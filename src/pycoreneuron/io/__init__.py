"""Reading NEURON's coredat datasets (format 1.8): one module per file kind.

``text`` frames lines and arrays; ``files_dat``, ``mech_dat``, ``globals_dat``, ``phase1``,
``phase2``, ``gap`` and ``phase3`` read one file kind each; ``catalogue`` matches the dataset's
mechanisms with this build's; ``dataset`` reads a whole directory into a :class:`Dataset`.
"""

from .dataset import STAT_LABELS, Dataset, read_dataset
from .model import GapData, Group, Mechanism, VecPlay

__all__ = ["STAT_LABELS", "Dataset", "GapData", "Group", "Mechanism", "VecPlay", "read_dataset"]
