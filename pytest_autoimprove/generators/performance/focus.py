"""Focus: which targets the goal names (they are covered first), and why a target has no test.

improve.md names the code an agent will work on in three places: a ``path::name``
scope entry (``scope: src/q.py::Parser.parse``), the free text of ``## Change`` and
``## Instructions`` (``Make `Parser.parse` faster``). Those targets are probed first,
verified first (their tests come first in the file) and get the larger share of the
mutation budget, so a large module never leaves them without tests.

When a target ends up with no test, :func:`untested_reason` says why in words a user
can act on, from what the probe saw on its candidate calls.
"""

from __future__ import annotations

import builtins
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig
    from pytest_autoimprove.generators.discover import ModuleInfo
    from pytest_autoimprove.generators.performance.render import ModulePlan

__all__ = [
    "named_targets",
    "ordered",
    "priority_nodes",
    "put_first",
    "unfound_names",
    "untested_reason",
]

_TOKEN = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*")
#: Prose words that name no function, however many functions carry them.
_PROSE = frozenset(
    [
        "make",
        "faster",
        "speed",
        "slower",
        "memory",
        "keep",
        "code",
        "this",
        "that",
        "with",
        "from",
        "into",
        "when",
        "what",
        "only",
        "also",
        "more",
        "less",
        "same",
        "each",
        "every",
        "result",
        "results",
        "value",
        "values",
        "data",
        "text",
        "list",
        "dict",
        "time",
        "test",
        "tests",
        "call",
        "calls",
        "function",
        "functions",
        "method",
        "methods",
        "class",
        "input",
        "inputs",
        "output",
        "return",
        "returns",
        "change",
        "changes",
        "should",
        "must",
        "never",
        "always",
    ]
)


def _tokens(text: str) -> set[str]:
    found = set()
    for token in map(_constructed, _TOKEN.findall(text)):
        found.add(token)
        parts = token.split(".")
        # `pkg.mod.Parser.parse` names Parser.parse and parse as well.
        for i in range(1, len(parts)):
            found.add(".".join(parts[i:]))
    return found


#: Methods that stand for their class's constructor: ``FQDN.__init__`` names ``FQDN``.
_CONSTRUCTORS = (".__init__", ".__new__")


def _constructed(name: str) -> str:
    """``name``, or the class it constructs when it names ``Class.__init__``."""
    for suffix in _CONSTRUCTORS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def mentioned(config: ImproveConfig | None) -> frozenset[str]:
    """Every name improve.md mentions (scope entries and prose): a private function it
    names, or a function the module leaves out of ``__all__``, is a target like a public
    one (iso8601's ``parse_timezone``)."""
    if config is None:
        return frozenset()
    names = {
        _constructed(name) for _, _, name in (e.partition("::") for e in config.change.targets)
    }
    words = _tokens("\n".join([config.change.notes, config.instructions]))
    return frozenset({n for n in names if n} | {w for w in words if _names_code(w)})


def _names_code(word: str) -> bool:
    """A prose word that may name code: private names always, others unless common words."""
    last = word.rsplit(".", 1)[-1]
    if last.startswith("_"):
        return bool(last.lstrip("_"))
    return len(last) >= 3 and last.lower() not in _PROSE


def named_targets(config: ImproveConfig | None, infos: Sequence[ModuleInfo]) -> dict[str, set[str]]:
    """``module name -> qualnames`` of the targets improve.md names.

    A ``path::name`` scope entry names ``name`` in that file (a class name names its
    constructor, a method its ``Class.method``, ``Class.__init__`` the constructor too); in
    prose, a token names a target when
    it is its qualname (``Parser.parse``), ends with it (``pkg.mod.Parser.parse``), or
    is its own name (``parse``, ``search``), except for a few common English words. A
    name the module binds to one of its functions (``packb = _packb3``) names that one.
    """
    out: dict[str, set[str]] = {}
    if config is None:
        return out
    entries = [e.partition("::") for e in config.change.targets]
    words = _tokens("\n".join([config.change.notes, config.instructions]))
    for info in infos:
        path = PurePosixPath(info.path.as_posix())
        names = {_constructed(name) for where, _, name in entries if PurePosixPath(where) == path}
        names |= {d for alias in names for d in info.aliases.get(alias, ())}
        said = words | {d for alias, defs in info.aliases.items() if alias in words for d in defs}
        said |= _through_aliases(words, info.aliases)
        names |= _through_aliases(names, info.aliases)
        for target in info.targets:
            qualname = target.qualname
            last = qualname.rsplit(".", 1)[-1]
            explicit = qualname in names or last in names
            prose = qualname in said or (last in said and _names_code(last))
            if explicit or prose:
                out.setdefault(info.name, set()).add(qualname)
    return out


def _through_aliases(names: Iterable[str], aliases: Mapping[str, tuple[str, ...]]) -> set[str]:
    """``Validator.validate`` read as ``BareValidator.validate`` where ``Validator`` is
    bound to ``BareValidator``."""
    out = set()
    for name in names:
        head, dot, rest = name.partition(".")
        out |= {f"{bound}.{rest}" for bound in aliases.get(head, ()) if dot}
    return out


