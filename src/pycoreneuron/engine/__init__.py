"""The engine: blocks of cells assembled from a dataset, advanced window by window in C."""

from .simulate import SimulationResult, simulate

__all__ = ["SimulationResult", "simulate"]
