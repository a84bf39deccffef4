"""Printers: each turns a lowered mechanism (passes.Lowered) into source for one target.
They only print; every decision about what to compute was taken by the passes."""
