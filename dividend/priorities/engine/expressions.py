"""A tiny, safe, typed formula language for nodes, aggregations and missing-data rules.

Grammar (``^`` is right-associative and binds tighter than unary minus, so ``-2^2 = -4``)::

    formula    := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | power
    power      := atom ("^" unary)?
    atom       := NUMBER | NAME | "missing" | NAME "(" formula ("," formula)* ")" | "(" formula ")"

NAME is a child (or indicator) id. Functions: min, max, mean (one or more arguments), sqrt, log10, ln,
exp, abs (one), pow (two), is_missing(x) and if(condition, then, else). ``missing`` is the missing value.

Types are checked when the formula is read, so that a model with a type error is refused with its
position instead of computing something unintended:

* a value is a number or a condition (true/false); arithmetic takes numbers, ``and``/``or``/``not`` and
  the condition of ``if`` take conditions, and both branches of an ``if`` have the same type;
* a number that may be missing (a child, ``missing``, anything computed from them) cannot be compared:
  the comparison would silently be false. Test it first: ``not is_missing(a) and a > 5``,
  ``is_missing(a) or a > 5`` or ``if(is_missing(a), 0, a)``: in the part after the test, ``a`` is known
  to be present (the checker follows ``and``, ``or``, ``not`` and ``if``).

Missing values are NaN and propagate through every operation (``pow`` included). A result that is not
finite although its inputs were (division by 0, ln of 0, sqrt of a negative number, overflow) is an
*invalid* value, tracked in a mask beside the value: ``if`` and ``and``/``or`` only count the branch
they take, so ``if(a > 0, ln(a), 0)`` is valid for every a.

The formula is parsed once into a tree of Python closures over numpy arrays: user text is never passed
to ``eval``; only the operations listed here exist.

Bounds (docs/operations.md, "Limits"): at most MAX_FORMULA_CHARS characters and MAX_FORMULA_DEPTH levels
of nesting (parentheses, function calls, signs, powers, ``not``); the parser is recursive, so deeper
formulas would end in a RecursionError. Chains of ``+ - * /``, ``and``, ``or`` are evaluated in a loop,
not as nested closures, so a long chain costs no recursion when the model is computed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import Text, gettext_noop

Values = dict[str, np.ndarray]
Bad = np.ndarray | None  # invalid results (see the module docstring); None = none
Compiled = Callable[[Values], tuple[np.ndarray, Bad]]

NUMBER, CONDITION = "number", "condition"


def _nan_pow(a, b):
    # numpy gives 1 for nan ** 0; a missing value stays missing.
    out = np.power(a, b)
    return np.where(np.isnan(a) | np.isnan(b), np.nan, out)


def _ln(x):
    return np.log(x)


FUNCTIONS: dict[str, tuple[int | None, Callable]] = {
    # name: (number of arguments or None = one or more, implementation)
    "min": (None, lambda *a: _reduce(np.minimum, a)),
    "max": (None, lambda *a: _reduce(np.maximum, a)),
    "mean": (None, lambda *a: _reduce(np.add, a) / len(a)),
    "sqrt": (1, np.sqrt),
    "log10": (1, np.log10),
    "ln": (1, _ln),
    "exp": (1, np.exp),
    "abs": (1, np.abs),
    "pow": (2, _nan_pow),
}
SPECIAL = ("if", "is_missing")
# Operations that can turn finite numbers into NaN or an infinity other than by overflow: their results
# are checked where they are computed. The others (+ - * min max mean abs) can only overflow to an
# infinity, which Formula.evaluate_checked finds in the final value.
RISKY = {np.divide, np.sqrt, np.log10, _ln, np.exp, _nan_pow}
KEYWORDS = ("and", "or", "not", "missing")
COMPARISONS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
               "==": np.equal, "!=": np.not_equal}


def _reduce(op, args):
    out = args[0]
    for a in args[1:]:
        out = op(out, a)
    return out


MAX_FORMULA_CHARS = 2_000
MAX_FORMULA_DEPTH = 32


class FormulaError(ValueError):
    """Syntax, name or type error in a formula; ``position`` is 1-based in the formula text. ``message``
    is the problem as a Text (errors.Text) with its position, ``str(error)`` the same in English."""

    def __init__(self, message: str, position: int | None):
        self.position = position
        self.message = message if position is None else Text(
            gettext_noop("%(message)s at position %(position)s"), message=message, position=position)
        super().__init__(self.message)


A_NUMBER = Text(gettext_noop("a number"))
A_CONDITION = Text(gettext_noop("a condition (true or false)"))
# What the names of a formula are (parse_formula's name_kind), in the message about an unknown one.
UNKNOWN_NAME = {
    "child id": gettext_noop("unknown child id %(name)s (children: %(known)s)"),
    "indicator id": gettext_noop("unknown indicator id %(name)s (names: %(known)s)"),
    "name": gettext_noop("unknown name %(name)s (names: %(known)s)"),
}


_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op><=|>=|==|!=|[-+*/^(),<>]))")


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op", "end"
    text: str
    position: int  # 1-based


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            hint = Text(gettext_noop(" (use == to compare)")) if text[pos] == "=" else ""
            raise FormulaError(Text(gettext_noop("unexpected character %(character)s%(hint)s"),
                                    character=repr(text[pos]), hint=hint), pos + 1)
        kind = m.lastgroup or "op"
        start = m.start(kind)
        tokens.append(Token(kind, m.group(kind), start + 1))
        pos = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


@dataclass(frozen=True)
class Expr:
    """A checked sub-formula: its type, the names that may make it missing, and what a test proves."""

    fn: Compiled
    kind: str  # NUMBER or CONDITION
    maybe_missing: frozenset[str] = frozenset()  # names (or "missing") that can make it missing
    if_true: frozenset[str] = frozenset()  # names known present where the condition holds
    if_false: frozenset[str] = frozenset()  # ... where it does not
    name: str | None = None  # set for a plain name


@dataclass
class Formula:
    """A parsed formula: ``names`` are the ids it reads, ``evaluate`` computes it."""

    text: str
    names: frozenset[str]
    compiled: Compiled
    kind: str = NUMBER

    def evaluate(self, values: Values) -> np.ndarray:
        return self.compiled(values)[0]

    def evaluate_checked(self, values: Values) -> tuple[np.ndarray, Bad]:
        """(value, invalid mask or None): see the module docstring."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            value, bad = self.compiled(values)
            if self.kind == NUMBER:
                overflow = np.isinf(value)
                if overflow.any():
                    bad = _any(bad, overflow)
            return value, bad


