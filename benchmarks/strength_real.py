"""The real-library corpora of ``guard_strength.py``: fetch pinned releases, lay them out.

Fifteen corpora share this code: ``real`` (``corpus_real/real_modules.py``), ``heldout``
(``corpus_heldout/heldout_modules.py``), ``heldout2`` (``corpus_heldout2/
heldout2_modules.py``), ``heldout3`` (``corpus_heldout3/heldout3_modules.py``),
``heldout4`` (``corpus_heldout4/heldout4_modules.py``), ``heldout5``
(``corpus_heldout5/heldout5_modules.py``), ``heldout6``
(``corpus_heldout6/heldout6_modules.py``), ``heldout7``
(``corpus_heldout7/heldout7_modules.py``), ``heldout8``
(``corpus_heldout8/heldout8_modules.py``), ``heldout9``
(``corpus_heldout9/heldout9_modules.py``), ``heldout10``
(``corpus_heldout10/heldout10_modules.py``), ``heldout11``
(``corpus_heldout11/heldout11_modules.py``), ``heldout12``
(``corpus_heldout12/heldout12_modules.py``), ``heldout13``
(``corpus_heldout13/heldout13_modules.py``) and ``heldout14``
(``corpus_heldout14/heldout14_modules.py``), the last fourteen written without reading
the generators; see their docstrings. Third-party
code is never committed: the corpus file pins each release and this module downloads it
with ``pip download`` into a cache folder (network only here, at benchmark time),
unpacks it and lays out one small git project per module: the library's package at the
project root, its own tests when the sdist ships them (the tests-present mode), and an
improve.md naming the module as scope and its target functions in the instructions, as a
user would write it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "corpus_real"))
sys.path.insert(0, str(HERE / "corpus_heldout"))
sys.path.insert(0, str(HERE / "corpus_heldout2"))
sys.path.insert(0, str(HERE / "corpus_heldout3"))
sys.path.insert(0, str(HERE / "corpus_heldout4"))
sys.path.insert(0, str(HERE / "corpus_heldout5"))
sys.path.insert(0, str(HERE / "corpus_heldout6"))
sys.path.insert(0, str(HERE / "corpus_heldout7"))
sys.path.insert(0, str(HERE / "corpus_heldout8"))
sys.path.insert(0, str(HERE / "corpus_heldout9"))
sys.path.insert(0, str(HERE / "corpus_heldout10"))
sys.path.insert(0, str(HERE / "corpus_heldout11"))
sys.path.insert(0, str(HERE / "corpus_heldout12"))
sys.path.insert(0, str(HERE / "corpus_heldout13"))
sys.path.insert(0, str(HERE / "corpus_heldout14"))

import heldout2_modules  # noqa: E402
import heldout3_modules  # noqa: E402
import heldout4_modules  # noqa: E402
import heldout5_modules  # noqa: E402
import heldout6_modules  # noqa: E402
import heldout7_modules  # noqa: E402
import heldout8_modules  # noqa: E402
import heldout9_modules  # noqa: E402
import heldout10_modules  # noqa: E402
import heldout11_modules  # noqa: E402
import heldout12_modules  # noqa: E402
import heldout13_modules  # noqa: E402
import heldout14_modules  # noqa: E402
import heldout_modules  # noqa: E402
import strength_tools  # noqa: E402
from real_modules import MODULES, Change, RealModule  # noqa: E402

__all__ = ["CORPORA", "CorpusError", "RealModule", "apply_change", "fetch", "layout", "select"]

#: The pinned-release corpora by ``--corpus`` name; all use every function below.
CORPORA: dict[str, tuple[RealModule, ...]] = {
    "real": MODULES,
    "heldout": heldout_modules.MODULES,
    "heldout2": heldout2_modules.MODULES,
    "heldout3": heldout3_modules.MODULES,
    "heldout4": heldout4_modules.MODULES,
    "heldout5": heldout5_modules.MODULES,
    "heldout6": heldout6_modules.MODULES,
    "heldout7": heldout7_modules.MODULES,
    "heldout8": heldout8_modules.MODULES,
    "heldout9": heldout9_modules.MODULES,
    "heldout10": heldout10_modules.MODULES,
    "heldout11": heldout11_modules.MODULES,
    "heldout12": heldout12_modules.MODULES,
    "heldout13": heldout13_modules.MODULES,
    "heldout14": heldout14_modules.MODULES,
}

DEFAULT_CACHE = Path("~/.cache/autoimprove-bench")
_DONE = ".unpacked"


class CorpusError(Exception):
    """The corpus cannot be used as pinned (download failed, a snippet does not match)."""


def select(only: Sequence[str], corpus: str = "real") -> list[RealModule]:
    """The modules of ``corpus`` named in ``only`` (all when empty); unknown names fail."""
    modules = CORPORA[corpus]
    if not only:
        return list(modules)
    known = {m.name: m for m in modules}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise CorpusError(
            f"--only: unknown module(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )
    return [known[name] for name in only]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def fetch(module: RealModule, cache: Path) -> Path:
    """The unpacked release of ``module.pin`` in ``cache``, downloaded if missing."""
    dist, version = module.pin.split("==")
    unpacked = cache / "src" / f"{_normal(dist)}-{version}"
    if (unpacked / _DONE).exists():
        return _top(unpacked)
    archive = _archive(cache / "dist", dist, version) or _download(module.pin, cache / "dist")
    if unpacked.exists():
        shutil.rmtree(unpacked)
    unpacked.mkdir(parents=True)
    if archive.name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(unpacked, filter="data")
            else:  # Python < 3.10.12 / 3.11.4: sdists of the pinned releases only
                tar.extractall(unpacked)  # noqa: S202
    else:  # .zip sdists and wheels
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(unpacked)
    (unpacked / _DONE).write_text(archive.name + "\n")
    return _top(unpacked)


def _top(unpacked: Path) -> Path:
    """An sdist's single top folder, or the folder itself (a wheel)."""
    entries = [p for p in unpacked.iterdir() if p.name != _DONE]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else unpacked


