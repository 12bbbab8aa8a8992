"""Edge cases read from the target's own code: what its body compares, reads and checks.

The values a function's author wrote into it are where its fast paths are, and where
an optimizer's rewrite slips:

- **literals** it compares, splits or replaces on (its format's tokens: ``"~1"``,
  ``"#"``): each alone, in a word, all together; one it tests an end of the text for
  (``endswith("\\ ")``) also at that end of ordinary text;
- **bounds**, the integers it compares with: one below, at and one above (a length
  when a ``len(...)`` is compared);
- **numbers as text**, when it reads numbers from text (``float``, ``int``,
  ``Decimal``, ``isdigit``...): the spellings those accept beside plain digits;
- **byte widths**, when it works on an integer's bytes (``to_bytes``, ``struct``,
  ``>>``, ``& 0xff``): the integers where the bytes change width, on both sides
  (127 and 128, -128 and -129, 2**31), where a sign byte or a length goes wrong;
- **input forms**, when it asks ``isinstance(p, ...)``: the parameter in the other
  form the check lets in (one item where a list goes, a list of one where one item goes,
  bytes where text goes, ``3.0`` where ``int`` and ``float`` go).

All read by :mod:`.facts` (for a function and the module's functions it calls); all
edge cases of no declared validity: never findings.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from pytest_autoimprove.generators.discover import Param
from pytest_autoimprove.generators.performance.facts import SourceFacts
from pytest_autoimprove.generators.performance.values import Kind, sample_values

__all__ = ["MAX_BOUND_ITEMS", "NUMBER_TEXTS", "code_edges"]

Add = Callable[..., "str | None"]

#: Literals of the code offered alone as text, per parameter.
MAX_TOKEN_TEXTS = 5
#: The longest list a bound makes (a chunk size of 1,000 is a typical one).
MAX_BOUND_ITEMS = 5000


def code_edges(
    usable: Sequence[Param],
    kinds: Mapping[str, Kind],
    facts: SourceFacts,
    own: str,
    base: Mapping[str, object],
    add: Add,
) -> None:
    """Every edge case the code of ``own`` (a qualname of ``facts``) suggests."""
    tokens = facts.tokens.get(own, [])
    affixes = facts.affixes.get(own, [])
    reads_numbers = bool(facts.converts.get(own))
    packs = bool(facts.packs.get(own))
    forms = facts.forms.get(own, {})
    for p in usable:
        # Text, or a union that may hold text (str | bytes, AnyStr): a value of another
        # member only raises, and these edges are never findings.
        text = kinds[p.name].name in ("str", "union")
        if text and tokens:
            _token_edges(p, tokens, base, add)
        if text and affixes:
            _affix_edges(p, affixes, base, add)
        if text and reads_numbers:
            _number_text_edges(p, base, add)
        if packs and _takes_ints(kinds[p.name], base.get(p.name)):
            _byte_edges(p, base, add)
        if p.name in forms:
            _form_edges(p, forms[p.name], base.get(p.name, _default(p, facts)), base, add)
    _bound_edges(usable, kinds, facts.bounds.get(own, []), base, add)


def _token_edges(p: Param, tokens: Sequence[str], base: Mapping[str, object], add: Add) -> None:
    """Text made of the literals the code itself compares, splits or replaces on (its
    format's tokens: ``"~1"``, ``"#"``, ``"\\r\\n"``): each alone, in a word, and all
    together. Edges of no declared validity: never findings."""
    texts = [(t, f"the code's literal {t!r}") for t in tokens[:MAX_TOKEN_TEXTS]]
    texts += [(f"a{t}b", f"the code's literal {t!r} inside a word") for t in tokens[:2]]
    texts.append(("".join(tokens), "the code's literals one after another"))
    for j, (text, describe) in enumerate(texts):
        chosen = {**base, p.name: text}
        add(f"token-{p.name}-{j}", "edge", "special-characters", chosen, False, "edge", p.name,
            describe)  # fmt: skip


def _affix_edges(
    p: Param, affixes: Sequence[tuple[str, str]], base: Mapping[str, object], add: Add
) -> None:
    """The ordinary text with each literal the code tests an end of the text for, at
    that end (``pattern.endswith("\\ ")``: a pattern ending in an escaped space): the
    special case reached by a real input, not by the literal alone."""
    text = base.get(p.name)
    if not (isinstance(text, str) and text):
        text = str(sample_values(Kind("str"))[0])  # a bytes or empty base: the ordinary text
    for j, (literal, where) in enumerate(affixes):
        value = text + literal if where == "end" else literal + text
        describe = f"the code's literal {literal!r} at the {where} of ordinary text"
        chosen = {**base, p.name: value}
        add(f"affix-{p.name}-{j}", "edge", "special-characters", chosen, False, "edge", p.name,
            describe)  # fmt: skip


#: Numbers spelled as the number readers of Python accept them, beside the plain
#: ``"42"`` a fast path is written for: (text, risk, how).
NUMBER_TEXTS: tuple[tuple[str, str, str], ...] = (
    ("1e5", "format-fast-path", "an exponent"),
    ("-1.5E-3", "negative-numbers", "a sign and a capital exponent"),
    (" 42 ", "format-fast-path", "blanks around it"),
    (" -7", "negative-numbers", "a blank before its sign"),
    ("1_000", "format-fast-path", "an underscore between digits"),
    ("+7", "format-fast-path", "a plus sign"),
    (".5", "format-fast-path", "no digit before the point"),
    ("1,5", "format-fast-path", "a comma decimal"),
    ("\u0661\u0662\u0663", "unicode-fast-path", "Arabic-Indic digits"),
    ("inf", "nan-and-infinity", "an infinity"),
    ("NaN", "nan-and-infinity", "not a number"),
    ("123e45678", "nan-and-infinity", "an exponent beyond float range"),
    ("12345678901234567890", "int-precision", "more digits than a float holds"),
)


def _number_text_edges(
    p: Param, base: Mapping[str, object], add: Callable[..., str | None]
) -> None:
    """Numbers written as text in the spellings ``float``, ``int`` and ``Decimal``
    accept (and a near miss), for a text parameter of code that reads numbers from text:
    a hand-written check that is faster than trying the conversion gets some of them
    wrong. Edges of no declared validity: never findings."""
    for j, (text, risk, how) in enumerate(NUMBER_TEXTS):
        chosen = {**base, p.name: text}
        add(f"number-text-{p.name}-{j}", "edge", risk, chosen, False, "edge", p.name,
            f"a number as text with {how}")  # fmt: skip


#: Integers on both sides of a change of byte width, signed and unsigned.
BYTE_WIDTHS = (127, 128, 255, 256, -128, -129, 32767, 32768, -32768, -32769, 65536,
               2**31, -(2**31) - 1, 2**63)  # fmt: skip


def _takes_ints(kind: Kind, base: object) -> bool:
    """An int parameter, or an untyped one shown an int (a value that may be a number)."""
    if kind.name == "int":
        return True
    shown = [base, *kind.traced]
    return kind.name in ("union", "unknown") and any(type(v) is int for v in shown)


def _byte_edges(p: Param, base: Mapping[str, object], add: Add) -> None:
    """Integers where their bytes change width, for an integer parameter of code that
    works on bytes (``to_bytes``, ``struct``, shifts and byte masks): a length computed
    without the sign bit, a two's complement cut one byte short. Never findings."""
    for j, number in enumerate(BYTE_WIDTHS):
        chosen = {**base, p.name: number}
        add(f"byte-width-{p.name}-{j}", "edge", "byte-boundaries", chosen, False, "edge",
            p.name, f"{number}, where an integer's bytes change width")  # fmt: skip


def _bound_edges(
    usable: Sequence[Param],
    kinds: Mapping[str, Kind],
    bounds: Sequence[tuple[int, bool]],
    base: Mapping[str, object],
    add: Callable[..., str | None],
) -> None:
    """Values at the integers the code compares with, one below, at and one above: an
    int or float parameter takes the number, a text or list parameter the length when the code
    compares a ``len(...)`` (``len(label) > 63``, ``len(chunk) > LOAD``). Where an
    off-by-one rewrite of a bound shows; of no declared validity: never findings."""
    for p in usable:
        kind = kinds[p.name].name
        for n, length in bounds:
            if kind in ("int", "float") and not length:
                number = int if kind == "int" else float
                values: list[object] = [number(n - 1), number(n), number(n + 1)]
                describe = f"next to the code's bound {n}"
            elif kind in ("str", "bytes") and length and n > 0:
                seed = base.get(p.name)
                unit: str | bytes = "a" if kind == "str" else b"a"
                if isinstance(seed, type(unit)) and seed:
                    unit = seed
                values = [(unit * (m // len(unit) + 1))[:m] for m in (n - 1, n, n + 1)]
                what = "text" if kind == "str" else "bytes"
                describe = f"{what} of length next to the code's bound {n}"
            elif kind in ("list", "tuple") and length and 0 < n <= MAX_BOUND_ITEMS:
                seed = base.get(p.name)
                items = list(seed) if isinstance(seed, (list, tuple)) and seed else None
                if items is None:
                    continue
                tuple_ = isinstance(seed, tuple)
                values = [_cycled(items, m, tuple_=tuple_) for m in (n - 1, n, n + 1)]
                describe = f"{kind} of length next to the code's bound {n}"
            else:
                continue
            for j, value in enumerate(values):
                chosen = {**base, p.name: value}
                add(f"bound-{p.name}-{n}-{j}", "edge", "off-by-one", chosen, False, "edge",
                    p.name, describe)  # fmt: skip


def _cycled(items: list[object], length: int, *, tuple_: bool) -> object:
    """``length`` items taken from ``items`` round and round."""
    made = [items[i % len(items)] for i in range(length)]
    return tuple(made) if tuple_ else made


#: ``isinstance`` type names that let a sequence of items in.
_SEQUENCES = {"list", "tuple", "set", "frozenset", "Sequence", "Iterable", "Collection",
              "MutableSequence", "AbstractSet", "Set"}  # fmt: skip


def _form_edges(
    p: Param, checked: Sequence[str], value: object, base: Mapping[str, object], add: Add
) -> None:
    """``value`` of the parameter in the other form its ``isinstance`` check lets in: an
    API taking "a format or a list of formats" has a branch for each, and a rewrite
    that drops one (or stops padding a short list) shows only when that form comes."""
    forms: list[tuple[object, str]] = []
    if isinstance(value, (str, bytes, int, float)) and not isinstance(value, bool):
        if "str" in checked or "bytes" in checked or set(checked) & _SEQUENCES:
            forms = [([value], "a list of one"), ((value,), "a tuple of one"),
                     ([value, value], "a list of two")]  # fmt: skip
    elif isinstance(value, (list, tuple)) and value:
        first = value[0]
        if {"str", "bytes", "int", "float"} & set(checked) and type(first).__name__ in checked:
            forms = [(first, "its first item alone")]
        if "str" in checked and all(isinstance(item, str) for item in value) and len(value) > 1:
            # `argv` as a list or as one string to split: the whole list as text.
            forms.append((" ".join(value), "its items joined by blanks"))
    if isinstance(value, (str, bytes)):
        # Text and its binary forms: `isinstance(data, (bytes, bytearray))` has a branch
        # (a copy, an encoding) a rewrite can drop for one of them.
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        if "bytearray" in checked:
            forms.append((bytearray(raw), "a bytearray"))
        if "bytes" in checked and isinstance(value, str):
            forms.append((raw, "bytes"))
        if "str" in checked and isinstance(value, bytes):
            forms.append((value.decode("latin-1"), "text"))
    forms += _number_forms(value, checked)
    for j, (form, how) in enumerate(forms):
        add(f"form-{p.name}-{j}", "edge", "changed-behaviour", {**base, p.name: form}, False,
            "edge", p.name, f"{p.name} as {how} (the code takes more than one form)")  # fmt: skip


#: A number of each kind an ``isinstance`` check may name, for a parameter whose
#: ordinary value is not a number: 3 has an ordinal suffix, a plural, a word of its own.
_NUMBERS: dict[str, int | float | Decimal | Fraction] = {
    "int": 3,
    "float": 3.0,
    "Decimal": Decimal("3"),
    "Fraction": Fraction(3),
}


def _number_forms(value: object, checked: Sequence[str]) -> list[tuple[object, str]]:
    """The parameter as each kind of number the check names and ``value`` is not:
    ``isinstance(num, (int, float))`` lets ``3.0`` in, and a fast path that drops the
    float form (``int(num)`` only for ``int``) shows only when one comes."""
    if isinstance(value, bool):
        return []
    forms: list[tuple[object, str]] = []
    for name, number in _NUMBERS.items():
        if name not in checked or type(value).__name__ == name:
            continue
        converted: object = number
        if isinstance(value, (int, float, Decimal, Fraction)):
            kind: Callable[[object], object] = type(number)
            try:
                converted = kind(value)  # the same number in the other kind
            except (ValueError, OverflowError, TypeError):
                continue
        if name == "int" and converted != value and isinstance(value, (int, float)):
            continue  # 2.5 is no int: the same number only
        forms.append((converted, f"{'an' if name == 'int' else 'a'} {name}"))
    return forms


def _default(p: Param, facts: SourceFacts) -> object:
    """The parameter's default when it is a literal or names a module constant."""
    if p.default is None:
        return None
    if p.default in facts.constants:
        return facts.constants[p.default]
    try:
        return ast.literal_eval(p.default)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