def parse_formula(text: str, allowed_names: set[str] | None = None, *, kind: str = NUMBER,
                  present: frozenset[str] | set[str] = frozenset(), name_kind: str = "child id") -> Formula:
    """Parse and type-check ``text``.

    ``allowed_names``: any other name is an error naming its position (``name_kind`` says what names
    are, for the message). ``kind``: the type the formula must have (NUMBER or CONDITION). ``present``:
    names known never to be missing where the formula is evaluated (they may be compared freely).
    """
    if not isinstance(text, str) or not text.strip():
        raise FormulaError(Text(gettext_noop("empty formula")), 1)
    if len(text) > MAX_FORMULA_CHARS:
        raise FormulaError(Text(gettext_noop("the formula has %(count)s characters; the limit is %(limit)s"),
                                count=f"{len(text):,}", limit=f"{MAX_FORMULA_CHARS:,}"), None)
    parser = _Parser(tokenize(text), allowed_names, frozenset(present), name_kind)
    expr = parser.parse_or(parser.present)
    tok = parser.peek()
    if tok.kind != "end":
        raise FormulaError(_unexpected(repr(tok.text)), tok.position)
    if expr.kind != kind:
        want = A_NUMBER if kind == NUMBER else A_CONDITION
        got = A_NUMBER if expr.kind == NUMBER else A_CONDITION
        raise FormulaError(Text(gettext_noop("the formula must give %(want)s, not %(got)s"), want=want, got=got), 1)
    return Formula(text, frozenset(parser.names), expr.fn, kind)


def _unexpected(found: str) -> Text:
    return Text(gettext_noop("unexpected %(found)s"), found=found)


def _found(tok: Token) -> str:
    """A token as a message names it: quoted, or "end of formula"."""
    return Text(gettext_noop("end of formula")) if tok.kind == "end" else repr(tok.text)


def _any(*bads: Bad) -> Bad:
    out = None
    for b in bads:
        if b is not None:
            out = b if out is None else (out | b)
    return out


def _newly_invalid(result, *inputs) -> Bad:
    """Where ``result`` is not finite although every input is finite."""
    bad = ~np.isfinite(result)
    if not bad.any():
        return None
    for x in inputs:
        bad = bad & np.isfinite(x)
    return bad if bad.any() else None