#: A name written as code in improve.md's prose: `` `packb` ``, `` `Parser.parse()` ``.
_CODE_SPAN = re.compile(r"`([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)(?:\(\))?`")


def unfound_names(config: ImproveConfig | None, infos: Sequence[ModuleInfo]) -> list[str]:
    """Names improve.md gives as code that no target in scope answers to: a
    ``path::name`` scope entry, or a name in backticks in ``## Change``. The strength
    report lists each with no test, so a typo or a function left out of the scope is
    seen before the night starts, not after. Module names and Python's own (`re`,
    `sorted`) are not targets and not listed."""
    if config is None:
        return []
    entries = [e.partition("::") for e in config.change.targets]
    out: list[str] = []
    for info in infos:
        path = PurePosixPath(info.path.as_posix())
        for where, _, name in entries:
            if name and PurePosixPath(where) == path and not _answers(name, [info]):
                out.append(f"{info.name}.{name}")
    for name in dict.fromkeys(_CODE_SPAN.findall(config.change.notes)):
        if _answers(name, infos) or _python_name(name):
            continue
        if any(name == i.name or i.name.endswith(f".{name}") for i in infos):
            continue  # the module itself
        out.append(f"{infos[0].name}.{name}" if len(infos) == 1 else name)
    return list(dict.fromkeys(out))


def _answers(name: str, infos: Sequence[ModuleInfo]) -> bool:
    """Whether a target of ``infos`` (or a name bound to one) answers to ``name``;
    ``Validator.validate`` answers through ``Validator``, bound to ``BareValidator``."""
    name = _constructed(name)
    if any(_answers(n, [i]) for i in infos for n in _through_aliases([name], i.aliases)):
        return True
    for info in infos:
        full = {f"{info.name}.{t.qualname}" for t in info.targets}
        for target in info.targets:
            q = target.qualname
            if name in (q, q.rsplit(".", 1)[-1]) or q.startswith(f"{name}."):
                return True
        if name in info.aliases or name in full or any(f.endswith(f".{name}") for f in full):
            return True
    return False


def _python_name(name: str) -> bool:
    first = name.split(".")[0]
    return first in sys.stdlib_module_names or first in dir(builtins)


def ordered(qualnames: Iterable[str], named: set[str]) -> list[str]:
    """``qualnames`` with the named ones first (each group in its own order)."""
    items = list(qualnames)
    return [q for q in items if q in named] + [q for q in items if q not in named]


def put_first(plan: ModulePlan, named: set[str], max_examples: int) -> None:
    """Named targets first in ``plan`` (so in the file), with twice the Hypothesis examples."""
    by_name = {t.qualname: t for t in plan.targets}
    plan.targets = [by_name[q] for q in ordered(by_name, named)]
    for t in plan.targets:
        if t.qualname in named:
            t.max_examples = 2 * max_examples


def priority_nodes(plans: Sequence[ModulePlan], named: Mapping[str, set[str]]) -> list[str]:
    """Node ids (``file::test``) of the named targets' tests, verified before the others."""
    return [
        f"{plan.test_path.name}::{name}"
        for plan in plans
        for t in plan.targets
        if t.qualname in named.get(plan.name, set())
        for name in t.test_names().values()
    ]


#: probe status -> why no test kept it, for :func:`untested_reason`.
_STATUS_REASONS = {
    "no-instance": "no constructor call built an instance to call it on",
    "timeout": "every call ran past its time limit",
    "slow": "every call was too slow to replay in a guardrail",
    "skipped-slow": "its calls were too slow to replay in a guardrail",
    "nondeterministic": "its output changes from one call to the next",
    "seed-dependent": "its output changes with the hash seed (text in a set)",
    "unpicklable": "its results cannot be stored (neither a literal nor a pickle)",
    "unloadable": "the recorded inputs no longer load",
    "too-large": "its inputs or results are too large to freeze",
    "probe-error": "the probe could not call it",
}


def untested_reason(
    candidates: int,
    records: Sequence[Mapping[str, Any]],
    *,
    frozen_cases: int,
    findings: int,
    probe_stopped: bool,
) -> str:
    """Why a target ended with no test, in a few words.

    :param candidates: how many calls were planned for it.
    :param records: what the probe recorded for those calls (``status`` per call).
    :param frozen_cases: how many of its cases were rendered before verification.
    :param findings: how many findings (crashes of the baseline) it produced.
    :param probe_stopped: the probe ran out of time before reaching every call.
    """
    if candidates == 0:
        return "no call could be planned (a required parameter of unknown type)"
    if not records:
        if probe_stopped:
            return "the time budget ran out before its calls were probed (raise --budget)"
        return "the probe recorded nothing for it"
    statuses = Counter(str(r.get("status")) for r in records)
    if frozen_cases:
        return "every test written for it failed, flickered or was slow on the baseline"
    if findings:
        return "the baseline crashes on its inputs (see the findings)"
    if statuses.get("raised", 0) and statuses["raised"] == sum(statuses.values()):
        return "every call raised an exception it does not raise on purpose (no valid input known)"
    common = [s for s, _ in statuses.most_common() if s in _STATUS_REASONS]
    if common:
        return _STATUS_REASONS[common[0]]
    return "no call gave a result that could be frozen"
