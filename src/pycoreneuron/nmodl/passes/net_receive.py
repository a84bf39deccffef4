"""NET_RECEIVE: its INITIAL taken out into a NET_RECEIVE_INITIAL block (run once per NetCon
at finitialize), and its WATCH statements numbered: condition k of the file uses watch slot
k (slot 0 is NEURON's spare one), listed in Lowered.watch for the check at step A."""

from __future__ import annotations

from .. import ast
from ..errors import NmodlError
from . import rewrite
from .lowered import NET_RECEIVE_INITIAL, Lowered, WatchArm, WatchItem


def run(low: Lowered) -> None:
    for b in low.prog.blocks:
        if b.kind == "NET_RECEIVE":
            continue
        for s in ast.walk_stmts(b.body.stmts):
            if isinstance(s, ast.Watch):
                raise NmodlError(low.filename, s.line, "WATCH outside NET_RECEIVE")
    nr = low.prog.find_block("NET_RECEIVE")
    if nr is None:
        return
    inits = [s for s in nr.body.stmts if isinstance(s, ast.NetReceiveInitial)]
    if inits:
        body = [x for s in inits for x in s.body.stmts]
        for s in ast.walk_stmts(body):
            if isinstance(s, ast.Watch):
                raise NmodlError(low.filename, s.line, "WATCH in NET_RECEIVE's INITIAL is not "
                                 "supported", not_supported=True)
        nr.body.stmts = [s for s in nr.body.stmts if not isinstance(s, ast.NetReceiveInitial)]
        at = low.prog.blocks.index(nr) + 1
        low.prog.blocks.insert(at, ast.CodeBlock(NET_RECEIVE_INITIAL, None, list(nr.params),
                                                 ast.Block(body, line=inits[0].line),
                                                 line=inits[0].line))

    def arm(s: ast.Stmt) -> list[ast.Stmt] | None:
        if not isinstance(s, ast.Watch):
            return None
        items = []
        for cond, flag in s.items:
            low.watch.append(WatchItem(len(low.watch) + 1, cond, flag))
            items.append((len(low.watch), cond))
        return [WatchArm(items, line=s.line)]

    nr.body.stmts = rewrite.stmts(nr.body.stmts, arm)
