"""Parse NMODL text into the AST of :mod:`pycoreneuron.nmodl.ast` (lark, LALR)."""

from __future__ import annotations

import contextvars
import functools
import os
import re
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from ..errors import UsageError, quote
from ..io.text import read_bounded
from ..limits import MAX_MOD_BYTES
from . import ast
from .errors import NmodlError

_GRAMMAR = Path(__file__).with_name("nmodl.lark")


# The text being parsed, for the keyword check below (parse() sets it).
_TEXT: contextvars.ContextVar[str] = contextvars.ContextVar("nmodl_text", default="")


class _GluedKeyword(Exception):
    """A keyword run into the name after it (NONSPECIFIC_CURRENTi)."""

    def __init__(self, token: Token):
        super().__init__(str(token))
        self.token = token


def _keyword_ends_a_word(token: Token) -> Token:
    """The contextual lexer matches a keyword where no name may stand even when letters
    follow it (NONSPECIFIC_CURRENTi would read as NONSPECIFIC_CURRENT i); nocmodl reads one
    unknown word there. Refuse it."""
    text = _TEXT.get()
    end = token.end_pos
    if end is not None and end < len(text) and (text[end].isalnum() or text[end] == "_"):
        raise _GluedKeyword(token)
    return token


@functools.lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = _GRAMMAR.read_text()
    plain = Lark(grammar, parser="lalr", lexer="contextual")
    keywords = [t.name for t in plain.terminals
                if t.pattern.type == "str" and t.pattern.value.isidentifier()]
    return Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=True,
                maybe_placeholders=True,
                lexer_callbacks={name: _keyword_ends_a_word for name in keywords})


def _line(tok) -> int:
    return getattr(tok, "line", 0) or 0


def _names(tree_or_list) -> list[str]:
    return [str(t) for t in tree_or_list]


