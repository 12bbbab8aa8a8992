"""When a crash of the baseline is a finding: a bug reported before the first experiment.

A finding must be near-certain, or users learn to ignore them: it rests on an input
the code is documented or shown to take (see :data:`~.values.EVIDENCE`), on a call
that works with ordinary values, and on an exception that comes from the function's
own logic, not from the input being of the wrong kind or outside its contract.
"""

from __future__ import annotations

import io
import pickle
import re
import sys
from typing import Any

from pytest_autoimprove.generators.performance.plan import Candidate, TargetCandidates
from pytest_autoimprove.generators.performance.values import EVIDENCE, Kind, parse_annotation

__all__ = ["NO_FINDING_RISKS", "is_finding"]

#: Crashes on these edge values are dropped, not reported: most code never meant to
#: handle NaN, infinities or astronomically large inputs, and saying so is noise.
NO_FINDING_RISKS = {
    "nan-and-infinity",
    "huge-input",
    "bool-input",
    "int-precision",
    "exact-decimals",
    # Near misses of a format and combinations of edges: rejecting them is the contract.
    "format-fast-path",
    "combined-edges",
}
#: Exceptions that say the input was beyond the machine, not how the code behaves.
_RESOURCE_ERRORS = {"MemoryError", "RecursionError", "OverflowError"}
#: A parser's rejection (``ExpatError``, ``ParseError``, ``JSONDecodeError``, a tokenizer's
#: ``TokenError``): malformed text is what a parser is there to refuse.
_PARSE_ERROR = re.compile(r"(Parse|Syntax|Expat|Decode|Scan|Lex|Token)\w*(Error|Exception)$")
#: ``'str' object is not callable``, ``unsupported operand type(s) for +: 'int' and
#: 'str'``, ``list indices must be integers or slices, not str``: the words of a
#: TypeError or AttributeError message, among them the type names it names.
_QUOTED_TYPE = re.compile(r"\w+")


def is_finding(
    tc: TargetCandidates,
    cand: Candidate,
    res: dict[str, Any],
    base: dict[str, Any] | None,
) -> bool:
    """Is this crash of the baseline on an edge input a near-certain bug?

    Only when the input is one the code is documented or shown to take, and the
    exception comes from the function's own logic, not from the input being of the
    wrong kind:

    - the base call (every parameter at an ordinary value) works, so the other
      parameters' values are ones the function takes;
    - the parameter's type rests on evidence (an annotation, real or documented
      values, a default, a docstring, a factory's result, string methods called on
      it), and the edge value is of that type: a type guessed from a name, or from a
      value merely being iterated or indexed, is not evidence;
    - None counts only where the code says None is fine: a None default or an
      ``Optional`` annotation, and only as the parameter's own value (a ``None`` inside
      a list is not what a ``sections=None`` default allows); an empty value failing a
      lookup (``''[0]``) only where an empty default or an empty real or documented
      value says empty values come in (:func:`_empty_accepted`);
    - a TypeError or AttributeError quoting the type of a value passed in is a type
      confusion (``'str' object is not callable``), not a bug;
    - a ValueError (the code or a builtin rejecting a value, ``int('')``) or a leaked
      StopIteration (``next(iter(seq))``, a common "first item" contract) never counts,
      nor do resource errors, an ``OSError`` (a path that does not exist, a permission:
      the system's answer, not the code's), an IndexError or KeyError on an integer (an
      index out of range), a KeyError or LookupError on any value (an unknown key, an unknown codec
      name: ``''.encode('')``), or a parser's rejection (``ExpatError``,
      ``ParseError``); another module's exception (a codec or parser rejecting data,
      ``zlib.error``) counts only on special characters, where it is text passed
      unescaped to an engine (``sqlite3.OperationalError``).
    """
    if cand.origin != "edge" or cand.risk in NO_FINDING_RISKS or not cand.param:
        return False
    if base is None or base.get("status") != "ok":
        return False
    param = next((p for p in tc.target.params if p.name == cand.param), None)
    kind = tc.kinds.get(cand.param)
    if param is None or kind is None:
        return False
    mro = set(res.get("raises_mro", []))
    if mro & _RESOURCE_ERRORS:
        return False
    if "OSError" in mro:
        return False  # the system refused (no such file, no permission): not the code's bug
    none_edge = cand.risk == "dropped-none-check"
    if none_edge:
        annotated_optional = param.annotation is not None and (
            parse_annotation(param.annotation).optional
            or (kind.optional and kind.evidence == "annotation")
        )
        if not (param.default == "None" or annotated_optional):
            return False
        if _value_of(tc, cand) is not None:
            return False
    elif not (cand.valid and kind.evidence in EVIDENCE):
        return False
    empty_lookup = cand.risk == "empty-input" and "LookupError" in mro
    if empty_lookup and not _empty_accepted(param.default, kind):
        return False  # ``tag[0]`` assumes text that is never empty where it comes from
    message = str(res.get("message", "")).partition(": ")[2]
    quoted = set(_QUOTED_TYPE.findall(message))
    if mro & {"TypeError", "AttributeError"} and not none_edge and quoted & cand.types:
        return False
    if "ValueError" in mro and "UnicodeError" not in mro:
        return False
    if "StopIteration" in mro:
        return False
    if "LookupError" in mro and kind.name == "int":
        return False  # an index or key out of range: the lookup's contract
    raised = str(res.get("message", "")).partition(":")[0]
    if raised in ("builtins.KeyError", "builtins.LookupError"):
        return False  # an unknown key or codec name (not an index): the lookup's contract
    if "UnicodeError" not in mro and any(_PARSE_ERROR.search(name) for name in mro):
        return False  # a format's parser rejecting text: its contract
    return cand.risk == "special-characters" or str(res.get("message", "")).startswith("builtins.")


