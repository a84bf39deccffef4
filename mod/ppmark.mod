TITLE PointProcessMark: a point process without behaviour

COMMENT
Marks a location (NEURON uses it to show a point on a Shape plot). It has
no variables and no equations; a dataset may still carry instances.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(1 double): v; dparam: area, pntproc.
ENDCOMMENT

NEURON {
    POINT_PROCESS PointProcessMark
}
