TITLE HalfGap: one side of an ohmic gap junction

COMMENT
The ringtest's gap junctions are pairs of HalfGap point processes. Each side injects
i = g*(vgap - v), where vgap is the other side's voltage, delivered every step by
ParallelContext.source_var/target_var (a RANGE variable, not a POINTER). The two sides carry the
same g, so the pair conducts symmetrically. g may be 0, which disconnects the pair.
ENDCOMMENT

NEURON {
    POINT_PROCESS HalfGap
    RANGE g, i, vgap
    ELECTRODE_CURRENT i
}

UNITS {
    (mV) = (millivolt)
    (nA) = (nanoamp)
    (uS) = (microsiemens)
}

PARAMETER {
    g = 0 (uS)      : gap conductance, 1/megohm
}

ASSIGNED {
    v (mV)          : this side's voltage
    vgap (mV)       : the other side's voltage, written by the transfer
    i (nA)          : current into this side
}

BREAKPOINT {
    i = g*(vgap - v)
}
