"""The event queue orders events as CoreNEURON's least-slot + splay-tree queue does."""

import math
import random

import pytest

from pycoreneuron._core import EventQueue


class ReferenceQueue:
    """The rule written plainly: a least slot and a list kept in (time, tree entry) order."""

    def __init__(self):
        self.least = None  # [t, name]
        self.tree = []  # [t, entry, name], sorted
        self.entries = 0

    def _enter_tree(self, item):
        self.tree.append([item[0], self.entries, item[1]])
        self.entries += 1
        self.tree.sort(key=lambda x: (x[0], x[1]))

    def insert(self, t, name):
        if self.least is None:
            self.least = [t, name]
        elif t < self.least[0]:
            self._enter_tree(self.least)
            self.least = [t, name]
        else:
            self._enter_tree([t, name])

    def pop(self, til):
        if self.least is None or not self.least[0] <= til:
            return None
        out = self.least
        self.least = self.tree.pop(0)[::2] if self.tree else None
        return (out[0], out[1])

    def find(self, name):
        if self.least is not None and self.least[1] == name:
            return "least"
        return next(i for i, x in enumerate(self.tree) if x[2] == name)

    def move(self, name, tnew):
        where = self.find(name)
        if where == "least":
            self.least[0] = tnew
            if self.tree and tnew > self.tree[0][0]:
                old = self.least
                self.least = self.tree.pop(0)[::2]
                self._enter_tree(old)
        elif tnew < self.least[0]:
            self.tree.pop(where)
            self._enter_tree(self.least)
            self.least = [tnew, name]
        else:
            self.tree.pop(where)
            self._enter_tree([tnew, name])

    def remove(self, name):
        where = self.find(name)
        if where == "least":
            self.least = self.tree.pop(0)[::2] if self.tree else None
        else:
            self.tree.pop(where)


def drain(q, til=math.inf):
    out = []
    while (e := q.pop(til)) is not None:
        out.append(e)
    return out


def test_a_displaced_least_goes_behind_equal_times():
    # NetCon events A(2.0), B(2.0), then C(1.5): A leaves the least slot and re-enters the
    # tree behind B, so delivery is C, B, A (verified against CoreNEURON, numerics doc 6.2).
    q = EventQueue()
    q.insert(2.0, target=ord("A"))
    q.insert(2.0, target=ord("B"))
    q.insert(1.5, target=ord("C"))
    assert [chr(e[1]) for e in drain(q)] == ["C", "B", "A"]


def test_pop_respects_til_and_empty_queue():
    q = EventQueue()
    assert q.pop(1e9) is None and q.least_time() == math.inf
    q.insert(1.0, target=1)
    assert q.pop(0.999) is None
    assert q.pop(1.0) == (1.0, 1, 0.0)
    assert len(q) == 0


@pytest.mark.parametrize("seed", range(20))
def test_random_operations_match_the_reference(seed):
    rng = random.Random(seed)
    q, ref = EventQueue(capacity=4), ReferenceQueue()  # small capacity: exercises growth
    handles = {}
    name = 0
    for _ in range(400):
        op = rng.random()
        pending = list(handles)
        if op < 0.5 or not pending:
            t = rng.choice([0.5, 1.0, 1.5, 2.0, 2.5]) if rng.random() < 0.7 else rng.random() * 3
            handles[name] = q.insert(t, target=name)
            ref.insert(t, name)
            name += 1
        elif op < 0.7:
            til = rng.random() * 3
            got, want = drain(q, til), []
            while (e := ref.pop(til)) is not None:
                want.append(e)
            assert [(t, n) for t, n, _ in got] == want
            for _, n, _ in got:
                del handles[n]
        elif op < 0.85:
            n = rng.choice(pending)
            tnew = rng.choice([0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
            q.move(handles[n], tnew)
            ref.move(n, tnew)
        else:
            n = rng.choice(pending)
            q.remove(handles.pop(n))
            ref.remove(n)
        assert len(q) == (ref.least is not None) + len(ref.tree)
    want = []
    while (e := ref.pop(math.inf)) is not None:
        want.append(e)
    assert [(t, n) for t, n, _ in drain(q)] == want


def test_unknown_handle_is_refused():
    q = EventQueue()
    h = q.insert(1.0)
    q.pop(2.0)
    with pytest.raises(ValueError):
        q.move(h, 3.0)
    with pytest.raises(ValueError):
        q.remove(12345)


@pytest.mark.parametrize("seed", range(6))
def test_a_copy_continues_as_the_original(seed):
    """pcn_queue_copy as a device window uses it: the queue is copied, the original goes on
    (and is thrown away), the copy goes on from the copied state, again and again; the copy
    must hand out the same handles and pop the same events as a queue never copied."""
    rng = random.Random(seed)
    live, spare, reference = EventQueue(capacity=4), EventQueue(capacity=4), EventQueue(4)
    pending: list[int] = []

    def step(queue, handles, record):
        op = rng.random()
        if op < 0.55 or not handles:
            t = rng.choice([0.5, 1.0, 1.5, 2.0]) if rng.random() < 0.7 else rng.random() * 3
            target = rng.randrange(1000)
            record.append(("insert", t, target))
            handles.append(queue.insert(t, target=target))
        elif op < 0.8:
            til = rng.random() * 3
            record.append(("pop", til))
            got = drain(queue, til)
            handles[:] = [h for h in handles if queue_is_pending(queue, h)]
            return got
        else:
            h = rng.choice(handles)
            tnew = rng.choice([0.5, 1.0, 1.5, 2.0, 3.0])
            record.append(("move", h, tnew))
            queue.move(h, tnew)
        return None

    for _ in range(60):
        spare.copy_from(live)
        scratch = list(pending)
        for _ in range(rng.randrange(1, 20)):  # the plan's work, thrown away
            step(live, scratch, [])
        live, spare = spare, live
        record: list = []
        for _ in range(rng.randrange(1, 20)):
            got = step(live, pending, record)
            entry = record[-1]
            if entry[0] == "insert":
                assert reference.insert(entry[1], target=entry[2]) == pending[-1]
            elif entry[0] == "pop":
                assert drain(reference, entry[1]) == got
            else:
                reference.move(entry[1], entry[2])
    assert drain(live) == drain(reference)


def queue_is_pending(queue, handle) -> bool:
    try:
        queue._check_pending(handle)
    except ValueError:
        return False
    return True
