"""pcn_exp (src/kernels/pcn_exp.h): libm's exp bits from the same algorithm, vectorisable.

The generated mechanisms call pcn_exp; the variant that matches this process's libm is found
at run time (exp_check.c). Here: the table is the one its definition gives, the variant found
matches libm on every argument drawn (hundreds of thousands per range here; the script
benchmarks/exp_bits.py draws 10^9), glibc forced onto its other build is recognised, and with
libm's own exp forced the built-in mechanisms are rebuilt and the spikes stay NEURON's.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from pycoreneuron import _core

from .test_engine_ringtest import neuron_spikes_as_printed, our_spikes_as_printed

REPO = Path(__file__).resolve().parents[1]
KERNELS = REPO / "src" / "kernels"
GLIBC_X86 = platform.machine() == "x86_64" and platform.libc_ver()[0] == "glibc"
# (lo, hi) of uniform draws; lo == hi: any bit pattern (NaNs, infinities, every exponent)
RANGES = [(-50.0, 50.0), (-1e-8, 1e-8), (-745.5, 709.9), (-1100.0, 1100.0), (0.0, 0.0)]


def _exp_table_module():
    spec = importlib.util.spec_from_file_location("exp_table", KERNELS / "exp_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_is_the_one_its_definition_gives():
    assert _exp_table_module().header() == (KERNELS / "exp_table.h").read_text()


@pytest.mark.skipif(not GLIBC_X86, reason="glibc's exp on x86-64")
def test_the_variant_found_is_one_of_glibcs_builds():
    assert _core.exp_variant() in (1, 2)


@pytest.mark.parametrize(("lo", "hi"), RANGES)
def test_the_variant_found_gives_libms_bits(lo, hi):
    variant = _core.exp_variant()
    if variant == 0:
        pytest.skip("this libm's exp is not glibc's algorithm: libm is called")
    assert _core.exp_mismatches(variant, 2024, 300_000, lo, hi) == (0, None)


@pytest.mark.skipif(not GLIBC_X86, reason="glibc's exp on x86-64")
def test_the_other_variant_differs_so_the_check_can_fail():
    other = 3 - _core.exp_variant()
    bad, first = _core.exp_mismatches(other, 2024, 300_000, -50.0, 50.0)
    assert bad > 0 and first is not None


@pytest.mark.skipif(not GLIBC_X86, reason="glibc's exp on x86-64")
def test_glibc_made_to_run_its_plain_build_is_recognised():
    code = ("from pycoreneuron import _core; v = _core.exp_variant(); "
            "print(v, _core.exp_mismatches(v, 7, 200000, -50.0, 50.0)[0])")
    env = dict(os.environ, GLIBC_TUNABLES="glibc.cpu.hwcaps=-FMA,-AVX2")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["2", "0"]


def test_the_builtins_carry_the_variant_this_machine_needs():
    from pycoreneuron.nmodl.cache import exp_variant

    assert _core.builtin_exp_variant() == exp_variant()


def test_with_libms_exp_forced_the_builtins_are_rebuilt_and_out_dat_is_the_same(tmp_path):
    """PYCORENEURON_EXP=libm: what a machine whose libm differs gets (the built-ins compiled
    again, calling libm's exp): the bundled example's out.dat byte for byte as with pcn_exp,
    and NEURON's spikes."""
    example = REPO / "examples" / "ringtest"
    outs = {}
    for forced in ("", "libm"):
        env = dict(os.environ, PYCORENEURON_EXP=forced,
                   PYCORENEURON_CACHE=str(tmp_path / f"cache{forced}"))
        outs[forced] = tmp_path / f"out{forced}"
        outs[forced].mkdir()
        subprocess.run([sys.executable, "-m", "pycoreneuron", "-e", "100", "-d",
                        str(example / "coredat"), "-o", str(outs[forced]), "--verbose", "0"],
                       env=env, check=True, capture_output=True, text=True)
    assert list((tmp_path / "cachelibm").rglob("libpcnmech.so"))  # the built-ins, rebuilt
    assert not list((tmp_path / "cache").rglob("libpcnmech.so"))
    assert (outs["libm"] / "out.dat").read_bytes() == (outs[""] / "out.dat").read_bytes()
    assert our_spikes_as_printed(outs["libm"] / "out.dat") == \
        neuron_spikes_as_printed(example / "spk1.std")
