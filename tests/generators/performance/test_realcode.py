"""What trying the generator on real libraries taught: inference, findings, bounds.

Each test pins one general fix with a tiny module written here (never a library's
code): parameters typed by how the body uses them, findings only for near-certain
bugs, a probe that drops slow cases and stops at its budget, and an edge case that
shows a reordered float sum.
"""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.discover import discover
from pytest_autoimprove.generators.literals import to_source
from pytest_autoimprove.generators.performance import generate
from pytest_autoimprove.generators.performance.call_edges import FLOAT_ORDER
from pytest_autoimprove.generators.performance.plan import plan_module
from pytest_autoimprove.generators.performance.probe import run
from pytest_autoimprove.generators.performance.values import infer_kind

RECIPES = '''
def all_same(iterable, key=None):
    """Untyped, as recipes are: ``key`` is called, ``iterable`` iterated."""
    seen = [x if key is None else key(x) for x in iterable]
    return all(s == seen[0] for s in seen)


def take(n, iterable):
    return list(iterable)[:n]


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def shout(text, suffix=None):
    return text.upper() + (suffix or "!")


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def text_of(data):
    return data.decode("utf-8").strip()


def week_of(isostring, compact):
    if isinstance(isostring, basestring) and len(isostring) == 7:
        return int(isostring[5:7])
    if isinstance(compact, (int, float)):
        return compact
    return None
'''


def _module(tmp_path: Path, source: str, name: str = "recipes") -> Path:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return Path(f"{name}.py")


def test_body_usage_types_untyped_parameters(tmp_path: Path) -> None:
    info = discover(tmp_path, _module(tmp_path, RECIPES))
    params = {(t.qualname, p.name): p for t in info.targets for p in t.params}
    assert params["all_same", "key"].usage == "callable"
    assert params["all_same", "key"].arity == 1
    assert params["all_same", "iterable"].usage == "iterable"
    assert params["shout", "text"].usage == "str"
    # `.decode()` is binary data's alone: not text, although `.strip()` follows.
    assert params["text_of", "data"].usage == "bytes"
    assert infer_kind(params["text_of", "data"], "", ()).name == "bytes"
    key = infer_kind(params["all_same", "key"], "", ())
    assert (key.name, key.confident, key.optional) == ("callable", True, True)
    # An isinstance check names a type the body takes (``basestring``: Python 2 text).
    assert params["week_of", "isostring"].usage == "str"
    assert params["week_of", "compact"].usage == "int"
    # A callable's ordinary values are builtins, written by name in the test file.
    plans = {p.target.qualname: p for p in plan_module(info, {})}
    assert plans["all_same"].kinds["key"].name == "callable"
    assert to_source(str) == "str"
    assert to_source(max) == "max"


def test_findings_are_near_certain_bugs_only(tmp_path: Path) -> None:
    module = _module(tmp_path, RECIPES)
    request = GenerateRequest(root=tmp_path, modules=(module,), kind="speed", time_budget=30)
    result = generate(request, trace=False, verify=False)
    by_target = {f.target: f.message for f in result.findings}
    # An empty list divides by zero: a latent crash of valid input.
    assert "ZeroDivisionError" in by_target.get("mean", ""), by_target
    # A string passed where a callable goes, an int where a sequence goes: wrong
    # kinds of input, not bugs.
    assert "all_same" not in by_target, by_target
    assert "take" not in by_target, by_target
    assert "dot" not in by_target, by_target


def test_a_reordered_float_sum_has_an_edge_case(tmp_path: Path) -> None:
    info = discover(tmp_path, _module(tmp_path, RECIPES))
    traced = {"dot": [_traced(([0.5, 1.0], [2, 3]))]}
    plans = {p.target.qualname: p for p in plan_module(info, traced)}
    edge = [c for c in plans["dot"].candidates if c.risk == "changed-floats" and not c.param]
    assert len(edge) == 1
    args, _, _ = pickle.loads(edge[0].payload)
    assert list(args[0]) == list(FLOAT_ORDER)
    assert sum(args[0]) != sum(reversed(args[0]))


def _traced(args: tuple[object, ...]) -> dict[str, object]:
    return {
        "payload": pickle.dumps((args, {}, None), protocol=4),
        "sources": {n: to_source(v) for n, v in zip("ab", args, strict=True)},
    }


SLOW = """
import time


def slow(x):
    time.sleep(0.4)
    return x


def quick(x):
    return x
"""


def _probe_request(tmp_path: Path, budget: float | None) -> dict[str, object]:
    cases = [
        {
            "id": f"c{i}",
            "qualname": name,
            "kind": "function",
            "payload": pickle.dumps(((i,), {}, None)),
        }
        for i, name in enumerate(["slow", "quick", "quick"])
    ]
    request: dict[str, object] = {
        "sys_path": [str(tmp_path)],
        "modules": [{"name": "slowmod", "surface_names": ["slow", "quick"], "cases": cases}],
    }
    if budget is not None:
        request["budget"] = budget
    return request


def test_the_probe_drops_slow_cases(tmp_path: Path) -> None:
    _module(tmp_path, SLOW, "slowmod")
    out = run(_probe_request(tmp_path, None))
    status = {c["id"]: c["status"] for c in out["modules"]["slowmod"]["cases"]}
    assert status == {"c0": "slow", "c1": "ok", "c2": "ok"}


