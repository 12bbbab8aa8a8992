"""``autoimprove-guard golden``: build a golden set by labelling what the system returns.

A quality goal needs a golden set, and most projects have none. This command runs the
system on sample inputs (a command with an ``{input}`` placeholder, or a Python
callable ``module:function``), shows each answer, and asks which results are relevant:
type their numbers (``1 3``), Enter for none, ``s`` to skip, ``q`` to stop. For a
system that returns one label (a classifier), Enter accepts it and any other text is
the right label. Answers go to a JSON lines file (``{"query", "relevant": [ids]}`` or
``{"query", "label"}``) rewritten after every answer, and to a sidecar progress file,
so an interrupted session resumes where it stopped. ``--labels FILE`` takes the
answers from a file instead (one ``{"query", "answer"}`` per line, ``answer`` typed as
at the prompt), for scripts and tests.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pytest_autoimprove.errors import AutoimproveError, ExitCode, UsageError
from pytest_autoimprove.process import run_command

__all__ = ["HELP", "Answer", "configure", "label_inputs", "main", "run"]

#: The one-line help of the subcommand.
HELP = "build a golden set: run the system on sample inputs and label the relevant results"
DEFAULT_OUTPUT = "data/golden.jsonl"
_ID_KEYS = ("id", "doc_id", "docid", "chunk_id", "pid", "uid", "key", "name")


@dataclass(frozen=True)
class Answer:
    """What the system returned for one input: rows (id, text) or a single label."""

    rows: tuple[tuple[str, str], ...] = ()
    label: str | None = None
    error: str | None = None


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``golden`` options to ``parser``."""
    parser.epilog = (
        "examples:\n"
        "  autoimprove-guard golden queries.txt --callable mypkg.search:search\n"
        "  autoimprove-guard golden queries.txt --command 'python cli.py search {input}'\n"
        "  autoimprove-guard golden queries.txt --callable mypkg.search:search "
        "--labels labels.jsonl   # no questions\n"
        "keys while labelling: numbers of the relevant results (1 3 4), Enter for none, "
        "s to skip, q to stop (run again to resume)"
    )
    parser.add_argument(
        "inputs", type=Path, help="sample inputs: one per line, or JSON lines with a query field"
    )
    system = parser.add_mutually_exclusive_group(required=True)
    system.add_argument(
        "--command", help="command printing one result per line; {input} is replaced by the input"
    )
    system.add_argument(
        "--callable", metavar="MODULE:FUNCTION", help="Python function called with the input"
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help=f"golden file to write (default: `golden:` of improve.md, else {DEFAULT_OUTPUT})",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        default=None,
        help="take the answers from this JSON lines file instead of asking",
    )
    parser.add_argument("--limit", type=int, default=10, help="results shown per input")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per command run")


def run(args: argparse.Namespace) -> int:
    """Entry point of ``autoimprove-guard golden``."""
    root = Path(args.root or ".").resolve()
    output = args.output or _default_output(root, getattr(args, "file", None))
    output = output if output.is_absolute() else root / output
    inputs = _read_inputs(args.inputs if args.inputs.is_absolute() else root / args.inputs)
    system = _system(root, args.command, args.callable, args.limit, args.timeout)
    if args.labels is not None:
        answers = _read_labels(args.labels)

        def ask(query: str) -> str | None:
            return answers.get(query, "s")

        count = label_inputs(inputs, system, output, ask=ask, out=sys.stdout, quiet=True)
    else:
        count = label_inputs(inputs, system, output, ask=None, out=sys.stdout)
    print(f"{count} labelled entries in {output}")
    return ExitCode.OK


def _default_output(root: Path, improve_file: str | None) -> Path:
    try:
        from pytest_autoimprove.config import load_config

        golden = load_config(root, improve_file).check.golden
    except AutoimproveError:
        golden = None
    return Path(golden or DEFAULT_OUTPUT)


