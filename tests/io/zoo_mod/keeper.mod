: A point process with a BBCOREPOINTER (two ints and one double per instance through
: bbcore_write), a self event and a WATCH: the dparam kinds the ringtest does not have.
NEURON {
    THREADSAFE
    POINT_PROCESS Keeper
    BBCOREPOINTER store
    RANGE count
}

ASSIGNED {
    count
    store
    v (millivolt)
}

INITIAL {
    count = 0
}

NET_RECEIVE(w) {
    count = count + 1
    if (flag == 0) {
        net_send(1, 1)
    } else if (flag == 1) {
        WATCH (v > -20) 2
    }
}

VERBATIM
static void bbcore_write(double* x, int* d, int* xx, int* offset, _threadargsproto_) {
    if (d) {
        d[*offset] = 7;
        d[*offset + 1] = (int) _iml;
    }
    if (x) {
        x[*xx] = 2.5;
    }
    *offset += 2;
    *xx += 1;
}

static void bbcore_read(double* x, int* d, int* xx, int* offset, _threadargsproto_) {
    *offset += 2;
    *xx += 1;
}
ENDVERBATIM
