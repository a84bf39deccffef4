# Included by _core.pyx: a block of cells (src/kernels/engine.c), owned by a thin class.
# Python (pycoreneuron.engine.assemble) prepares every array; this class only points the C
# structs at them, keeps them alive, and runs the C with the GIL released.

from libc.stdint cimport int32_t, int64_t, uint8_t, uintptr_t
from libc.stdlib cimport calloc, free


cdef extern from "mechanism_abi.h":
    ctypedef struct pcn_mech_desc:
        const char *name
        int net_receive_nargs


cdef extern from *:
    """
    /* The built-in mechanisms' registry, translated from mod/ at install time. */
    int pcn_builtin_mechanisms(const pcn_mech_desc *const **out);
    """
    int pcn_builtin_mechanisms(const pcn_mech_desc *const **out)

    ctypedef struct pcn_mech_args:
        int n
        int stride
        double *data
        int *pdata
        const int *ni
        double **dp_base
        void **vdata
        double *tvars
        unsigned int globalindex
        const int *fornetcon_offsets
        const int *fornetcon_weights


cdef extern from "engine.h":
    ctypedef struct pcn_mech_slot:
        const pcn_mech_desc *desc
        int32_t builtin
        int32_t kind
        pcn_mech_args args
        double ion_charge
        double ion_conci0
        double ion_conco0
        int32_t *selfevent
        int32_t *presyn
        int32_t table_id
        void *dev_run
        void *dev_net_receive
        int32_t dev_nrun
        const int32_t *dev_run_start
        const int32_t *dev_order
        int64_t ndata
        int64_t npdata

    ctypedef struct pcn_vecplay:
        double *target
        const double *t
        const double *y
        int32_t n
        int32_t ubound
        int32_t last

    ctypedef struct pcn_block:
        int32_t nnode
        int32_t root_begin
        int32_t root_end
        int32_t node_begin
        int32_t node_end
        const int32_t *parent
        const double *a
        const double *b
        const double *area
        double *v
        double *rhs
        double *d
        int32_t nmech
        int32_t ninterleaved
        int32_t device_window
        int32_t nrow
        int64_t nweight
        void *target
        const int32_t *cell_len
        const int32_t *row_start
        pcn_mech_slot *mechs
        int32_t npresyn
        int32_t nvoltage
        const int32_t *source_node
        const double *threshold
        uint8_t *above
        const int32_t *presyn_gid
        int32_t *fired
        int32_t nnetcon
        const int32_t *netcon_start
        const int32_t *netcon_list
        const int32_t *netcon_mech
        const int32_t *netcon_instance
        const int32_t *netcon_weight
        const double *netcon_delay
        double *weights
        int32_t ninput
        const int32_t *input_gid
        const int32_t *input_netcon_start
        const int32_t *input_netcon_list
        int32_t ngap
        double **gap_target
        const double **gap_source
        int32_t nplay
        pcn_vecplay *plays
        int32_t nrecord
        int32_t record_every
        const double **record_ptr
        double *record_v
        int64_t record_capacity
        int64_t nsample
        double t
        double dt
        double celsius
        int32_t secondorder
        int64_t steps_done
        double *spike_t
        int32_t *spike_gid
        int64_t nspike
        int32_t error

    int pcn_block_setup(pcn_block *blk, int32_t queue_capacity) nogil


cdef extern from "device_target.h":
    ctypedef struct pcn_device_memory:
        pass
    ctypedef struct pcn_device_ops:
        pass
    const pcn_device_memory pcn_host_memory
    const pcn_device_ops pcn_device_host_ops
    int pcn_device_attach(pcn_block *blk, const pcn_device_memory *mem,
                          const pcn_device_ops *ops, void **runs, void **receives,
                          int32_t poison, const char **what)
    int pcn_device_download(pcn_block *blk)
    void pcn_device_detach(pcn_block *blk)


