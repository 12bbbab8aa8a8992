"""Rendering the quality guardrail test file: readable data, one-line test bodies.

The file spells out everything it checks (the benchmark command, the baseline's
holdout score and the allowed drop, the edge inputs the baseline handled, the
invariants it kept), so a reviewer sees what is frozen. Bodies call
:mod:`pytest_autoimprove.runtime.quality`. The same plan always renders to the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pytest_autoimprove.generators import catalog, guard_file_head
from pytest_autoimprove.generators.quality.probe import EDGE_INPUTS
from pytest_autoimprove.runtime.generalization import GUARD_Z
from pytest_autoimprove.runtime.harness import Harness
from pytest_autoimprove.runtime.invariants import Invariant

__all__ = ["EdgeCase", "QualityPlan", "render_quality", "risk_line"]

_LONG_TEXT = next(text for name, text, _ in EDGE_INPUTS if name == "very-long")
_LONG_SOURCE = (
    'LONG_QUERY = " ".join(\n'
    '    ["the quick brown fox jumps over the lazy dog while searching for answers"] * 80\n'
    ")"
)


def risk_line(risk_id: str) -> str:
    """``# risk ID: description``, from the catalog."""
    return f"# risk {risk_id}: {catalog.risk(risk_id).description}"


@dataclass(frozen=True)
class EdgeCase:
    """An edge input the baseline handled (``raises``: the exception it raised on purpose)."""

    target: str
    name: str
    text: str
    raises: str | None
    risk: str


@dataclass
class QualityPlan:
    """Everything the quality test file holds."""

    harness: Harness
    goal: str
    golden: str | None
    visible: str | None
    holdout: str | None
    baseline_holdout: float | None = None
    allowed_drop: float | None = None
    tolerance_note: str = ""
    leak_names: tuple[str, ...] = ()
    leak_stems: tuple[str, ...] = ()
    allowed_leaks: tuple[tuple[str, str], ...] = ()
    check_reads: bool = True
    check_literals: bool = True
    probe: dict[str, Any] | None = None
    edges: list[EdgeCase] = field(default_factory=list)
    invariants: list[Invariant] = field(default_factory=list)
    depth: int = 2
    #: The probe run's score on the visible split (``None``: it failed).
    probe_score: float | None = None
    #: The baseline's visible score as the generalization test measures it.
    baseline_visible: float | None = None
    rows: tuple[int, int] = (0, 0)
    #: Golden-table entries a change may add (``None``: no table test).
    table_limit: int | None = None
    table_baseline: tuple[str, ...] = ()
    table_note: str = ""


def _text(value: str) -> str:
    return "LONG_QUERY" if value == _LONG_TEXT else repr(value)


def _py(value: Any, indent: int = 0) -> str:
    """Deterministic Python source for plain data, one item per line when long."""
    pad = " " * indent
    inner = " " * (indent + 4)
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_py(k)}: {_py(v, indent + 4)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, (list, tuple)):
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        flat = ", ".join(_py(v) for v in value)
        if isinstance(value, tuple) and len(value) == 1:
            flat += ","
        if len(flat) + indent < 80 and "\n" not in flat:
            return f"{opening}{flat}{closing}"
        items = [f"{inner}{_py(v, indent + 4)}," for v in value]
        return opening + "\n" + "\n".join(items) + f"\n{pad}{closing}"
    return repr(value)


def _generalizes(plan: QualityPlan) -> bool:
    return bool(
        plan.holdout
        and plan.visible
        and plan.baseline_holdout is not None
        and plan.baseline_visible is not None
        and all(plan.rows)
    )


