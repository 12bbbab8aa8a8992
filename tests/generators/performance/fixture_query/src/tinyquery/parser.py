"""The parser: tokens to a list of steps, ``[("field", "a"), ("index", 0)]``."""

from __future__ import annotations

from .lexer import Lexer


class ParseError(ValueError):
    """The expression is not a query."""


class Parser:
    def __init__(self, strict=True):
        self.strict = strict

    def parse(self, expression):
        """The steps of ``expression``; a new list every call."""
        if not expression:
            raise ParseError("empty expression")
        steps = []
        tokens = list(Lexer().tokenize(expression))
        i = 0
        while i < len(tokens):
            kind, value = tokens[i]
            if kind == "name":
                steps.append(("field", value))
            elif kind == "lbracket":
                if i + 2 >= len(tokens) or tokens[i + 2][0] != "rbracket":
                    raise ParseError("unclosed [")
                steps.append(("index", tokens[i + 1][1]))
                i += 2
            elif kind == "dot":
                if self.strict and (not steps or i + 1 >= len(tokens)):
                    raise ParseError("misplaced .")
            else:
                raise ParseError(f"unexpected {value!r}")
            i += 1
        return steps
