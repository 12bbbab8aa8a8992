"""The scratch copy mutation testing runs in: the packages in scope and the guardrails.

Each mutant is written over its module in this copy (never in the user's tree), and
only the tests that can catch it are rendered into focus files of their own, so a
large module's whole guardrail file is not imported for every mutant.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pytest_autoimprove.generators import GeneratedFile
from pytest_autoimprove.generators.discover import ModuleInfo
from pytest_autoimprove.generators.performance.render import ModulePlan, TargetPlan, render_module

__all__ = ["FOCUS_EXAMPLES", "Scratch"]

#: Hypothesis examples per drawn test while a mutant runs (the frozen tests draw more).
FOCUS_EXAMPLES = 25


class Scratch:
    """A scratch copy of the packages in scope and the rendered guardrails."""

    def __init__(
        self, base: Path, root: Path, infos: Sequence[ModuleInfo], output_dir: Path
    ) -> None:
        self.base = base
        self.output_dir = output_dir
        self.paths: dict[str, Path] = {}
        self.sources: dict[str, str] = {}
        copied: set[Path] = set()
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".git")
        for info in infos:
            top = info.name.split(".")[0]
            source_root = root / info.import_root
            for candidate in (source_root / top, source_root / f"{top}.py"):
                destination = base / info.import_root / candidate.name
                if candidate in copied or not candidate.exists():
                    continue
                copied.add(candidate)
                destination.parent.mkdir(parents=True, exist_ok=True)
                if candidate.is_dir():
                    shutil.copytree(candidate, destination, ignore=ignore)
                else:
                    shutil.copy2(candidate, destination)
            self.paths[info.name] = base / info.path
            self.sources[info.name] = (root / info.path).read_text(encoding="utf-8")

    def write_tests(self, files: Sequence[GeneratedFile]) -> None:
        for file in files:
            if file.path.parts[: len(self.output_dir.parts)] == self.output_dir.parts:
                file.write(self.base)

    def focus(
        self, reached: Sequence[tuple[ModulePlan, TargetPlan]], target: TargetPlan
    ) -> list[str]:
        """Write the tests that can catch a mutant of ``target`` (``reached``: it and
        the targets whose tests reach it) into files of their own.

        The same tests, rendered from the same plans, without the rest of a large
        module's file (whose import alone can take seconds); node ids in the order
        pytest runs them and stops at the first failure (``-x``): the target's own
        replayed cases first, then its callers', the slower Hypothesis tests last.
        Those draw at most :data:`FOCUS_EXAMPLES` examples here: a surviving mutant
        runs every test that reaches it, and a hundred draws per test would leave most
        mutants unrun (a kill the frozen tests' full draws would make can only be
        missed: the score errs low, and the search then looks for a witness).
        """
        by_plan: dict[str, tuple[ModulePlan, list[TargetPlan]]] = {}
        for plan, t in reached:
            by_plan.setdefault(plan.name, (plan, []))[1].append(t)
        own: list[str] = []
        callers: list[str] = []
        differential: list[str] = []
        for plan, targets in by_plan.values():
            capped = min(plan.max_examples, FOCUS_EXAMPLES)
            focused = replace(
                plan,
                targets=[
                    replace(t, max_examples=min(t.max_examples or capped, capped)) for t in targets
                ],
                drop_surface=True,
                max_examples=capped,
            )
            path = self.base / plan.output_dir / f"test_focus_{plan.slug}.py"
            path.write_text(render_module(focused), encoding="utf-8")
            for t in targets:
                for name in t.rendered():
                    node = f"{path}::{name}"
                    if name.endswith("_differential"):
                        differential.append(node)
                    elif t is target:
                        own.append(node)
                    else:
                        callers.append(node)
        return [*own, *callers, *differential]

    def mutate(self, module: str, source: str | None) -> None:
        """Put ``source`` in place of the module (``None``: the original)."""
        path = self.paths[module]
        path.write_text(self.sources[module] if source is None else source, encoding="utf-8")