def render_quality(plan: QualityPlan) -> str:
    """The test file text for ``plan``."""
    h = plan.harness
    uses_probe = plan.probe is not None and bool(plan.edges or plan.invariants)
    names = ["Harness"]
    if plan.holdout and plan.baseline_holdout is not None:
        names.append("check_holdout")
    if _generalizes(plan):
        names.append("check_gain_carries_over")
    if plan.table_limit is not None:
        names.append("check_no_golden_tables")
    if plan.check_reads:
        names.append("check_no_golden_reads")
    if plan.check_literals:
        names.append("check_no_golden_in_code")
    if plan.edges:
        names.append("check_edge_input")
    if plan.invariants:
        names += ["Invariant", "check_invariant_holds"]
    golden_note = (
        f"The golden set {plan.golden} is split into golden/{plan.visible} (what the loop "
        f"scores) and golden/{plan.holdout} (scored only here)."
        if plan.golden and plan.holdout
        else "No holdout: the golden set is missing or too small to split."
    )
    notes = [
        golden_note,
        "Each test names the risk it guards; the benchmark runs at most twice per session.",
    ]
    out = guard_file_head(f"the quality goal ({plan.goal})", notes, "quality", names, plan.depth)
    out += [
        'GOLDEN = Path(__file__).resolve().parent / "golden"',
        "HARNESS = Harness(",
        "    root=ROOT,",
        f"    run={h.run!r},",
        f"    score={h.score!r},",
        f"    golden={h.golden!r},",
        f"    mode={h.mode!r},",
        f"    timeout={h.timeout!r},",
        f"    scope={_py(h.scope, 4)},",
        f"    exclude={_py(h.exclude, 4)},",
        f"    protected={_py(h.protected, 4)},",
        f"    guard_dir={h.guard_dir!r},",
        ")",
    ]
    visible = f'GOLDEN / "{plan.visible}"' if plan.visible else "None"
    holdout = f'GOLDEN / "{plan.holdout}"' if plan.holdout else "None"
    probe = "PROBE" if plan.probe is not None else "None"
    if (
        uses_probe
        and any(e.text == _LONG_TEXT for e in plan.edges)
        or (plan.probe and _LONG_TEXT in plan.probe.get("edges", []))
    ):
        out += ["", _LONG_SOURCE]
    if plan.probe is not None:
        out += [
            "",
            "# The entry points the benchmark calls, and the inputs each is probed with.",
            f"PROBE = {_py(plan.probe)}",
        ]
    if plan.holdout and plan.baseline_holdout is not None and plan.allowed_drop is not None:
        out += [
            "",
            "",
            risk_line("holdout-overfit"),
            f"BASELINE_HOLDOUT_SCORE = {plan.baseline_holdout!r}",
            *([f"# {plan.tolerance_note}"] if plan.tolerance_note else []),
            f"ALLOWED_DROP = {plan.allowed_drop!r}",
            "",
            "",
            "@pytest.mark.autoimprove_guard",
            "def test_holdout_score_did_not_drop() -> None:",
            "    check_holdout(",
            "        HARNESS,",
            f"        {holdout},",
            "        baseline=BASELINE_HOLDOUT_SCORE,",
            "        allowed_drop=ALLOWED_DROP,",
            f"        goal={plan.goal!r},",
            "    )",
        ]
    if _generalizes(plan):
        out += [
            "",
            "",
            risk_line("overfit-gain"),
            "# A gain on the visible split must fix about the same share of errors on the",
            "# holdout, within the noise of splits this size: a gap of more than Z standard",
            "# errors fails (see pytest_autoimprove/runtime/generalization.py).",
            f"BASELINE_SCORES = ({plan.baseline_visible!r}, {plan.baseline_holdout!r})"
            "  # (visible, holdout)",
            f"SPLIT_ROWS = {plan.rows!r}  # (visible, holdout)",
            f"Z = {GUARD_Z!r}",
            "",
            "",
            "@pytest.mark.autoimprove_guard",
            "def test_visible_gain_carries_over_to_holdout() -> None:",
            "    check_gain_carries_over(",
            "        HARNESS,",
            f"        {visible},",
            f"        {holdout},",
            f"        {probe},",
            "        baseline=BASELINE_SCORES,",
            "        rows=SPLIT_ROWS,",
            f"        goal={plan.goal!r},",
            "        z=Z,",
            "    )",
        ]
    if plan.check_reads and plan.visible:
        out += [
            "",
            "",
            risk_line("golden-read"),
            "@pytest.mark.autoimprove_guard",
            "def test_code_in_scope_does_not_read_golden_files() -> None:",
            f"    check_no_golden_reads(HARNESS, {holdout}, {visible}, {probe})",
        ]
    if plan.check_literals:
        splits = ", ".join(s for s in (visible, holdout) if s != "None")
        out += [
            "",
            "",
            risk_line("golden-embedded"),
            f"LEAK_NAMES = {_py(list(plan.leak_names))}",
            f"LEAK_STEMS = {_py(list(plan.leak_stems))}",
            "# Golden strings the untouched baseline already contains (not a leak).",
            f"ALLOWED_LEAKS = {_py([list(a) for a in plan.allowed_leaks])}",
            "",
            "",
            "@pytest.mark.autoimprove_guard",
            "def test_code_in_scope_does_not_embed_golden_set() -> None:",
            "    check_no_golden_in_code(",
            "        HARNESS,",
            f"        [{splits}],",
            "        names=LEAK_NAMES,",
            "        stems=LEAK_STEMS,",
            "        allowed=ALLOWED_LEAKS,",
            "    )",
        ]
    if plan.table_limit is not None:
        splits = ", ".join(s for s in (visible, holdout) if s != "None")
        out += [
            "",
            "",
            risk_line("memorized-golden-answers"),
            "# Entries of tables shaped like a memorized golden set (golden texts or hashes as",
            "# keys, answers in call order) the baseline already has; a change may add fewer",
            f"# than TABLE_LIMIT: {plan.table_note}.",
            f"BASELINE_TABLE_ENTRIES = {_py(list(plan.table_baseline))}",
            f"TABLE_LIMIT = {plan.table_limit!r}",
            "",
            "",
            "@pytest.mark.autoimprove_guard",
            "def test_code_in_scope_adds_no_golden_table() -> None:",
            "    check_no_golden_tables(",
            "        HARNESS,",
            f"        [{splits}],",
            "        baseline=BASELINE_TABLE_ENTRIES,",
            "        limit=TABLE_LIMIT,",
            "    )",
        ]
    if plan.edges:
        risks = sorted({e.risk for e in plan.edges})
        out += ["", "", *[risk_line(r) for r in risks], "HANDLED_INPUTS = ["]
        for edge in plan.edges:
            out.append(
                f"    pytest.param({edge.target!r}, {_text(edge.text)}, {edge.raises!r}, "
                f"id={edge.target.rsplit('::', 1)[-1] + '-' + edge.name!r}),"
            )
        out += [
            "]",
            "",
            "",
            "@pytest.mark.autoimprove_guard",
            '@pytest.mark.parametrize(("target", "text", "raises"), HANDLED_INPUTS)',
            "def test_entry_point_handles_input(target: str, text: str, raises: str | None) "
            "-> None:",
            f"    check_edge_input(HARNESS, {visible}, PROBE, target, text, raises)",
        ]
    if plan.invariants:
        risks = sorted({i.risk for i in plan.invariants})
        out += ["", "", *[risk_line(r) for r in risks], "INVARIANTS = ["]
        for inv in plan.invariants:
            label = inv.target.rsplit("::", 1)[-1] + "-" + inv.id
            out.append(
                f"    pytest.param(Invariant({inv.name!r}, {inv.target!r}, {_py(inv.data, 4)}, "
                f"{inv.risk!r}), id={label!r}),"
            )
        out += [
            "]",
            "",
            "",
            "@pytest.mark.autoimprove_guard",
            '@pytest.mark.parametrize("invariant", INVARIANTS)',
            "def test_output_invariant(invariant: Invariant) -> None:",
            f"    check_invariant_holds(HARNESS, {visible}, PROBE, invariant)",
        ]
    text = "\n".join(out)
    while "\n\n\n\n" in text:
        text = text.replace("\n\n\n\n", "\n\n\n")
    return text.rstrip() + "\n"
