"""NEURON 9.0.2: every Python-visible double of the built-in mechanisms after finitialize(-65)
at celsius 18.5 (INITIAL, then one current evaluation at t = 0), printed as JSON."""

import json

from neuron import h

h.load_file("stdrun.hoc")
h.celsius = 18.5
soma = h.Section(name="soma")
soma.L = 12.3
soma.diam = 10.1
soma.insert("hh")
soma.insert("pas")
seg = soma(0.5)
seg.hh.gnabar = 0.13
POINT = ["IClamp", "AlphaSynapse", "ExpSyn", "Exp2Syn", "SEClamp", "OClamp", "APCount"]
pps = {n: getattr(h, n)(seg) for n in POINT}
pps["Exp2Syn"].tau1 = 0.7
pps["Exp2Syn"].tau2 = 3.1
se = pps["SEClamp"]
se.dur1, se.amp1, se.dur2, se.amp2, se.dur3 = 1.0, -60.0, 2.0, -50.0, 0.5
pps["IClamp"].amp = 0.2
pps["AlphaSynapse"].gmax = 0.01
h.finitialize(-65)

HH = ["gnabar", "gkbar", "gl", "el", "gna", "gk", "il", "minf", "hinf", "ninf", "mtau", "htau",
      "ntau", "m", "h", "n"]
out = {"hh": {k: getattr(seg, k + "_hh") for k in HH},
       "pas": {k: getattr(seg, k + "_pas") for k in ["g", "e", "i"]},
       "area": seg.area(), "ena": seg.ena, "ek": seg.ek, "celsius": h.celsius}
for name, pp in pps.items():
    values = {}
    for k in dir(pp):
        try:
            val = getattr(pp, k)
        except Exception:
            continue
        if isinstance(val, float):
            values["del" if k == "delay" else k] = val
    out[name] = values
print(json.dumps(out))
