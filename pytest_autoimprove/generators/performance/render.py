"""Rendering: one readable, deterministic guardrail test file per module in scope.

The file holds data (recorded cases as inline literals where they round-trip, a data
file key otherwise; Hypothesis strategies; the public surface) and one-line test
bodies calling :mod:`pytest_autoimprove.runtime.replay`. Each test carries
``@pytest.mark.autoimprove_guard`` and a comment naming the catalog risks it guards.
The same plan always renders to the same bytes.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pytest_autoimprove.generators.catalog import risk
from pytest_autoimprove.generators.performance.sequences import SCENARIO_CTORS

__all__ = [
    "FOUND_PREFIX",
    "CaseText",
    "ModulePlan",
    "TargetPlan",
    "case_text",
    "example_source",
    "raised_name",
    "render_module",
]

#: Ids of the cases mutation testing adds (an input that told a mutant apart).
FOUND_PREFIX = "mutant-"


@dataclass(frozen=True)
class CaseText:
    """A recorded case as it appears in the file: inline source, or a data-file key."""

    id: str
    source: str | None
    data_key: str | None
    comment: str = ""


@dataclass
class TargetPlan:
    """What to write for one target."""

    qualname: str
    kind: str
    line: int
    recorded: list[CaseText] = field(default_factory=list)
    edge: list[CaseText] = field(default_factory=list)
    edge_risks: list[str] = field(default_factory=list)
    state_ids: list[str] = field(default_factory=list)
    strategies: dict[str, str] | None = None
    positional: list[str] = field(default_factory=list)
    ctor_sources: list[str] | None = None
    dropped: set[str] = field(default_factory=set)
    #: Fewer Hypothesis examples than the module's, for a slow differential test.
    max_examples: int | None = None
    #: For a class (its constructor target): constructor calls and method calls
    #: (``("name", args, kwargs)`` sources) that a sequence test plays on one instance.
    calls: tuple[list[str], list[str]] | None = None
    #: Fixed step sequences the sequence test always runs (see :mod:`.sequences`).
    scenarios: list[list[str]] = field(default_factory=list)
    #: The project's own examples calling this target, as ``Example(...)`` sources.
    examples: list[CaseText] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.qualname.replace(".", "_").lower()

    def case_groups(self) -> tuple[tuple[str, list[CaseText]], ...]:
        """The parametrized tests, by kind, with their cases (dropped ones included)."""
        return (("recorded", self.recorded), ("edge", self.edge), ("examples", self.examples))

    def test_names(self) -> dict[str, str]:
        return {
            kind: f"test_{self.slug}_{kind}"
            for kind in ("recorded", "edge", "state", "differential", "calls", "examples")
        }

    def rendered(self) -> dict[str, int]:
        """Test function name -> how many tests it runs (its parametrized cases), as rendered."""
        names = self.test_names()
        out: dict[str, int] = {}
        recorded = [c for c in self.recorded if c.id not in self.dropped]
        edge = [c for c in self.edge if c.id not in self.dropped]
        if recorded and names["recorded"] not in self.dropped:
            out[names["recorded"]] = len(recorded)
        if edge and names["edge"] not in self.dropped:
            out[names["edge"]] = len(edge)
        state = [i for i in self.state_ids if i not in self.dropped]
        if (
            names["recorded"] in out
            and names["state"] not in self.dropped
            and any(c.id in state for c in recorded)
        ):
            out[names["state"]] = 1
        if self.strategies is not None and names["differential"] not in self.dropped:
            out[names["differential"]] = 1
        if self.calls is not None and names["calls"] not in self.dropped:
            out[names["calls"]] = 1
        examples = [c for c in self.examples if c.id not in self.dropped]
        if examples and names["examples"] not in self.dropped:
            out[names["examples"]] = len(examples)
        return out

    @property
    def test_count(self) -> int:
        return sum(self.rendered().values())


@dataclass
class ModulePlan:
    """What to write for one module in scope."""

    path: Path
    name: str
    import_root: Path
    output_dir: Path
    goal: str
    targets: list[TargetPlan]
    surface: dict[str, str]
    expected_exceptions: list[str]
    max_examples: int
    tolerance: float | None
    data: dict[str, bytes] = field(default_factory=dict)
    drop_surface: bool = False
    #: Every module in scope (an example's imports of them are bound to the baseline).
    scope: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return self.name.replace(".", "_")

    @property
    def test_path(self) -> Path:
        return self.output_dir / f"test_guard_{self.slug}.py"

    @property
    def data_path(self) -> Path:
        return self.output_dir / f"test_guard_{self.slug}.cases.pickle"


def raised_name(record: Mapping[str, Any]) -> str | None:
    """``module.Error`` the probe saw raised, from its record (``None``: it returned)."""
    message = record.get("message")
    if record.get("status") != "raised" or not message:
        return None
    return str(message).split(":", 1)[0]


def case_source(cid: str, sources: Mapping[str, str], raised: str | None, fresh: bool) -> str:
    """``Case(...)`` source for a probe record whose values all have a literal form."""
    parts = [repr(cid), f"args={sources['args']}"]
    if sources["kwargs"] != "{}":
        parts.append(f"kwargs={sources['kwargs']}")
    if sources["ctor"] != "None":
        parts.append(f"ctor={sources['ctor']}")
    if raised is not None:
        parts.append(f"raises={raised!r}")
    elif sources["returns"] != "None":
        parts.append(f"returns={sources['returns']}")
    if sources["args_after"] != "None":
        parts.append(f"args_after={sources['args_after']}")
    if sources["state"] != "None":
        parts.append(f"state={sources['state']}")
    if sources.get("streams", "None") != "None":
        parts.append(f"streams={sources['streams']}")
    if fresh:
        parts.append("fresh=True")
    return f"Case({', '.join(parts)})"


def case_text(
    qualname: str, cid: str, record: Mapping[str, Any], data: dict[str, bytes], comment: str = ""
) -> CaseText:
    """The case a probe record becomes: inline source, or a key into ``data`` (updated).

    :param comment: where the input came from and what it guards, written above it.
    """
    sources = record.get("sources")
    if sources is not None:
        text = case_source(cid, sources, raised_name(record), bool(record.get("fresh")))
        return CaseText(cid, text, None, comment=comment)
    key = f"{qualname}/{cid}"
    data[key] = record["pickle"]
    kept = f"{comment}; values kept in the data file" if comment else "values kept in the data file"
    return CaseText(cid, None, key, comment=kept)


def _risk_lines(ids: Sequence[str]) -> list[str]:
    return [f"# risk {r}: {risk(r).description}" for r in dict.fromkeys(ids)]


def _case_list(name: str, cases: Sequence[CaseText]) -> list[str]:
    """The cases, each run of cases with the same origin under one comment saying it."""
    lines = [f"{name} = ["]
    previous = ""
    for case in cases:
        entry = case.source if case.source is not None else f"DATA[{case.data_key!r}]"
        if case.comment and case.comment != previous:
            lines.append(f"    # {case.comment}")
        previous = case.comment
        lines.extend(_wrap(f"    {entry},"))
    lines.append("]")
    return lines


def _builders(plan: ModulePlan) -> set[str]:
    """``Build`` and ``Ref`` where a case, a strategy, a sequence test's calls or an
    example uses them (objects built at call time)."""
    texts = [
        c.source
        for t in plan.targets
        for c in [*t.recorded, *t.edge, *t.examples]
        if c.source is not None and c.id not in t.dropped
    ]
    texts += [
        source
        for t in plan.targets
        if t.calls is not None and t.test_names()["calls"] not in t.dropped
        for source in [*t.calls[0], *t.calls[1], *(s for sc in t.scenarios for s in sc)]
    ]
    texts += [
        s
        for t in plan.targets
        if t.strategies and t.test_names()["differential"] not in t.dropped
        for s in t.strategies.values()
    ]
    texts += [s for t in plan.targets for s in t.ctor_sources or ()]
    found: set[str] = set()
    for text in texts:
        if "Build(" not in text and "Ref(" not in text and "Build," not in text:
            continue
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError:
            continue
        found.update(
            n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in ("Build", "Ref")
        )
    return found


def _wrap(line: str, width: int = 100) -> list[str]:
    """Long case lines stay on one line: breaking literals by hand hurts more than it helps."""
    return [line]


def render_module(plan: ModulePlan) -> str:
    """The test file text for ``plan``."""
    depth = len(plan.output_dir.parts)
    root_expr = "_HERE" + "".join(".parent" for _ in range(depth))
    import_root = PurePosixPath(plan.import_root.as_posix())
    root_path = root_expr if str(import_root) in ("", ".") else f'{root_expr} / "{import_root}"'
    uses_data = any(
        c.source is None
        for t in plan.targets
        for c in [*t.recorded, *t.edge]
        if c.id not in t.dropped
    )
    uses_calls = any(
        t.calls is not None and t.test_names()["calls"] not in t.dropped for t in plan.targets
    )
    uses_given = uses_calls or any(t.strategies is not None for t in plan.targets)
    uses_examples = any("examples" in _live_groups(t) for t in plan.targets)
    replay_names = ["Case", "check_surface"]
    if any(t.recorded or t.edge for t in plan.targets):
        replay_names.append("replay")
    if any(t.state_ids for t in plan.targets):
        replay_names.append("check_sequence")
    if uses_given:
        replay_names.append("check_differential")
    if uses_data:
        replay_names.append("load_cases")
    replay_names.extend(sorted(_builders(plan)))

    out: list[str] = [
        f'"""Guardrail tests for {plan.path.as_posix()} ({plan.goal} goal), '
        "generated by pytest-autoimprove.",
        "",
        "Do not edit: the guard lock freezes this file; regenerate it with",
        "`autoimprove-guard generate`.",
        "Each test names the risk it guards (pytest_autoimprove.generators.catalog); recorded",
        "cases replay what the baseline code did, differential tests compare the code with the",
        "frozen baseline copy in _baseline/.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import importlib",
        "import sys",
        "from pathlib import Path",
        "",
        "import pytest",
    ]
    if uses_given:
        out += [
            "from hypothesis import HealthCheck, Phase, "
            + ("example, " if any(t.scenarios and t.calls for t in plan.targets) else "")
            + "given, settings",
            "from hypothesis import strategies as st",
        ]
    out += [
        "",
        "from pytest_autoimprove.runtime.replay import (",
        *[f"    {name}," for name in sorted(replay_names)],
        ")",
        *(["from pytest_autoimprove.runtime.stateful import check_calls"] if uses_calls else []),
        *(
            ["from pytest_autoimprove.runtime.examples import Example, check_example"]
            if uses_examples
            else []
        ),
        "",
        "_HERE = Path(__file__).resolve().parent",
        f'for _path in ({root_path}, _HERE / "_baseline"):',
        "    if str(_path) not in sys.path:",
        "        sys.path.insert(0, str(_path))",
        "",
        f'current = importlib.import_module("{plan.name}")',
    ]
    if uses_given:
        out.append(f'baseline = importlib.import_module("_autoimprove_baseline.{plan.name}")')
    if uses_data:
        out.append(f'DATA = load_cases(_HERE / "{plan.data_path.name}")')
    out += [
        "# The baseline was recorded under Python's default warning filters: a project's",
        "# `filterwarnings = error` must not turn a recorded call into a failure.",
        'pytestmark = pytest.mark.filterwarnings("default")',
    ]
    out.append(f"TOLERANCE = {plan.tolerance!r}")
    if uses_examples:
        out.append(f"SCOPE = {tuple(plan.scope or (plan.name,))!r}")
    if uses_given:
        out.append(f"EXPECTED_EXCEPTIONS = {sorted(plan.expected_exceptions)!r}")
        out += [
            "SETTINGS = settings(",
            f"    max_examples={plan.max_examples},",
            "    derandomize=True,",
            "    database=None,",
            "    deadline=None,",
            # A failing guard fails the experiment whatever its minimal example:
            # shrinking would only make every rejected experiment slower.
            "    phases=[Phase.explicit, Phase.reuse, Phase.generate],",
            "    suppress_health_check=list(HealthCheck),",
            ")",
        ]
    for target in plan.targets:
        out += _render_target(plan, target)
    if not plan.drop_surface:
        out += [
            "",
            "",
            *_risk_lines(["removed-feature"]),
            "SURFACE = {",
            *[f"    {name!r}: {sig!r}," for name, sig in sorted(plan.surface.items())],
            "}",
            "",
            "",
            "@pytest.mark.autoimprove_guard",
            "def test_public_surface() -> None:",
            "    check_surface(current, SURFACE)",
        ]
    return "\n".join(out).rstrip() + "\n"


