TITLE PatternStim: replays a recorded list of (time, gid) spikes

COMMENT
Sends, at its recorded time, every spike of a list of (t, gid) pairs, as if
cell gid had fired: the inputs of a sub-network are replayed from a
spike raster of the whole network (CoreNEURON's --pattern file). Spikes are
sent in groups: at each self event all entries up to the current time go
out (at least 102 per group, then the group ends at the first later
entry), and the next self event is set at the next entry's time. With
fake_output set, spikes of gids that live on this process are sent by
their own PreSyn (and recorded).

The spike list is engine data, not part of the dataset (NEURON writes an
empty bbcorepointer record for it). In place of NEURON's and CoreNEURON's
C++ (Info structure, nrn_fake_fire), the two functions call the engine:
    double pcn_patternstim_initps(void* info)
        rewinds the list; returns 1 if there is a list, else 0
    double pcn_patternstim_sendgroup(void* info, double now, double fake_out)
        sends the next group; returns the time of the next entry, or t - 1
        when the list is exhausted
where info is the BBCOREPOINTER slot `ptr`: the engine's spike list, which
begins with pointers to its two functions (pcn_patternstim_calls in
mechanism_abi.h), so that this file needs no link into the engine.
bbcore_write/bbcore_read are left out: there is nothing to serialise.
The engine makes the one instance a -p run has (CoreNEURON's
nrn_mkPatternStim); fake_output stays 0 there.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(3 doubles): fake_output, v, _tsav; dparam: area, pntproc, ptr
(bbcorepointer), tqitem.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL PatternStim
    THREADSAFE
    RANGE fake_output
    BBCOREPOINTER ptr
}

PARAMETER {
    fake_output = 0     : 1: also replay gids that are local
}

ASSIGNED {
    ptr                 : the spike list (engine data)
}

INITIAL {
    if (initps() > 0) {
        net_send(0, 1)
    }
}

NET_RECEIVE (w) {
    LOCAL nst
    if (flag == 1) {
        nst = sendgroup()
        if (nst >= t) {
            net_send(nst - t, 1)
        }
    }
}

VERBATIM
/* the engine's spike list starts with its two calls (mechanism_abi.h) */
static double pcn_patternstim_initps(void* info) {
    return info ? ((const pcn_patternstim_calls*)info)->initps(info) : 0.;
}
static double pcn_patternstim_sendgroup(void* info, double now, double fake_out) {
    return ((const pcn_patternstim_calls*)info)->sendgroup(info, now, fake_out);
}
ENDVERBATIM

FUNCTION initps() {
VERBATIM
    _linitps = pcn_patternstim_initps(_p_ptr);
ENDVERBATIM
}

FUNCTION sendgroup() {
VERBATIM
    _lsendgroup = pcn_patternstim_sendgroup(_p_ptr, t, fake_output);
ENDVERBATIM
}
