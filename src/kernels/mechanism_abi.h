/* The one ABI every mechanism kernel follows, built-in or user MOD file.
 *
 * pycoreneuron's NMODL translator (pycoreneuron.nmodl) prints one C file per MOD file; each
 * exports a descriptor `pcn_mech_desc` with the layout and four hooks. The engine fills one
 * parameter pack `pcn_mech_args` per block of instances of one mechanism and calls the hooks.
 *
 * Data are field-major ("SoA") per block: the double of field k of instance i is
 * data[k*stride + i]; dparam slot s of instance i is pdata[s*stride + i]. An array variable
 * (dur[3]) starting at field k keeps each instance's elements side by side, as CoreNEURON
 * lays them out: element j of instance i is data[k*stride + i*dim + j]. A dparam that names a double elsewhere (ion variable, area, diam,
 * POINTER) is resolved by the engine into an index into dp_base[s]: its value is
 * dp_base[s][pdata[s*stride + i]]. A dparam that names an object (pntproc, netsend, random,
 * bbcorepointer) indexes vdata: vdata[pdata[s*stride + i]].
 *
 * Kernels never allocate, never block, and touch no globals other than their mechanism
 * type's read-only GLOBAL parameters and TABLEs (written only by `table`, before a run).
 * GLOBALs that MOD code writes (and top-level LOCALs) live in `tvars`, one persistent copy
 * per block as NEURON keeps one per thread: their values carry from instance to instance,
 * hook to hook and step to step (the descriptor lists them; see docs/dev/translator.md).
 */
#ifndef PCN_MECHANISM_ABI_H
#define PCN_MECHANISM_ABI_H