def _render_target(plan: ModulePlan, t: TargetPlan) -> list[str]:
    """The target's tests under a header; nothing at all when no test is left."""
    if not t.rendered():
        return []
    names = t.test_names()
    upper = t.slug.upper()
    out: list[str] = ["", "", f"# --- {t.qualname} ({plan.path.as_posix()}:{t.line}) ---"]
    call_args = f'current, "{t.qualname}", "{t.kind}"'
    recorded = [c for c in t.recorded if c.id not in t.dropped]
    edge = [c for c in t.edge if c.id not in t.dropped]
    if recorded and names["recorded"] not in t.dropped:
        out += ["", *_case_list(f"{upper}_RECORDED", recorded), "", ""]
        out += _risk_lines(
            [
                "changed-behaviour",
                "changed-exceptions",
                "argument-mutation",
                "changed-floats",
                "hash-order-output",
            ]
        )
        out += [
            "@pytest.mark.autoimprove_guard",
            f'@pytest.mark.parametrize("case", {upper}_RECORDED, ids=lambda case: case.id)',
            f"def {names['recorded']}(case: Case) -> None:",
            f"    replay({call_args}, case, tolerance=TOLERANCE)",
        ]
    if edge and names["edge"] not in t.dropped:
        out += ["", "", *_case_list(f"{upper}_EDGE", edge), "", ""]
        out += _risk_lines([*t.edge_risks, "changed-exceptions"])
        out += [
            "@pytest.mark.autoimprove_guard",
            f'@pytest.mark.parametrize("case", {upper}_EDGE, ids=lambda case: case.id)',
            f"def {names['edge']}(case: Case) -> None:",
            f"    replay({call_args}, case, tolerance=TOLERANCE)",
        ]
    state_ids = [i for i in t.state_ids if i not in t.dropped]
    if len(state_ids) >= 1 and names["state"] not in t.dropped:
        by_id = {c.id: (f"{upper}_RECORDED", i) for i, c in enumerate(recorded)}
        refs = [f"{by_id[i][0]}[{by_id[i][1]}]" for i in state_ids if i in by_id]
        if refs:
            out += ["", ""]
            out += _risk_lines(
                [
                    "stale-cache",
                    "shared-mutable-result",
                    "aliased-internal-state",
                    "argument-mutation",
                ]
            )
            out += [
                "@pytest.mark.autoimprove_guard",
                f"def {names['state']}() -> None:",
                f"    cases = [{', '.join(refs)}]",
                f"    check_sequence({call_args}, cases, tolerance=TOLERANCE)",
            ]
    if t.strategies is not None and names["differential"] not in t.dropped:
        params = [f"p_{name}" for name in t.strategies]
        out += ["", ""]
        out += _risk_lines(
            ["changed-behaviour", "changed-exceptions", "changed-floats", "stale-cache"]
        )
        decorator = (
            "@SETTINGS"
            if t.max_examples is None
            else f"@settings(SETTINGS, max_examples={t.max_examples})"
        )
        out += ["@pytest.mark.autoimprove_guard", decorator, "@given("]
        for name, source in t.strategies.items():
            out.append(f"    p_{name}={source},")
        if t.ctor_sources is not None:
            out.append(f"    p_ctor=st.sampled_from([{', '.join(t.ctor_sources)}]),")
            params.append("p_ctor")
        out.append(")")
        signature = ", ".join(f"{p}: object" for p in params)
        out.append(f"def {names['differential']}({signature}) -> None:")
        positional = [f"p_{n}" for n in t.positional if n in t.strategies]
        keywords = [f'"{n}": p_{n}' for n in t.strategies if n not in t.positional]
        args_src = "(" + ", ".join(positional) + ("," if len(positional) == 1 else "") + ")"
        kwargs_src = "{" + ", ".join(keywords) + "}"
        ctor_src = "p_ctor" if t.ctor_sources is not None else "None"
        body = (
            f'check_differential(current, baseline, "{t.qualname}", "{t.kind}", {args_src}, '
            f"{kwargs_src}, {ctor_src}, expected_exceptions=EXPECTED_EXCEPTIONS, "
            "tolerance=TOLERANCE)"
        )
        out += textwrap.wrap(
            body,
            width=96,
            initial_indent="    ",
            subsequent_indent="        ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    if t.calls is not None and names["calls"] not in t.dropped:
        out += _render_calls(t, upper, names["calls"])
    examples = [c for c in t.examples if c.id not in t.dropped]
    if examples and names["examples"] not in t.dropped:
        out += ["", "", f"{upper}_EXAMPLES = ["]
        for case in examples:
            out += [f"    # {case.comment}", f"    {case.source},"]
        out += ["]", "", ""]
        out += _risk_lines(["changed-behaviour", "changed-exceptions", "stale-cache"])
        out += [
            "# (the project's own examples, statement by statement, beside the baseline)",
            "@pytest.mark.autoimprove_guard",
            f'@pytest.mark.parametrize("example", {upper}_EXAMPLES, ids=lambda e: e.id)',
            f"def {names['examples']}(example: Example) -> None:",
            "    check_example(example, SCOPE, tolerance=TOLERANCE)",
        ]
    return out


def _live_groups(t: TargetPlan) -> dict[str, int]:
    names = {v: k for k, v in t.test_names().items()}
    return {names[name]: count for name, count in t.rendered().items()}


def example_source(where: str, source: str, globals_of: str) -> str:
    """``Example(...)`` as the test file writes it: the code as a readable block."""
    body = source if source.endswith("\n") else source + "\n"
    text = (
        "r'''\n" + body + "'''"
        if "'''" not in body and not body.rstrip("\n").endswith("\\")
        else repr("\n" + body)
    )
    extra = f"\n        {globals_of!r}," if globals_of else ""
    return f"Example(\n        {where!r},\n        {text},{extra}\n    )"


def _render_calls(t: TargetPlan, upper: str, name: str) -> list[str]:
    """A sequence test: the class's method calls, drawn in any order, on one instance."""
    assert t.calls is not None
    ctors, steps = t.calls
    out = ["", "", f"{upper}_CTORS = ["]
    out += [f"    {source}," for source in ctors]
    out += ["]", f"{upper}_STEPS = ["]
    out += [f"    {source}," for source in steps]
    out += ["]"]
    if t.scenarios:
        out += [
            "# the same values stored, read and stored again, in fixed orders: run first",
            f"{upper}_SCENARIOS = [",
        ]
        for scenario in t.scenarios:
            out += ["    [", *[f"        {step}," for step in scenario], "    ],"]
        out += ["]"]
    out += ["", ""]
    out += _risk_lines(["stale-cache", "changed-behaviour", "aliased-internal-state"])
    out += [
        "# (the calls above in any order on one instance, beside the baseline's)",
        "@pytest.mark.autoimprove_guard",
        "@SETTINGS",
        "@given(",
        f"    ctor=st.sampled_from({upper}_CTORS),",
        f"    steps=st.lists(st.sampled_from({upper}_STEPS), min_size=2, max_size=12),",
        ")",
    ]
    for number in range(len(t.scenarios)):
        for ctor in range(min(SCENARIO_CTORS, len(ctors))):
            out.append(f"@example(ctor={upper}_CTORS[{ctor}], steps={upper}_SCENARIOS[{number}])")
    out += [
        f"def {name}(ctor: object, steps: list) -> None:",
        f'    check_calls(current, baseline, "{t.qualname}", ctor, steps, tolerance=TOLERANCE)',
    ]
    return out
