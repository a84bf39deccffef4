"""Philox4x32-10 and the nrnran123 streams (src/kernels/random123.c).

Expected values come from two places only:
* the known-answer vectors of the Random123 distribution (D. E. Shaw Research, file
  `tests/kat_vectors`, the three `philox4x32 10` lines; columns: counter[4], key[2], output[4]);
* NEURON 9.0.2, run in a subprocess by these tests: its Random class with the Random123
  generator (uniform, negexp, seq), a RANDOM variable of a small MOD file compiled here with
  nrnivmodl (uniform, negexp, normal, ipick, random_setseq, random_setids), and NetStim with
  noise, whose spike times are sums of negexp draws.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
import pytest

from pycoreneuron import _core

from .conftest import neuron_json, nrnivmodl_folder

# Random123 tests/kat_vectors, "philox4x32 10" lines: counter, key, expected output.
PHILOX4X32_10_KAT = [
    (
        (0x00000000, 0x00000000, 0x00000000, 0x00000000),
        (0x00000000, 0x00000000),
        (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8),
    ),
    (
        (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF),
        (0xFFFFFFFF, 0xFFFFFFFF),
        (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD),
    ),
    (
        (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
        (0xA4093822, 0x299F31D0),
        (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
    ),
]


@pytest.mark.parametrize(("ctr", "key", "expected"), PHILOX4X32_10_KAT)
def test_philox4x32_10_known_answers(ctr, key, expected):
    assert _core.philox4x32_10(ctr, key) == expected


def test_stream_hands_out_the_block_words_in_order_then_the_next_sequence():
    # counter = (seq, id3, id1, id2), key = (globalindex, 0): the layout nrnran123 uses
    s = _core.Random123Stream(11, 22, 33, globalindex=7)
    s.set_seq(5, 2)
    block5 = _core.philox4x32_10((5, 33, 11, 22), (7, 0))
    block6 = _core.philox4x32_10((6, 33, 11, 22), (7, 0))
    assert [s.ipick() for _ in range(6)] == [block5[2], block5[3], *block6]
    assert s.get_seq() == (7, 0)


def test_sequence_word_wraps_at_32_bits():
    s = _core.Random123Stream(1, 2, 3)
    s.set_seq(0xFFFFFFFF, 3)
    last = _core.philox4x32_10((0xFFFFFFFF, 3, 1, 2), (0, 0))[3]
    assert s.ipick() == last
    assert s.get_seq() == (0, 0)
    assert s.ipick() == _core.philox4x32_10((0, 3, 1, 2), (0, 0))[0]


def test_ids_and_which_are_kept_and_bad_which_means_zero():
    s = _core.Random123Stream(4, 5, 6)
    assert s.get_ids() == (4, 5, 6)
    s.set_seq(9, 7)
    assert s.get_seq() == (9, 0)
    s.set_seq34(4 * 9 + 3)
    assert s.get_seq() == (9, 3)


def test_uniform_is_open_interval_and_monotone_in_the_word():
    lo, hi = _core.ran123_uint2dbl(0), _core.ran123_uint2dbl(0xFFFFFFFF)
    assert 0.0 < lo < 1e-9 and 1.0 - 1e-9 < hi < 1.0
    s = _core.Random123Stream(1, 0, 1)
    u = s.draws("uniform", 20000)
    assert ((u > 0) & (u < 1)).all()
    assert abs(u.mean() - 0.5) < 0.01
    e = _core.Random123Stream(1, 0, 2).draws("negexp", 20000)
    assert (e > 0).all() and abs(e.mean() - 1.0) < 0.03
    g = _core.Random123Stream(1, 0, 3).draws("normal", 20000)
    assert abs(g.mean()) < 0.03 and abs(g.std() - 1.0) < 0.03


# --------------------------------------------------------------------------------------------
# Against NEURON 9.0.2

PROBE_MOD = """\
: Exposes one RANDOM stream of NEURON's nrnran123 to Python, for tests/test_random123.py.
NEURON {
    ARTIFICIAL_CELL Ran123Probe
    THREADSAFE
    RANDOM rv
}
FUNCTION uniform() { uniform = random_uniform(rv) }
FUNCTION negexp() { negexp = random_negexp(rv) }
FUNCTION normal() { normal = random_normal(rv) }
FUNCTION ipick() { ipick = random_ipick(rv) }
PROCEDURE setseq(x) { random_setseq(rv, x) }
PROCEDURE setids(id1, id2, id3) { random_setids(rv, id1, id2, id3) }
"""

# Run by NEURON in the probe's folder (so its x86_64/ library is loaded); prints JSON.
NEURON_SCRIPT = r"""
import json
from neuron import h