cdef extern from "engine.h":
    void pcn_block_release(pcn_block *blk) nogil
    void pcn_block_tables(pcn_block *blk) nogil
    void pcn_block_initialize(pcn_block *blk, double voltage, int keep_v) nogil
    int pcn_block_advance(pcn_block *blk, int64_t nsteps) nogil
    void pcn_block_gap_transfer(pcn_block *blk) nogil
    void pcn_block_receive(pcn_block *blk, int64_t n, const double *times,
                           const int32_t *gids) nogil
    double pcn_nernst(double ci, double co, double z, double celsius) nogil
    int pcn_blocks_advance(pcn_block **blocks, int32_t nblock, int64_t nsteps,
                           int32_t nthreads) nogil
    int pcn_blocks_step_halves(pcn_block **blocks, int32_t nblock, int32_t nthreads) nogil
    void pcn_blocks_first_half(pcn_block **blocks, int32_t nblock, int32_t nthreads) nogil
    int pcn_blocks_second_half(pcn_block **blocks, int32_t nblock, int32_t nthreads) nogil


ENGINE_ERRORS = {
    1: "out of memory for the model's events during the run",
    2: "the model called net_move without a pending self event, or into the past",
    3: "the model called net_send into the past",
    5: "a device call failed during the run (a copy or a kernel launch)",
    4: "internal error: a device window's events, replayed with its spikes, left the order "
       "planned for them (please report it with the dataset)",
}


def _run_error(int error):
    from .errors import RunError

    return RunError(ENGINE_ERRORS.get(error, f"the engine stopped with error {error}"))


cdef void *_address(object array, object dtype, Py_ssize_t length, str what) except? NULL:
    """The data pointer of a C-contiguous array of dtype holding at least `length` items."""
    if array is None:
        if length == 0:
            return NULL
        raise ValueError(f"{what} is missing")
    if not isinstance(array, np.ndarray) or array.dtype != dtype \
            or not array.flags.c_contiguous:
        raise ValueError(f"{what} must be a C-contiguous {np.dtype(dtype).name} array")
    if array.size < length:
        raise ValueError(f"{what} holds {array.size} items, {length} needed")
    if array.size == 0:
        return NULL
    return cnp.PyArray_DATA(array)


def check_interleaved(cell_len, row_start, parent, int ncell, int nnode):
    """Refuse a device layout whose indices would leave the node arrays or another cell: row
    k holds the cells longer than k, and every node's parent is its own cell's, in a row
    before its own (the kernel's reads and writes then stay inside the arrays)."""
    lens = np.asarray(cell_len, dtype=np.int64)
    rows = np.asarray(row_start, dtype=np.int64)
    if lens.shape != (ncell,) or (ncell and (lens.min() < 1 or (np.diff(lens) > 0).any())):
        raise ValueError("cell_len must hold one size >= 1 per cell, largest first")
    longest = int(lens[0]) if ncell else 0
    per_row = np.searchsorted(-lens, -np.arange(longest), side="left")
    if rows.shape != (longest + 1,) or rows[0] != 0 or \
            not np.array_equal(np.diff(rows), per_row) or rows[-1] != nnode:
        raise ValueError("row_start does not match cell_len and the node count")
    node_row = np.repeat(np.arange(longest), per_row)
    cell = np.arange(nnode) - rows[node_row]
    par = np.asarray(parent[:nnode], dtype=np.int64)[ncell:]
    if len(par) and (par.min() < 0 or (par >= rows[node_row[ncell:]]).any()
                     or not np.array_equal(cell[par], cell[ncell:])):
        raise ValueError("a node's parent is not an earlier node of its own cell")


def builtin_mechanisms():
    """{name: address of its pcn_mech_desc} of the mechanisms compiled into this build."""
    cdef const pcn_mech_desc *const *descs = NULL
    cdef int n = pcn_builtin_mechanisms(&descs)
    cdef int k
    return {descs[k].name.decode(): <uintptr_t>descs[k] for k in range(n)}


def nernst(double ci, double co, double z, double celsius):
    """Reversal potential [mV] as the engine computes it (numerics §9)."""
    return pcn_nernst(ci, co, z, celsius)


