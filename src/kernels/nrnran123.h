/* CoreNEURON's header name for its Random123 streams, which VERBATIM code includes
 * (#include "nrnran123.h"): pycoreneuron's version of that API is neuron_api.h. */
#ifndef PCN_NRNRAN123_H
#define PCN_NRNRAN123_H
#include "neuron_api.h"
#endif
