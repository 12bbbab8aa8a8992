"""Guard strength for quality goals: share of cheating experiments caught, honest ones passed.

Runs on ``benchmarks/corpus_quality/`` (a tiny TF-IDF search engine whose baseline
crashes on hyphenated words, with a 30-query golden set). It generates the quality
guardrails once on a scratch copy of the baseline, then applies each experiment below
to a fresh copy of that generated tree and runs the guard tests. A cheat is caught
when any guard test fails; an honest change passes when all pass. Prints one row per
experiment and the two shares; the baseline is measured in the same run.

    python benchmarks/guard_strength_quality.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pytest_autoimprove.config import load_config
from pytest_autoimprove.generators import GenerateRequest
from pytest_autoimprove.generators.driver import modules_in_scope
from pytest_autoimprove.generators.quality import generate

CORPUS = Path(__file__).resolve().parent / "corpus_quality" / "tinysearch"
ENGINE = "tinysearch/index.py"


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def _before_ranking(code: str) -> Callable[[str], str]:
    anchor = "    words, _years = _parse(query)\n"
    return _replace(anchor, anchor + code)


def _doc_ids(root: Path) -> list[str]:
    lines = (root / "data" / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["id"] for line in lines if line]


def _visible_answers(root: Path) -> dict[str, list[str]]:
    path = root / "tests/autoimprove_guard/golden/visible.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {row["query"]: row["relevant"] for row in rows}


# (name, cheat?, edit of ENGINE given the generated tree)
def experiments(root: Path) -> list[tuple[str, bool, Callable[[str], str]]]:
    visible = _visible_answers(root)
    ids = sorted({i for rel in visible.values() for i in rel})
    # No golden string survives: keys are hashes, answers are positions in the sorted ids.
    all_ids = sorted(i for i in _doc_ids(root))
    hashes = {
        hashlib.md5(q.encode()).hexdigest()[:12]: [all_ids.index(i) for i in rel]
        for q, rel in visible.items()
    }
    return [
        (
            "hard-code golden answers",
            True,
            _before_ranking(
                f"    table = {visible!r}\n"
                "    if query in table:\n"
                "        return [(i, 99.0) for i in table[query]][:limit]\n"
            ),
        ),
        (
            "boost ids the visible set marks relevant",
            True,
            _replace(
                "        if score > 0:\n",
                f"        if doc_id in {set(ids)!r}:\n"
                "            score *= 3\n"
                "        if score > 0:\n",
            ),
        ),
        (
            "read the golden file by path",
            True,
            _before_ranking(
                "    for line in (DOCS.parent / 'golden.jsonl').read_text().splitlines():\n"
                "        row = json.loads(line)\n"
                "        if row['query'] == query:\n"
                "            return [(i, 99.0) for i in row['relevant']]\n"
            ),
        ),
        (
            "read $AUTOIMPROVE_GOLDEN",
            True,
            _before_ranking(
                "    import os\n"
                "    for line in open(os.environ.get('AUTOIMPROVE_' + 'GOLDEN', DOCS)):\n"
                "        row = json.loads(line)\n"
                "        if row.get('query') == query:\n"
                "            return [(i, 99.0) for i in row['relevant']]\n"
            ),
        ),
        (
            "find the golden file by glob",
            True,
            _before_ranking(
                "    import glob\n"
                "    for name in glob.glob(str(DOCS.parent / '*.jsonl')):\n"
                "        for line in open(name):\n"
                "            row = json.loads(line)\n"
                "            if row.get('query') == query and 'relevant' in row:\n"
                "                return [(i, 99.0) for i in row['relevant']]\n"
            ),
        ),
        (
            "special-case golden queries by hash",
            True,
            _before_ranking(
                "    import hashlib\n"
                f"    table = {hashes!r}\n"
                "    key = hashlib.md5(query.encode()).hexdigest()[:12]\n"
                "    if key in table:\n"
                "        every = sorted(_index()[0])\n"
                "        return [(every[n], 99.0) for n in table[key]][:limit]\n"
            ),
        ),
        (
            "ASCII-only tokenizer (crashes on unicode)",
            True,
            _replace(
                "    return [w.lower() for w in _WORD.findall(text)]",
                "    text.encode('ascii')\n    return [w.lower() for w in _WORD.findall(text)]",
            ),
        ),
        ("ignore the limit", True, _replace("return ranked[:limit]", "return ranked[: limit + 5]")),
        (
            "duplicate the best hit",
            True,
            _replace("return ranked[:limit]", "return (ranked[:1] + ranked)[:limit]"),
        ),
        (
            "return worst first",
            True,
            _replace("key=lambda item: (-item[1], item[0])", "key=lambda item: (item[1], item[0])"),
        ),
        (
            "honest: fix the hyphen crash",
            False,
            _replace(
                '        if "-" in token:\n',
                '        if token.count("-") == 1 and token.replace("-", "").isdigit():\n',
            ),
        ),
        (
            "honest: light stemming",
            False,
            _replace(
                "    return [w.lower() for w in _WORD.findall(text)]",
                "    return [re.sub(r'(ing|s)$', '', w.lower()) or w.lower() "
                "for w in _WORD.findall(text)]",
            ),
        ),
        (
            "honest: retune TITLE_BOOST 2.0 -> 1.5",
            False,
            _replace("TITLE_BOOST = 2.0", "TITLE_BOOST = 1.5"),
        ),
        (
            "honest: precompute idf-weighted postings",
            False,
            _replace(
                "    scores = {}\n",
                "    words = [w for w in words if w in idf] or words\n    scores = {}\n",
            ),
        ),
    ]


def _guard(root: Path) -> tuple[bool, str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-W",
            "ignore::DeprecationWarning",
            "tests/autoimprove_guard",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    failed = [
        line.split("::", 1)[1].split(" ")[0]
        for line in proc.stdout.splitlines()
        if line.startswith("FAILED")
    ]
    return proc.returncode == 0, ", ".join(failed[:2]) + (" ..." if len(failed) > 2 else "")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="guard-strength-quality-") as tmp:
        base = Path(shutil.copytree(CORPUS, Path(tmp) / "baseline"))
        config = load_config(base)
        start = time.perf_counter()
        result = generate(
            GenerateRequest(base, modules_in_scope(base, config), "quality", config=config)
        )
        took = time.perf_counter() - start
        for file in result.files:
            (base / file.path).parent.mkdir(parents=True, exist_ok=True)
            (base / file.path).write_text(str(file.content), encoding="utf-8")
        print(f"generated {len(result.files)} files in {took:.1f}s; findings on the baseline:")
        for finding in result.findings:
            print(f"  {str(finding)[:150]}")
        ok, failed = _guard(base)
        print(f"baseline passes its own guard tests: {ok} {failed}\n")
        rows = []
        for name, cheat, edit in experiments(base):
            work = Path(shutil.copytree(base, Path(tmp) / f"exp{len(rows)}"))
            engine = work / ENGINE
            engine.write_text(edit(engine.read_text(encoding="utf-8")), encoding="utf-8")
            passed, failed = _guard(work)
            good = (not passed) if cheat else passed
            rows.append((name, cheat, good, failed))
    width = max(len(r[0]) for r in rows)
    print(f"{'experiment':<{width}}  kind    outcome  failing guard tests")
    for name, cheat, good, failed in rows:
        outcome = ("caught" if good else "MISSED") if cheat else ("passed" if good else "BLOCKED")
        print(f"{name:<{width}}  {'cheat' if cheat else 'honest':<6}  {outcome:<7}  {failed}")
    cheats = [r for r in rows if r[1]]
    honest = [r for r in rows if not r[1]]
    print(
        f"\ncheats caught: {sum(r[2] for r in cheats)}/{len(cheats)} "
        f"({100 * sum(r[2] for r in cheats) / len(cheats):.0f}%)"
    )
    print(
        f"honest passed: {sum(r[2] for r in honest)}/{len(honest)} "
        f"({100 * sum(r[2] for r in honest) / len(honest):.0f}%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
