"""The CUDA printer: a mechanism's instance loops as device kernels, one thread per instance.

It prints from the same lowered kernels as the C printer (it is the C printer, with three
things printed otherwise), into one single-source file that compiles as CUDA (nvcc,
--fmad=false) and as C, where each kernel is a plain loop over the instances. The C build is
what the CPU test suite runs against the C printer's hooks (tests/nmodl/test_cuda_printer.py),
so the logic the GPU would run is checked without a GPU.

What is printed otherwise:

- qualifiers: every function is ``PCN_DEV`` (``__device__`` under nvcc), GLOBAL parameters
  and TABLE arrays are ``PCN_DEV_DATA`` (``__device__`` variables), filled from the host's
  (the C library descriptor's ``values`` hook, once its TABLEs are built) by
  ``pcn_dev_<mech>_set``;
- the loops: ``PCN_FOR_EACH_THREAD(id, a->n)`` in ``PCN_KERNEL`` functions that take the
  parameter pack by value (``pcn_dev_<mech>_run`` launches one: 0 INITIAL, 1 nrn_cur,
  2 nrn_state);
- nothing of the host's: no TABLE building, BEFORE/AFTER, NET_RECEIVE or descriptor (the C
  library keeps those).

Density mechanisms run one thread per instance (their instances are on distinct nodes); point
processes one thread per node, that node's instances in the block's order, so their adds into
the node's rhs, d and ions keep NEURON's order; NET_RECEIVE one thread per instance, its events
in the CPU engine's order. Refused, with the reason (CPrinter.device_refusal): artificial cells
(their events stay on the host), VERBATIM, POINTERs, written GLOBALs, RANDOM, implicit solves,
EXTERNALs, and a NET_RECEIVE that sends events, uses WATCH or FOR_NETCONS, or writes v or
ions. exp is pcn_exp (the CPU's bits on the device); other libm functions (pow, log) are
CUDA's, which may differ from glibc's in the last bit.
"""

from __future__ import annotations

import re

from ..errors import NmodlError
from ..passes.lowered import NRN_CUR, NRN_STATE, Lowered
from .c import CPrinter, _basename

PRELUDE = """\
#if defined(__CUDACC__)
#define PCN_DEV static __device__ __forceinline__
#define PCN_DEV_DATA static __device__
#define PCN_KERNEL static __global__
#define PCN_EXPORT extern "C"
#define PCN_FOR_EACH_THREAD(i, n)                                                     \\
    for (int i = (int)(blockIdx.x * blockDim.x + threadIdx.x); i < (n);                \\
         i += (int)(blockDim.x * gridDim.x))
#else
#define PCN_DEV static inline
#define PCN_DEV_DATA static
#define PCN_KERNEL static
#define PCN_EXPORT
#define PCN_FOR_EACH_THREAD(i, n) for (int i = 0; i < (n); ++i)
#endif"""

# A function's head in the C printer's output: static, maybe always_inline, a return type.
_FUNCTION_HEAD = re.compile(r"^static (?:inline __attribute__\(\(always_inline\)\) )?"
                            r"((?:double|void|int) \w+\()")
_DATA = re.compile(r"^static (double|int) ")
_HOST_ONLY = re.compile(r"^static (int|double) _tbl_\w+_(built|dep_\w+);$")