#: Defaults that say an empty value is an ordinary input.
_EMPTY_DEFAULTS = frozenset({"''", '""', "b''", 'b""', "()", "[]", "{}"})


def _empty_accepted(default: str | None, kind: Kind) -> bool:
    """Is an empty value shown to be an input the code takes?

    A ``str`` annotation or real non-empty values say the type, not that ``''`` is
    ever passed: a parser's callback (``handle_tag(tag)``, ``charref(name)``) never
    gets empty text from the parser that calls it. An empty default, or
    an empty value among the real or documented ones, says so.
    """
    if default is not None and default.replace(" ", "") in _EMPTY_DEFAULTS:
        return True
    return any(
        isinstance(v, (str, bytes, list, tuple, dict, set, frozenset)) and not v
        for v in kind.traced
    )


class _StandardOnly(pickle.Unpickler):
    """Loads values of the standard library and of our runtime (``Build``) only: a
    payload holding anything else (an instance the tracer recorded) is not loaded here,
    where the code under test is never imported."""

    def find_class(self, module: str, name: str) -> Any:
        top = module.partition(".")[0]
        if top in sys.stdlib_module_names or module.startswith("pytest_autoimprove.runtime"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


#: What :func:`_value_of` answers when it cannot tell.
_UNKNOWN = object()


def _value_of(tc: TargetCandidates, cand: Candidate) -> object:
    """The value ``cand`` gives its parameter, or :data:`_UNKNOWN`."""
    try:
        args, kwargs, _ = _StandardOnly(io.BytesIO(cand.payload)).load()
    except Exception:  # noqa: BLE001 - not the standard library's values: cannot tell
        return _UNKNOWN
    if cand.param in kwargs:
        return kwargs[cand.param]
    positional = [p.name for p in tc.target.params if p.kind == "positional"]
    if cand.param in positional and positional.index(cand.param) < len(args):
        return args[positional.index(cand.param)]
    return _UNKNOWN
