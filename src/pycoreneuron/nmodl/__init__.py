"""pycoreneuron's NMODL translator: MOD files -> C kernels with one mechanism ABI.

Pipeline (each stage its own module): ``parser`` (text -> ``ast``), ``symbols`` (declarations
and the NEURON block -> a symbol table), ``layout`` (NEURON's data and dparam order),
``solve`` (cnexp / derivimplicit / euler), ``codegen`` (C printer reading ``MechanismInfo``).
"""