class _Parser:
    def __init__(self, tokens: list[Token], allowed: set[str] | None, present: frozenset[str], name_kind: str):
        self.tokens = tokens
        self.i = 0
        self.allowed = allowed
        self.names: set[str] = set()
        self.depth = 0
        self.present = present
        self.name_kind = name_kind

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, *texts: str) -> bool:
        tok = self.peek()
        return tok.kind == kind and tok.text in texts

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text or tok.kind != "op":
            raise FormulaError(Text(gettext_noop("expected %(expected)s but found %(found)s"), expected=repr(text),
                                    found=_found(tok)), tok.position)

    def _need(self, expr: Expr, kind: str, what: str, position: int) -> None:
        if expr.kind != kind:
            if kind == NUMBER:
                raise FormulaError(Text(gettext_noop("%(what)s needs numbers, not a condition (true or false)"),
                                        what=what), position)
            raise FormulaError(Text(gettext_noop("%(what)s needs a condition (a comparison, is_missing(...)), not a "
                                                 "number"), what=what), position)

    # -- conditions ---------------------------------------------------------------------------------
    def parse_or(self, present: frozenset[str]) -> Expr:
        first = self.parse_and(present)
        if not self.at("name", "or"):
            return first
        self._need(first, CONDITION, "'or'", self.peek().position)
        parts, if_true, if_false, known = [first], first.if_true, first.if_false, present | first.if_false
        while self.at("name", "or"):
            pos = self.take().position
            right = self.parse_and(known)  # right side only matters where the left is false
            self._need(right, CONDITION, "'or'", pos)
            parts.append(right)
            if_true, if_false = if_true & right.if_true, if_false | right.if_false
            known = known | right.if_false
        return Expr(_logic(parts, is_and=False), CONDITION, frozenset(), if_true, if_false)

    def parse_and(self, present: frozenset[str]) -> Expr:
        first = self.parse_not(present)
        if not self.at("name", "and"):
            return first
        self._need(first, CONDITION, "'and'", self.peek().position)
        parts, if_true, if_false, known = [first], first.if_true, first.if_false, present | first.if_true
        while self.at("name", "and"):
            pos = self.take().position
            right = self.parse_not(known)  # right side only matters where the left holds
            self._need(right, CONDITION, "'and'", pos)
            parts.append(right)
            if_true, if_false = if_true | right.if_true, if_false & right.if_false
            known = known | right.if_true
        return Expr(_logic(parts, is_and=True), CONDITION, frozenset(), if_true, if_false)

    def parse_not(self, present: frozenset[str]) -> Expr:
        if not self.at("name", "not"):
            return self.parse_comparison(present)
        self.depth += 1
        try:
            pos = self.take().position
            if self.depth > MAX_FORMULA_DEPTH:
                raise self._too_deep()
            inner = self.parse_not(present)
            self._need(inner, CONDITION, "'not'", pos)
            fn = inner.fn
            return Expr(lambda v: _negate(fn, v), CONDITION,
                        frozenset(), inner.if_false, inner.if_true)
        finally:
            self.depth -= 1

    def parse_comparison(self, present: frozenset[str]) -> Expr:
        left = self.parse_sum(present)
        if not (self.peek().kind == "op" and self.peek().text in COMPARISONS):
            return left
        tok = self.take()
        right = self.parse_sum(present)
        for side in (left, right):
            self._need(side, NUMBER, Text(gettext_noop("comparison %(operator)s"), operator=repr(tok.text)),
                       tok.position)
        maybe = sorted(left.maybe_missing | right.maybe_missing)
        if maybe:
            shown = ", ".join(maybe)
            first = next((m for m in maybe if m != "missing"), None)
            hint = (Text(gettext_noop("; test it first, e.g. not is_missing(%(name)s) and ..."), name=first) if first
                    else Text(gettext_noop("; use is_missing(...) to test for a missing value")))
            raise FormulaError(Text(gettext_noop("comparison %(operator)s with a value that may be missing "
                                                 "(%(names)s)%(hint)s"), operator=repr(tok.text), names=shown,
                                    hint=hint), tok.position)
        op = COMPARISONS[tok.text]
        lf, rf = left.fn, right.fn

        def compare(v):
            a, ab = lf(v)
            b, bb = rf(v)
            return op(a, b), _any(ab, bb)
        return Expr(compare, CONDITION)

    # -- numbers ------------------------------------------------------------------------------------
    def parse_sum(self, present: frozenset[str]) -> Expr:
        first = self.parse_product(present)
        rest = []
        while self.peek().kind == "op" and self.peek().text in "+-":
            tok = self.take()
            rest.append((np.add if tok.text == "+" else np.subtract, self.parse_product(present), tok))
        return self._chain(first, rest)

    def parse_product(self, present: frozenset[str]) -> Expr:
        first = self.parse_unary(present)
        rest = []
        while self.peek().kind == "op" and self.peek().text in "*/":
            tok = self.take()
            rest.append((np.multiply if tok.text == "*" else np.divide, self.parse_unary(present), tok))
        return self._chain(first, rest)

    def _chain(self, first: Expr, rest: list) -> Expr:
        if not rest:
            return first
        self._need(first, NUMBER, f"{rest[0][2].text!r}", rest[0][2].position)
        maybe = first.maybe_missing
        for _, operand, tok in rest:
            self._need(operand, NUMBER, f"{tok.text!r}", tok.position)
            maybe = maybe | operand.maybe_missing
        return Expr(_chain(first.fn, [(op, e.fn) for op, e, _ in rest]), NUMBER, maybe)

    def parse_unary(self, present: frozenset[str]) -> Expr:
        # Every nesting (parentheses, call arguments, signs, exponents) passes here: count it.
        self.depth += 1
        try:
            if self.depth > MAX_FORMULA_DEPTH:
                raise self._too_deep()
            if self.peek().kind == "op" and self.peek().text == "-":
                tok = self.take()
                inner = self.parse_unary(present)
                self._need(inner, NUMBER, "'-'", tok.position)
                fn = inner.fn
                return Expr(lambda v: _map(np.negative, fn(v)), NUMBER, inner.maybe_missing)
            return self.parse_power(present)
        finally:
            self.depth -= 1

    def _too_deep(self) -> FormulaError:
        return FormulaError(Text(gettext_noop("the formula nests deeper than %(limit)s levels (parentheses, "
                                              "functions, signs, powers; the limit)"), limit=MAX_FORMULA_DEPTH),
                            self.peek().position)

    def parse_power(self, present: frozenset[str]) -> Expr:
        base = self.parse_atom(present)
        if self.peek().kind == "op" and self.peek().text == "^":
            tok = self.take()
            exponent = self.parse_unary(present)
            self._need(base, NUMBER, "'^'", tok.position)
            self._need(exponent, NUMBER, "'^'", tok.position)
            return Expr(_checked(_nan_pow, [base.fn, exponent.fn]), NUMBER,
                        base.maybe_missing | exponent.maybe_missing)
        return base

    def parse_atom(self, present: frozenset[str]) -> Expr:
        tok = self.take()
        if tok.kind == "number":
            value = np.float64(float(tok.text))
            return Expr(lambda v: (value, None), NUMBER)
        if tok.kind == "name":
            if self.peek().kind == "op" and self.peek().text == "(":
                return self.parse_call(tok, present)
            if tok.text in FUNCTIONS or tok.text in SPECIAL:
                raise FormulaError(Text(gettext_noop("function %(name)s needs arguments in parentheses"),
                                        name=repr(tok.text)), tok.position)
            if tok.text == "missing":
                nan = np.float64(np.nan)
                return Expr(lambda v: (nan, None), NUMBER, frozenset({"missing"}))
            if tok.text in KEYWORDS:
                raise FormulaError(_unexpected(repr(tok.text)), tok.position)
            if self.allowed is not None and tok.text not in self.allowed:
                known = ", ".join(sorted(self.allowed)) or Text(gettext_noop("none"))
                template = UNKNOWN_NAME.get(self.name_kind)
                raise FormulaError(Text(template, name=repr(tok.text), known=known) if template else Text(
                    gettext_noop("unknown %(kind)s %(name)s (names: %(known)s)"), kind=self.name_kind,
                    name=repr(tok.text), known=known), tok.position)
            self.names.add(tok.text)
            name = tok.text
            maybe = frozenset() if name in present else frozenset({name})
            return Expr(lambda v: (v[name], None), NUMBER, maybe, name=name)
        if tok.kind == "op" and tok.text == "(":
            inner = self.parse_or(present)
            self.expect(")")
            return inner
        raise FormulaError(_unexpected(_found(tok)), tok.position)

    def _arguments(self, present: frozenset[str], presents: list[frozenset[str]] | None = None) -> list[Expr]:
        self.expect("(")
        args = [self.parse_or(presents[0] if presents else present)]
        while self.peek().kind == "op" and self.peek().text == ",":
            self.take()
            if presents and len(args) < len(presents):
                args.append(self.parse_or(presents[len(args)]))
            else:
                args.append(self.parse_or(present))
        self.expect(")")
        return args

    def parse_call(self, name_tok: Token, present: frozenset[str]) -> Expr:
        name = name_tok.text
        pos = name_tok.position
        if name == "if":
            return self.parse_if(name_tok, present)
        if name == "is_missing":
            args = self._arguments(present)
            if len(args) != 1:
                raise FormulaError(Text(gettext_noop("is_missing() takes 1 argument(s), got %(count)s"),
                                        count=len(args)), pos)
            (arg,) = args
            self._need(arg, NUMBER, "is_missing()", pos)
            fn = arg.fn
            # is_missing(a) false proves a present; of anything else it proves nothing (if(c, a, 0) may be
            # present while a is missing).
            proves = frozenset({arg.name}) if arg.name else frozenset()
            return Expr(lambda v: (np.isnan(fn(v)[0]), None), CONDITION, frozenset(), frozenset(), proves)
        if name not in FUNCTIONS:
            known = ", ".join(sorted((*FUNCTIONS, *SPECIAL)))
            raise FormulaError(Text(gettext_noop("unknown function %(name)s (functions: %(known)s)"), name=repr(name),
                                    known=known), pos)
        arity, impl = FUNCTIONS[name]
        args = self._arguments(present)
        if arity is not None and len(args) != arity:
            raise FormulaError(Text(gettext_noop("%(name)s() takes %(arity)s argument(s), got %(count)s"), name=name,
                                    arity=arity, count=len(args)), pos)
        maybe: frozenset[str] = frozenset()
        for a in args:
            self._need(a, NUMBER, f"{name}()", pos)
            maybe = maybe | a.maybe_missing
        return Expr(_checked(impl, [a.fn for a in args]), NUMBER, maybe)

    def parse_if(self, name_tok: Token, present: frozenset[str]) -> Expr:
        pos = name_tok.position
        self.expect("(")
        cond = self.parse_or(present)
        self._need(cond, CONDITION, Text(gettext_noop("the first argument of if()")), pos)
        args = [cond]
        branches = [present | cond.if_true, present | cond.if_false]
        while self.peek().kind == "op" and self.peek().text == ",":
            self.take()
            args.append(self.parse_or(branches[len(args) - 1] if len(args) <= 2 else present))
        self.expect(")")
        if len(args) != 3:
            raise FormulaError(Text(gettext_noop("if() needs a condition, a value and an else value: if(condition, "
                                                 "then, else); got %(count)s argument(s)"), count=len(args)), pos)
        _, then, other = args
        if then.kind != other.kind:
            raise FormulaError(Text(gettext_noop("if(): the then and else values must both be numbers or both be "
                                                 "conditions")), pos)
        c, t, e = cond.fn, then.fn, other.fn

        def choose(v):
            cv, cb = c(v)
            tv, tb = t(v)
            ev, eb = e(v)
            bad = None
            if tb is not None or eb is not None:
                bad = np.where(cv, False if tb is None else tb, False if eb is None else eb)
            return np.where(cv, tv, ev), _any(cb, bad)
        if_true = if_false = frozenset()
        if then.kind == CONDITION:
            if_true = (then.if_true | cond.if_true) & (other.if_true | cond.if_false)
            if_false = (then.if_false | cond.if_true) & (other.if_false | cond.if_false)
        return Expr(choose, then.kind, then.maybe_missing | other.maybe_missing, if_true, if_false)


