/* Ions (numerics §9) on the device, one thread per ion instance (single source:
 * pcn_device.h): finitialize's concentrations and reversal potential, step D3's clearing of
 * the current their users add to (and erev where the style asks every step), and step F's
 * second-order correction. The CPU engine runs the same text.
 *
 * An ion's data are field-major: erev, conci, conco, current, dcurrent/dv; its pdata holds
 * the style bits. Nernst's log is the platform's: glibc's on the CPU, CUDA's on the GPU, which
 * may differ in the last bit (where erev is recomputed every step, voltages may then leave
 * NEURON's bits on the GPU).
 */
#ifndef PCN_DEVICE_IONS_H
#define PCN_DEVICE_IONS_H

#include <math.h>

#include "pcn_device.h"

enum { PCN_ION_EREV = 0, PCN_ION_CONCI = 1, PCN_ION_CONCO = 2, PCN_ION_CUR = 3,
       PCN_ION_DCURDV = 4 };
enum { PCN_ION_INIT_CONC = 04, PCN_ION_INIT_EREV = 040, PCN_ION_EREV_EVERY_STEP = 0100 };

/* Nernst potential [mV] at celsius [degC] for valence z (NEURON's constants). */
PCN_DEVICE_FN double pcn_ion_nernst(double ci, double co, double z, double celsius) {
    /* Gas constant and Faraday's constant as products of the SI defining constants, each
     * product rounded to double, as NEURON computes them. */
    const double gas_constant = 1.380649e-23 * 6.02214076e+23;  /* [J/(K mol)] */
    const double faraday = 1.602176634e-19 * 6.02214076e+23;    /* [C/mol] */
    if (z == 0) {
        return 0.;
    }
    if (ci <= 0.) {
        return 1e6;
    }
    if (co <= 0.) {
        return -1e6;
    }
    const double ktf = ((1000. * gas_constant) * (celsius + 273.15)) / faraday; /* [mV] */
    return ktf / z * log(co / ci);
}

PCN_KERNEL void pcn_ion_initialize_k(int n, int stride, double *PCN_RESTRICT data,
                                     const int *PCN_RESTRICT style, double charge,
                                     double conci0, double conco0, double celsius) {
    PCN_FOR_EACH_THREAD(i, n) {
        double *e = data + PCN_ION_EREV * stride;
        double *ci = data + PCN_ION_CONCI * stride;
        double *co = data + PCN_ION_CONCO * stride;
        if (style[i] & PCN_ION_INIT_CONC) {
            ci[i] = conci0;
            co[i] = conco0;
        }
        if (style[i] & PCN_ION_INIT_EREV) {
            e[i] = pcn_ion_nernst(ci[i], co[i], charge, celsius);
        }
    }
}

PCN_KERNEL void pcn_ion_current_k(int n, int stride, double *PCN_RESTRICT data,
                                  const int *PCN_RESTRICT style, double charge, double celsius) {
    PCN_FOR_EACH_THREAD(i, n) {
        data[PCN_ION_DCURDV * stride + i] = 0.;
        data[PCN_ION_CUR * stride + i] = 0.;
        if (style[i] & PCN_ION_EREV_EVERY_STEP) {
            data[PCN_ION_EREV * stride + i] = pcn_ion_nernst(
                data[PCN_ION_CONCI * stride + i], data[PCN_ION_CONCO * stride + i], charge,
                celsius);
        }
    }
}

PCN_KERNEL void pcn_ion_second_order_k(int n, int stride, double *PCN_RESTRICT data,
                                       const int *PCN_RESTRICT node,
                                       const double *PCN_RESTRICT rhs) {
    PCN_FOR_EACH_THREAD(i, n) {
        data[PCN_ION_CUR * stride + i] += data[PCN_ION_DCURDV * stride + i] * rhs[node[i]];
    }
}

#endif
