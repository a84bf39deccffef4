: Our own test point process: a noise current from a Random123 stream behind a
: BBCOREPOINTER, as published synapses (Gfluct3) hold theirs. NEURON makes the stream
: (noiseFromRandom123), writes its ids and position into the dataset (bbcore_write); the
: CoreNEURON side of the VERBATIM (bbcore_read) makes it again from there.
NEURON {
    THREADSAFE
    POINT_PROCESS TgNoise
    ELECTRODE_CURRENT i
    RANGE amp, i, noise
    BBCOREPOINTER ran
}
UNITS { (nA) = (nanoamp) }
PARAMETER { amp = 1.5 (nA) }
ASSIGNED { i (nA) ran noise }
VERBATIM
#include "nrnran123.h"
ENDVERBATIM
INITIAL {
VERBATIM
    if (_p_ran) {
        nrnran123_setseq((nrnran123_State*)_p_ran, 0, 0);
    }
ENDVERBATIM
    noise = 0
}
BEFORE BREAKPOINT { noise = draw() }
BREAKPOINT { i = amp*noise }
FUNCTION draw() {
    draw = 0
VERBATIM
    if (_p_ran) {
        _ldraw = nrnran123_normal((nrnran123_State*)_p_ran);
    }
ENDVERBATIM
}
PROCEDURE noiseFromRandom123() {
VERBATIM
#if !NRNBBCORE
    {
        nrnran123_State** pv = (nrnran123_State**)(&_p_ran);
        if (*pv) {
            nrnran123_deletestream(*pv);
            *pv = (nrnran123_State*)0;
        }
        if (ifarg(3)) {
            *pv = nrnran123_newstream3((uint32_t)*getarg(1), (uint32_t)*getarg(2),
                                       (uint32_t)*getarg(3));
        }
    }
#endif
ENDVERBATIM
}
VERBATIM
static void bbcore_write(double* x, int* d, int* xx, int* offset, _threadargsproto_) {
    if (d) {
        uint32_t* di = ((uint32_t*)d) + *offset;
        nrnran123_State** pv = (nrnran123_State**)(&_p_ran);
        char which;
        nrnran123_getids3(*pv, di, di + 1, di + 2);
        nrnran123_getseq(*pv, di + 3, &which);
        di[4] = (int)which;
    }
    *offset += 5;
}

static void bbcore_read(double* x, int* d, int* xx, int* offset, _threadargsproto_) {
    uint32_t* di = ((uint32_t*)d) + *offset;
    nrnran123_State** pv = (nrnran123_State**)(&_p_ran);
    *pv = nrnran123_newstream3(di[0], di[1], di[2]);
    nrnran123_setseq(*pv, di[3], (char)di[4]);
    *offset += 5;
}
ENDVERBATIM