def test_the_probe_stops_at_its_budget(tmp_path: Path) -> None:
    _module(tmp_path, SLOW, "slowmod")
    out = run(_probe_request(tmp_path, 0.0))
    assert out["stopped"] is True
    assert out["modules"]["slowmod"]["cases"] == []


VISITORS = """
class Visitor:
    def visit_call(self, node):
        return node.get(sorted(node)[0])


def lookup(table, key):
    return table[key]


def ratio(a: int, b: int) -> float:
    return a / b
"""


def test_a_finding_rests_on_an_input_the_code_is_shown_to_take(tmp_path: Path) -> None:
    module = _module(tmp_path, VISITORS, "visitors")
    request = GenerateRequest(root=tmp_path, modules=(module,), kind="speed", time_budget=30)
    result = generate(request, trace=False, verify=False)
    by_target = {f.target: f.message for f in result.findings}
    # Annotated ints: dividing by zero is a latent crash on valid input.
    assert "ZeroDivisionError" in by_target.get("ratio", ""), by_target
    # A dict guessed from ``node.get`` and an index guessed from ``table[key]`` are not
    # evidence: an IndexError on ``{}`` or on a key out of range is no bug report, but
    # the exception the baseline raises there is recorded as its answer.
    assert "Visitor.visit_call" not in by_target, by_target
    assert "lookup" not in by_target, by_target
    text = next(f.content for f in result.files if f.path.name == "test_guard_visitors.py")
    assert isinstance(text, str)
    assert (
        "Case('empty-input-node-0', args=({},), ctor=((), {}), raises='builtins.IndexError'" in text
    )
    # The crash reported as a finding is frozen nowhere, not even in a pairwise case.
    assert "ZeroDivisionError" not in text


def test_a_loop_over_characters_says_the_value_is_a_string(tmp_path: Path) -> None:
    source = (
        "def escape(term):\n    return ''.join('\\\\' + ch if ch in '*:' else ch for ch in term)\n"
    )
    info = discover(tmp_path, _module(tmp_path, source, "chars"))
    term = info.targets[0].params[0]
    assert term.usage == "str"
    kind = infer_kind(term, "", ())
    assert (kind.name, kind.evidence) == ("str", "usage-str")


VARARGS = """
def total(*amounts):
    return sum(amounts)


def label(prefix="n", *numbers):
    return prefix + ",".join(map(str, numbers))
"""


def test_star_args_get_arguments_of_their_own(tmp_path: Path) -> None:
    info = discover(tmp_path, _module(tmp_path, VARARGS))
    plans = {p.target.qualname: p for p in plan_module(info, {})}
    # The kind of one of `*amounts` comes from its singular name: an amount, a number.
    assert plans["total"].kinds["amounts"].name in ("int", "float")
    calls = {c.id: pickle.loads(c.payload)[0] for c in plans["total"].candidates}
    assert calls["empty-input-amounts"] == ()
    assert len(calls["sample-0"]) >= 2  # the ordinary call passes several
    assert any(len(args) == 1 for args in calls.values())  # an edge value alone
    # With *numbers given, the positional parameter before it goes by position.
    spread = [
        args
        for args in (pickle.loads(c.payload)[0] for c in plans["label"].candidates)
        if len(args) > 1
    ]
    assert spread
    for args in spread:
        assert isinstance(args[0], str), args
        # Ints, bool edges included, and the one fraction an int parameter gets as an
        # edge of another type (a dropped isinstance check lets it through).
        assert all(isinstance(a, int) or a == 2.5 for a in args[1:]), args


CONTRACTS = """
import xml.dom.minidom

MODES = ("plain", "quotes", "dashes", "ellipses", "backticks", "all", "html", "utf8",
         "entities", "none", "old", "new", "legacy")


def mode_name(mode: int) -> str:
    \"\"\"The name of an output mode, 0 to 12.\"\"\"
    return MODES[mode]


def root_tag(document: str = "<root/>") -> str:
    \"\"\"The root tag of an XML document.\"\"\"
    return xml.dom.minidom.parseString(document).documentElement.tagName


def share(part: int, whole: int) -> float:
    return part / whole


def encoded(text: str, encoding: str = "utf-8") -> bytes:
    \"\"\"Text in a codec named by the caller.\"\"\"
    return text.encode(encoding)


def option(name: str, argcount: int = 0) -> tuple[str, int]:
    assert argcount in (0, 1), "an option takes no argument or one"
    return name, argcount
"""


def test_an_index_out_of_range_or_a_parser_refusing_text_is_no_finding(
    tmp_path: Path,
) -> None:
    module = _module(tmp_path, CONTRACTS, "contracts")
    request = GenerateRequest(root=tmp_path, modules=(module,), kind="speed", time_budget=30)
    by_target = {f.target: f.message for f in generate(request, trace=False).findings}
    # MODES[-37] raises IndexError: a lookup's contract for an index out of range.
    assert "mode_name" not in by_target, by_target
    # An XML parser refusing text that is no XML: what a parser is there for.
    assert "root_tag" not in by_target, by_target
    # An unknown codec name (rfc3986's encode_component) is the lookup's contract, and
    # an assert of the project's own code a precondition (docopt's Option argcount).
    assert "encoded" not in by_target, by_target
    assert "option" not in by_target, by_target
    # A division by zero on annotated ints still is one.
    assert "ZeroDivisionError" in by_target.get("share", ""), by_target