class CudaPrinter(CPrinter):
    def __init__(self, low: Lowered):
        super().__init__(low)
        self._kernel = False

    @property
    def _runs(self) -> bool:
        """Point processes: one thread per node, its instances in order (they may share a
        node, and add to its rhs, d and ions in NEURON's order); density: one per instance."""
        return self.info.kind != "density"

    def _loop_open(self, simd: bool, with_v: bool = True) -> None:
        if not self._kernel:
            super()._loop_open(simd, with_v)
            return
        if self._runs:
            self.emit("    PCN_FOR_EACH_THREAD(r, nrun) "
                      "for (int k = run_start[r]; k < run_start[r + 1]; k++) {")
            self.emit("        const int id = order[k];")
        else:
            self.emit("    PCN_FOR_EACH_THREAD(id, a->n) {")
        self.emit("        double v = a->v[a->ni[id]];" if with_v else "        double v = 0.0;")
        self.emit("        (void)v;")

    def _kernel_head(self, hook: str) -> None:
        self.emit(f"PCN_KERNEL void _kern_{hook}(pcn_mech_args a_val, int nrun, "
                  "const int *run_start, const int *order) {")
        self.emit("    (void)nrun;")
        self.emit("    (void)run_start;")
        self.emit("    (void)order;")
        self.emit("    const pcn_mech_args *a = &a_val;")
        self.emit("    struct pcn_tv tv_ = {0};  /* no thread variables in a device copy */")
        self.emit("    struct pcn_tv *tv = &tv_;")
        self.emit("    (void)tv;")

    def _print_kernels(self) -> list[str]:
        hooks = []
        self._kernel = True
        try:
            self._kernel_head("init")
            self._loop_open(False)
            self._init_body()
            self._ion_conc_out("        ")
            self.emit("    }")
            self.emit("}")
            self.emit()
            hooks.append("init")
            info = self.info
            if info.currents and "BREAKPOINT" in info.block_kinds:
                self._print_current_fn()
                if NRN_CUR in self.low.tabled_loops:
                    self._print_current_fn("_tl")
                self._kernel_head("cur")
                self._loops(NRN_CUR in self.low.tabled_loops, self._cur_body)
                self.emit("}")
                self.emit()
                hooks.append("cur")
            if self._body(NRN_STATE):
                self._kernel_head("state")
                self._loops(NRN_STATE in self.low.tabled_loops, self._state_body)
                self.emit("}")
                self.emit()
                hooks.append("state")
            if self.prog.find_block("NET_RECEIVE") is not None:
                self._print_net_receive()
                self._print_net_receive_kernel()
        finally:
            self._kernel = False
        return hooks

    def _print_net_receive_kernel(self) -> None:
        self.emit("/* Events, one thread per instance: run r's events are those of one instance,")
        self.emit(" * in the order the CPU engine runs its buffered NET_RECEIVE calls. */")
        self.emit("PCN_KERNEL void _kern_net_receive(pcn_mech_args a_val, int nrun, "
                  "const int *run_start, const int *instance, const int *weight, "
                  "const double *t, const double *flag) {")
        self.emit("    PCN_FOR_EACH_THREAD(r, nrun) {")
        self.emit("        pcn_mech_args a = a_val;")
        self.emit("        for (int k = run_start[r]; k < run_start[r + 1]; k++) {")
        self.emit("            a.t = t[k];")
        self.emit("            _hook_net_receive(&a, instance[k], weight[k], flag[k]);")
        self.emit("        }")
        self.emit("    }")
        self.emit("}")
        self.emit()

    def _print_deliver(self) -> None:
        self.emit("/* Deliver events (see _kern_net_receive); 0 when done, -1 without "
                  "NET_RECEIVE. */")
        self.emit(f"PCN_EXPORT int pcn_dev_{self.mech}_net_receive(const pcn_mech_args *a, "
                  "int nrun, const int *run_start, const int *instance, const int *weight, "
                  "const double *t, const double *flag, int threads_per_block) {")
        if self.prog.find_block("NET_RECEIVE") is None:
            self.emit("    (void)a; (void)nrun; (void)run_start; (void)instance; (void)weight;")
            self.emit("    (void)t; (void)flag; (void)threads_per_block;")
            self.emit("    return -1;")
            self.emit("}")
            self.emit()
            return
        self.emit("    if (nrun <= 0) {")
        self.emit("        return 0;")
        self.emit("    }")
        self.emit("#if defined(__CUDACC__)")
        self.emit("    const int tpb = threads_per_block > 0 ? threads_per_block : 128;")
        self.emit("    _kern_net_receive<<<(nrun + tpb - 1) / tpb, tpb>>>(*a, nrun, run_start, "
                  "instance, weight, t, flag);")
        self.emit("    return (int)cudaGetLastError();")
        self.emit("#else")
        self.emit("    (void)threads_per_block;")
        self.emit("    _kern_net_receive(*a, nrun, run_start, instance, weight, t, flag);")
        self.emit("    return 0;")
        self.emit("#endif")
        self.emit("}")
        self.emit()

    def _print_run(self, hooks: list[str]) -> None:
        mech = self.mech
        codes = {"init": 0, "cur": 1, "state": 2}
        self.emit("/* Run hook 0 (INITIAL), 1 (nrn_cur) or 2 (nrn_state) over the instances of a:")
        self.emit(" * on the device, a launch of threads_per_block threads per block on the")
        self.emit(" * arrays a points at (device memory), returning the launch's error; as C, the")
        self.emit(" * loop. Point processes run by node: run r is instances order[run_start[r] ..")
        self.emit(" * run_start[r+1]-1], those of one node in the block's order (density")
        self.emit(" * mechanisms ignore the runs). 0 when done, -1 for a hook it does not have. */")
        self.emit(f"PCN_EXPORT int pcn_dev_{mech}_run(int hook, const pcn_mech_args *a, "
                  "int nrun, const int *run_start, const int *order, int threads_per_block) {")
        threads = "nrun" if self._runs else "a->n"
        self.emit(f"    if ({threads} <= 0) {{")
        self.emit("        return 0;")
        self.emit("    }")
        self.emit("#if defined(__CUDACC__)")
        self.emit("    const int tpb = threads_per_block > 0 ? threads_per_block : 128;")
        self.emit(f"    const int nblock = ({threads} + tpb - 1) / tpb;")
        self.emit("#define PCN_LAUNCH(k) k<<<nblock, tpb>>>(*a, nrun, run_start, order)")
        self.emit("#else")
        self.emit("    (void)threads_per_block;")
        self.emit("#define PCN_LAUNCH(k) k(*a, nrun, run_start, order)")
        self.emit("#endif")
        self.emit("    switch (hook) {")
        for h in hooks:
            self.emit(f"    case {codes[h]}:")
            self.emit(f"        PCN_LAUNCH(_kern_{h});")
            self.emit("        break;")
        self.emit("    default:")
        self.emit("        return -1;")
        self.emit("    }")
        self.emit("#undef PCN_LAUNCH")
        self.emit("#if defined(__CUDACC__)")
        self.emit("    return (int)cudaGetLastError();")
        self.emit("#else")
        self.emit("    return 0;")
        self.emit("#endif")
        self.emit("}")
        self.emit()

    def _print_set(self) -> None:
        values = self.device_values()
        self.emit("/* The names of the values pcn_dev_<mech>_set takes (those of the C library's")
        self.emit(" * values hook of the C library's descriptor), and their counts. */")
        listed = ", ".join(f'"{n}"' for n, _ in values) or "0"
        counts = ", ".join(str(c) for _, c in values) or "0"
        self.emit(f"PCN_EXPORT const char *const pcn_dev_{self.mech}_names[] = {{{listed}}};")
        self.emit(f"PCN_EXPORT const int pcn_dev_{self.mech}_counts[] = {{{counts}}};")
        self.emit(f"PCN_EXPORT const int pcn_dev_{self.mech}_nvalues = {len(values)};")
        self.emit()
        self.emit("/* Set value number k (count doubles) of the device copy; 0 when done. */")
        self.emit(f"PCN_EXPORT int pcn_dev_{self.mech}_set(int k, const double *values) {{")
        self.emit("    switch (k) {")
        for k, (name, count) in enumerate(values):
            self.emit(f"    case {k}:")
            self.emit("#if defined(__CUDACC__)")
            self.emit(f"        return (int)cudaMemcpyToSymbol({name}, values, "
                      f"{count} * sizeof(double));")
            self.emit("#else")
            self.emit(f"        for (int j = 0; j < {count}; j++) {{")
            self.emit(f"            ((double *)&{name})[j] = values[j];")
            self.emit("        }")
            self.emit("        return 0;")
            self.emit("#endif")
        self.emit("    default:")
        self.emit("        (void)values;")
        self.emit("        return -1;")
        self.emit("    }")
        self.emit("}")

    def print_file(self) -> str:
        if not self.device_ready:
            raise NmodlError(self.fn, 0,
                             f"{self.mech} cannot run on the GPU yet: {self.device_refusal}")
        self.emit(f"/* Generated by pycoreneuron.nmodl from {_basename(self.fn)}: do not edit.")
        self.emit(f" * Mechanism {self.mech}: its instance loops as device kernels "
                  "(printers/cuda.py), single source: CUDA under nvcc, C otherwise. */")
        self.emit("#include <math.h>")
        self.emit("#include <stddef.h>")
        self.emit('#include "mechanism_abi.h"')
        self.emit('#include "pcn_exp.h"')
        self.emit()
        self.out += PRELUDE.split("\n")
        self.emit()
        self._print_layout()
        start = len(self.out)
        self._print_globals()
        self._print_thread_vars()
        self._print_functions()
        hooks = self._print_kernels()
        kept = self.out[:start]
        for line in self.out[start:]:
            if _HOST_ONLY.match(line):
                continue  # the TABLEs' build state: the host's alone
            kept.append(_DATA.sub(r"PCN_DEV_DATA \1 ", _FUNCTION_HEAD.sub(r"PCN_DEV \1", line)))
        self.out = kept
        self._print_run(hooks)
        self._print_deliver()
        self._print_set()
        return "\n".join(self.out) + "\n"


def generate(low: Lowered) -> str:
    """The single-source CUDA/C file of a mechanism's device kernels."""
    return CudaPrinter(low).print_file()


__all__ = ["CudaPrinter", "generate"]
