"""Input inference: what a parameter probably takes, its edge values, its strategy.

A parameter's kind is inferred from, in order of trust: the values the project's own
tests really pass (recorded by :mod:`.tracer`), its annotation, its default, its
docstring, and finally its name. Each kind knows a few ordinary samples, the edge
values an optimizer's fast path tends to get wrong (each tagged with the catalog risk
it probes), and the Hypothesis strategy (as source text) the differential test draws
from. Everything here is deterministic: the same inputs give the same cases.
"""

from __future__ import annotations

import copy
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pytest_autoimprove.generators.discover import Param
from pytest_autoimprove.runtime.replay import Build

__all__ = [
    "EVIDENCE",
    "Kind",
    "edge_values",
    "infer_kind",
    "named_edges",
    "odd_items",
    "random_value",
    "sample_values",
    "strategy_source",
    "text_variants",
]

T = TypeVar("T")
_SCALARS = {"str", "int", "float", "bool", "bytes"}
_CONTAINERS = {"list", "tuple", "set", "dict"}
_CONTAINER_TYPES: dict[type, str] = {list: "list", tuple: "tuple", set: "set", frozenset: "set"}


@dataclass(frozen=True)
class Kind:
    """An inferred parameter type.

    :param name: ``str``, ``int``, ``float``, ``bool``, ``bytes``, ``list``, ``tuple``,
        ``set``, ``dict``, ``none``, ``stream`` (a file object, built as ``io.StringIO``
        or ``io.BytesIO``) or ``unknown``.
    :param item: element kind of a list/tuple/set, value kind of a dict.
    :param optional: ``None`` is a valid value the code means to handle.
    :param confident: inferred from evidence (real values, annotation, default,
        docstring, a call in the body), not guessed from the name.
    :param arity: for ``callable``, how many arguments the code passes it.
    :param evidence: where the kind came from: ``traced`` (real or documented values),
        ``annotation``, ``default``, ``docstring``, ``factory``, ``format`` (a regex of
        the module), ``usage-<kind>`` (how the body uses it), ``name`` or ``discovery``.
    """

    name: str
    item: Kind | None = None
    optional: bool = False
    confident: bool = False
    traced: tuple[object, ...] = field(default=(), compare=False)
    arity: int | None = None
    evidence: str = field(default="", compare=False)


#: Evidence a finding can rest on: the input is one the code is documented or shown
#: to accept. A kind guessed from a name, or from how the body uses a value, is not.
EVIDENCE = frozenset({"traced", "annotation", "default", "docstring", "factory", "usage-str"})


UNKNOWN = Kind("unknown")

_ANNOTATION_NAMES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "bytes": "bytes",
    "list": "list",
    "List": "list",
    "Sequence": "list",
    "Iterable": "list",
    "Collection": "list",
    "MutableSequence": "list",
    "Iterator": "list",
    "tuple": "tuple",
    "Tuple": "tuple",
    "set": "set",
    "Set": "set",
    "frozenset": "set",
    "FrozenSet": "set",
    "AbstractSet": "set",
    "dict": "dict",
    "Dict": "dict",
    "Mapping": "dict",
    "MutableMapping": "dict",
    "Counter": "dict",
    "OrderedDict": "dict",
    "None": "none",
    "Callable": "callable",
}

