"""program.md: the protocol and the goal, as a prompt an agent can follow.

The ``agent`` proposer hands this text to an agent CLI for each experiment (with
the best score and the history of earlier experiments, so it can learn from what
failed), and ``autoimprove-guard export`` writes the same text without history,
so any agent, or a person, can follow the protocol by hand. The rules written
here are enforced by the loop whatever the agent does; the prompt only saves the
agent from wasting experiments on changes that will be discarded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pytest_autoimprove.plural import plural

if TYPE_CHECKING:
    from pytest_autoimprove.config import ImproveConfig
    from pytest_autoimprove.proposers import PastExperiment, ProposalContext

#: How many earlier experiments the prompt lists (the newest ones).
HISTORY_LIMIT = 40
DESCRIPTION_PREFIX = "DESCRIPTION:"


def render_program(
    config: ImproveConfig,
    *,
    experiment: int | None = None,
    baseline_score: float | None = None,
    best_score: float | None = None,
    history: Sequence[PastExperiment] = (),
    by_hand: bool = False,
    others: Sequence[Mapping[str, Any]] | None = None,
    live_board: bool = False,
) -> str:
    """The program.md text for ``config``; with scores and history inside the loop.

    :param experiment: this experiment's number, or ``None`` for ``export``.
    :param by_hand: for ``export``: the agent runs the loop itself (and commits).
    :param others: in a parallel run, the other experiments in flight (board entries,
        :mod:`pytest_autoimprove.loop.board`); ``None`` in a sequential one.
    :param live_board: the agent can read the board and write its intent (one machine).
    """
    check, change = config.check, config.change
    out = [f"# autoimprove: {config.name}", ""]
    direction = "higher" if check.goal == "higher" else "lower"
    out += [
        "## Goal",
        f"Make the score {direction} (goal: {check.goal}, kind: {check.kind}).",
        f"The benchmark: `{check.run}`"
        + (f", score read with the regex `{check.score.pattern}`." if check.score else "."),
    ]
    if check.min_delta.value:
        out.append(f"A change counts only when it moves the score by more than {check.min_delta}.")
    for guard in check.guards:
        out.append(f"It must also keep `{guard}` (a secondary metric).")
    if config.stop.target is not None:
        out.append(f"Target: {config.stop.target:g}.")
    out += ["", "## Scope"]
    if change.scope:
        out.append("You may edit only: " + ", ".join(f"`{p}`" for p in change.scope) + ".")
    else:
        out.append("You may edit the source files of this repository.")
    if change.exclude:
        out.append("Never edit: " + ", ".join(f"`{p}`" for p in change.exclude) + ".")
    if change.notes:
        out += ["", change.notes]
    frozen = [*check.frozen, *([check.golden] if check.golden else [])]
    out += [
        "",
        "## Rules (enforced: breaking one discards the experiment)",
        "- Do not edit tests/autoimprove_guard/, .autoimprove/, improve.md, any conftest.py, "
        "or pytest's configuration (pytest.ini, tox.ini, setup.cfg, pyproject's [tool.pytest])"
        + (", nor " + ", ".join(f"`{p}`" for p in frozen) if frozen else "")
        + ".",
        "- Files outside the scope above are off limits: touching one discards the change.",
        "- The tests"
        + (f" (`{check.test}`)" if check.test else "")
        + " and every guard test must pass; a skipped or xfailed guard test is a failure.",
        "- Do not pass snapshot-update flags, do not call sys.exit/os._exit from the code.",
        "- The score is measured several times; a change must beat the noise, not the luck.",
        "- Make one focused change per experiment."
        + ("" if by_hand else " Do not commit; the loop commits for you."),
    ]
    if experiment is not None:
        out += ["", "## State"]
        out.append(f"This is experiment {experiment}.")
        if baseline_score is not None:
            out.append(f"Baseline score: {baseline_score:.6g}.")
        if best_score is not None:
            out.append(f"Best score so far: {best_score:.6g} (the tree is at that version).")
        if history:
            shown = list(history)[-HISTORY_LIMIT:]
            out += ["", "Earlier experiments (learn from what failed; do not repeat them):", ""]
            out.append("| # | status | score | delta | description |")
            out.append("| --- | --- | --- | --- | --- |")
            for past in shown:
                score = "" if past.score is None else f"{past.score:.6g}"
                delta = "" if past.delta is None else f"{past.delta:+.6g}"
                text = past.description.replace("|", "/")
                out.append(f"| {past.number} | {past.status} | {score} | {delta} | {text} |")
    if experiment is not None and others is not None:
        out += ["", *_other_workers(others, live_board)]
    if config.instructions:
        out += ["", "## Instructions", config.instructions]
    for title, body in config.sections:
        out += ["", f"## {title}", body]
    if not by_hand:
        out += [
            "",
            "## When you are done",
            "Edit the files, then end your reply with one line:",
            f"`{DESCRIPTION_PREFIX} <what you changed, in one line>`",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def _other_workers(others: Sequence[Mapping[str, Any]], live_board: bool) -> list[str]:
    """The prompt's "Other workers" section: what the experiments in flight are doing."""
    from pytest_autoimprove.loop.board import describe

    out = ["## Other workers"]
    if others:
        out.append(
            f"{plural(len(others), 'other experiment')} in flight right now, each in its own "
            "copy of the code; what they get kept reaches you through the best:"
        )
        out += ["", *(describe(entry) for entry in others), ""]
    else:
        out.append("No other experiment is in flight right now; others may start while you work.")
    out.append(
        "Do not spend this experiment on what another worker is already trying (the same "
        "change twice is kept once): pick another idea, or other code."
    )
    if live_board:
        out.append(
            "Before you edit, write what you are going to try, in one line, to the file "
            "named by `$AUTOIMPROVE_INTENT`: the others read it. Theirs are the `*.intent` "
            "files beside it, and `$AUTOIMPROVE_BOARD` (JSON) shows every experiment in "
            "flight, kept up to date. To claim without a race, hold `flock` on "
            "`$AUTOIMPROVE_BOARD_LOCK` while you read theirs and write yours."
        )
    return out