@v_args(inline=True)
class _ToAst(Transformer):
    """lark tree -> ast nodes. Top-level items come back as tagged tuples for ``start``."""

    def __init__(self, filename: str):
        super().__init__()
        self.filename = filename
        self.defines: dict[str, int] = {}

    # -- expressions
    def number(self, tok, unit=None):
        return ast.Num(str(tok), line=_line(tok))

    def string(self, tok):
        return ast.Str(str(tok), line=_line(tok))

    def name(self, tok):
        return ast.Name(str(tok), line=_line(tok))

    def indexed(self, tok, index):
        return ast.Indexed(str(tok), index, line=_line(tok))

    def call(self, tok, *args):
        return ast.Call(str(tok), [a for a in args if a is not None], line=_line(tok))

    def paren(self, e):
        return ast.Paren(e, line=e.line)

    def neg(self, e):
        return ast.Unary("-", e, line=e.line)

    def not_op(self, e):
        return ast.Unary("!", e, line=e.line)

    def pow_op(self, a, b):
        return ast.Binary("^", a, b, line=a.line)

    def _bin(self, a, op, b):
        return ast.Binary(str(op), a, b, line=a.line)

    add_op = mul_op = rel_op = _bin

    def and_op(self, a, b):
        return ast.Binary("&&", a, b, line=a.line)

    def or_op(self, a, b):
        return ast.Binary("||", a, b, line=a.line)

    def signed_number(self, sign, num):
        return (str(sign) if sign is not None and str(sign) == "-" else "") + str(num)

    def name_list(self, *toks):
        return [str(t) for t in toks]

    # -- statements
    def block(self, *stmts):
        stmts = [ast.NetReceiveInitial(s[1], line=s[1].line) if isinstance(s, tuple) else s
                 for s in stmts if s is not None]
        return ast.Block(stmts, line=stmts[0].line if stmts else 0)

    def local_name(self, tok, dim=None):
        return (str(tok), dim if dim is not None else 1, _line(tok))

    def local(self, *names):
        return ast.Local([(n, d) for n, d, _ in names], line=names[0][2])

    def array_dim(self, tok):
        if tok.type == "INT":
            return int(tok)
        if str(tok) not in self.defines:
            raise NmodlError(self.filename, _line(tok), f"array size {tok} is not a DEFINE")
        return self.defines[str(tok)]

    def lhs(self, tok, index=None):
        if index is None:
            return ast.Name(str(tok), line=_line(tok))
        return ast.Indexed(str(tok), index, line=_line(tok))

    def assign(self, target, expr):
        return ast.Assign(target, expr, line=target.line)

    def diffeq(self, prime, expr):
        text = str(prime)
        name = text.rstrip("'")
        return ast.DiffEq(name, len(text) - len(name), expr, line=_line(prime))

    def if_stmt(self, _if, cond, body, *rest):
        elifs = [r for r in rest if isinstance(r, tuple)]
        orelse = next((r for r in rest if isinstance(r, ast.Block)), None)
        return ast.If(cond, body, elifs, orelse, line=cond.line)

    def elseif(self, _else, _if, cond, body):
        return (cond, body)

    def else_part(self, _else, body):
        return body

    def while_stmt(self, _while, cond, body):
        return ast.While(cond, body, line=cond.line)

    def from_stmt(self, var, start, stop, step, body):
        return ast.From(str(var), start, stop, step, body, line=_line(var))

    def solve(self, name, method, steady, iferror):
        return ast.Solve(str(name), str(method) if method else None,
                         str(steady) if steady else None, line=_line(name))

    def table(self, names, depend, lo, hi, n):
        return ast.Table(names or [], depend or [], lo, hi, int(n), line=lo.line)

    def call_stmt(self, call):
        return ast.CallStmt(call, line=call.line)

    def verbatim(self, tok):
        text = str(tok)[len("VERBATIM"):-len("ENDVERBATIM")]
        return ast.Verbatim(text, line=_line(tok))

    def watch_item(self, cond, flag):
        return (cond, str(flag))

    def watch(self, *items):
        return ast.Watch(list(items), line=items[0][0].line)

    def unitsonoff(self, tok):
        return None

    def mutex(self, tok):
        return None  # THREADSAFE code needs no lock in our kernels

    def conductance(self, tok, name, ion):
        return ast.Conductance(str(name), str(ion) if ion else None, line=_line(tok))

    def protect(self, assign):
        assign.protected = True
        return assign

    def initial_block(self, body):
        return ("INITIAL", body)

    def lin_eq(self, tok, left, right):
        return ast.LinEq(left, right, add=str(tok) == "~+", line=_line(tok))

    def _terms(self, e, line):
        """A reaction side read as an expression (``A + 2*B``) as ReactTerms."""
        if isinstance(e, ast.Binary) and e.op == "+":
            return self._terms(e.left, line) + self._terms(e.right, line)
        if isinstance(e, ast.Name):
            return [ast.ReactTerm(1, e.name)]
        if isinstance(e, ast.Indexed):
            return [ast.ReactTerm(1, e.name, e.index)]
        if isinstance(e, ast.Binary) and e.op == "*" and isinstance(e.left, ast.Num) \
                and e.left.text.isdigit() and isinstance(e.right, (ast.Name, ast.Indexed)):
            index = e.right.index if isinstance(e.right, ast.Indexed) else None
            return [ast.ReactTerm(int(e.left.text), e.right.name, index)]
        raise NmodlError(self.filename, line, "a reaction or CONSERVE side must be a sum of "
                         "names with integer coefficients")

    def reaction(self, tok, left, op, *rest):
        line = _line(tok)
        terms = self._terms(left, line)
        if op.type == "REACT1":
            right, kf, kb = rest
            return ast.Reaction(terms, right, kf, kb, "<->", line=line)
        (rate,) = rest
        if op.type == "REACT_IN":
            return ast.Reaction(terms, [], None, rate, "<<", line=line)
        return ast.Reaction(terms, [], rate, None, "->", line=line)

    def conserve(self, tok, left, total):
        return ast.Conserve(self._terms(left, _line(tok)), total, line=_line(tok))

    def compartment(self, tok, volume, indexed, *names):
        if indexed is not None:  # COMPARTMENT i, volume(i) { array states }
            if not isinstance(volume, ast.Name):
                raise NmodlError(self.filename, _line(tok), "COMPARTMENT index must be a name")
            return ast.Compartment(indexed, [str(n) for n in names], index=volume.name,
                                   line=_line(tok))
        return ast.Compartment(volume, [str(n) for n in names], line=_line(tok))

    def lag(self, tok, *rest):
        return ast.Unsupported("LAG", line=_line(tok))

    def for_netcons(self, tok, params, body):
        return ast.ForNetcons(params or [], body, line=_line(tok))

    def react_side(self, *terms):
        return list(terms)

    def react_term(self, num, name, index):
        return ast.ReactTerm(int(num) if num is not None else 1, str(name), index)

    # -- NEURON block
    def suffix(self, kind, name):
        return ast.NeuronStmt(str(kind), [str(name)], line=_line(kind))

    def useion(self, name, read, write, valence, represents):
        return ast.NeuronStmt("USEION", [str(name)], line=_line(name), read=read or [],
                              write=write or [], valence=valence)

    def ion_read(self, names):
        return names

    ion_write = ion_read

    def valence(self, num):
        return num

    def represents_tail(self, tok):
        return None

    def represents(self, tok):
        return None

    def _neuron_list(kind):  # noqa: N805 - builds methods below
        # meta: the statement's line (thread safety depends on where THREADSAFE stands)
        @v_args(meta=True)
        def make(self, meta, children):
            names = children[0] if children else None
            return ast.NeuronStmt(kind, names or [], line=getattr(meta, "line", 0) or 0)
        return make

    nonspecific = _neuron_list("NONSPECIFIC_CURRENT")
    electrode = _neuron_list("ELECTRODE_CURRENT")
    range = _neuron_list("RANGE")
    global_ = _neuron_list("GLOBAL")
    pointer = _neuron_list("POINTER")
    bbcorepointer = _neuron_list("BBCOREPOINTER")
    threadsafe = _neuron_list("THREADSAFE")
    random = _neuron_list("RANDOM")
    external = _neuron_list("EXTERNAL")

    def neuron_block(self, *stmts):
        return ("NEURON", [s for s in stmts if s is not None])

    # -- declarations
    def param_decl(self, name, dim, value, unit, limits):
        return ast.VarDecl(str(name), dim if dim is not None else 1, value,
                           str(unit) if unit else None, _line(name), dim is not None)

    def limits(self, lo, hi):
        return (lo, hi)

    def var_decl(self, name, dim, start, unit, from_to, abstol):
        return ast.VarDecl(str(name), dim if dim is not None else 1, None,
                           str(unit) if unit else None, _line(name), dim is not None)

    def from_to(self, lo, hi):
        return None

    def constant_decl(self, name, value, unit):
        return ast.VarDecl(str(name), 1, value, str(unit) if unit else None, _line(name))

    def parameter_block(self, *decls):
        return ("PARAMETER", list(decls))

    def assigned_block(self, *decls):
        return ("ASSIGNED", list(decls))

    def state_block(self, *decls):
        return ("STATE", list(decls))

    def constant_block(self, *decls):
        return ("CONSTANT", list(decls))

    def unit_alias(self, a, b):
        return (str(a), str(b))  # (avogadro) = (mole): a name for another unit

    def unit_constant(self, name, u1, u2):
        return ast.UnitConstant(str(name), None, (str(u1), str(u2)), _line(name))

    def unit_number(self, name, value, unit):
        return ast.UnitConstant(str(name), value, (str(unit),), _line(name))

    def units_block(self, *defs):
        return ("UNITS", [d for d in defs if d is not None])

    def independent_decl(self, *a):
        return None

    def independent_block(self, *a):
        return None

    def title(self, tok):
        return ("TITLE", str(tok)[len("TITLE"):].strip())

    def include(self, tok):
        return ("INCLUDE", (str(tok)[1:-1], _line(tok), tok.start_pos))

    def define(self, name, value):
        self.defines[str(name)] = int(value)
        return ("CONSTANT", [ast.VarDecl(str(name), 1, str(value), None, _line(name))])

    def top_local(self, *names):
        return ("LOCAL", [(n, d) for n, d, _ in names])

    # -- code blocks
    def params(self, *ps):
        return list(ps)

    def param(self, name, unit=None):
        return str(name)

    def _code(self, kind, name, params, body, line):
        return ("BLOCK", ast.CodeBlock(kind, name, params or [], body, line))

    def breakpoint_block(self, body):
        return self._code("BREAKPOINT", None, [], body, body.line)

    def derivative_block(self, name, body):
        return self._code("DERIVATIVE", str(name), [], body, _line(name))

    def procedure_block(self, name, params, unit, body):
        return self._code("PROCEDURE", str(name), params, body, _line(name))

    def function_block(self, name, params, unit, body):
        return self._code("FUNCTION", str(name), params, body, _line(name))

    def net_receive_block(self, params, body):
        return self._code("NET_RECEIVE", None, params, body, body.line)

    def _named_unsupported(self, kw, name, body):
        return self._code(str(kw), str(name), [], body, _line(kw))

    def kinetic_block(self, kw, name, body):
        return self._code("KINETIC", str(name), [], body, _line(kw))

    def nonlinear_block(self, kw, name, solvefor, body):
        return self._solved_for("NONLINEAR", kw, name, solvefor, body)

    def _solved_for(self, kind, kw, name, solvefor, body):
        tag, block = self._code(kind, str(name), [], body, _line(kw))
        block.solvefor = None if solvefor is None else [str(n) for n in solvefor]
        return tag, block

    def linear_block(self, kw, name, solvefor, body):
        return self._solved_for("LINEAR", kw, name, solvefor, body)

    def solvefor(self, names):
        return names

    def before_after_block(self, kw, when, body):
        return self._code(str(kw), when, [], body, _line(kw))

    def ba_breakpoint(self):
        return "BREAKPOINT"

    def ba_solve(self):
        return "SOLVE"

    def ba_initial(self):
        return "INITIAL"

    def ba_step(self):
        return "STEP"

    def constructor_block(self, body):
        return self._code("CONSTRUCTOR", None, [], body, body.line)

    def destructor_block(self, body):
        return self._code("DESTRUCTOR", None, [], body, body.line)

    def function_table(self, kw, name, params, unit):
        return ("UNSUPPORTED", ("FUNCTION_TABLE", _line(kw)))