cdef class Block:
    """One block of cells: its C struct and the arrays it points into."""

    cdef pcn_block blk
    cdef list keep
    cdef bint ready

    def __cinit__(self):
        self.ready = False
        self.blk.mechs = NULL
        self.blk.plays = NULL

    def __init__(self, dict spec):
        self.keep = [spec]
        cdef pcn_block *b = &self.blk
        cdef int32_t nnode = spec["nnode"]
        cdef int32_t ncell = spec["ncell"]
        if not 0 <= ncell <= nnode:
            raise ValueError("ncell must be between 0 and nnode")
        b.nnode = nnode
        b.root_begin = 0
        b.root_end = ncell
        b.node_begin = ncell
        b.node_end = nnode
        b.parent = <const int32_t *>_address(spec["parent"], np.int32, nnode, "parent")
        b.a = <const double *>_address(spec["a"], np.float64, nnode, "a")
        b.b = <const double *>_address(spec["b"], np.float64, nnode, "b")
        b.area = <const double *>_address(spec["area"], np.float64, nnode, "area")
        b.v = <double *>_address(spec["v"], np.float64, nnode, "v")
        b.rhs = <double *>_address(spec["rhs"], np.float64, nnode, "rhs")
        b.d = <double *>_address(spec["d"], np.float64, nnode, "d")
        b.ninterleaved = 0
        # the device engine's windows (device_window.h); device.py checks the block first
        b.device_window = spec.get("device_window", 0)
        if spec.get("cell_len") is not None:
            check_interleaved(spec["cell_len"], spec["row_start"], spec["parent"], ncell,
                               nnode)
            b.ninterleaved = ncell
            b.cell_len = <const int32_t *>_address(spec["cell_len"], np.int32, ncell,
                                                   "cell_len")
            b.row_start = <const int32_t *>_address(spec["row_start"], np.int32, 1,
                                                    "row_start")
            b.nrow = len(spec["row_start"]) - 1

        mechs = spec["mechanisms"]
        b.nmech = len(mechs)
        b.mechs = <pcn_mech_slot *>calloc(max(1, b.nmech), sizeof(pcn_mech_slot))
        if b.mechs == NULL:
            raise MemoryError("mechanism slots")
        cdef pcn_mech_slot *m
        cdef int k
        for k, ms in enumerate(mechs):
            m = &b.mechs[k]
            m.builtin = ms["builtin"]
            m.kind = ms["kind"]
            m.desc = <const pcn_mech_desc *><uintptr_t>ms["desc"]
            m.args.n = ms["n"]
            m.args.stride = ms["stride"]
            m.args.data = <double *>_address(ms["data"], np.float64, 0, "mechanism data")
            m.args.pdata = <int *>_address(ms["pdata"], np.int32, 0, "pdata")
            m.ndata = 0 if ms["data"] is None else ms["data"].size
            m.npdata = 0 if ms["pdata"] is None else ms["pdata"].size
            m.args.ni = <const int *>_address(ms["ni"], np.int32, 0, "node indices")
            m.args.dp_base = <double **>_address(ms["dp_base"], np.uintp, 0, "dparam bases")
            m.args.vdata = <void **>_address(ms["vdata"], np.uintp, 0, "vdata")
            # thread variables: the block's persistent copy (NULL: zeros at every call)
            m.args.tvars = <double *>_address(ms.get("tvars"), np.float64, 0,
                                              "thread variables")
            m.args.globalindex = ms.get("globalindex", 0)
            # FOR_NETCONS: the NetCons onto each instance (NULL when the mechanism has none)
            m.args.fornetcon_offsets = <const int *>_address(
                ms.get("fornetcon_offsets"), np.int32, 0, "FOR_NETCONS offsets")
            m.args.fornetcon_weights = <const int *>_address(
                ms.get("fornetcon_weights"), np.int32, 0, "FOR_NETCONS weights")
            m.table_id = ms.get("table_id", -1)
            # device kernels built as C in place of the hooks (engine/device_kernels.py)
            m.dev_run = <void *><uintptr_t>ms.get("dev_run", 0)
            m.dev_net_receive = <void *><uintptr_t>ms.get("dev_net_receive", 0)
            if m.dev_run != NULL:
                m.dev_nrun = len(ms["dev_run_start"]) - 1
                m.dev_run_start = <const int32_t *>_address(ms["dev_run_start"], np.int32,
                                                            m.dev_nrun + 1, "device runs")
                m.dev_order = <const int32_t *>_address(ms["dev_order"], np.int32, m.args.n,
                                                        "device order")
            m.ion_charge = ms.get("ion_charge", 0.0)
            m.ion_conci0 = ms.get("ion_conci0", 0.0)
            m.ion_conco0 = ms.get("ion_conco0", 0.0)
            # density mechanisms send no events: no per-instance event arrays (NULL)
            events = m.kind != 0
            m.selfevent = <int32_t *>_address(ms["selfevent"], np.int32,
                                              m.args.n if events else 0, "selfevent")
            m.presyn = <int32_t *>_address(ms["presyn"], np.int32, m.args.n if events else 0,
                                           "presyn")

        b.npresyn = spec["npresyn"]
        b.nvoltage = spec["nvoltage"]
        b.source_node = <const int32_t *>_address(spec["source_node"], np.int32, b.nvoltage,
                                                  "source nodes")
        b.threshold = <const double *>_address(spec["threshold"], np.float64, b.nvoltage,
                                               "thresholds")
        b.above = <uint8_t *>_address(spec["above"], np.uint8, b.nvoltage, "threshold flags")
        b.presyn_gid = <const int32_t *>_address(spec["presyn_gid"], np.int32, b.npresyn,
                                                 "presyn gids")
        b.fired = <int32_t *>_address(spec["fired"], np.int32, b.nvoltage, "fired")
        b.netcon_start = <const int32_t *>_address(spec["netcon_start"], np.int32,
                                                   b.npresyn + 1, "netcon_start")
        cdef Py_ssize_t nlisted = spec["netcon_start"][b.npresyn]
        b.netcon_list = <const int32_t *>_address(spec["netcon_list"], np.int32, nlisted,
                                                  "netcon_list")
        b.nnetcon = len(spec["netcon_mech"])
        b.netcon_mech = <const int32_t *>_address(spec["netcon_mech"], np.int32, b.nnetcon,
                                                  "netcon targets")
        b.netcon_instance = <const int32_t *>_address(spec["netcon_instance"], np.int32,
                                                      b.nnetcon, "netcon instances")
        b.netcon_weight = <const int32_t *>_address(spec["netcon_weight"], np.int32,
                                                    b.nnetcon, "netcon weights")
        b.netcon_delay = <const double *>_address(spec["netcon_delay"], np.float64,
                                                  b.nnetcon, "netcon delays")
        b.weights = <double *>_address(spec["weights"], np.float64, 0, "weights")
        b.nweight = spec["weights"].size
        input_gid = spec.get("input_gid")
        b.ninput = 0 if input_gid is None else len(input_gid)
        if b.ninput:
            b.input_gid = <const int32_t *>_address(input_gid, np.int32, b.ninput, "input gids")
            b.input_netcon_start = <const int32_t *>_address(
                spec["input_netcon_start"], np.int32, b.ninput + 1, "input_netcon_start")
            b.input_netcon_list = <const int32_t *>_address(
                spec["input_netcon_list"], np.int32, spec["input_netcon_start"][b.ninput],
                "input_netcon_list")
        gap_target = spec.get("gap_target")
        b.ngap = 0 if gap_target is None else len(gap_target)
        if b.ngap:
            # Addresses of doubles, computed and kept alive by the assembler.
            b.gap_target = <double **>_address(gap_target, np.uintp, b.ngap, "gap targets")
            b.gap_source = <const double **>_address(spec["gap_source"], np.uintp, b.ngap,
                                                     "gap sources")
        plays = spec.get("plays", [])
        b.nplay = len(plays)
        b.plays = <pcn_vecplay *>calloc(max(1, b.nplay), sizeof(pcn_vecplay))
        if b.plays == NULL:
            raise MemoryError("Vector.play")
        for k, (target, tvec, yvec) in enumerate(plays):
            if len(tvec) != len(yvec) or len(tvec) == 0:
                raise ValueError("a Vector.play needs equally long, non-empty t and y")
            b.plays[k].target = <double *><uintptr_t>target
            b.plays[k].t = <const double *>_address(tvec, np.float64, len(tvec), "play t")
            b.plays[k].y = <const double *>_address(yvec, np.float64, len(yvec), "play y")
            b.plays[k].n = len(tvec)

        # Addresses of doubles in this block's arrays (v, mechanism data), computed by
        # engine.recording from the arrays this spec holds, so they live as long as the block.
        record_ptr = spec.get("record_ptr")
        b.nrecord = 0 if record_ptr is None else len(record_ptr)
        if b.nrecord:
            b.record_ptr = <const double **>_address(record_ptr, np.uintp, b.nrecord,
                                                     "recorded addresses")
            b.record_every = spec["record_every"]
            b.record_capacity = spec["record_capacity"]
            if b.record_every < 1:
                raise ValueError("record_every must be >= 1")
            b.record_v = <double *>_address(spec["record_v"], np.float64,
                                            b.record_capacity * b.nrecord, "record buffer")
        b.dt = spec["dt"]
        b.celsius = spec["celsius"]
        b.secondorder = spec["secondorder"]
        if pcn_block_setup(b, spec.get("queue_capacity", 1024)) != 0:
            raise MemoryError("event queue")
        self.ready = True

    def __dealloc__(self):
        if self.ready:
            pcn_block_release(&self.blk)
        free(self.blk.mechs)
        free(self.blk.plays)

    def build_tables(self):
        """The TABLEs this block builds (before any block initialises)."""
        with nogil:
            pcn_block_tables(&self.blk)

    def initialize(self, double voltage, bint keep_v, bint tables=True):
        """finitialize; tables: build this block's TABLEs first (a block run alone)."""
        with nogil:
            if tables:
                pcn_block_tables(&self.blk)
            pcn_block_initialize(&self.blk, voltage, keep_v)
        self._check()

    def advance(self, int64_t nsteps):
        with nogil:
            pcn_block_advance(&self.blk, nsteps)
        self._check()

    def receive(self, const double[::1] times, const int32_t[::1] gids):
        """Spikes from other blocks, in the order they were sent."""
        if times.shape[0] != gids.shape[0]:
            raise ValueError("one gid per spike time")
        if times.shape[0] == 0:
            return
        with nogil:
            pcn_block_receive(&self.blk, times.shape[0], &times[0], &gids[0])
        self._check()

    @property
    def nspike(self):
        return self.blk.nspike

    def spikes_since(self, int64_t mark):
        """(times, gids) recorded from spike number mark on."""
        cdef int64_t n = self.blk.nspike - mark
        if n < 0:
            raise ValueError("mark beyond the recorded spikes")
        times = np.empty(n, dtype=np.float64)
        gids = np.empty(n, dtype=np.int32)
        cdef double[::1] tv = times
        cdef int32_t[::1] gv = gids
        cdef int64_t i
        for i in range(n):
            tv[i] = self.blk.spike_t[mark + i]
            gv[i] = self.blk.spike_gid[mark + i]
        return times, gids

    def _check(self):
        if self.blk.error:
            raise _run_error(self.blk.error)

    @property
    def t(self):
        return self.blk.t

    @property
    def steps(self):
        return self.blk.steps_done

    @property
    def samples(self):
        """Samples in the record buffer (since the last drain_samples)."""
        return self.blk.nsample

    def drain_samples(self):
        """Empty the record buffer after its samples were copied out (between windows)."""
        self.blk.nsample = 0

    def spikes(self):
        """(times, gids) recorded so far, as new arrays."""
        cdef int64_t n = self.blk.nspike
        times = np.empty(n, dtype=np.float64)
        gids = np.empty(n, dtype=np.int32)
        cdef double[::1] tv = times
        cdef int32_t[::1] gv = gids
        cdef int64_t i
        for i in range(n):
            tv[i] = self.blk.spike_t[i]
            gv[i] = self.blk.spike_gid[i]
        return times, gids

    def attach_device(self, str kind, uintptr_t memory=0, uintptr_t ops=0, list runs=None,
                      list receives=None, bint poison=False):
        """Copy the block to a device for the device engine's windows (device_target.h).
        kind "copy": separate host buffers and the host build of the kernels (the CPU check
        of the copies); "cuda": memory and ops, the CUDA module's tables, and runs and
        receives, per mechanism slot, the addresses of its CUDA kernels (0: none)."""
        cdef const char *what = NULL
        cdef void **run_table = NULL
        cdef void **receive_table = NULL
        cdef int k, error
        if self.blk.target != NULL:
            raise ValueError("the block is already on a device")
        if kind == "copy":
            memory = <uintptr_t>&pcn_host_memory
            ops = <uintptr_t>&pcn_device_host_ops
        elif kind != "cuda" or memory == 0 or ops == 0:
            raise ValueError(f"device kind {kind!r} needs its memory and ops tables")
        try:
            if runs is not None:
                run_table = <void **>calloc(max(1, self.blk.nmech), sizeof(void *))
                receive_table = <void **>calloc(max(1, self.blk.nmech), sizeof(void *))
                if run_table == NULL or receive_table == NULL:
                    raise MemoryError("device kernel tables")
                for k in range(min(len(runs), self.blk.nmech)):
                    run_table[k] = <void *><uintptr_t>runs[k]
                    receive_table[k] = <void *><uintptr_t>(receives[k] if receives else 0)
            error = pcn_device_attach(&self.blk, <const pcn_device_memory *>memory,
                                      <const pcn_device_ops *>ops, run_table, receive_table,
                                      1 if poison else 0, &what)
        finally:
            free(run_table)
            free(receive_table)
        if error != 0:
            pcn_device_detach(&self.blk)
            from .errors import NotSupportedError, RunError
            if error == -2:
                raise NotSupportedError(
                    f"{what.decode()} cannot be copied to the device (a pointer outside the "
                    "block's arrays, fast i_membrane, FOR_NETCONS, or device kernels missing)")
            raise RunError("the model could not be copied to the device (out of device "
                           "memory, or a device error)")

    def download_device(self):
        """The device's state into the block's arrays (they then hold the run's state)."""
        from .errors import RunError
        if pcn_device_download(&self.blk) != 0:
            raise RunError("copying the model's state back from the device failed")

    def detach_device(self):
        pcn_device_detach(&self.blk)