def with_prompt(context: ProposalContext) -> ProposalContext:
    """``context`` with its :attr:`~ProposalContext.prompt`: program.md for its experiment."""
    return replace(
        context,
        prompt=render_program(
            context.config,
            experiment=context.experiment,
            baseline_score=context.baseline_score,
            best_score=context.best_score,
            history=context.history,
            others=context.extra.get("others"),
            live_board=bool(context.extra.get("intent")),
        ),
    )


def description_from(output: str) -> str | None:
    """The last ``DESCRIPTION: ...`` line of an agent's output, if any."""
    for line in reversed(output.splitlines()):
        text = line.strip().strip("`*_ ")
        if text.upper().startswith(DESCRIPTION_PREFIX):
            found = text[len(DESCRIPTION_PREFIX) :].strip().strip("`*_ ")
            if found:
                return found[:200]
    return None


def render_protocol(config: ImproveConfig) -> str:
    """program.md for ``export``: the goal and rules, plus the loop written out by hand.

    Without ``pytest --autoimprove`` nobody enforces the rules, so the protocol
    tells the agent to run the same checks the loop runs, in the same order.
    """
    from pytest_autoimprove.generators import scored_golden

    check, stop = config.check, config.stop
    test = check.test or "python -m pytest"
    golden = scored_golden(config.root, check.golden)
    run = check.run.replace("{golden}", golden or "{golden}")
    repeats = check.repeats or 5
    limits = [
        plural(stop.rounds, "experiment") if stop.rounds else "",
        f"{plural(stop.stale, 'experiment')} in a row without a keep" if stop.stale else "",
        f"the score reaching {stop.target:g}" if stop.target is not None else "",
    ]
    limit_text = ", ".join(x for x in limits if x) or "the person stopping you"
    steps = [
        "",
        "## Protocol (follow it by hand; `pytest --autoimprove` runs it for you)",
        "1. Work on a branch: `git checkout -b autoimprove/manual`.",
        "2. Check the guard: `autoimprove-guard verify` must print `guard lock holds`. "
        "If it does not, stop and tell the person.",
        f"3. Baseline: run `{test}` and `python -m pytest tests/autoimprove_guard`; both must "
        f"pass. Run `{run}` {repeats} times and write the median score into results.tsv "
        "(tab-separated: `experiment commit score delta status description`) as experiment 0.",
        "4. Repeat until " + limit_text + ":",
        "   1. Make one focused change inside the scope, then `git commit -am '<description>'`.",
        "   2. `autoimprove-guard verify`: if it fails you touched something frozen: "
        "`git reset --hard HEAD~1`, record `tampered`.",
        f"   3. Run `{test}` and `python -m pytest tests/autoimprove_guard`; a failure, skip or "
        "xfail: `git reset --hard HEAD~1`, record `failed`.",
        f"   4. Run `{run}` up to {repeats} times, each run right before or after a run of "
        "the best commit (checked out in a second worktree: `git worktree add --detach "
        "../best <best commit>`), the order chosen by a coin flip, so that load on the "
        "machine hits both. Keep the commit only if it beats the best in nearly every pair, "
        f"its typical ratio to the best is {check.goal} by more than "
        f"{check.min_delta if check.min_delta.value else 'the run-to-run noise'}, and every "
        "guard metric holds: record `kept`. Otherwise `git reset --hard HEAD~1` and record "
        "`discarded`.",
        "   5. Append the row to results.tsv and read the earlier rows before the next change.",
    ]
    return render_program(config, by_hand=True).rstrip("\n") + "\n" + "\n".join(steps) + "\n"