_NAME_HINTS: tuple[tuple[str, str], ...] = (
    (
        r"^(key|func|function|fn|f|pred|predicate|callback|factory|default_factory|callable|"
        r"transform|mapper|handler|hook|cmp|on_\w+|\w+_func|\w+_fn|\w+_callback|\w+_key)$",
        "callable",
    ),
    (r"^(fp|fh|fileobj|file_obj|fobj|stream|outfile|infile|ostream|istream)$", "stream"),
    (
        r"^(text|s|string|name|query|word|words_text|sep|separator|prefix|suffix|path|"
        r"filename|title|label|pattern|line|url|email|token|char|delimiter|value_str|q|"
        r"source|template|message|msg|needle|haystack|slug|phrase|sentence|doc|document|"
        r"\w+string|\w+_str|str_\w+|\w+_text|text_\w+|\w+name)$",
        "str",
    ),
    (
        r"^(n|k|i|j|count|size|limit|index|idx|num|number|length|width|depth|offset|start|"
        r"stop|end|step|times|max\w*|min\w*|\w+size|\w+_count|num_\w+|n_\w+|precision|digits|"
        r"places|base|year|day|month|week|hour|minute|second|ordinal|level|lineno)$",
        "int",
    ),
    (
        r"^(x|y|z|ratio|rate|alpha|beta|weight|score|threshold|factor|scale|amount|price|"
        r"temperature|prob|probability|tolerance|tol|eps|epsilon)$",
        "float",
    ),
    (
        r"^(items|values|xs|ys|seq|sequence|lst|elements|data|numbers|nums|records|rows|"
        r"array|arr|vector|iterable|samples|parts|tokens|words|lines|names|keys)$",
        "list",
    ),
    (
        r"^(mapping|d|dct|config|headers|params|options|kwargs_dict|counts|table|lookup|"
        r"dictionary|attrs|meta|metadata)$",
        "dict",
    ),
    (
        r"^(flag|strict|reverse|verbose|ignore_case|case_sensitive|enabled|recursive|"
        r"is_\w+|has_\w+|use_\w+|allow_\w+)$",
        "bool",
    ),
)

_DOC_PATTERNS = (
    r"^\s*{name}\s*\(([^)]+)\)\s*:",  # Google style: name (type): ...
    r":type\s+{name}\s*:\s*(.+)$",  # reST
    r"^\s*{name}\s*:\s*([A-Za-z][\w\[\], |]*)\s*$",  # numpy style
)