# lark looks rules up by name; "global" is a Python keyword.
setattr(_ToAst, "global", _ToAst.global_)


# Constructs of a later issue. Found by a scan before parsing, so that a file using them gets
# "not supported yet" at the right line rather than a syntax error inside a reaction.
_LATER = re.compile(r"\b(LONGITUDINAL_DIFFUSION|FUNCTION_TABLE)\b")
_WHY = {
    # NEURON's ldifus.cpp couples the nodes by each section's length, node count and rallbranch
    "LONGITUDINAL_DIFFUSION": ": NEURON's diffusion between segments uses each section's "
                              "length and node count, which nrnbbcore_write does not write",
    # the table's values are given from hoc (table_<name>_<suffix>)
    "FUNCTION_TABLE": ": its values are given from hoc and nrnbbcore_write does not write "
                      "them",
}
# A stoichiometric coefficient on a reaction's left side or in CONSERVE (`~ 2A <-> B`,
# `CONSERVE 2A + B = 1`): written `2*A` before parsing (the grammar reads that side as an
# expression).
_STOICH_LINE = re.compile(r"^([ \t]*(?:~(?!\+)|CONSERVE\b))([^\n]*)$", re.M)
_STOICH = re.compile(r"(?<![\w.])(\d+)[ \t]*(?=[A-Za-z_])(?![eE][-+]?\d)")


