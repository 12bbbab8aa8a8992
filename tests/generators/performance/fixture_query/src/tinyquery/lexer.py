"""Tokens of the query language."""

from __future__ import annotations


class LexerError(ValueError):
    """The expression holds a character the language does not know."""


class Lexer:
    def tokenize(self, text):
        """Yield ``(kind, value)`` tokens (name, dot, lbracket, number, rbracket)."""
        i = 0
        while i < len(text):
            char = text[i]
            if char.isalpha() or char == "_":
                start = i
                while i < len(text) and (text[i].isalnum() or text[i] == "_"):
                    i += 1
                yield ("name", text[start:i])
                continue
            if char.isdigit() or char == "-":
                start = i
                i += 1
                while i < len(text) and text[i].isdigit():
                    i += 1
                yield ("number", int(text[start:i]))
                continue
            if char == ".":
                yield ("dot", char)
            elif char == "[":
                yield ("lbracket", char)
            elif char == "]":
                yield ("rbracket", char)
            elif char in " \t":
                pass
            else:
                raise LexerError(f"unexpected {char!r} at {i}")
            i += 1
