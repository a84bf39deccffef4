"""Print the AST back as NMODL, for debugging any stage (e.g. after the solve pass).

Parsing the printed text gives the same tree again (comments, units and TITLE aside).
"""

from __future__ import annotations

from . import ast
from .solve import to_text


def _expr(e: ast.Expr) -> str:
    return to_text(e)


def stmt_lines(s: ast.Stmt, ind: str = "    ") -> list[str]:
    if isinstance(s, ast.Local):
        return [ind + "LOCAL " + ", ".join(n if d == 1 else f"{n}[{d}]" for n, d in s.names)]
    if isinstance(s, ast.Assign):
        prefix = "PROTECT " if s.protected else ""
        return [f"{ind}{prefix}{_expr(s.target)} = {_expr(s.expr)}"]
    if isinstance(s, ast.DiffEq):
        return [f"{ind}{s.state}{chr(39) * s.order} = {_expr(s.expr)}"]
    if isinstance(s, ast.LinEq):
        return [f"{ind}{'~+' if s.add else '~'} {_expr(s.left)} = {_expr(s.right)}"]
    if isinstance(s, ast.Block):
        return [ind + "{"] + block_lines(s.stmts, ind + "    ") + [ind + "}"]
    if isinstance(s, ast.If):
        out = [f"{ind}IF ({_expr(s.cond)}) {{"] + block_lines(s.body.stmts, ind + "    ")
        for c, b in s.elifs:
            out += [f"{ind}}} ELSE IF ({_expr(c)}) {{"] + block_lines(b.stmts, ind + "    ")
        if s.orelse is not None:
            out += [f"{ind}}} ELSE {{"] + block_lines(s.orelse.stmts, ind + "    ")
        return out + [ind + "}"]
    if isinstance(s, ast.While):
        return ([f"{ind}WHILE ({_expr(s.cond)}) {{"] + block_lines(s.body.stmts, ind + "    ")
                + [ind + "}"])
    if isinstance(s, ast.From):
        by = f" BY {_expr(s.step)}" if s.step is not None else ""
        return ([f"{ind}FROM {s.var} = {_expr(s.start)} TO {_expr(s.stop)}{by} {{"]
                + block_lines(s.body.stmts, ind + "    ") + [ind + "}"])
    if isinstance(s, ast.Solve):
        method = f" METHOD {s.method}" if s.method else ""
        steady = f" STEADYSTATE {s.steadystate}" if s.steadystate else ""
        return [f"{ind}SOLVE {s.block}{method}{steady}"]
    if isinstance(s, ast.Table):
        names = " " + ", ".join(s.names) if s.names else ""
        dep = " DEPEND " + ", ".join(s.depend) if s.depend else ""
        return [f"{ind}TABLE{names}{dep} FROM {_expr(s.lo)} TO {_expr(s.hi)} WITH {s.n}"]
    if isinstance(s, ast.Conductance):
        return [f"{ind}CONDUCTANCE {s.name}" + (f" USEION {s.ion}" if s.ion else "")]
    if isinstance(s, ast.CallStmt):
        return [ind + _expr(s.call)]
    if isinstance(s, ast.Verbatim):
        return [ind + "VERBATIM" + s.text + "ENDVERBATIM"]
    if isinstance(s, ast.Watch):
        return [ind + "WATCH " + ", ".join(f"({_expr(c)}) {f}" for c, f in s.items)]
    if isinstance(s, ast.ForNetcons):
        return ([f"{ind}FOR_NETCONS ({', '.join(s.params)}) {{"]
                + block_lines(s.body.stmts, ind + "    ") + [ind + "}"])
    if isinstance(s, ast.NetReceiveInitial):
        return [ind + "INITIAL {"] + block_lines(s.body.stmts, ind + "    ") + [ind + "}"]
    if isinstance(s, ast.Reaction):
        rates = ", ".join(_expr(e) for e in (s.kf, s.kb) if e is not None)
        right = f" {_side(s.right)}" if s.right else ""
        return [f"{ind}~ {_side(s.left)} {s.op}{right} ({rates})"]
    if isinstance(s, ast.Conserve):
        return [f"{ind}CONSERVE {_side(s.terms)} = {_expr(s.total)}"]
    if isinstance(s, ast.Compartment):
        index = f"{s.index}, " if s.index else ""
        return [f"{ind}COMPARTMENT {index}{_expr(s.volume)} {{ {' '.join(s.names)} }}"]
    lowered = _lowered_lines(s, ind)
    if lowered is not None:
        return lowered
    return [f"{ind}: {type(s).__name__} {getattr(s, 'construct', '')}"]


def _side(terms: list[ast.ReactTerm]) -> str:
    return " + ".join((f"{t.num}" if t.num != 1 else "") + t.name
                      + (f"[{_expr(t.index)}]" if t.index is not None else "") for t in terms)