def _stoichiometry(code: str) -> str:
    def left_side(m: re.Match) -> str:
        head, rest = m.group(1), m.group(2)
        ops = ("=",) if head.strip() == "CONSERVE" else ("<->", "<<", "->")
        ends = [k for k in (rest.find(op) for op in ops) if k >= 0]
        if not ends:
            return m.group(0)
        cut = min(ends)
        return head + _STOICH.sub(r"\1*", rest[:cut]) + rest[cut:]

    return _STOICH_LINE.sub(left_side, code)
_BLANKED = re.compile(r"COMMENT\b[\s\S]*?ENDCOMMENT|VERBATIM\b[\s\S]*?ENDVERBATIM|[:?][^\n]*")


# Parentheses or braces nested deeper than this are refused (real MOD files nest a dozen
# deep); the parser and the passes walk nesting by recursion.
MAX_NESTING = 100
_OPEN_CLOSE = re.compile(r"[(){}]")


def _refuse_deep_nesting(code: str, filename: str) -> None:
    """Refuse nesting beyond MAX_NESTING at the line where it goes deeper (code: comments and
    VERBATIM blanked)."""
    depth = 0
    for m in _OPEN_CLOSE.finditer(code):
        depth += 1 if m.group() in "({" else -1
        if depth > MAX_NESTING:
            line = code.count("\n", 0, m.start()) + 1
            raise NmodlError(filename, line, f"parentheses and braces nested more than "
                             f"{MAX_NESTING} deep")


