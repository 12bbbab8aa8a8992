"""The entry point probe for systems reached only through a command line.

Loaded by the watcher (:mod:`sitecustomize` beside this file) when the probe names a
program in scope (a ``__main__.py`` or a script with a ``__main__`` guard). When a
Python process of the benchmark that ran such a program as ``__main__`` exits, its
command line (``sys.orig_argv``) is run again, in fresh processes, with the argument
that was a golden query replaced: by each edge input (once per run), and by the
whitespace and case variants of the query (for the first few processes). Each run's
outcome is logged like a function call: a clean exit with its output read as the
result (JSON like a return value; plain lines as ids, a number after the id as the
score), a traceback as a crash named by its exception, any other non-zero exit as a
deliberate rejection.

Standard library only, like the watcher: the benchmark may run another interpreter.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any

#: Set in the environment of the processes this probe starts, so they do not probe again.
CHILD_ENV = "AUTOIMPROVE_QUALITY_CLI_CHILD"
#: Benchmark processes whose query is re-run with its variants (each costs a few runs).
OBSERVED_PROCESSES = 12
#: Command lines run at the same time.
PARALLEL_RUNS = 4
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*)(:.*)?$")
_MAX_LINES = 200


class CliProbe:
    """Re-runs the benchmark's command lines of the programs in ``targets`` at exit."""

    def __init__(
        self,
        targets: list[dict[str, Any]],
        queries: list[str],
        emit: Callable[[dict[str, Any]], None],
        claim: Callable[[str], bool],
        variants: Callable[[str], list[tuple[str, str]]],
        edges: list[str],
        timeout: float,
    ) -> None:
        self.targets = {os.path.realpath(t["file"]): t for t in targets}
        self.queries = set(queries)
        self.emit = emit
        self.claim = claim
        self.variants = variants
        #: How a JSON answer is summarized (the watcher's ``summarize``), if set.
        self.summarize_json: Callable[[object], dict[str, Any]] | None = None
        self.edges = edges
        self.timeout = timeout
        self.cwd = os.getcwd()

    def query_in(self, arg: str) -> tuple[str, str] | None:
        """``(prefix, query)`` when ``arg`` is a golden query, or ``--option=query``."""
        if arg in self.queries:
            return "", arg
        option, equals, value = arg.partition("=")
        if equals and option.startswith("-") and value in self.queries:
            return option + equals, value
        return None

    def at_exit(self) -> None:
        """Probe this process's command line, if it ran a target program on a golden query."""
        if os.environ.get(CHILD_ENV):
            return
        main = sys.modules.get("__main__")
        file = getattr(main, "__file__", None)
        target = self.targets.get(os.path.realpath(file)) if isinstance(file, str) else None
        if target is None:
            return
        argv = list(getattr(sys, "orig_argv", sys.argv))
        where = next((i for i in range(1, len(argv)) if self.query_in(argv[i])), None)
        if where is None:
            self.emit({"e": "cli-unmatched", "t": target["id"], "argv": argv[:20]})
            return
        prefix, query = self.query_in(argv[where]) or ("", "")
        argv = [*argv[:where], prefix, *argv[where + 1 :]]
        runs: list[tuple[str, str, str | None]] = []
        if self.claim(target["id"]):
            runs += [("edge", edge, None) for edge in self.edges]
        slot = next(
            (k for k in range(OBSERVED_PROCESSES) if self.claim(f"{target['id']}#{k}")), None
        )
        if slot is not None:
            runs.append(("golden", query, None))
            runs += [(f"variant:{name}", variant, query) for name, variant in self.variants(query)]
        if not runs:
            return
        # Each run is mostly interpreter start-up: a few at a time. Processes, not
        # threads: this runs at interpreter exit, where new threads are refused.
        for start in range(0, len(runs), PARALLEL_RUNS):
            batch = runs[start : start + PARALLEL_RUNS]
            started = [self.start(target, argv, where, *run) for run in batch]
            for event, process in started:
                self.emit(self.finish(event, process))

    def start(
        self,
        target: dict[str, Any],
        argv: list[str],
        where: int,
        source: str,
        text: str,
        base: str | None,
    ) -> tuple[dict[str, Any], subprocess.Popen[str] | None]:
        """Start the command line with ``argv[where]`` replaced by ``text``."""
        command = [sys.executable, *argv[1:where], argv[where] + text, *argv[where + 1 :]]
        event: dict[str, Any] = {"e": "call", "t": target["id"], "src": source, "q": text}
        if base is not None:
            event["base"] = base
        env = {**os.environ, CHILD_ENV: "1"}
        try:
            process = subprocess.Popen(
                command,
                cwd=self.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
                start_new_session=True,
            )
        except OSError as exc:
            event.update(ok=False, error=type(exc).__name__, message=str(exc)[:300])
            return event, None
        return event, process

    def finish(
        self, event: dict[str, Any], process: subprocess.Popen[str] | None
    ) -> dict[str, Any]:
        """``event`` completed with the outcome of ``process``."""
        if process is None:
            return event
        try:
            stdout, stderr = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            event.update(ok=False, error="Timeout", message=f"no answer within {self.timeout:g}s")
            return event
        if process.returncode == 0:
            event.update(ok=True, summary=summarize_output(stdout, self.summarize_json))
        else:
            event.update(ok=False, **_failure(process.returncode, stderr))
        return event


def summarize_output(
    stdout: str, summarize_json: Callable[[object], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A program's output as a result list.

    JSON (one document, or one object per line) is summarized like a function's
    return value by ``summarize_json``; plain text is one id per line, a score when a
    number follows it.
    """
    if summarize_json is not None and stdout.strip()[:1] in ("[", "{"):
        try:
            return summarize_json(json.loads(stdout))
        except ValueError:
            pass
        try:
            rows = [json.loads(line) for line in stdout.splitlines() if line.strip()]
            return summarize_json(rows)
        except ValueError:
            pass
    lines = [line.split() for line in stdout.splitlines() if line.strip()][:_MAX_LINES]
    summary: dict[str, Any] = {"type": "cli-output", "len": len(lines), "etypes": ["str"]}
    if lines:
        summary["ids"] = [words[0] for words in lines]
        scores = [_number(words[1]) if len(words) > 1 else None for words in lines]
        if all(s is not None for s in scores):
            summary["scores"] = scores
    return summary


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None


def _failure(code: int, stderr: str) -> dict[str, Any]:
    """A traceback is a crash named by its exception; another non-zero exit a rejection."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    last = lines[-1].strip() if lines else ""
    match = _EXCEPTION_LINE.match(last)
    if "Traceback (most recent call last)" in stderr and match:
        return {
            "error": match.group(1),
            "message": last[:300],
            "deliberate": False,
        }
    return {"error": f"exit {code}", "message": last[:300], "deliberate": True}