def _split_top(text: str, separator: str = ",") -> list[str]:
    """``text`` split at ``separator`` outside brackets, parts stripped, empty ones dropped."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == separator and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def parse_annotation(text: str) -> Kind:
    """A :class:`Kind` from annotation source text (best effort, never raises)."""
    text = text.strip().strip("'\"")
    union = [p.strip() for p in _split_top(text, "|")]
    if len(union) > 1:
        optional = any(p == "None" for p in union)
        rest = [p for p in union if p != "None"]
        inner = parse_annotation(rest[0]) if len(rest) == 1 else UNKNOWN
        return Kind(inner.name, inner.item, optional=optional or inner.optional, confident=True)
    match = re.fullmatch(r"(?:[\w.]+\.)?(\w+)\s*(?:\[(.*)\])?", text, re.DOTALL)
    if not match:
        return UNKNOWN
    head, args = match.group(1), match.group(2)
    if head == "Optional" and args:
        inner = parse_annotation(args)
        return Kind(inner.name, inner.item, optional=True, confident=True)
    if head == "Union" and args:
        return parse_annotation(" | ".join(_split_top(args)))
    name = _ANNOTATION_NAMES.get(head)
    if name is None:
        return UNKNOWN
    item = None
    if name in _CONTAINERS and args:
        parts = _split_top(args)
        element = parts[-1] if name == "dict" else parts[0]
        item = parse_annotation(element)
    return Kind(name, item, confident=True)


def kind_of_value(value: object) -> Kind:
    """The kind of a concrete value (a default or a recorded argument)."""
    if value is None:
        return Kind("none", confident=True)
    for tp in (bool, int, float, str, bytes):
        if type(value) is tp:
            return Kind(tp.__name__, confident=True)
    if isinstance(value, (list, tuple, set, frozenset)) and type(value) in _CONTAINER_TYPES:
        name = _CONTAINER_TYPES[type(value)]
        items = list(value)
        item = _common([kind_of_value(v) for v in items[:20]]) if items else None
        return _container(name, item, bool(items))
    if type(value) is dict:
        values = list(value.values())[:20]
        item = _common([kind_of_value(v) for v in values]) if values else None
        return _container("dict", item, bool(values))
    return UNKNOWN


def _container(name: str, item: Kind | None, has_items: bool) -> Kind:
    """A container kind; mixed or unknown elements make it a guess, not evidence."""
    if has_items and (item is None or not item.confident):
        return Kind(name, item or UNKNOWN, confident=False)
    return Kind(name, item, confident=True)


def _common(kinds: Sequence[Kind]) -> Kind | None:
    names = {k.name for k in kinds if k.name != "none"}
    optional = any(k.name == "none" for k in kinds)
    if names == {"int", "float"}:
        # Numbers: the code takes floats too, where summation order shows.
        return Kind("float", optional=optional, confident=all(k.confident for k in kinds))
    if names == {"list", "tuple"}:
        # Sequences: lists and tuples alike; the items decide the rest.
        items = [k.item for k in kinds if k.item is not None]
        item = _common(items) if items else None
        return _container("list", item, bool(items))
    if len(names) == 1:
        first = next(k for k in kinds if k.name != "none")
        confident = first.name != "unknown" and all(k.confident for k in kinds)
        return Kind(first.name, first.item, optional=optional, confident=confident)
    return None


def _literal_default(text: str | None) -> tuple[bool, object]:
    if text is None:
        return False, None
    try:
        import ast

        return True, ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def infer_kind(param: Param, docstring: str, traced: Sequence[object]) -> Kind:
    """The kind of ``param`` from recorded values, annotation, default, docstring, name."""
    optional = param.none_checked
    has_default, default = _literal_default(param.default)
    if has_default and default is None:
        optional = True
    kind: Kind | None = None
    evidence = ""

    def missing(k: Kind | None) -> bool:
        return k is None or k.name in ("unknown", "none")

    if traced:
        if any(v is None for v in traced):
            optional = True
        kind = _common([kind_of_value(v) for v in traced[:20]])
        evidence = "traced"
    if (kind is None or kind.name == "unknown") and param.annotation:
        parsed = parse_annotation(param.annotation)
        if parsed.name != "unknown":
            kind, evidence = parsed, "annotation"
        optional = optional or parsed.optional
    if missing(kind) and has_default and default is not None:
        kind, evidence = kind_of_value(default), "default"
    if missing(kind) and param.default in _CALLABLE_DEFAULTS:
        kind, evidence = Kind("callable", confident=True, arity=param.arity), "default"
    if missing(kind):
        kind, evidence = _from_docstring(param.name, docstring), "docstring"
    if missing(kind):
        kind, evidence = _from_usage(param), f"usage-{param.usage}"
        if kind is not None and kind.name == "float" and _from_name(param.name).name == "int":
            # Arithmetic says "a number"; a name like ``maxsize`` or ``n_items`` says which.
            kind, evidence = Kind("int"), "usage-float, name"
        if param.usage == "iterable" and _from_name(param.name).name == "str":
            # ``len(isostring)``, ``for c in text``: text is iterated too.
            kind, evidence = Kind("str"), "usage-iterable, name"
    if kind is None or kind.name in ("unknown", "none"):
        kind, evidence = _from_name(param.name), "name"
    if kind.name == "callable" and kind.arity is None:
        kind = Kind("callable", optional=kind.optional, confident=kind.confident, arity=param.arity)
    return Kind(
        kind.name,
        kind.item,
        optional=optional or kind.optional,
        confident=kind.confident,
        traced=tuple(traced),
        evidence=evidence if kind.name != "unknown" else "",
    )


def _from_docstring(name: str, doc: str) -> Kind | None:
    for pattern in _DOC_PATTERNS:
        match = re.search(pattern.format(name=re.escape(name)), doc, re.MULTILINE)
        if match:
            text = match.group(1).replace("optional", "").strip(" ,")
            kind = parse_annotation(text)
            if kind.name != "unknown":
                return kind
    return None


#: Defaults that say "a callable goes here": ``pred=bool``, ``key=len``.
_CALLABLE_DEFAULTS = {"bool", "len", "str", "int", "float", "abs", "repr", "list", "tuple", "id"}


def _from_usage(param: Param) -> Kind | None:
    """The kind the body's use of the parameter shows (see ``usage.Usage``).

    A call is proof (nothing but a callable can be called); the other uses are strong
    hints. An iterated parameter's items are unknown: discovery finds what they are.
    """
    usage = param.usage
    if usage is None:
        return None
    if usage == "callable":
        return Kind("callable", confident=True, arity=param.arity)
    if usage == "iterable":
        return Kind("list", UNKNOWN)
    return Kind(usage, Kind("str") if usage == "list" else None)


def _from_name(name: str) -> Kind:
    for pattern, kind in _NAME_HINTS:
        if re.match(pattern, name):
            item = Kind("str") if kind == "list" else None
            return Kind(kind, item)
    if name.endswith("s") and len(name) > 3:
        return Kind("list", Kind("str"))
    return UNKNOWN


# --- values ---------------------------------------------------------------------------

_SAMPLES: dict[str, tuple[object, ...]] = {
    # Capitals, a space, an underscore, digits (the second: a hyphen): what a dropped
    # normalisation (.lower(), .replace("_", "-"), a split) changes shows in every call.
    "str": ("Hello World_42", "Foo-Bar_baz 42"),
    "int": (3, 10),
    "float": (2.5, 0.1),
    "bool": (True, False),
    "bytes": (b"Hello World_42", b"Foo-Bar_baz 42"),
    "none": (None,),
    # A file object (the body writes or reads it): text first, bytes when text raises.
    "stream": (
        Build("io.StringIO", "first line\nsecond line\n"),
        Build("io.BytesIO", b"first\nsecond\n"),
    ),
}

#: Edge values per scalar kind, each with the catalog risk it probes.
_EDGES: dict[str, tuple[tuple[object, str], ...]] = {
    "stream": (
        (Build("io.StringIO", ""), "empty-input"),
        (Build("io.BytesIO", b""), "empty-input"),
        (Build("io.StringIO", "\u00fcn\u00ef\r\n\u00e7\u00f8"), "unicode-fast-path"),
        (Build("io.BytesIO", b"\x00\xff\r\n"), "special-characters"),
    ),
    "str": (
        ("", "empty-input"),
        (" ", "empty-input"),
        ("Ünïcödé straße İ 日本語 ǅ", "unicode-fast-path"),
        ("ÉCOLE", "unicode-fast-path"),
        ("a-b \"c\" 'd' *e: (f) OR g", "special-characters"),
        ("delta, alpha; charlie bravo|echo, alpha", "hash-order-output"),
        ("x" * 3000, "huge-input"),
        # Control and format characters, which ASCII and printable fast paths get wrong.
        ("\x7f", "special-characters"),
        ("a\tb\x00c\u200bd\u200de\u0301", "special-characters"),
        # Scripts, widths and planes past Latin: a fast path or table built for one
        # block, or for the BMP only (an emoji, mathematical letters), shows here.
        ("Ωμέγα Привет مرحبا 한국어 ｆｕｌｌ 𝔘𝔫𝔦 😀 ½ ﬁ", "unicode-fast-path"),
    ),
    "int": (
        # -1 first: the one combined with other parameters' edges (a sign branch).
        (-1, "negative-numbers"),
        (0, "negative-numbers"),
        (-37, "negative-numbers"),
        (True, "bool-input"),
        (2**53 + 1, "int-precision"),
        (10**20, "int-precision"),
        (2**64 + 1, "huge-input"),
        # A fraction where an integer goes: a dropped ``isinstance(n, int)`` check (a
        # validation an agent removes for speed) lets it through. Of another type than
        # the parameter's: never a finding.
        (2.5, "changed-exceptions"),
        # Where a number's digits change shape: number-to-text, ordinal suffixes,
        # grouping and year rules take their special cases here ('11th', not '11st').
        (11, "digit-boundaries"),
        (12, "digit-boundaries"),
        (13, "digit-boundaries"),
        (21, "digit-boundaries"),
        (100, "digit-boundaries"),
        (101, "digit-boundaries"),
        (111, "digit-boundaries"),
        (1000, "digit-boundaries"),
        (1001, "digit-boundaries"),
        (1010, "digit-boundaries"),
        (10**6 + 1, "digit-boundaries"),
    ),
    "float": (
        (0.0, "negative-numbers"),
        (-0.0, "nan-and-infinity"),
        (-2.75, "negative-numbers"),
        (math.nan, "nan-and-infinity"),
        (math.inf, "nan-and-infinity"),
        (-math.inf, "nan-and-infinity"),
        (0.1 + 0.2, "changed-floats"),
        (2**53 + 1, "int-precision"),
        (True, "bool-input"),
        (1e308, "huge-input"),
    ),
    # A flag turns a code path on or off: both values, whatever the default.
    "bool": ((True, "changed-behaviour"), (False, "changed-behaviour")),
    "bytes": ((b"", "empty-input"), (b"\xff\x00\xfe", "unicode-fast-path")),
}


def _callables(kind: Kind) -> tuple[object, ...]:
    """Builtins that fit a callable parameter called with ``kind.arity`` arguments."""
    if kind.arity == 0:
        return (list, str)
    if kind.arity == 2:
        return (max, min)
    return (str, bool)


def sample_values(kind: Kind) -> list[object]:
    """Ordinary values of ``kind``: recorded ones first, then typical ones."""
    out: list[object] = list(kind.traced[:3])
    if kind.name == "callable":
        out.extend(_callables(kind))
    elif kind.name in _SAMPLES:
        out.extend(_SAMPLES[kind.name])
    elif kind.name in _CONTAINERS:
        item = kind.item or Kind("str")
        items = [v for v in sample_values(Kind(item.name, item.item)) if v is not None][:3]
        if item.name == "unknown" or not items:
            # Items of one type, out of order: a sorted or hashed container takes them
            # (mixed types make ``sorted`` fail and leave only an empty container).
            items = [3, 1, 2]
        repeated = items + [items[0]] + ([items[1]] if len(items) > 1 else [])
        values = [copy.deepcopy(v) for v in repeated]  # equal items, not one held twice
        if kind.name == "list":
            out.append(values)
        elif kind.name == "tuple":
            out.append(tuple(values))
        elif kind.name == "set":
            out.append(set(_hashable(values)))
        elif kind.name == "dict":
            out.append({f"k{i}": v for i, v in enumerate(values)})
    else:
        out.extend(("hello", 3, [1, 2, 3]))
    return _dedupe(out)


def _hashable(values: list[object]) -> list[object]:
    out = []
    for v in values:
        try:
            hash(v)
        except TypeError:
            continue
        out.append(v)
    return out


def _dedupe(values: list[object]) -> list[object]:
    seen: list[str] = []
    out = []
    for v in values:
        key = f"{type(v).__name__}:{v!r}"
        if key not in seen:
            seen.append(key)
            out.append(v)
    return out


#: Containers holding one edge item among ordinary ones, per container parameter.
MAX_ODD_ITEMS = 4


def odd_items(edges: Sequence[T], pair: Callable[[T], tuple[object, str]]) -> list[T]:
    """The edge items a container holds one of beside an ordinary item: the first
    :data:`MAX_ODD_ITEMS`, and the first huge one after them (an int past 64 bits in a
    list: a fast path that packs the items into machine words, or refuses only
    negative ones, lets it through). Long texts stay out: a test shows its values.

    :param pair: an edge's ``(value, risk)``.
    """
    out = list(edges[:MAX_ODD_ITEMS])
    for edge in edges[MAX_ODD_ITEMS:]:
        item, risk = pair(edge)
        if risk == "huge-input" and not (isinstance(item, (str, bytes)) and len(item) > 100):
            out.append(edge)
            break
    return out


#: A year's special cases: the century rule of leap years (1900 and 2100 are not,
#: 2000 is), and a leap year that is no century.
_YEAR_EDGES = ((1900, "calendar-boundaries"), (2000, "calendar-boundaries"),
               (2100, "calendar-boundaries"), (2024, "calendar-boundaries"))  # fmt: skip
_YEAR_NAME = re.compile(r"^(year|\w+_year|year_\w+|yr)$")


def _itself(edge: tuple[object, str]) -> tuple[object, str]:
    return edge


def named_edges(name: str, kind: Kind) -> list[tuple[object, str]]:
    """Edge values a parameter's name asks for beyond its kind's: ``year`` takes the
    century years a leap-year rule gets wrong."""
    if kind.name == "int" and _YEAR_NAME.match(name):
        return list(_YEAR_EDGES)
    return []


#: Blanks that ``str.isspace()`` and a regular expression's ``\\s`` take and a
#: tokenizer's own set (``' \\t\\n\\r'``, CSS's with the form feed) may not: a
#: vertical tab, a no-break space, an em space, a form feed; every other one after a
#: space (a run of blanks that starts with an ordinary one reads on differently).
OTHER_BLANKS = ("\x0b", " \xa0", "\u2003", " \x0c")


def text_variants(samples: Sequence[object]) -> list[tuple[str, str]]:
    """The first ordinary text with other blanks between its words, and in swapped case,
    each with what was done to it.

    A text the code accepts, changed only where a normalisation looks: a skipped
    ``.lower()``, or a blank test widened to ``isspace()`` or ``\\s`` (or narrowed to
    ``' '``), reads it differently, where an edge value made from scratch is refused
    before the normalisation is reached.
    """
    texts = [s for s in samples if isinstance(s, str) and s.strip()]
    out: list[tuple[str, str]] = []
    spaced = next((s for s in texts if " " in s.strip()), None)
    if spaced is not None:
        words = spaced.split(" ")
        blanks = [OTHER_BLANKS[i % len(OTHER_BLANKS)] for i in range(len(words) - 1)]
        other = words[0] + "".join(b + w for b, w in zip(blanks, words[1:], strict=True))
        out.append((other, "an ordinary text with other blanks between its words"))
    cased = next((s for s in texts if s.swapcase() != s), None)
    if cased is not None:
        out.append((cased.swapcase(), "an ordinary text in swapped case"))
    return out


def edge_values(kind: Kind) -> list[tuple[object, str]]:
    """Edge values of ``kind``, each with the risk id it probes."""
    out: list[tuple[object, str]] = []
    if kind.optional:
        out.append((None, "dropped-none-check"))
    if kind.name in _EDGES:
        out.extend(_EDGES[kind.name])
    elif kind.name in _CONTAINERS:
        item = kind.item or Kind("str")
        empty: object = {"list": [], "tuple": (), "set": set(), "dict": {}}[kind.name]
        out.append((empty, "empty-input"))
        singles = [v for v, _ in _EDGES.get(item.name, ())][:6]
        samples = [v for v in sample_values(Kind(item.name, item.item)) if v is not None][:3]
        pool = samples + [v for v in singles if not (isinstance(v, str) and len(v) > 100)]
        if item.name in _SCALARS and pool:
            out.append((_wrap(kind.name, pool), "changed-behaviour"))
            out.append((_wrap(kind.name, [pool[0]]), "changed-behaviour"))
            # One odd item among ordinary ones, each alone: a zero count, a negative
            # one, an empty string that a rewrite keeps or drops where the baseline does
            # not (all together, the first the code refuses hides the others).
            for value, risk in odd_items(_EDGES.get(item.name, ()), _itself):
                if samples and not (isinstance(value, str) and len(value) > 100):
                    out.append((_wrap(kind.name, [samples[0], value]), risk))
            dupes = list(reversed(samples)) + samples
            out.append((_wrap(kind.name, dupes), "hash-order-output"))
            big = [samples[i % len(samples)] for i in range(2000)] if samples else []
            out.append((_wrap(kind.name, big), "huge-input"))
            if kind.name in ("list", "tuple"):
                # An item that cannot be hashed: code that puts items in a set or a
                # dict turns the TypeError into its own error, a rewrite may not.
                out.append((_wrap(kind.name, [pool[0], []]), "changed-exceptions"))
        if item.optional or item.name == "unknown":
            out.append((_wrap(kind.name, [None]), "dropped-none-check"))
        if item.name in ("unknown", "list", "dict") and kind.name != "set":
            out.append((_repeated(kind.name), "repeated-object"))
    if kind.name == "unknown" or (kind.evidence == "discovery" and kind.name in _SCALARS):
        # Nothing says it is not a container (the first kind the baseline answered).
        out.append((_repeated("list"), "repeated-object"))
    return [(v, r) for v, r in out if _shape_ok(v)]


def _repeated(container: str) -> object:
    """One list held twice by a ``container`` (not inside itself): code that marks what
    it has seen by id, to refuse cycles, must unmark it once done; a memo keyed by id
    must not hand the second the first's result."""
    shared = [1, "a"]
    if container == "dict":
        return {"k0": shared, "k1": shared}
    return (shared, shared) if container == "tuple" else [shared, shared]


