"""The quality generator on tiny systems of shapes the rag example does not have.

A batch classifier scored from a CSV golden set, a search reached only through
``python -m tool "query"``, and a benchmark that dies on the hyphenated query its own
golden set holds. Each test writes the system, generates, then edits the code like an
agent would and runs the generated tests in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pytest_autoimprove.config import load_config
from pytest_autoimprove.generators import GenerateRequest, GenerationResult
from pytest_autoimprove.generators.driver import modules_in_scope
from pytest_autoimprove.generators.quality import generate


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def _generate(root: Path, *, verify: bool = True) -> GenerationResult:
    config = load_config(root)
    request = GenerateRequest(
        root=root, modules=modules_in_scope(root, config), kind="quality", config=config
    )
    result = generate(request, verify=verify)
    for file in result.files:
        file.write(root)
    return result


def _guard(root: Path) -> tuple[int, str]:
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
        timeout=300,
    )
    return proc.returncode, proc.stdout + proc.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BATCH = {
    "topics/model.py": '''\
        KEYWORDS = {
            "food": ["bread", "cake", "soup", "oven"],
            "bike": ["bike", "tire", "chain", "brake"],
            "money": ["fund", "debt", "tax", "budget"],
        }


        def _label(text):
            words = text.lower().split()
            hits = {label: sum(w in keys for w in words) for label, keys in KEYWORDS.items()}
            best = max(hits, key=lambda label: hits[label])
            return best if hits[best] else "food"


        def predict(texts: list[str]) -> list[str]:
            """One topic per text."""
            return [_label(text) for text in texts]
        ''',
    "score.py": """\
        import argparse, csv
        from topics.model import predict

        parser = argparse.ArgumentParser()
        parser.add_argument("--golden")
        rows = list(csv.DictReader(open(parser.parse_args().golden, newline="")))
        got = predict([row["text"] for row in rows])
        print(f"accuracy: {sum(g == r['label'] for g, r in zip(got, rows)) / len(rows):.3f}")
        """,
    "data/golden.csv": "text,label\n"
    + "".join(
        f"{t},{y}\n"
        for t, y in [
            ("fresh bread from the oven", "food"),
            ("tomato soup recipe", "food"),
            ("chocolate cake", "food"),
            ("flat bike tire", "bike"),
            ("rusty chain", "bike"),
            ("brake pads worn", "bike"),
            ("pay off debt", "money"),
            ("index fund fees", "money"),
            ("tax return help", "money"),
            ("monthly budget", "money"),
            ("sourdough bread", "food"),
            ("bike gears", "bike"),
        ]
    ),
    "improve.md": """\
        # autoimprove: topics
        ## Change
        scope: topics/model.py
        ## Check
        run: python score.py --golden {golden}
        score: accuracy: ([\\d.]+)
        goal: higher
        kind: quality
        frozen: score.py
        golden: data/golden.csv
        """,
}


def test_batch_classifier_probed_per_text(tmp_path: Path) -> None:
    root = _write(tmp_path / "batch", {**BATCH, "topics/__init__.py": ""})
    result = _generate(root)
    assert not any("dropped" in note for note in result.notes), result.notes
    text = (root / "tests/autoimprove_guard/test_guard_quality.py").read_text()
    for test_id in ("predict-one-answer-per-input", "predict-known-labels", "predict-cjk"):
        assert f"id={test_id!r}" in text
    model = root / "topics" / "model.py"
    # Answers misaligned with their texts: blank texts skipped.
    _edit(model, "for text in texts]", "for text in texts if text.strip()]")
    code, out = _guard(root)
    assert code == 1 and "predict-result-type" in out, out
    # An honest keyword added passes every guardrail.
    _edit(model, "for text in texts if text.strip()]", "for text in texts]")
    _edit(model, '"bike", "tire",', '"bike", "gears", "tire",')
    code, out = _guard(root)
    assert code == 0, out


CLI = {
    "finder/__init__.py": "",
    "finder/__main__.py": """\
        import argparse, re

        DOCS = {
            "d1": "bread and cake baking", "d2": "bike chain and brake repair",
            "d3": "index fund and tax tips", "d4": "soup and bread recipes",
            "d5": "bike tire pressure", "d6": "budget and debt advice",
            "d7": "cake decorating", "d8": "brake pads for bikes",
        }


        def main():
            parser = argparse.ArgumentParser()
            parser.add_argument("query")
            args = parser.parse_args()
            pattern = re.compile("|".join(args.query.split()), re.IGNORECASE)
            hits = {d: len(pattern.findall(t)) for d, t in DOCS.items()}
            for doc in sorted((d for d in hits if hits[d]), key=lambda d: (-hits[d], d))[:3]:
                print(doc)


        main()
        """,
    "evaluate.py": """\
        import json, os, subprocess, sys

        rows = [json.loads(line) for line in open(os.environ["AUTOIMPROVE_GOLDEN"])]
        hits = 0
        for row in rows:
            out = subprocess.run([sys.executable, "-m", "finder", row["query"]],
                                 capture_output=True, text=True, check=True).stdout.split()
            hits += bool(set(out) & set(row["relevant"]))
        print(f"SCORE: {hits / len(rows):.3f}")
        """,
    "data/golden.jsonl": "".join(
        json.dumps({"query": q, "relevant": r}) + "\n"
        for q, r in [
            ("bread and cake", ["d1"]),
            ("bike brake", ["d2", "d8"]),
            ("tax fund", ["d3"]),
            ("bread soup", ["d4"]),
            ("bike and tire", ["d5"]),
            ("debt and budget", ["d6"]),
        ]
    ),
    "improve.md": """\
        # autoimprove: finder
        ## Change
        scope: finder/__main__.py
        ## Check
        run: python evaluate.py
        goal: higher
        kind: quality
        frozen: evaluate.py
        golden: data/golden.jsonl
        """,
}


@pytest.mark.slow(seconds=35)
def test_command_line_system_is_probed_through_its_command_line(tmp_path: Path) -> None:
    root = _write(tmp_path / "cli", CLI)
    result = _generate(root)
    assert not any("dropped" in note for note in result.notes), result.notes
    (finding,) = result.findings
    assert "re.error" in finding.message and "'('" in finding.message
    text = (root / "tests/autoimprove_guard/test_guard_quality.py").read_text()
    assert "id='__main__-at-most-n'" in text and "id='__main__-hyphenated'" in text
    assert "id='__main__-open-paren'" not in text
    # More results than the program ever printed, and an ASCII-only fast path.
    main = root / "finder" / "__main__.py"
    _edit(main, "key=lambda d: (-hits[d], d))[:3]:", "key=lambda d: (-hits[d], d)):")
    _edit(
        main,
        "    args = parser.parse_args()\n",
        "    args = parser.parse_args()\n    args.query.encode('ascii')\n",
    )
    code, out = _guard(root)
    assert code == 1
    assert "__main__-at-most-n" in out and "__main__-accents" in out, out


ROUTER = {
    "desk/__init__.py": "",
    "desk/router.py": """\
        TEAMS = {"food": ["bread", "cake", "soup"], "bike": ["bike", "tire", "chain"]}


        class Router:
            def route_message(self, customer_text, channel="web"):
                words = customer_text.lower().split()
                hits = {t: sum(w in keys for w in words) for t, keys in TEAMS.items()}
                best = max(hits, key=lambda t: hits[t])
                return best if hits[best] else "food"
        """,
    "check.py": """\
        import json, sys
        from desk.router import Router

        rows = [json.loads(line) for line in open(sys.argv[1])]
        ok = sum(Router().route_message(r["msg"], channel="x") == r["team"] for r in rows)
        print(f"acc={ok / len(rows):.3f}")
        """,
    "data/golden.jsonl": "".join(
        json.dumps({"msg": m, "team": t}) + "\n"
        for m, t in [
            ("fresh bread", "food"),
            ("cake recipe", "food"),
            ("hot soup", "food"),
            ("flat tire", "bike"),
            ("bike chain", "bike"),
            ("new bike", "bike"),
        ]
    ),
    "improve.md": """\
        # autoimprove: routing
        ## Change
        scope: desk/router.py
        ## Check
        run: python check.py {golden}
        score: acc=([\\d.]+)
        goal: higher
        kind: quality
        frozen: check.py
        golden: data/golden.jsonl
        """,
}


def test_entry_point_found_by_the_golden_queries_it_is_given(tmp_path: Path) -> None:
    # Neither `route_message` nor `customer_text` looks like a query to the name rules.
    root = _write(tmp_path / "router", ROUTER)
    _generate(root, verify=False)
    text = (root / "tests/autoimprove_guard/test_guard_quality.py").read_text()
    assert "'param': 'customer_text'" in text and "'discover'" not in text
    assert "id='Router.route_message-known-labels'" in text
    _edit(
        root / "desk" / "router.py",
        "customer_text.lower()",
        "customer_text.encode('ascii').decode().lower()",
    )
    code, out = _guard(root)
    assert code == 1 and "Router.route_message-cjk" in out, out


ASYNC = {
    "svc/__init__.py": "",
    "svc/search.py": """\
        import asyncio

        DOCS = {"d1": "bread and cake", "d2": "bike chain", "d3": "tax fund",
                "d4": "soup and bread", "d5": "bike tire", "d6": "budget and debt"}


        async def lookup(q: str, limit: int = 2) -> list[dict]:
            await asyncio.sleep(0)
            terms = []
            for token in q.lower().split():
                if "-" in token:
                    left, right = token.split("-")
                    token = left + " " + right
                terms.append(token)
            hits = [{"id": d, "score": float(sum(t in text for t in terms))}
                    for d, text in DOCS.items()]
            hits = [h for h in hits if h["score"]]
            hits.sort(key=lambda h: (-h["score"], h["id"]))
            return hits[:limit]
        """,
    "bench.py": """\
        import asyncio, json, sys
        from svc.search import lookup


        async def main():
            rows = [json.loads(line) for line in open(sys.argv[1])]
            got = await asyncio.gather(*(lookup(r["query"]) for r in rows))
            hits = sum(any(h["id"] in r["relevant"] for h in g) for g, r in zip(got, rows))
            print(f"SCORE: {hits / len(rows)}")

        asyncio.run(main())
        """,
    "data/golden.jsonl": "".join(
        json.dumps({"query": q, "relevant": r}) + "\n"
        for q, r in [
            ("bread and cake", ["d1"]),
            ("bike chain", ["d2"]),
            ("tax fund", ["d3"]),
            ("bread soup", ["d4"]),
            ("bike tire", ["d5"]),
            ("debt budget", ["d6"]),
        ]
    ),
    "improve.md": """\
        # autoimprove: async
        ## Change
        scope: svc/search.py
        ## Check
        run: python bench.py {golden}
        goal: higher
        kind: quality
        frozen: bench.py
        golden: data/golden.jsonl
        """,
}


def test_async_entry_point_awaited_through_gather(tmp_path: Path) -> None:
    root = _write(tmp_path / "async", ASYNC)
    result = _generate(root, verify=False)
    (finding,) = result.findings
    assert "ValueError" in finding.message and "'state-of-the-art'" in finding.message
    text = (root / "tests/autoimprove_guard/test_guard_quality.py").read_text()
    # every concurrent call is observed, not only the first task's
    assert "id='lookup-same-result-padded'" in text and "id='lookup-at-most-limit'" in text
    _edit(root / "svc" / "search.py", "return hits[:limit]", "return hits")
    code, out = _guard(root)
    assert code == 1 and "lookup-at-most-limit" in out, out


HYPHEN = {
    "years/__init__.py": "",
    "years/search.py": '''\
        TITLES = {"t1": "state of the art 2019", "t2": "history 1990 to 2000",
                  "t3": "language models 2021", "t4": "art of cooking"}


        def search(prompt: str, k: int = 3) -> list[str]:
            """Titles matching the words; ``1990-2000`` means a range of years."""
            words, years = [], set()
            for token in prompt.split():
                if "-" in token:
                    low, high = (int(part) for part in token.split("-"))
                    years.update(str(y) for y in range(low, high + 1))
                else:
                    words.append(token)
            hits = [t for t, title in TITLES.items()
                    if any(w in title.split() for w in words + sorted(years))]
            return hits[:k]
        ''',
    "bench.py": """\
        import json, sys
        from years.search import search

        cases = json.load(open(sys.argv[1]))
        print(f"SCORE: {sum(c['want'] in search(c['prompt']) for c in cases) / len(cases)}")
        """,
    "gold/cases.json": json.dumps(
        [
            {"prompt": p, "want": w}
            for p, w in [
                ("state-of-the-art", "t1"),
                ("history", "t2"),
                ("language models", "t3"),
                ("cooking", "t4"),
                ("1990-2000", "t2"),
                ("art", "t4"),
                ("models", "t3"),
                ("state", "t1"),
            ]
        ]
    ),
    "improve.md": """\
        # autoimprove: years
        ## Change
        scope: years/search.py
        ## Check
        run: python bench.py {golden}
        goal: higher
        kind: quality
        frozen: bench.py
        golden: gold/cases.json
        """,
}


def test_benchmark_dying_on_a_hyphenated_golden_query_is_a_finding(tmp_path: Path) -> None:
    root = _write(tmp_path / "hyphen", HYPHEN)
    result = _generate(root, verify=False)
    messages = [f"{f.path}: {f.message}" for f in result.findings]
    crash = next(m for m in messages if m.startswith("years/search.py"))
    assert "ValueError" in crash and "'state-of-the-art'" in crash
    assert any("fails on the" in m and "split" in m for m in messages), messages


def test_pytest_benchmark_scored_through_the_fixture(tmp_path: Path) -> None:
    from pytest_autoimprove.runtime.harness import Harness, run_harness

    root = _write(
        tmp_path / "pytest-bench",
        {
            "ranker.py": "def rank(question):\n    return ['a'] if 'a' in question else []\n",
            "bench/bench_quality.py": """\
            import json, os
            from ranker import rank


            def test_hit_rate(autoimprove_score):
                rows = [json.loads(line) for line in open(os.environ["AUTOIMPROVE_GOLDEN"])]
                hits = sum(row["want"] in rank(row["q"]) for row in rows)
                autoimprove_score("hit_rate", hits / len(rows))
            """,
        },
    )
    harness = Harness(
        root=root,
        run="pytest -q -p no:cacheprovider bench/bench_quality.py",
        score=None,
        golden="golden.jsonl",
        mode="env",
        timeout=60.0,
        scope=("ranker.py",),
    )
    rows = [{"q": "a b", "want": "a"}, {"q": "c", "want": "a"}]
    run = run_harness(harness, "".join(json.dumps(r) + "\n" for r in rows))
    # `pytest` (not `python -m pytest`) imports ranker: the repo is on the path, as in the loop
    assert run.failure() is None and run.score == 0.5