def _reject_later_constructs(text: str, filename: str) -> None:
    code = _BLANKED.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    _refuse_deep_nesting(code, filename)
    m = _LATER.search(code)
    if m:
        what = " ".join(m.group(1).split())
        line = code.count("\n", 0, m.start()) + 1
        raise NmodlError(filename, line, f"{what} is not supported{_WHY[what]}",
                         not_supported=True)


def parse(text: str, filename: str = "<string>", _including: tuple[str, ...] = ()
          ) -> ast.Program:
    """Parse one MOD file's text. Raises NmodlError naming file, line and what was found.

    ``INCLUDE "file"`` reads the file relative to this one's folder (then the folders of
    MODL_INCLUDE, as nocmodl), parsed on its own and its contents taken in at that place.
    """
    _reject_later_constructs(text, filename)
    parser = _lark()
    source = _stoichiometry(text)
    token = _TEXT.set(source)
    try:
        tree = parser.parse(source)
    except _GluedKeyword as e:
        tok = e.token
        word = re.match(r"\w+", source[tok.start_pos:])
        found = quote(word.group() if word else str(tok))
        raise NmodlError(filename, tok.line, f"unknown word {found} (column {tok.column}): "
                         f"{tok} must be followed by a space") from None
    except UnexpectedCharacters as e:
        raise NmodlError(filename, e.line, f"unexpected character {text[e.pos_in_stream]!r}"
                         f" (column {e.column})") from None
    except UnexpectedToken as e:
        tok = e.token
        what = "end of file" if tok.type == "$END" else quote(str(tok))
        expected = ", ".join(sorted(x for x in e.expected if not x.startswith("__")))[:200]
        raise NmodlError(filename, e.line if e.line > 0 else text.count("\n") + 1,
                         f"syntax error at {what}; expected one of: {expected}") from None
    except UnexpectedInput as e:  # pragma: no cover - other lark input errors
        raise NmodlError(filename, getattr(e, "line", 0), "syntax error") from None
    except RecursionError:
        raise NmodlError(filename, 0, "nested too deeply to parse") from None
    finally:
        _TEXT.reset(token)
    try:
        items = _ToAst(filename).transform(tree).children
    except VisitError as e:
        if isinstance(e.orig_exc, NmodlError):  # a refusal raised while building the AST
            raise e.orig_exc from None
        raise NmodlError(filename, 0, f"internal parser error: {e.orig_exc}") from e
    prog = ast.Program(filename)
    for tok in tree.scan_values(lambda v: isinstance(v, Token) and v.type == "NAME"):
        if str(tok) not in prog.first_seen or tok.start_pos < prog.first_seen[str(tok)]:
            prog.first_seen[str(tok)] = tok.start_pos
    _collect(prog, items, filename, _including)
    _merge_repeated_blocks(prog)
    return prog


