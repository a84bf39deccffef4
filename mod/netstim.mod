TITLE NetStim: spike train generator, periodic to Poisson

COMMENT
An artificial cell that emits `number` events, the first near `start`,
then one every `interval` ms. With 0 < noise <= 1 each interval is
    (1 - noise)*interval + noise*interval*X,    X ~ Exp(1),
so noise = 1 gives a Poisson train with mean rate 1/interval (the
presynaptic spike generator of Mainen & Destexhe, in the event-driven form
of Hines & Carnevale (2004) Neurocomputing 58-60:1117-1122).
X is drawn from the instance's Random123 stream `ranvar`
(Salmon et al. (2011) "Parallel random numbers: as easy as 1, 2, 3", SC11),
as NEURON 9's nrnran123: the stream ids, sequence and position come with
the dataset, and INITIAL rewinds the stream to sequence 0.

Events received (flag 0): weight > 0 while idle starts a new train,
weight < 0 stops the current one.

Self events: flag 3 is the one sent by INITIAL, flag 1 each spike.

Left out (NEURON-only, empty in CoreNEURON): noiseFromRandom() and
noiseFromRandom123(), which set the stream from HOC. In pycoreneuron the
stream identity is read from the dataset.

pycoreneuron built-in. Instance layout, as NEURON 9.0.2 writes it
(9 doubles): interval, number, start, noise, event, on, ispike, v, _tsav;
dparam: area, pntproc, ranvar (Random123 stream), tqitem.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL NetStim
    THREADSAFE
    RANGE interval, number, start
    RANGE noise
    RANDOM ranvar
}

PARAMETER {
    interval = 10 (ms) <1e-9,1e9>  : mean time between spikes
    number = 10 <0,1e9>            : spikes per train
    start = 50 (ms)                : time of the first spike (mean, with noise)
    noise = 0 <0,1>                : 0 periodic ... 1 Poisson
}

ASSIGNED {
    event (ms)  : time to the next spike
    on          : 1 while a train is running
    ispike      : spikes sent in this train
}

INITIAL {
    seed(0)
    on = 0
    ispike = 0
    if (noise < 0) {
        noise = 0
    }
    if (noise > 1) {
        noise = 1
    }
    if (start >= 0 && number > 0) {
        on = 1
        : first spike on average at start + noise*interval, never before 0
        event = start + invl(interval) - interval*(1. - noise)
        if (event < 0) {
            event = 0
        }
        net_send(event, 3)
    }
}

PROCEDURE init_sequence() {
    if (number > 0) {
        on = 1
        event = 0
        ispike = 0
    }
}

FUNCTION invl(mean (ms)) (ms) {
    if (mean <= 0.) {
        mean = .01 (ms)
    }
    if (noise == 0) {
        invl = mean
    } else {
        invl = (1. - noise)*mean + noise*mean*erand()
    }
}

FUNCTION erand() {
    erand = random_negexp(ranvar)
}

PROCEDURE next_invl() {
    if (number > 0) {
        event = invl(interval)
    }
    if (ispike >= number) {
        on = 0
    }
}

PROCEDURE seed(x) {
    : x encodes sequence*4 + position in the 4-word Philox block
    random_setseq(ranvar, x)
}

NET_RECEIVE (w) {
    if (flag == 0) {
        if (w > 0 && on == 0) {
            : start a train; its first spike comes after noise*interval on average
            init_sequence()
            next_invl()
            event = event - interval*(1. - noise)
            net_send(event, 1)
        } else if (w < 0) {
            on = 0
        }
    }
    if (flag == 3) {
        if (on == 1) {
            init_sequence()
            net_send(0, 1)
        }
    }
    if (flag == 1 && on == 1) {
        ispike = ispike + 1
        net_event(t)
        next_invl()
        if (on == 1) {
            net_send(event, 1)
        }
    }
}