def _lowered_lines(s: ast.Stmt, ind: str) -> list[str] | None:
    """The statements the lowering passes make, in a notation of their own (not NMODL)."""
    from . import kinetic, linear
    from .passes import lowered

    deeper = ind + "    "
    if isinstance(s, lowered.Solved):
        return [f"{ind}: SOLVE {s.block} METHOD {s.method}"] + block_lines(s.stmts, ind)
    if isinstance(s, lowered.NewtonSolve):
        m = s.system
        out = [f"{ind}NEWTON {s.block} ({', '.join(m.states)}) {{"]
        return out + block_lines(m.body, deeper) + [ind + "}"]
    if isinstance(s, lowered.NonlinearSolve):
        return ([f"{ind}NEWTON_NONLINEAR {s.block} ({', '.join(s.states)}) {{"]
                + block_lines(s.body, deeper) + [ind + "}"])
    if isinstance(s, lowered.Residual):
        return [f"{ind}RESIDUAL {'+= ' if s.add else ''}{_expr(s.expr)}"]
    if isinstance(s, lowered.SparseSolve):
        k = s.system
        head = "STEADYSTATE SPARSE" if s.steady else "SPARSE"
        kind = "linear" if k.linear else "nonlinear"
        out = [f"{ind}{head} {s.block} ({', '.join(k.states)}; {k.ncons} conserved, "
               f"{kind}) {{"]
        return out + block_lines(k.body, deeper) + [ind + "}"]
    if isinstance(s, lowered.LinearSolve):
        return ([f"{ind}LINEAR_SOLVE {s.block} ({', '.join(s.system.states)}) {{"]
                + block_lines(s.system.body, deeper) + [ind + "}"])
    if isinstance(s, lowered.WatchArm):
        return [ind + "WATCH_ARM " + ", ".join(f"{k}: ({_expr(c)})" for k, c in s.items)]
    if isinstance(s, kinetic.KinAssign):
        target = {"rhs": "rhs[{}]", "mat": "mat[{}, {}]", "var": "{}"}[s.target[0]]
        return [f"{ind}{target.format(*s.target[1:])} {s.op} {_expr(s.expr)}"]
    if isinstance(s, kinetic.KinDtTerms):
        return [f"{ind}DT_TERMS"]
    if isinstance(s, linear.MatrixRow):
        terms = " ".join(f"{'+' if t.sign > 0 else '-'}[{'rhs' if t.col is None else t.col}] "
                         f"{_expr(t.expr)}" for t in s.terms)
        return [f"{ind}{'ROW' if s.new_row else 'ROW+'} {terms}"]
    return None


def block_lines(stmts: list[ast.Stmt], ind: str = "    ") -> list[str]:
    out: list[str] = []
    for s in stmts:
        out += stmt_lines(s, ind)
    return out


def _decl(d: ast.VarDecl, with_value: bool) -> str:
    text = d.name + (f"[{d.dim}]" if d.is_array else "")
    if with_value and d.value is not None:
        text += f" = {d.value}"
    return text


def to_nmodl(prog: ast.Program) -> str:
    """The program as NMODL text."""
    out: list[str] = []
    if prog.title:
        out.append(f"TITLE {prog.title}")
    out.append("NEURON {")
    for st in prog.neuron:
        if st.kind == "USEION":
            line = f"    USEION {st.names[0]}"
            if st.read:
                line += " READ " + ", ".join(st.read)
            if st.write:
                line += " WRITE " + ", ".join(st.write)
            if st.valence is not None:
                line += f" VALENCE {st.valence}"
            out.append(line)
        elif st.kind in ("SUFFIX", "POINT_PROCESS", "ARTIFICIAL_CELL"):
            out.append(f"    {st.kind} {st.names[0]}")
        else:
            out.append(f"    {st.kind} {', '.join(st.names)}".rstrip())
    out.append("}")
    for title, decls, with_value in (("PARAMETER", prog.parameters, True),
                                     ("ASSIGNED", prog.assigned, False),
                                     ("STATE", prog.states, False),
                                     ("CONSTANT", prog.constants, True)):
        if decls:
            out.append(f"{title} {{")
            out += ["    " + _decl(d, with_value) for d in decls]
            out.append("}")
    if prog.unit_constants:
        out.append("UNITS {")
        for u in prog.unit_constants:
            rhs = " ".join(u.units) if u.value is None else f"{u.value} {u.units[0]}"
            out.append(f"    {u.name} = {rhs}")
        out.append("}")
    for b in prog.blocks:
        head = b.kind
        if b.name:
            head += f" {b.name}"
        if b.kind in ("PROCEDURE", "FUNCTION", "NET_RECEIVE"):
            head += f"({', '.join(b.params)})"
        out.append(head + " {")
        out += block_lines(b.body.stmts)
        out.append("}")
    return "\n".join(out) + "\n"
