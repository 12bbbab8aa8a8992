"""The text of the benchmark ``init`` writes: a plain script, readable and frozen.

The script is :mod:`.script` (real, tested Python) with its settings block replaced
by the project's: the modules in scope, where they import from, and the calls. It
depends on nothing but the standard library and the code it times. Calls whose values
have a literal form are written inline; the others are pickled in a file beside it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pytest_autoimprove.plural import plural

__all__ = ["ROUND_SECONDS", "BenchCall", "render"]

#: CPU seconds one round of the speed benchmark takes (passes per round follow from it).
ROUND_SECONDS = 0.05
_SCRIPT = Path(__file__).with_name("script.py")
_START = "# --- settings (written by init) ---\n"
_END = "# --- end of settings ---\n"


@dataclass(frozen=True)
class BenchCall:
    """One call the benchmark makes.

    :param source: ``(args, kwargs, ctor)`` as source text, or ``None`` when the call
        lives in the pickle file (``payload``).
    :param fresh: the call changes its arguments or its instance, so each call gets
        fresh copies (made outside the timed part).
    """

    module: str
    qualname: str
    kind: str
    fresh: bool
    source: tuple[str, str, str] | None = None
    payload: bytes | None = None


_HEADER = {
    "time": '''"""Speed benchmark written by `autoimprove-guard init` (frozen by the guard lock).

Times the code in scope, in this one process, on {calls} {origin}.
A pass makes every call once, on new instances (and fresh copies of the arguments a
call changes), after putting back what the code in scope keeps between calls (caches,
registries) as it was right after import: each pass does the work, not lookups of the
last pass's results. The score is the CPU time of one pass, the fastest of several
rounds of passes:

    SCORE: <milliseconds> ms

Interpreter start-up, imports and the copies are not in it, so a change to the code in
scope moves the score by its own share. CPU time, unlike wall time, does not count the
moments other programs had the CPU, so a busy machine does not move it either (code
that mostly waits, on files, the network or sleep, needs a benchmark of its own: give
it to init with --run).

Targets: {targets}.
Calls that raised on the baseline are not timed; lazy results are consumed.
Regenerate with `autoimprove-guard init --force`, or edit CALLS and run
`autoimprove-guard freeze`.
"""''',
    "memory": '''"""Memory benchmark written by `autoimprove-guard init` (frozen by the guard lock).

Measures the code in scope, in this one process, on {calls} {origin},
after putting back what the code in scope keeps between calls as it was right after
import: the score is the sum over the calls of each call's peak of newly allocated
memory (tracemalloc), the lowest of the rounds:

    SCORE: <KiB> KiB

Targets: {targets}.
Calls that raised on the baseline are not measured; lazy results are consumed.
Regenerate with `autoimprove-guard init --force`, or edit CALLS and run
`autoimprove-guard freeze`.
"""''',
}


def render(
    calls: Sequence[BenchCall],
    *,
    metric: str,
    rounds: int,
    modules: Sequence[str],
    import_roots: Sequence[str],
    pickled: str | None,
    origin: str,
    targets: Sequence[str],
) -> str:
    """The script's text (deterministic for the same calls and settings)."""
    lines = []
    for call in calls:
        if call.source is None:
            continue
        args, kwargs, ctor = call.source
        lines.append(
            f"    ({call.module!r}, {call.qualname!r}, {call.kind!r}, {args}, {kwargs}, "
            f"{ctor}, {call.fresh!r}),"
        )
    shown = ", ".join(targets[:12])
    if len(targets) > 12:
        shown += f" and {len(targets) - 12} more"
    shown = textwrap.fill(shown, width=86, subsequent_indent="    ")
    header = _HEADER[metric].format(
        calls=plural(len(calls), "call"), origin=origin, targets=shown or "none"
    )
    first, _, rest = header.partition("\n\n")
    intro, _, rest = rest.partition("\n\n")
    # The first paragraph holds the counts and the origin: wrapped, whatever their length.
    intro = textwrap.fill(" ".join(intro.split()), width=88)
    header = f"{first}\n\n{intro}\n\n{rest}"
    settings = (
        "#: Where the code in scope is imported from (relative to this file): the worktree's "
        "copy.\n"
        f"IMPORT_ROOTS = {list(import_roots)!r}\n"
        "#: The modules in scope: what they keep between calls is put back before every pass.\n"
        f"MODULES = {list(modules)!r}\n"
        f"METRIC = {metric!r}\n"
        f"ROUNDS = {rounds}\n"
        "#: CPU seconds one round should take (passes per round follow from a first pass).\n"
        f"ROUND_SECONDS = {ROUND_SECONDS!r}\n"
        "#: (module, qualname, kind, args, kwargs, constructor (args, kwargs), fresh copies "
        "per call)\n"
        "CALLS = [\n" + "".join(line + "\n" for line in lines) + "]\n"
        "#: Calls whose values have no literal form, pickled beside this file.\n"
        f"PICKLED = {pickled!r}\n"
    )
    source = _SCRIPT.read_text(encoding="utf-8")
    body = source[source.index('\n"""', 3) + 4 :]  # the module docstring is replaced
    before, _, rest = body.partition(_START)
    _, _, after = rest.partition(_END)
    return header + before + settings + after