def _archive(folder: Path, dist: str, version: str) -> Path | None:
    if not folder.is_dir():
        return None
    # Normalised whole names, so that a dist spelled with a hyphen in its sdist's name
    # (python-dotenv-1.0.1.tar.gz) matches too; an sdist before a wheel.
    prefix = _normal(f"{dist}-{version}") + "_"
    for path in sorted(folder.iterdir(), key=lambda p: (p.name.endswith(".whl"), p.name)):
        if _normal(path.name).startswith(prefix):
            return path
    return None


def _download(pin: str, folder: Path) -> Path:
    """``pip download`` the sdist of ``pin`` (a wheel when there is none)."""
    folder.mkdir(parents=True, exist_ok=True)
    dist, version = pin.split("==")
    tries = (["--no-binary", ":all:"], ["--only-binary", ":all:"])
    why = ""
    for kind in tries:
        print(f"  downloading {pin} ({' '.join(kind)}) into {folder} ...", flush=True)
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", *kind]
        proc = subprocess.run(
            [*command, "-d", str(folder), pin],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
            start_new_session=True,
        )
        found = _archive(folder, dist, version)
        if proc.returncode == 0 and found is not None:
            return found
        why = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    raise CorpusError(f"cannot download {pin}: {why} (the real corpus needs PyPI)")


def module_source(module: RealModule, release: Path) -> Path:
    """The module's file in the unpacked release (sdist layout, else wheel layout)."""
    package = Path(module.package)
    inside = Path(module.module).relative_to(package.name) if package.suffix != ".py" else None
    candidates: list[Path] = [release / module.package, release / package.name]
    for base in candidates:
        path: Path = base / inside if inside is not None else base
        if path.is_file():
            return path
    raise CorpusError(f"{module.pin}: {module.module} is not in the release ({release})")


class Edits(Protocol):
    """A named list of exact replacements (a corpus change of either corpus)."""

    @property
    def name(self) -> str: ...

    @property
    def edits(self) -> tuple[tuple[str, str], ...]: ...


def apply_change(text: str, change: Edits, where: str) -> str:
    """``text`` with every edit of ``change`` applied; each old snippet must occur once."""
    for index, (old, new) in enumerate(change.edits, 1):
        count = text.count(old)
        if count != 1:
            found = "not found" if count == 0 else f"found {count} times"
            raise CorpusError(
                f"{where}: change {change.name!r}: snippet {index} {found}: "
                f"{old.splitlines()[0] if old.strip() else repr(old)!s:.70} "
                "(fix the snippet in the corpus file, benchmarks/corpus_*/)"
            )
        text = text.replace(old, new, 1)
    return text


def check_snippets(module: RealModule, release: Path) -> None:
    """Fail loudly before any measurement if a change does not match the pinned source."""
    text = module_source(module, release).read_text(encoding="utf-8")
    for change in module.changes:
        apply_change(text, change, f"{module.pin} {module.module}")