def _negate(fn: Compiled, v: Values):
    value, bad = fn(v)
    return np.logical_not(value), bad


def _map(op, pair):
    return op(pair[0]), pair[1]


def _checked(impl: Callable, fns: list[Compiled]) -> Compiled:
    risky = impl in RISKY

    def evaluate(v):
        pairs = [f(v) for f in fns]
        args = [p[0] for p in pairs]
        out = impl(*args)
        return out, _any(*(p[1] for p in pairs), _newly_invalid(out, *args) if risky else None)
    return evaluate


def _logic(parts: list[Expr], *, is_and: bool) -> Compiled:
    """``a and b and ...`` / ``a or b or ...`` in a loop; a part's invalid values count only where it decides."""
    fns = [p.fn for p in parts]

    def evaluate(v):
        out, bad = fns[0](v)
        for f in fns[1:]:
            value, b = f(v)
            if b is not None:
                bad = _any(bad, (out if is_and else np.logical_not(out)) & b)
            out = np.logical_and(out, value) if is_and else np.logical_or(out, value)
        return out, bad
    return evaluate


def _chain(first: Compiled, rest: list[tuple[Callable, Compiled]]) -> Compiled:
    """``first op1 b op2 c ...`` left to right, in a loop."""

    def evaluate(v: Values):
        out, bad = first(v)
        for op, operand in rest:
            value, b = operand(v)
            new = op(out, value)
            bad = _any(bad, b, _newly_invalid(new, out, value) if op is np.divide else None)
            out = new
        return out, bad

    return evaluate