def _shape_ok(value: object) -> bool:
    try:
        hash(value) if isinstance(value, (set, frozenset)) else None
    except TypeError:
        return False
    return True


def _wrap(container: str, values: list[object]) -> object:
    """``values`` in a ``container``, each item its own copy: an ordinary list repeated
    in an edge value is two equal lists, not one held twice (see ``_repeated``)."""
    values = [copy.deepcopy(v) for v in values]
    if container == "list":
        return list(values)
    if container == "tuple":
        return tuple(values)
    if container == "set":
        return set(_hashable(values))
    return {f"k{i}": v for i, v in enumerate(values)}


def random_value(kind: Kind, rng: random.Random) -> object:
    """A pseudo-random value of ``kind`` (deterministic for a seeded ``rng``)."""
    if kind.optional and rng.random() < 0.15:
        return None
    if kind.traced and rng.random() < 0.5:
        return rng.choice(list(kind.traced))
    name = kind.name
    if name == "str":
        alphabet = "abcXYZ 019-_.,éü日'\"*:()\n"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
    if name == "int":
        return rng.choice([rng.randint(-20, 20), rng.randint(-(10**6), 10**6)])
    if name == "float":
        return rng.choice(
            [round(rng.uniform(-100, 100), 3), rng.uniform(-1, 1), float(rng.randint(-5, 5))]
        )
    if name == "bool":
        return rng.random() < 0.5
    if name == "bytes":
        return bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 8)))
    if name in _CONTAINERS and kind.item is not None and kind.item.name == "unknown":
        return rng.choice(list(kind.traced) or sample_values(kind))
    if name == "callable":
        return rng.choice(_callables(kind))
    if name in _CONTAINERS:
        item = kind.item or Kind("str")
        values = [
            random_value(Kind(item.name, item.item, item.optional), rng)
            for _ in range(rng.randint(0, 6))
        ]
        return _wrap(name, values)
    return rng.choice(sample_values(kind))


