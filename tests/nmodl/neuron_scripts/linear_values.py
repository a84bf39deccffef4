"""NEURON 9.0.2: the states of test_linear.py's `lin` mechanism (a LINEAR block solved in
BREAKPOINT) after finitialize(v0) and one fadvance, for a few voltages and parameter sets.

Usage: linear_values.py FOLDER CASES_JSON. FOLDER holds lin.mod compiled by NEURON's
nrnivmodl; CASES_JSON is a list of {"v": v0, "a": .., "b": .., "c": .., "eps": ..}. Prints one
JSON line: per case {"p": .., "q": .., "w": .., "v": ..} (floats as repr: they round-trip
exactly).
"""

import json
import sys

import neuron
from neuron import h

neuron.load_mechanisms(sys.argv[1])
cases = json.loads(sys.argv[2])
h.load_file("stdrun.hoc")
h.dt = 0.025
out = []
for case in cases:
    sec = h.Section(name="s")
    sec.insert("lin")  # no current: v stays v0 exactly, so nrn_state solves at v0
    seg = sec(0.5)
    for name in ("a", "b", "c", "eps"):
        setattr(seg, f"{name}_lin", case[name])
    h.finitialize(case["v"])
    h.fadvance()
    out.append({k: getattr(seg, f"{k}_lin") for k in ("p", "q", "w")} | {"v": seg.v})
    del sec
print(json.dumps(out))
