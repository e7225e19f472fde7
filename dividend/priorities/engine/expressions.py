"""A tiny, safe formula language for node aggregation.

Grammar (``^`` is right-associative and binds tighter than unary minus, so ``-2^2 = -4``)::

    formula := sum
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | power
    power   := atom ("^" unary)?
    atom    := NUMBER | NAME | NAME "(" formula ("," formula)* ")" | "(" formula ")"

NAME is a child id (letters, digits, underscore; not starting with a digit). Functions: min, max, mean
(any number of arguments), sqrt, log10, abs (one argument). The formula is parsed once into a tree of
Python closures over numpy arrays: user text is never passed to ``eval``; only the operations listed
here exist.

Bounds (docs/operations.md, "Limits"): at most MAX_FORMULA_CHARS characters and MAX_FORMULA_DEPTH levels
of nesting (parentheses, function calls, signs, powers); the parser is recursive, so deeper formulas
would end in a RecursionError. Chains of ``+ - * /`` are evaluated in a loop, not as nested closures, so
a long chain costs no recursion when the model is computed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Values = dict[str, np.ndarray]
Compiled = Callable[[Values], np.ndarray]

FUNCTIONS: dict[str, tuple[int | None, Callable]] = {
    # name: (number of arguments or None = one or more, implementation)
    "min": (None, lambda *a: _reduce(np.minimum, a)),
    "max": (None, lambda *a: _reduce(np.maximum, a)),
    "mean": (None, lambda *a: _reduce(np.add, a) / len(a)),
    "sqrt": (1, np.sqrt),
    "log10": (1, np.log10),
    "abs": (1, np.abs),
}


def _reduce(op, args):
    out = args[0]
    for a in args[1:]:
        out = op(out, a)
    return out


MAX_FORMULA_CHARS = 2_000
MAX_FORMULA_DEPTH = 32


class FormulaError(ValueError):
    """Syntax or name error in a formula; ``position`` is 1-based in the formula text."""

    def __init__(self, message: str, position: int | None):
        self.position = position
        super().__init__(message if position is None else f"{message} at position {position}")


_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/^(),]))")


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
            raise FormulaError(f"unexpected character {text[pos]!r}", pos + 1)
        kind = m.lastgroup or "op"
        start = m.start(kind)
        tokens.append(Token(kind, m.group(kind), start + 1))
        pos = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


@dataclass
class Formula:
    """A parsed formula: ``names`` are the child ids it reads, ``evaluate`` computes it."""

    text: str
    names: frozenset[str]
    evaluate: Compiled


def parse_formula(text: str, allowed_names: set[str] | None = None) -> Formula:
    """Parse ``text``; with ``allowed_names``, any other name is an error naming its position."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("empty formula", 1)
    if len(text) > MAX_FORMULA_CHARS:
        raise FormulaError(f"the formula has {len(text):,} characters; the limit is {MAX_FORMULA_CHARS:,}", None)
    parser = _Parser(tokenize(text), allowed_names)
    fn = parser.parse_sum()
    tok = parser.peek()
    if tok.kind != "end":
        raise FormulaError(f"unexpected {tok.text!r}", tok.position)
    return Formula(text, frozenset(parser.names), fn)


class _Parser:
    def __init__(self, tokens: list[Token], allowed: set[str] | None):
        self.tokens = tokens
        self.i = 0
        self.allowed = allowed
        self.names: set[str] = set()
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text or tok.kind != "op":
            found = "end of formula" if tok.kind == "end" else repr(tok.text)
            raise FormulaError(f"expected {text!r} but found {found}", tok.position)

    def parse_sum(self) -> Compiled:
        first = self.parse_product()
        rest = []
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take().text
            rest.append((np.add if op == "+" else np.subtract, self.parse_product()))
        return _chain(first, rest)

    def parse_product(self) -> Compiled:
        first = self.parse_unary()
        rest = []
        while self.peek().kind == "op" and self.peek().text in "*/":
            op = self.take().text
            rest.append((np.multiply if op == "*" else np.divide, self.parse_unary()))
        return _chain(first, rest)

    def parse_unary(self) -> Compiled:
        # Every nesting (parentheses, call arguments, signs, exponents) passes here: count it.
        self.depth += 1
        try:
            if self.depth > MAX_FORMULA_DEPTH:
                raise FormulaError(f"the formula nests deeper than {MAX_FORMULA_DEPTH} levels (parentheses, "
                                   f"functions, signs, powers; the limit)", self.peek().position)
            if self.peek().kind == "op" and self.peek().text == "-":
                self.take()
                inner = self.parse_unary()
                return lambda v: np.negative(inner(v))
            return self.parse_power()
        finally:
            self.depth -= 1

    def parse_power(self) -> Compiled:
        base = self.parse_atom()
        if self.peek().kind == "op" and self.peek().text == "^":
            self.take()
            exponent = self.parse_unary()
            return _binary(np.power, base, exponent)
        return base

    def parse_atom(self) -> Compiled:
        tok = self.take()
        if tok.kind == "number":
            value = float(tok.text)
            return lambda v: np.float64(value)
        if tok.kind == "name":
            if self.peek().kind == "op" and self.peek().text == "(":
                return self.parse_call(tok)
            if tok.text in FUNCTIONS:
                raise FormulaError(f"function {tok.text!r} needs arguments in parentheses", tok.position)
            if self.allowed is not None and tok.text not in self.allowed:
                known = ", ".join(sorted(self.allowed)) or "none"
                raise FormulaError(f"unknown child id {tok.text!r} (children: {known})", tok.position)
            self.names.add(tok.text)
            name = tok.text
            return lambda v: v[name]
        if tok.kind == "op" and tok.text == "(":
            inner = self.parse_sum()
            self.expect(")")
            return inner
        found = "end of formula" if tok.kind == "end" else repr(tok.text)
        raise FormulaError(f"unexpected {found}", tok.position)

    def parse_call(self, name_tok: Token) -> Compiled:
        if name_tok.text not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise FormulaError(f"unknown function {name_tok.text!r} (functions: {known})", name_tok.position)
        arity, impl = FUNCTIONS[name_tok.text]
        self.expect("(")
        args = [self.parse_sum()]
        while self.peek().kind == "op" and self.peek().text == ",":
            self.take()
            args.append(self.parse_sum())
        self.expect(")")
        if arity is not None and len(args) != arity:
            raise FormulaError(f"{name_tok.text}() takes {arity} argument(s), got {len(args)}",
                               name_tok.position)
        return lambda v: impl(*(a(v) for a in args))


def _chain(first: Compiled, rest: list[tuple[Callable, Compiled]]) -> Compiled:
    """``first op1 b op2 c ...`` left to right, in a loop."""
    if not rest:
        return first

    def evaluate(v: Values) -> np.ndarray:
        out = first(v)
        for op, operand in rest:
            out = op(out, operand(v))
        return out

    return evaluate


def _binary(op, left: Compiled, right: Compiled) -> Compiled:
    return lambda v: op(left(v), right(v))