N = 600
out = {}

# 1. Random class, Random123 generator: uniform(0, 1), uniform(a, b), negexp(1), seq()
for gix in (0, 12345):
    h.Random().Random123_globalindex(gix)
    for ids in ((1, 0, 1), (7, 8, 9), (4294967295, 3, 123456)):
        r = h.Random()
        r.Random123(*ids)
        uni = [r.uniform(0, 1)] + [r.repick() for _ in range(N - 1)]
        r.Random123(*ids)
        ab = [r.uniform(-3.5, 11.25)] + [r.repick() for _ in range(N - 1)]
        r.Random123(*ids)
        ne = [r.negexp(1)] + [r.repick() for _ in range(N - 1)]
        r.Random123(*ids)
        r.seq(4 * 1000 + 3)
        seq = [r.uniform(0, 1)] + [r.repick() for _ in range(9)]
        out[f"random/{gix}/{ids}"] = dict(ids=ids, uniform=uni, uniform_ab=ab, negexp=ne,
                                          seq1000_3=seq)
h.Random().Random123_globalindex(0)

# 2. RANDOM variable of a MOD file (nrnran123 itself)
p = h.Ran123Probe()
probe = {}
for ids in ((1, 0, 1), (5, 6, 7)):
    p.setids(*ids)
    p.setseq(0)
    probe[f"{ids}/normal"] = [p.normal() for _ in range(N)]
    p.setseq(0)
    probe[f"{ids}/ipick"] = [int(p.ipick()) for _ in range(N)]
    p.setseq(0)
    probe[f"{ids}/mixed"] = [(p.uniform(), p.negexp(), p.normal()) for _ in range(N // 3)]
setseq = []
for x in (0.0, 1.0, 2.0, 3.0, 4.0, 7.9, 4 * 99 + 2, 2.0**34 - 1, 2.0**34 + 5, 2.0**40 - 1,
          2.0**40 + 4, -5.0):
    p.setids(2, 3, 4)
    p.setseq(x)
    setseq.append((x, [p.uniform() for _ in range(6)]))
probe["setseq"] = setseq
out["probe"] = probe

# 3. NetStim with noise = 1: each interval is interval*negexp of its own stream
h.load_file("stdrun.hoc")
stims, recs = [], []
for k in range(3):
    ns = h.NetStim()
    ns.start, ns.interval, ns.number, ns.noise = 5.0 + k, 3.0 + k, 25, 1.0
    if k == 2:
        ns.noiseFromRandom123(11, 12, 13)
    vec = h.Vector()
    nc = h.NetCon(ns, None)
    nc.record(vec)
    stims.append((ns, nc))
    recs.append(vec)
h.finitialize(-65)
h.continuerun(1e4)
out["netstim"] = [dict(ids=list(ns.ranvar.get_ids()), start=ns.start, interval=ns.interval,
                       spikes=list(v)) for (ns, _), v in zip(stims, recs)]
print("JSON" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def neuron_draws(cache_root: Path) -> dict:
    """NEURON's draws, made in a subprocess; the probe MOD file is compiled once and cached."""
    pytest.importorskip("neuron", reason="NEURON is the reference: pip install .[test]")
    key = hashlib.sha256(PROBE_MOD.encode() + sys.executable.encode()).hexdigest()[:16]
    folder = cache_root / "ran123probe" / key
    return neuron_json(nrnivmodl_folder(folder, {"ran123probe.mod": PROBE_MOD}, timeout=600),
                       NEURON_SCRIPT)


def _random_class_cases(neuron_draws):
    return [(k, v) for k, v in neuron_draws.items() if k.startswith("random/")]


@pytest.mark.neuron
def test_uniform_negexp_and_seq_equal_neurons_random123(neuron_draws):
    cases = _random_class_cases(neuron_draws)
    assert len(cases) == 6
    for name, case in cases:
        gix = int(name.split("/")[1])
        ids = case["ids"]
        n = len(case["uniform"])
        s = _core.Random123Stream(*ids, globalindex=gix)
        assert s.draws("uniform", n).tolist() == case["uniform"], name
        s = _core.Random123Stream(*ids, globalindex=gix)
        assert [s.uniform(-3.5, 11.25) for _ in range(n)] == case["uniform_ab"], name
        s = _core.Random123Stream(*ids, globalindex=gix)
        assert s.draws("negexp", n).tolist() == case["negexp"], name
        s = _core.Random123Stream(*ids, globalindex=gix)
        s.set_seq(1000, 3)
        assert s.draws("uniform", 10).tolist() == case["seq1000_3"], name


@pytest.mark.neuron
def test_normal_ipick_and_mixed_draws_equal_neurons_random_variable(neuron_draws):
    probe = neuron_draws["probe"]
    for ids in ((1, 0, 1), (5, 6, 7)):
        s = _core.Random123Stream(*ids)
        assert s.draws("normal", len(probe[f"{ids}/normal"])).tolist() == probe[f"{ids}/normal"]
        s = _core.Random123Stream(*ids)
        expected = probe[f"{ids}/ipick"]
        assert s.draws("ipick", len(expected)).astype(np.int64).tolist() == expected
        s = _core.Random123Stream(*ids)
        mixed = [[s.uniform(), s.negexp(), s.normal()] for _ in probe[f"{ids}/mixed"]]
        assert mixed == probe[f"{ids}/mixed"]


@pytest.mark.neuron
def test_random_setseq_with_a_double_equals_neurons(neuron_draws):
    for x, expected in neuron_draws["probe"]["setseq"]:
        s = _core.Random123Stream(2, 3, 4)
        s.set_seq34(x)
        start = s.get_seq()
        ours = s.draws("uniform", 6).tolist()
        if start != (0xFFFFFFFF, 3):
            assert ours == expected, x
            continue
        # Sequence 2^32 - 1, word 3: NEURON's nrnran123 steps the whole 128-bit counter
        # (carry into id3); CoreNEURON, and we, wrap the sequence word alone.
        assert ours[0] == expected[0], x
        carried = _core.philox4x32_10((0, 4 + 1, 2, 3), (0, 0))
        assert expected[1] == _core.ran123_uint2dbl(carried[0]), x
        wrapped = _core.philox4x32_10((0, 4, 2, 3), (0, 0))
        assert ours[1] == _core.ran123_uint2dbl(wrapped[0]), x


@pytest.mark.neuron
def test_netstim_noise_intervals_are_our_negexp_draws(neuron_draws):
    # noise = 1: first spike at start + interval*e1 - interval*0, then t += interval*e_k
    for case in neuron_draws["netstim"]:
        s = _core.Random123Stream(*[int(i) for i in case["ids"]])
        s.set_seq34(0.0)  # NetStim's INITIAL: seed(0)
        interval = case["interval"]
        t = case["start"] + (0.0 * interval + 1.0 * interval * s.negexp()) - interval * (1.0 - 1.0)
        expected = [t]
        for _ in range(len(case["spikes"]) - 1):
            t = t + (0.0 * interval + 1.0 * interval * s.negexp())
            expected.append(t)
        assert len(case["spikes"]) == 25
        assert expected == case["spikes"], case["ids"]