#ifdef __cplusplus
extern "C" {
#endif

#define PCN_MECH_ABI_VERSION 6

enum pcn_mech_kind { PCN_DENSITY = 0, PCN_POINT_PROCESS = 1, PCN_ARTIFICIAL_CELL = 2 };

typedef struct pcn_mech_args pcn_mech_args;

/* Event services the engine provides to NET_RECEIVE and INITIAL (NEURON's net_send,
 * net_event, net_move); `id` is the instance within the block. */
typedef void (*pcn_net_send_fn)(const pcn_mech_args *a, int id, int weight_index,
                                double tdeliver /* [ms] */, double flag);
typedef void (*pcn_net_event_fn)(const pcn_mech_args *a, int id, double t /* [ms] */);
typedef void (*pcn_net_move_fn)(const pcn_mech_args *a, int id, double tnew /* [ms] */);

struct pcn_mech_args {
    int n;                       /* instances in this block */
    int stride;                  /* field stride of data and pdata (>= n, padded) */
    double t;                    /* [ms] time as the hook sees it (see each hook) */
    double dt;                   /* [ms] */
    double celsius;              /* [degC] */
    int secondorder;             /* 0 backward Euler, 1/2 Crank-Nicolson */
    double *v;                   /* [mV] node voltages of the block */
    double *rhs;                 /* matrix right-hand side, per node */
    double *d;                   /* matrix diagonal, per node */
    const double *area;          /* [um2] node areas (point processes scale by 1e2/area) */
    const int *ni;               /* node index of each instance */
    double *data;                /* this mechanism's doubles, data[field*stride + i] */
    int *pdata;                  /* this mechanism's dparams, pdata[slot*stride + i]; kernels
                                    write only the WATCH slots (0 off, 2 armed, 3 armed+true) */
    double *const *dp_base;      /* per dparam slot: the double array it indexes, or NULL */
    void *const *vdata;          /* Point_process handles, queue items, Random123 streams */
    double *weights;             /* NetCon weights (NET_RECEIVE arguments) */
    double *sav_rhs;             /* fast i_membrane: ELECTRODE_CURRENT share of rhs, or NULL */
    double *sav_d;               /* fast i_membrane: ELECTRODE_CURRENT share of d, or NULL */
    pcn_net_send_fn net_send;
    pcn_net_event_fn net_event;
    pcn_net_move_fn net_move;
    void *ctx;                   /* the engine's, for the event services */
    double *tvars;               /* the block's copy of the thread variables (desc->ntvars
                                    doubles), or NULL: then each hook call starts from zeros */
    unsigned int globalindex;    /* Random123 global index (globals.dat, or -s): streams that
                                    VERBATIM code makes (neuron_api.h) */
    const int *fornetcon_offsets; /* FOR_NETCONS: instance i's NetCons are entries
                                     [offsets[i], offsets[i+1]) of fornetcon_weights, each the
                                     weight index of one NetCon onto it; NULL if unused */
    const int *fornetcon_weights;
};

/* BEFORE/AFTER blocks (NEURON's nrn_ba): when the engine calls pcn_mech_desc.ba[k]. */
enum pcn_ba_when {
    PCN_BEFORE_INITIAL = 0,    /* finitialize, before the INITIAL blocks */
    PCN_AFTER_INITIAL = 1,     /* finitialize, after INITIAL and the NetCon INITIAL blocks */
    PCN_BEFORE_BREAKPOINT = 2, /* every matrix set-up (step D and finitialize's), before currents */
    PCN_AFTER_SOLVE = 3,       /* step J, after the state updates, t = t_{n+1} */
    PCN_BEFORE_STEP = 4,       /* after AFTER_SOLVE (and at the end of finitialize), before
                                  the trajectories are sampled and the events at t delivered */
    PCN_BA_COUNT = 5
};

/* pcn_mech_desc.flags */
enum {
    /* A thread variable is read before it is written and some write depends on one
     * instance's values: NEURON's results need its instances in NEURON's order, one copy per
     * NEURON thread (the engine keeps the group in one block, instances in dataset order). */
    PCN_MECH_ORDER_DEPENDENT = 1,
    /* ... and such a variable may be read before any hook of this run has written it. */
    PCN_MECH_INITIAL_MATTERS = 2,
    /* A TABLE DEPENDs on a variable INITIAL writes: NEURON checks it again before the first
     * step (and each group of steps), so the engine calls `table` before every window. */
    PCN_MECH_TABLE_RECHECK = 4,
};

typedef struct pcn_mech_desc {
    int abi_version;             /* PCN_MECH_ABI_VERSION */
    const char *name;            /* SUFFIX / POINT_PROCESS / ARTIFICIAL_CELL name */
    int kind;                    /* enum pcn_mech_kind */
    int data_size;               /* doubles per instance (bbcore_mech.dat psize) */
    int dparam_size;             /* dparams per instance (bbcore_mech.dat dpsize) */
    int nvars;                   /* variables, arrays counted once */
    const char *const *var_names;
    const int *var_dims;
    const char *const *dparam_semantics; /* "area", "pntproc", "na_ion", "#ca_ion", ... */
    int nglobals;                /* GLOBAL parameters, settable before a run by name */
    const char *const *global_names;     /* as in globals.dat: name_suffix */
    double *const *global_values;
    int net_receive_nargs;       /* -1 if no NET_RECEIVE */
    int electrode_current;       /* 1: rhs += i, d -= g (ELECTRODE_CURRENT) */

    /* finitialize, t = 0, after v is set and ions are initialised: INITIAL block. */
    void (*init)(const pcn_mech_args *a);
    /* Step D3, t = t_n + dt/2: BREAKPOINT currents into rhs/d (and ion currents). */
    void (*cur)(const pcn_mech_args *a);
    /* Step J, t = t_{n+1}, new v: the SOLVE blocks of BREAKPOINT (states). */
    void (*state)(const pcn_mech_args *a);
    /* Event delivery, t = event time: NET_RECEIVE of instance id. */
    void (*net_receive)(const pcn_mech_args *a, int id, int weight_index, double flag);
    /* finitialize, before any init, once per type: (re)build TABLEs if their DEPEND values
     * changed, as NEURON does from the data of instance `id` of `a` (the first instance of the
     * first thread that has the type), writing what the untabled code writes into that
     * instance and into a->tvars; id -1: a private all-zero instance. */
    void (*table)(const pcn_mech_args *a, int id);
    /* finitialize, after init, once per NetCon onto instance id (t = 0): the INITIAL block
     * inside NET_RECEIVE, its arguments at weights[weight_index...]; NULL if none. */
    void (*net_init)(const pcn_mech_args *a, int id, int weight_index);
    /* Step A, after threshold detection, t = t_n: armed WATCH conditions; one that became
     * true sends a self event at t + 0.0 with its flag and weight_index -1; NULL if none. */
    void (*watch_check)(const pcn_mech_args *a);

    /* Thread variables: ntvars doubles in tvars (index 0 unused); ntvar_names of them named
     * as in globals.dat (name_suffix), each at tvar_offsets[k], tvar_dims[k] long. */
    int ntvars;
    int ntvar_names;
    const char *const *tvar_names;
    const int *tvar_offsets;
    const int *tvar_dims;
    int flags;                   /* PCN_MECH_ORDER_DEPENDENT, PCN_MECH_INITIAL_MATTERS */
    const char *order_note;      /* why it is order dependent ("x.mod:12: ..."), or "" */
    /* Instance variables the untabled TABLE code reads before writing them: their values in
     * the instance the tables are built from shape every instance's lookups. */
    int ntable_inputs;
    const char *const *table_inputs;
    /* BEFORE/AFTER blocks by enum pcn_ba_when, each for every instance (v from the node, ions
     * not copied in or out, as nocmodl's); NULL where the file has none. */
    void (*ba[PCN_BA_COUNT])(const pcn_mech_args *a);
    /* Reading the dataset, before finitialize: the mechanism's VERBATIM bbcore_read for
     * every instance in order, on the group's BBCOREPOINTER record (its doubles x and ints
     * ia, each instance taking what its bbcore_write wrote); NULL if the file has none. */
    void (*bbcore_read)(const pcn_mech_args *a, const double *x, const int *ia);
    /* EXTERNAL: GLOBALs of other mechanisms, by their globals.dat names; the loader points
     * external_ptrs[k] at the one named external_names[k] before any hook runs. */
    int nexternals;
    const char *const *external_names;
    double **external_ptrs;
    /* Checkpoints: the mechanism's VERBATIM bbcore_write for every instance in order, into
     * x and ia (NULL: only count), *nx and *ni set to the doubles and ints it took; what it
     * writes, bbcore_read reads back (CoreNEURON's checkpoint does the same); NULL if none. */
    void (*bbcore_write)(const pcn_mech_args *a, double *x, int *ia, int *nx, int *ni);
    /* A device copy of the mechanism (printers/cuda.py) needs the type's GLOBALs and TABLEs:
     * copies value `name` (at most n doubles) into out and returns its number of doubles,
     * -1 for a name it does not have; NULL when the mechanism has no device copy. */
    int (*values)(const char *name, double *out, int n);
} pcn_mech_desc;

/* PatternStim (mod/pattern.mod): its BBCOREPOINTER `ptr` points at the engine's spike list,
 * which starts with the two calls the mechanism's VERBATIM makes. Calls through pointers keep
 * a mechanism library free of links into the engine. */
typedef struct pcn_patternstim_calls {
    /* INITIAL: rewind the list; 1 if there is one, else 0. */
    double (*initps)(void *info);
    /* NET_RECEIVE (flag 1) at time now [ms]: send the next group of spikes; returns the time
     * of the entry after it, or now - 1 when the list is exhausted. */
    double (*sendgroup)(void *info, double now, double fake_out);
} pcn_patternstim_calls;

/* Every generated library exports this: its mechanisms' descriptors. */
typedef int (*pcn_mechanisms_fn)(const pcn_mech_desc *const **out);

#ifdef __cplusplus
}
#endif

#endif