def layout(module: RealModule, release: Path, dest: Path, *, with_tests: bool) -> None:
    """Lay out a git project at ``dest``: the package, its README and docs/, the tests
    (or not), improve.md."""
    dest.mkdir(parents=True)
    source = release / module.package
    if not source.exists():
        source = release / Path(module.package).name
    target = dest / source.name
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy2(source, target)
    # What a repository holds besides its code and tests: the README and docs/, where
    # the generator reads the author's examples (the release's own copies).
    for found in sorted(release.glob("README*")):
        if found.is_file():
            shutil.copy2(found, dest / found.name)
    if (release / "docs").is_dir():
        shutil.copytree(release / "docs", dest / "docs", ignore=shutil.ignore_patterns("*.pyc"))
    for _glob, destination in module.tests:
        stale = dest / destination.rstrip("/")
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    if with_tests:
        for pattern, destination in module.tests:
            for found in sorted(release.glob(pattern)):
                if not found.is_file() or found.name.endswith(".pyc"):
                    continue
                to = (
                    dest / destination / found.name
                    if destination.endswith("/")
                    else (dest / destination)
                )
                to.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(found, to)
    (dest / "improve.md").write_text(improve_md(module, with_tests=with_tests), encoding="utf-8")
    (dest / ".gitignore").write_text("__pycache__/\n.hypothesis/\nmutants/\n")
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", f"{module.pin}: {module.module}")


def test_paths(module: RealModule) -> list[str]:
    """Project paths that hold the library's own tests."""
    return [destination.rstrip("/") for _glob, destination in module.tests]


def improve_md(module: RealModule, *, with_tests: bool) -> str:
    """The improve.md a user would write to have an agent speed the targets up."""
    names = ", ".join(f"`{t}`" for t in module.targets)
    test = module.test_command if with_tests and module.tests else "pytest -q"
    return (
        f"# autoimprove: faster-{module.name}\n\n"
        "## Change\n"
        f"scope: {module.module}\n"
        f"Speed up {names} in {module.module}.\n\n"
        "## Check\n"
        f"test: {test}\n"
        "run: python -c \"print('SCORE: 1')\"\n"
        "goal: lower\n\n"
        "## Instructions\n"
        f"Make {names} faster. Their behaviour must not change: same results, "
        "same exceptions, for every input they accept today.\n"
    )


def _git(cwd: Path, *args: str) -> None:
    identity = ["-c", "user.name=guard-strength", "-c", "user.email=bench@localhost"]
    subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True, timeout=120)


def dotted(module_path: str) -> str:
    """``pkg/mod.py`` -> ``pkg.mod``, ``pkg/__init__.py`` -> ``pkg`` (from the project root)."""
    return strength_tools.dotted(module_path, ".")


_WITNESS_PRELUDE = """
import importlib, sys
sys.path.insert(0, {root!r})
m = importlib.import_module({name!r})
def show(f):
    try:
        r = f()
    except Exception as e:
        print("raises", type(e).__name__)
    else:
        print("returns", type(r).__name__, repr(r))
"""


def witness(root: Path, module: RealModule, change: Change) -> str:
    """What the witness of ``change`` prints against the module as it is in ``root``."""
    code = _WITNESS_PRELUDE.format(root=str(root), name=dotted(module.module)) + change.witness
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        start_new_session=True,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return f"<witness failed: {last}>"
    return proc.stdout


def check_witnesses(modules: Sequence[RealModule], cache: Path, work: Path) -> int:
    """Run every witness on the baseline and on the change; print; 0 when all hold."""
    failures = 0
    for module in modules:
        release = fetch(module, cache)
        check_snippets(module, release)
        root = work / module.name
        layout(module, release, root, with_tests=False)
        path = root / module.module
        original = path.read_text(encoding="utf-8")
        for change in module.changes:
            before = witness(root, module, change)
            path.write_text(apply_change(original, change, module.pin), encoding="utf-8")
            try:
                after = witness(root, module, change)
            finally:
                path.write_text(original, encoding="utf-8")
            differs = before != after
            broken = "<witness failed" in before + after
            ok = not broken and (differs != change.honest)
            failures += not ok
            kind = "honest" if change.honest else "regression"
            verdict = "ok" if ok else "FAILS"
            print(f"{verdict:5} {module.name:12} {kind:10} {change.name}")
            if not ok or not change.honest:
                for label, out in (("baseline", before), ("changed", after)):
                    first = out.strip().splitlines()
                    shown = " | ".join(first[:3]) + (" | ..." if len(first) > 3 else "")
                    print(f"        {label:8} {shown[:150]}")
    print(f"\n{failures} witness(es) do not hold" if failures else "\nevery witness holds")
    return 1 if failures else 0