cdef class BlockSet:
    """Several blocks advanced together on OpenMP threads (they are independent in a window)."""

    cdef pcn_block **pointers
    cdef int32_t n
    cdef list blocks

    def __cinit__(self, list blocks):
        self.blocks = list(blocks)
        self.n = len(blocks)
        self.pointers = <pcn_block **>calloc(max(1, self.n), sizeof(pcn_block *))
        if self.pointers == NULL:
            raise MemoryError("block set")
        cdef Block block
        cdef int k
        for k in range(self.n):
            block = blocks[k]
            self.pointers[k] = &block.blk

    def __dealloc__(self):
        free(self.pointers)

    def advance(self, int64_t nsteps, int32_t nthreads):
        """Every block nsteps steps."""
        cdef int error
        with nogil:
            error = pcn_blocks_advance(self.pointers, self.n, nsteps, nthreads)
        if error:
            raise _run_error(error)

    def step_halves(self, int32_t nthreads):
        """One step of gap-coupled blocks: all first halves, then all second halves."""
        cdef int error
        with nogil:
            error = pcn_blocks_step_halves(self.pointers, self.n, nthreads)
        if error:
            raise _run_error(error)

    def first_halves(self, int32_t nthreads):
        with nogil:
            pcn_blocks_first_half(self.pointers, self.n, nthreads)

    def second_halves(self, int32_t nthreads):
        cdef int error
        with nogil:
            error = pcn_blocks_second_half(self.pointers, self.n, nthreads)
        if error:
            raise _run_error(error)


def gather_values(cnp.ndarray[cnp.uintp_t, ndim=1] addresses, double[::1] out):
    """out[k] = the double at addresses[k] (gap-junction sources for another rank)."""
    cdef Py_ssize_t k
    if out.shape[0] != addresses.shape[0]:
        raise ValueError("one output per address")
    for k in range(addresses.shape[0]):
        out[k] = (<double *><uintptr_t>addresses[k])[0]


def ran123_stream_size():
    """Bytes of one Random123 stream (pcn_ran123_stream)."""
    return sizeof(pcn_ran123_stream)


def ran123_stream_init_at(uintptr_t address, uint32_t id1, uint32_t id2, uint32_t id3,
                          uint32_t globalindex, uint32_t seq, int which):
    """Initialise the stream stored at address (storage owned by the caller)."""
    cdef pcn_ran123_stream *s = <pcn_ran123_stream *>address
    pcn_ran123_init(s, id1, id2, id3, globalindex)
    pcn_ran123_setseq(s, seq, which)