def _read_inputs(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(
            f"{path}: cannot read the inputs ({exc.strerror}); give a text file"
        ) from None
    inputs: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        value: Any = line
        if line.lstrip().startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                value = line
        if isinstance(value, dict):
            keys = ("query", "question", "text", "input")
            value = next((value[k] for k in keys if k in value), "")
        text = str(value).strip()
        if text and text not in inputs:
            inputs.append(text)
    if not inputs:
        raise UsageError(f"{path}: no inputs; write one sample input per line")
    return inputs


def _read_labels(path: Path) -> dict[str, str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the labels ({exc.strerror})") from None
    labels: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            labels[str(record["query"])] = str(record.get("answer", ""))
        except (ValueError, KeyError, TypeError):
            raise UsageError(
                f'{path}:{number}: expected {{"query": "...", "answer": "1 3"}}; fix the line'
            ) from None
    return labels


def _system(
    root: Path, command: str | None, target: str | None, limit: int, timeout: float
) -> Callable[[str], Answer]:
    if command is not None:
        if "{input}" not in command:
            raise UsageError("--command needs an {input} placeholder, e.g. `python cli.py {input}`")

        def run_cli(text: str) -> Answer:
            result = run_command(
                command.replace("{input}", shlex.quote(text)), cwd=root, timeout=timeout
            )
            if not result.ok:
                return Answer(error=f"exit {result.returncode}: {result.tail(3)}")
            lines = [line for line in result.output.splitlines() if line.strip()]
            return Answer(rows=tuple(_row_of_line(line) for line in lines[:limit]))

        return run_cli
    assert target is not None
    module_name, _, func_name = target.partition(":")
    if not module_name or not func_name:
        raise UsageError(
            f"--callable {target!r}: write it as module:function, e.g. pkg.search:search"
        )
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        # module:function, or a dotted path to a method of a module-level object
        # (pkg.search:engine.search, pkg.model:Model.predict_one for a static method)
        func: Any = importlib.import_module(module_name)
        for part in func_name.split("."):
            func = getattr(func, part)
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"--callable {target!r}: cannot load it ({exc}); check the name") from None
    if not callable(func):
        raise UsageError(f"--callable {target!r}: not a function; name a function or method")
    batch = _is_batch(func)

    def call(text: str) -> Answer:
        try:
            # a batch API (predict(texts: list[str])) answers a list of one
            value = func([text])[0] if batch else func(text)
        except Exception as exc:  # noqa: BLE001 - the user's code: show, do not crash
            return Answer(error=f"{type(exc).__name__}: {exc}")
        if isinstance(value, (str, int, float, bool)):
            return Answer(label=str(value))
        items = list(value)[:limit] if isinstance(value, (list, tuple)) else [value]
        return Answer(rows=tuple((_id_of(item), _text_of(item)) for item in items))

    return call


_BATCH_NAMES = ("texts", "queries", "inputs", "sentences", "documents", "questions", "batch")


def _is_batch(func: Any) -> bool:
    """Whether ``func`` takes a list of texts first (``predict(texts: list[str])``)."""
    import inspect

    try:
        params = [
            p
            for p in inspect.signature(func).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        return False
    if not params:
        return False
    first = params[0]
    annotation = first.annotation
    # a string under `from __future__ import annotations`, else list[str] / typing.List[str]
    text = annotation if isinstance(annotation, str) else str(annotation)
    if re.match(r"^(list|List|Sequence|Iterable|tuple|Tuple)\[\s*str", text.replace("typing.", "")):
        return True
    return first.annotation is inspect.Parameter.empty and first.name in _BATCH_NAMES


def _row_of_line(line: str) -> tuple[str, str]:
    try:
        value = json.loads(line)
    except ValueError:
        value = None
    if isinstance(value, dict):
        return _id_of(value), line.strip()
    return line.split()[0], line.strip()


def _id_of(item: object) -> str:
    if isinstance(item, dict):
        found = next((item[k] for k in _ID_KEYS if k in item), None)
        return str(found) if found is not None else json.dumps(item, default=str)[:40]
    if isinstance(item, (tuple, list)) and item:
        return str(item[0])
    for key in _ID_KEYS:
        value = getattr(item, key, None)
        if isinstance(value, (str, int)):
            return str(value)
    return str(item)


def _text_of(item: object) -> str:
    text = repr(item)
    return text if len(text) <= 160 else text[:157] + "..."


_CHOICE = re.compile(r"^[\d\s,]*$")


def label_inputs(
    inputs: list[str],
    system: Callable[[str], Answer],
    output: Path,
    *,
    ask: Callable[[str], str | None] | None,
    out: IO[str],
    quiet: bool = False,
) -> int:
    """Label every input not yet decided; returns the number of labelled entries written.

    :param ask: gives the answer for a query (``None``: stop); ``None`` reads stdin.
    """
    progress_path = output.with_name(output.name + ".progress")
    done = _load_progress(progress_path, output)
    reader = ask or _stdin_reader(out)
    stopped = False
    for number, text in enumerate(inputs, start=1):
        if text in done:
            continue
        answer = system(text)
        prompt = _show(number, len(inputs), text, answer)
        if not quiet:
            out.write(prompt)
            out.flush()
        while True:
            reply = reader(text)
            if reply is None or reply.strip().lower() == "q":
                stopped = True
                break
            decision = _decide(reply.strip(), text, answer)
            if decision is not None:
                done[text] = decision
                _save(progress_path, output, inputs, done)
                break
            out.write("  type result numbers (1 3), Enter for none, s to skip, q to quit\n")
        if stopped:
            break
    labelled = _save(progress_path, output, inputs, done)
    if not stopped and all(text in done for text in inputs):
        progress_path.unlink(missing_ok=True)
    return labelled


def _show(number: int, total: int, text: str, answer: Answer) -> str:
    lines = [f"\n[{number}/{total}] {text}"]
    if answer.error:
        lines.append(f"  the system failed: {answer.error}")
    elif answer.label is not None:
        lines.append(f"  label: {answer.label}")
        lines.append("correct label? Enter accepts, or type the right one; s skip, q quit > ")
        return "\n".join(lines)
    for index, (row_id, row) in enumerate(answer.rows, start=1):
        lines.append(f"  {index:>2}. [{row_id}] {row}")
    lines.append("relevant (numbers, Enter none, s skip, q quit) > ")
    return "\n".join(lines)


def _decide(reply: str, text: str, answer: Answer) -> dict[str, Any] | None:
    if reply.lower() == "s":
        return {"skip": True}
    if answer.label is not None:
        return {"record": {"query": text, "label": reply or answer.label}}
    if not _CHOICE.match(reply):
        return None
    picks = [int(p) for p in re.split(r"[\s,]+", reply) if p]
    if any(p < 1 or p > len(answer.rows) for p in picks):
        return None
    ids = list(dict.fromkeys(answer.rows[p - 1][0] for p in picks))
    return {"record": {"query": text, "relevant": ids}}


def _stdin_reader(out: IO[str]) -> Callable[[str], str | None]:
    def read(query: str) -> str | None:
        line = sys.stdin.readline()
        return None if line == "" else line.rstrip("\n")

    return read


def _load_progress(progress: Path, output: Path) -> dict[str, dict[str, Any]]:
    done: dict[str, dict[str, Any]] = {}
    source = progress if progress.exists() else output if output.exists() else None
    if source is None:
        return done
    for line in source.read_text(encoding="utf-8").splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if not isinstance(value, dict):
            continue
        if source == progress and "query" in value:
            done[str(value["query"])] = value["decision"]
        elif "query" in value:
            done[str(value["query"])] = {"record": value}
    return done


def _save(progress: Path, output: Path, inputs: list[str], done: dict[str, dict[str, Any]]) -> int:
    output.parent.mkdir(parents=True, exist_ok=True)
    order = inputs + [q for q in done if q not in inputs]
    records = [done[q]["record"] for q in order if q in done and "record" in done[q]]
    output.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    progress.write_text(
        "".join(
            json.dumps({"query": q, "decision": done[q]}, ensure_ascii=False) + "\n"
            for q in order
            if q in done
        ),
        encoding="utf-8",
    )
    return len(records)


def main(argv: list[str] | None = None) -> int:
    """``python -m pytest_autoimprove.cli.golden``: the command without the rest of the CLI."""
    parser = argparse.ArgumentParser(prog="autoimprove-guard golden", description=HELP)
    parser.add_argument("-C", "--root", type=Path, default=None)
    parser.add_argument("--file", default=None)
    configure(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except AutoimproveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