def strategy_source(kind: Kind, traced_source: Sequence[str] = ()) -> str | None:
    """Hypothesis strategy source text for ``kind``; ``None`` when nothing sensible exists.

    ``traced_source`` holds the source of recorded values; they are mixed in, since real
    inputs beat guessed ones.
    """
    base = _base_strategy(kind)
    parts: list[str] = []
    if traced_source:
        parts.append(f"st.sampled_from([{', '.join(traced_source)}])")
    if base is not None:
        parts.append(base)
    if not parts:
        return None
    if kind.optional and base is not None:
        parts.append("st.none()")
    return parts[0] if len(parts) == 1 else f"st.one_of({', '.join(parts)})"


#: Scalar kind -> the strategy for it. Ints are bounded: an unbounded count or size
#: makes one example take minutes; the edge cases probe huge integers on their own.
_SCALAR_STRATEGIES = {
    "str": "st.text(max_size=30)",
    "int": "st.integers(min_value=-1000, max_value=1000)",
    "float": "st.floats()",
    "bool": "st.booleans()",
    "bytes": "st.binary(max_size=30)",
    "none": "st.none()",
    "stream": "st.one_of(st.builds(Build, st.just('io.StringIO'), st.text(max_size=30)), "
    "st.builds(Build, st.just('io.BytesIO'), st.binary(max_size=30)))",
}


def _base_strategy(kind: Kind) -> str | None:
    name = kind.name
    if name == "callable":
        return f"st.sampled_from([{', '.join(c.__name__ for c in _callables(kind))}])"  # type: ignore[attr-defined]
    if name in _SCALAR_STRATEGIES:
        return _SCALAR_STRATEGIES[name]
    if name in _CONTAINERS:
        item = kind.item
        inner = _base_strategy(item) if item is not None else "st.text(max_size=10)"
        if inner is None:
            return None
        if item is not None and item.optional:
            inner = f"st.one_of(st.none(), {inner})"
        if name == "list":
            return f"st.lists({inner}, max_size=12)"
        if name == "tuple":
            return f"st.lists({inner}, max_size=12).map(tuple)"
        if name == "set":
            if item is not None and item.name in _CONTAINERS:
                return None
            return f"st.sets({inner}, max_size=12)"
        return f"st.dictionaries(st.text(max_size=8), {inner}, max_size=8)"
    return None
