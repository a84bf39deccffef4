"""-g/--prcellgid: special-core's prcellstate files, compared with special-core's own.

special-core -g GID writes the cell's state as read (<gid>_cpu_init.corenrn), after
finitialize (<gid>_cpu_t0.000000.corenrn) and at the end (<gid>_cpu_t<t>.corenrn). Ours are
diffed with them: the first two are equal byte for byte. The last has the same lines, numbers
equal or within 1e-9 relative: CoreNEURON's arithmetic leaves NEURON's in the last bits over
a run (ours follows NEURON's: voltages bit for bit, test_mechanisms.py), and the fields NEURON
names *_unused it does not keep up to date.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import pycoreneuron

from .test_parallel import RINGTEST_MOD

pytestmark = pytest.mark.neuron

# Fields NEURON names *_unused (the numerical conductance of the current's derivative, kept
# for nothing): CoreNEURON leaves them at 0 or at an old value, ours hold the last one.
NOT_KEPT = {(m["name"], k) for m in pycoreneuron.mechanisms(RINGTEST_MOD)
            for k, (name, _) in enumerate(m["variables"]) if name.endswith("_unused")}
RELATIVE = 1e-9  # other values: equal, or (CoreNEURON's last-digit arithmetic) this close


def _run(command: list[str], cwd: Path) -> None:
    cwd.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr


def _compare_values(theirs: str, ours: str) -> int:
    """Check every line; returns how many are not byte for byte equal."""
    mech = None
    differing = 0
    a, b = theirs.splitlines(), ours.splitlines()
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        if x.startswith("type="):
            mech = x.split()[1]
        if x == y:
            continue
        differing += 1
        wx, wy = x.split(), y.split()
        assert len(wx) == len(wy), (x, y)
        if mech is not None and len(wx) == 3 and (mech, int(wx[1])) in NOT_KEPT:
            assert wx[:2] == wy[:2], (x, y)
            continue
        for u, w in zip(wx, wy, strict=True):
            if u != w:  # a number: the same within the last digits
                assert abs(float(u) - float(w)) <= RELATIVE * abs(float(u)), (mech, x, y)
    return differing


@pytest.mark.parametrize("variant,gid,threads", [("default", 3, 1), ("nt2", 21, 2),
                                                 ("default", 0, 2)])
def test_prcellstate_is_coreneurons(ringtest_data, special_core, tmp_path, variant, gid,
                                    threads):
    coredat = ringtest_data(variant) / "coredat"
    _run([str(special_core), "-e", "10", "-d", str(coredat), "-g", str(gid)], tmp_path / "cn")
    _run([sys.executable, "-m", "pycoreneuron", "-e", "10", "-d", str(coredat), "--mod",
          str(RINGTEST_MOD), "--verbose", "0", "-g", str(gid), "--threads", str(threads)],
         tmp_path / "ours")
    names = sorted(p.name for p in (tmp_path / "cn").glob("*.corenrn"))
    assert names == [f"{gid}_cpu_init.corenrn", f"{gid}_cpu_t0.000000.corenrn",
                     f"{gid}_cpu_t10.000000.corenrn"]
    assert sorted(p.name for p in (tmp_path / "ours").glob("*.corenrn")) == names
    for name in names[:2]:
        assert (tmp_path / "ours" / name).read_text() == (tmp_path / "cn" / name).read_text()
    end_theirs = (tmp_path / "cn" / names[2]).read_text()
    end_ours = (tmp_path / "ours" / names[2]).read_text()
    assert "netcons" in end_ours and "nri" in end_ours  # synapses and their NetCons printed
    _compare_values(end_theirs, end_ours)


def test_a_gid_not_in_the_model_writes_nothing(ringtest_data, tmp_path):
    coredat = ringtest_data("default") / "coredat"
    _run([sys.executable, "-m", "pycoreneuron", "-e", "1", "-d", str(coredat), "--mod",
          str(RINGTEST_MOD), "--verbose", "0", "-g", "99999"], tmp_path)
    assert not list(tmp_path.glob("*.corenrn"))  # as special-core: no such cell, no file
