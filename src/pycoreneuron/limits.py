"""Bounds on run parameters, beyond which a value is a typo or a damaged file, never a model:
each is refused with one sentence before any work, where it would otherwise overflow a C
integer or run for ever."""

# OpenMP threads of one process: more than any machine has cores by far.
MAX_THREADS = 4096
# Fixed steps of one run: 2^40 is 1.1e12 steps, some 30 years of one compartment at 1 us/step.
MAX_STEPS = 2**40
# The smallest dt [ms] (a femtosecond): below it t + dt rounds to t in a long run, and a
# subnormal dt (1e-320) is never a model.
MIN_DT = 1e-12
# A MOD file is some kilobytes (the largest published ones some hundred); 16 MB is not one.
MAX_MOD_BYTES = 16 << 20