def _include(prog: ast.Program, name: str, line: int, pos: int, filename: str,
             including: tuple[str, ...]) -> None:
    here = Path(filename).resolve().parent if filename != "<string>" else Path.cwd()
    candidates = [Path(name)] if Path(name).is_absolute() else [here / name] + [
        Path(d) / name for d in os.environ.get("MODL_INCLUDE", "").split(":") if d]
    path = next((c for c in candidates if c.is_file()), None)
    if path is None:
        raise NmodlError(filename, line, f"INCLUDE {name!r}: no such file next to "
                         f"{Path(filename).name} or in MODL_INCLUDE")
    if str(path.resolve()) in including or len(including) > 20:
        raise NmodlError(filename, line, f"INCLUDE {name!r} includes itself")
    try:
        text = read_bounded(path, MAX_MOD_BYTES, "a MOD file", UsageError).decode(
            "utf-8", errors="replace")
    except UsageError as exc:
        raise NmodlError(filename, line, f"INCLUDE {quote(name)}: {exc}") from None
    sub = parse(text, str(path), including + (str(Path(filename).resolve()),))
    prog.title = prog.title or sub.title
    prog.neuron += sub.neuron
    prog.parameters += sub.parameters
    prog.assigned += sub.assigned
    prog.states += sub.states
    prog.constants += sub.constants
    prog.unit_constants += sub.unit_constants
    prog.unit_aliases.update(sub.unit_aliases)
    prog.blocks += sub.blocks
    prog.top_locals += sub.top_locals
    prog.top_local_dims.update(sub.top_local_dims)
    prog.verbatim += sub.verbatim
    prog.declaration_order += sub.declaration_order
    # nocmodl's lexer reads the included text at the INCLUDE: its names come in there
    span = max(sub.first_seen.values(), default=0) + 1
    for n, p in sub.first_seen.items():
        if n not in prog.first_seen or prog.first_seen[n] > pos:
            prog.first_seen[n] = pos + p / span


def _merge_repeated_blocks(prog: ast.Program) -> None:
    """nocmodl appends every INITIAL (and every BREAKPOINT) to one function, in file order:
    so do we, each later block's statements in braces of their own (its LOCALs stay its
    own), its SOLVEs kept at the top."""
    for kind in ("INITIAL", "BREAKPOINT"):
        same = [b for b in prog.blocks if b.kind == kind]
        if len(same) < 2:
            continue
        first = same[0]
        stmts = list(first.body.stmts)
        for b in same[1:]:
            solves = [x for x in b.body.stmts if isinstance(x, ast.Solve)]
            rest = [x for x in b.body.stmts if not isinstance(x, ast.Solve)]
            stmts += solves + ([ast.Block(rest, line=b.line)] if rest else [])
            prog.blocks.remove(b)
        first.body = ast.Block(stmts, line=first.body.line)


def _collect(prog: ast.Program, items: list, filename: str, including: tuple[str, ...]
             ) -> None:
    for item in items:
        if item is None:
            continue
        if isinstance(item, ast.Verbatim):
            prog.verbatim.append(item)
            continue
        tag, value = item
        if tag == "TITLE":
            prog.title = value
        elif tag == "NEURON":
            prog.neuron.extend(value)
        elif tag in ("PARAMETER", "ASSIGNED", "STATE"):
            {"PARAMETER": prog.parameters, "ASSIGNED": prog.assigned,
             "STATE": prog.states}[tag].extend(value)
            prog.declaration_order.extend(d.name for d in value)
        elif tag == "CONSTANT":
            prog.constants.extend(value)
        elif tag == "UNITS":
            prog.unit_constants.extend(v for v in value if isinstance(v, ast.UnitConstant))
            prog.unit_aliases.update(v for v in value if isinstance(v, tuple))
        elif tag == "LOCAL":
            prog.top_locals.extend(n for n, _ in value)
            prog.top_local_dims.update({n: d for n, d in value if d > 1})
        elif tag == "INITIAL":
            prog.blocks.append(ast.CodeBlock("INITIAL", None, [], value, value.line))
        elif tag == "BLOCK":
            prog.blocks.append(value)
        elif tag == "INCLUDE":
            _include(prog, *value, filename, including)
        elif tag == "UNSUPPORTED":
            construct, line = value
            raise NmodlError(filename, line, f"{construct} is not supported yet",
                             not_supported=True)


def parse_file(path: str | Path) -> ast.Program:
    """Parse a MOD file from disk."""
    p = Path(path)
    return parse(p.read_text(encoding="utf-8", errors="replace"), str(p))


def parse_expr(text: str, filename: str, line: int) -> ast.Expr:
    """One NMODL expression from text the translator built (nocmodl pastes such text: the C
    must evaluate its tree), every node given ``line``."""
    stmt = parse(f"BREAKPOINT {{\n_x = {text}\n}}\n", filename).blocks[0].body.stmts[0]
    assert isinstance(stmt, ast.Assign)
    for e in ast.walk_expr(stmt.expr):
        e.line = line
    return stmt.expr
