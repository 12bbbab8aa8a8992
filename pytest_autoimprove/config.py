"""improve.md (and ``[tool.autoimprove]`` in pyproject.toml) -> typed, frozen config.

improve.md is config and prompt in one file: ``## Change``, ``## Check``, ``## Stop``
and ``## Agent`` hold ``field: value`` lines, ``## Instructions`` and any section we
do not know are passed to the agent verbatim. The parser is strict where a typo
would silently change what the loop does (an unknown field in a known section, a
regex without its group, a zero timeout) and reports every problem as
``improve.md:LINE: problem; fix`` through :class:`~pytest_autoimprove.errors.ConfigError`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pytest_autoimprove import paths
from pytest_autoimprove.compat import tomllib
from pytest_autoimprove.errors import ConfigError
from pytest_autoimprove.fields import (
    GuardMetric,
    MinDelta,
    _float,
    format_duration,
    format_max_table,
    parse_bool,
    parse_duration,
    parse_guard,
    parse_list,
    parse_max_table,
    parse_min_delta,
    parse_positive_int,
    parse_regex,
    parse_sealed_holdout,
)
from pytest_autoimprove.generators import catalog

__all__ = [
    "GOALS",
    "KINDS",
    "PROVIDERS",
    "Agent",
    "Change",
    "Check",
    "GuardMetric",
    "ImproveConfig",
    "MinDelta",
    "Part",
    "Stop",
    "find_config_path",
    "format_duration",
    "infer_kind",
    "load_config",
    "parse_bool",
    "parse_duration",
    "parse_guard",
    "parse_list",
    "parse_min_delta",
    "parse_positive_int",
    "parse_regex",
    "parse_text",
    "read_pyproject_table",
    "render",
]

DEFAULT_FILE = "improve.md"
GOALS = ("higher", "lower")
#: The built-in goal families; plugins may declare more (``pytest_autoimprove_goal_families``).
KINDS = tuple(catalog.FAMILIES)
PRESET_PROVIDERS = ("claude", "codex", "gemini", "aider")
PROVIDERS = (*PRESET_PROVIDERS, "command", "tune")

DEFAULT_CHECK_TIMEOUT = 10 * 60.0
DEFAULT_AGENT_TIMEOUT = 30 * 60.0


# ---------------------------------------------------------------------------
# Value types


@dataclass(frozen=True)
class Part:
    """One part of the system (``part: NAME = paths``): a scope of its own, with its own
    worker(s), whose kept improvements merge with the other parts' through git."""

    name: str
    scope: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.name} = {', '.join(self.scope)}"


@dataclass(frozen=True)
class Change:
    """What a proposal may touch. Paths/globs are enforced; other words only inform the agent.

    :param parts: the parts of the system (``part:`` lines); a run with parts gives each
        experiment one part's scope, and the whole run may touch any of them.
    :param targets: the scope entries written ``path::name`` (``src/q.py::Parser.parse``):
        the path is in ``scope``, and the generators cover the named function first.
    """

    scope: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    notes: str = ""
    parts: tuple[Part, ...] = ()
    targets: tuple[str, ...] = ()

    def in_scope(self, path: str | Path) -> bool:
        """Whether a repo-relative path may be changed (no ``scope`` paths: anything)."""
        if self.exclude and paths.matches_any(path, self.exclude):
            return False
        patterns = (*self.scope, *(p for part in self.parts for p in part.scope))
        return not patterns or paths.matches_any(path, patterns)

    def part(self, name: str) -> Part:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)

    def for_part(self, name: str) -> Change:
        """The scope of one part: what an experiment on that part may touch."""
        part = self.part(name)
        note = f"This experiment improves the part `{part.name}` of the system."
        return Change(
            scope=part.scope,
            exclude=self.exclude,
            notes="\n\n".join(n for n in (self.notes, note) if n),
        )


@dataclass(frozen=True)
class Check:
    """How an experiment is judged: the test gate, the benchmark and the keep rule."""

    run: str
    goal: str
    test: str | None = None
    score: re.Pattern[str] | None = None
    guards: tuple[GuardMetric, ...] = ()
    keep_if_equal: bool = False
    timeout: float = DEFAULT_CHECK_TIMEOUT
    repeats: int | None = None
    min_delta: MinDelta = MinDelta()
    kind: str = "other"
    frozen: tuple[str, ...] = ()
    golden: str | None = None
    tolerance: float | None = None
    max_table: float | None = None
    holdout: str | None = None


@dataclass(frozen=True)
class Stop:
    """When the loop stops; ``None`` means no limit of that kind."""

    budget: float | None = None
    rounds: int | None = None
    stale: int | None = None
    target: float | None = None


@dataclass(frozen=True)
class Agent:
    """Who proposes changes: an agent CLI preset, any ``command``, or the built-in ``tune``."""

    provider: str = "claude"
    model: str | None = None
    command: str | None = None
    tune: str | None = None
    timeout: float = DEFAULT_AGENT_TIMEOUT
    #: Experiments in flight at once, each in its own worktree (``workers: N``).
    workers: int = 1
    #: Where attempts run: ``local`` (threads on this machine), ``ray``, or a plugin's.
    backend: str = "local"
    #: The Ray cluster to join (``ray://host:10001`` or ``auto``); ``None``: start one.
    address: str | None = None


@dataclass(frozen=True)
class ImproveConfig:
    """A parsed improve.md. ``lines`` maps ``section.field`` to its line, for later errors."""

    path: Path
    name: str
    check: Check
    change: Change = Change()
    stop: Stop = Stop()
    agent: Agent = Agent()
    instructions: str = ""
    sections: tuple[tuple[str, str], ...] = ()
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def root(self) -> Path:
        """The folder the paths in the file are relative to (the file's own folder)."""
        return self.path.parent

    def error(self, key: str, problem: str, fix: str) -> ConfigError:
        """A :class:`ConfigError` pointing at the line of ``key`` (``"agent.provider"``)."""
        return ConfigError(self.path, self.lines.get(key), problem, fix)


# The file format


@dataclass(frozen=True)
class _Field:
    parse: Callable[[str], Any]
    multiple: bool = False


def _choice(options: Iterable[str], what: str) -> Callable[[str], str]:
    allowed = tuple(options)

    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in allowed:
            hint = _suggest(value, allowed)
            choices = " or ".join(allowed) if len(allowed) == 2 else ", ".join(allowed)
            raise ValueError(f"{what} '{text.strip()}' is not {choices}{hint}")
        return value

    return parse


def _kind(text: str) -> str:
    """A built-in goal family, else one a loaded plugin declares (asked only then)."""
    value = text.strip().lower()
    if value in KINDS:
        return value
    from pytest_autoimprove.manager import plugin_families

    declared = tuple(family.kind for family in plugin_families())
    return _choice((*KINDS, *declared), "kind")(text)


def _provider(text: str) -> str:
    value = text.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", value):
        raise ValueError(
            f"provider '{text.strip()}' is not a name; use one of {', '.join(PROVIDERS)}"
        )
    if value not in PROVIDERS:
        close = difflib.get_close_matches(value, PROVIDERS, n=1, cutoff=0.75)
        if close:
            raise ValueError(f"unknown provider '{text.strip()}'; did you mean '{close[0]}'?")
    return value


def _text(text: str) -> str:
    value = text.strip()
    if not value:
        raise ValueError("the value is empty; give one or remove the line")
    return value


def _part(text: str) -> Part:
    """``NAME = path, glob``: one part of the system and its scope."""
    name, equals, scope = text.partition("=")
    name = name.strip()
    if not equals or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise ValueError(
            f"part {text.strip()!r} is not `NAME = paths`; write it like "
            "`part: tokenizer = src/pipe/tokenize.py`"
        )
    entries = parse_list(scope)
    if not entries or not all(_is_path(entry) for entry in entries):
        raise ValueError(
            f"part {name!r} names no paths; list its files or globs after `=`, like "
            "`part: tokenizer = src/pipe/tokenize.py`"
        )
    return Part(name, entries)


_BACKENDS = ("local", "ray")


def _backend(text: str) -> str:
    value = text.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", value):
        raise ValueError(f"backend {text.strip()!r} is not a name; use local or ray")
    close = difflib.get_close_matches(value, _BACKENDS, n=1, cutoff=0.6)
    if value not in _BACKENDS and close:
        raise ValueError(f"backend {value!r} is not local or ray; did you mean {close[0]!r}?")
    return value


_SECTIONS: dict[str, dict[str, _Field]] = {
    "change": {
        "scope": _Field(parse_list, True),
        "exclude": _Field(parse_list, True),
        "part": _Field(_part, True),
    },
    "check": {
        "test": _Field(_text),
        "run": _Field(_text),
        "score": _Field(parse_regex),
        "goal": _Field(_choice(GOALS, "goal")),
        "guard": _Field(parse_guard, True),
        "keep_if_equal": _Field(parse_bool),
        "timeout": _Field(parse_duration),
        "repeats": _Field(parse_positive_int),
        "min_delta": _Field(parse_min_delta),
        "kind": _Field(_kind),
        "frozen": _Field(parse_list, True),
        "golden": _Field(_text),
        "tolerance": _Field(lambda text: abs(_float(text, "tolerance", "like 1e-9"))),
        "max_table": _Field(parse_max_table),
        "holdout": _Field(parse_sealed_holdout),
    },
    "stop": {
        "budget": _Field(parse_duration),
        "rounds": _Field(parse_positive_int),
        "stale": _Field(parse_positive_int),
        "target": _Field(lambda text: _float(text, "target", "like 0.60")),
    },
    "agent": {
        "provider": _Field(_provider),
        "model": _Field(_text),
        "command": _Field(_text),
        "tune": _Field(_text),
        "timeout": _Field(parse_duration),
        "workers": _Field(parse_positive_int),
        "backend": _Field(_backend),
        "address": _Field(_text),
    },
}
#: The state of the reader inside a section that appeared twice (its lines are skipped).
_SKIPPED = "\0skipped"
#: Sections whose non-field lines are prose for the agent (the rest hold fields only).
_PROSE_SECTIONS = frozenset({"change"})
_TITLE = re.compile(r"^#\s+(?:autoimprove\s*:\s*)?(?P<name>.*?)\s*#*\s*$", re.IGNORECASE)
_HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*#*\s*$")
_FIELD = re.compile(r"^(?:[-*]\s+)?(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:(?:\s+(?P<value>.*)|\s*)$")


def parse_text(text: str, path: Path | str = DEFAULT_FILE) -> ImproveConfig:
    """Parse improve.md content; ``path`` is used for messages and relative paths.

    Every problem the file has is reported at once (:class:`ConfigError` with one
    line per problem), so a bad regex does not hide a misspelled field below it.
    """
    path = Path(path)
    name = ""
    values: dict[str, dict[str, Any]] = {section: {} for section in _SECTIONS}
    lines: dict[str, int] = {}
    #: Fields that were given, readable or not (a bad `run:` is not also "missing").
    given: set[str] = set()
    prose: dict[str, list[str]] = {"change": [], "instructions": []}
    extra: list[tuple[str, list[str]]] = []
    seen_sections: dict[str, int] = {}
    problems: list[ConfigError] = []
    section: str | None = None
    in_fence = False

    def fail(line: int | None, problem: str, fix: str) -> None:
        problems.append(ConfigError(path, line, problem, fix))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            title = heading["title"]
            key = title.lower()
            if key in seen_sections:
                fail(
                    number,
                    f"section '## {title}' appears twice (first on line {seen_sections[key]})",
                    "merge the two sections into one",
                )
                # Its lines are skipped: read as the first section's, every field in it
                # would also be "given twice".
                section = _SKIPPED
                continue
            seen_sections[key] = number
            if key in _SECTIONS or key == "instructions":
                section = key
            else:
                close = difflib.get_close_matches(key, [*_SECTIONS, "instructions"], 1, 0.8)
                if close:
                    fail(
                        number,
                        f"unknown section '## {title}'",
                        f"did you mean '## {close[0].capitalize()}'?",
                    )
                    # Read on as the section it was meant to be, so its fields are
                    # checked and not reported missing.
                    section = _SKIPPED if close[0] in seen_sections else close[0]
                    seen_sections.setdefault(close[0], number)
                    continue
                section = None
                extra.append((title, []))
            continue
        if section is None and not extra and not in_fence:
            title = _TITLE.match(line)
            if title and not name:
                name = title["name"]
                continue
        if section is None:
            if extra:
                extra[-1][1].append(line)
            else:
                # Prose between the title and the first section is guidance for the agent.
                prose["instructions"].append(line)
            continue
        if section == "instructions":
            prose["instructions"].append(line)
            continue
        if section == _SKIPPED:
            continue
        if not stripped or stripped.startswith(("<!--", "#")) or in_fence:
            if section in _PROSE_SECTIONS:
                prose[section].append(line)
            continue
        match = _FIELD.match(stripped)
        known = _SECTIONS[section]
        if match and match["key"].lower().replace("-", "_") in known:
            key = match["key"].lower().replace("-", "_")
            spec = known[key]
            where = f"{section}.{key}"
            given.add(where)
            if where in lines and not spec.multiple:
                fail(
                    number,
                    f"'{key}' is given twice (first on line {lines[where]})",
                    "keep one of them",
                )
                continue
            try:
                value = spec.parse(match["value"] or "")
            except ValueError as exc:
                problem, _, fix = str(exc).partition("; ")
                if not problem.startswith(key.replace("_", " ")) and not problem.startswith(key):
                    problem = f"{key}: {problem}"
                fail(number, problem, fix or "fix the value")
                lines.setdefault(where, number)
                continue
            lines.setdefault(where, number)
            if spec.multiple:
                previous = values[section].get(key, ())
                values[section][key] = (
                    *previous,
                    *(value if isinstance(value, tuple) else (value,)),
                )
            else:
                values[section][key] = value
            continue
        if match:
            key = match["key"]
            close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.7)
            if close:
                fail(
                    number,
                    f"unknown field '{key}' in ## {section.capitalize()}",
                    f"did you mean '{close[0]}'?",
                )
                continue
            if section not in _PROSE_SECTIONS:
                fail(
                    number,
                    f"unknown field '{key}' in ## {section.capitalize()}",
                    f"use one of {', '.join(known)}",
                )
                continue
        elif section not in _PROSE_SECTIONS:
            shown = stripped if len(stripped) <= 40 else stripped[:39] + "…"
            fail(
                number,
                f"cannot read '{shown}' in ## {section.capitalize()}",
                "write one `field: value` per line",
            )
            continue
        prose[section].append(line)

    end = len(text.splitlines()) or None
    config = _build(path, name, values, lines, given, prose, extra, seen_sections, end, problems)
    if problems:
        raise ConfigError.combine(problems)
    assert config is not None
    return config


def _build(
    path: Path,
    name: str,
    values: dict[str, dict[str, Any]],
    lines: dict[str, int],
    given: set[str],
    prose: dict[str, list[str]],
    extra: list[tuple[str, list[str]]],
    seen: dict[str, int],
    end: int | None,
    problems: list[ConfigError],
) -> ImproveConfig | None:
    """The config from the fields read; what is missing is added to ``problems``
    (``None`` when the fields cannot make a config)."""
    check = dict(values["check"])
    if "guard" in check:
        check["guards"] = check.pop("guard")
    if "check" not in seen:
        problems.append(
            ConfigError(
                path,
                end,
                "no '## Check' section",
                "add one with at least `run:` (the benchmark) and `goal:`",
            )
        )
        return None
    if not check and not any(key.startswith("check.") for key in given):
        problems.append(
            ConfigError(
                path,
                seen["check"],
                "the ## Check section is empty",
                "add at least `run: <benchmark command>` and `goal: higher|lower`",
            )
        )
        return None
    if "run" not in check:
        if "check.run" not in given:
            problems.append(
                ConfigError(
                    path,
                    seen["check"],
                    "## Check has no `run:` (the benchmark)",
                    "add `run: <command that prints the score>`",
                )
            )
        return None

    # Change: entries that look like paths are enforced; the other words go to the prompt.
    entries = values["change"].get("scope", ())
    # `path::name` names a function to cover first; its path is scope like any other.
    targets = tuple(e for e in entries if "::" in e and _is_path(e.partition("::")[0]))
    paths_only = [e.partition("::")[0] if e in targets else e for e in entries]
    scope_words = [entry for entry in paths_only if not _is_path(entry)]
    parts: tuple[Part, ...] = tuple(values["change"].get("part", ()))
    names = [part.name for part in parts]
    twice = next((name for name in names if names.count(name) > 1), None)
    if twice is not None:
        raise ConfigError(
            path,
            lines.get("change.part"),
            f"part {twice!r} is named twice",
            "give each part a name of its own, or list all its paths on one line",
        )
    change = Change(
        scope=tuple(dict.fromkeys(e for e in paths_only if _is_path(e))),
        exclude=tuple(values["change"].get("exclude", ())),
        notes=_join([*([", ".join(scope_words)] if scope_words else []), *prose["change"]]),
        parts=parts,
        targets=targets,
    )
    instructions = _join(prose["instructions"])
    kind = check.get("kind") or infer_kind(check, instructions)
    goal = check.get("goal") or _GOAL_OF_KIND.get(kind)
    if goal is None:
        if "check.goal" not in given:
            problems.append(
                ConfigError(
                    path,
                    seen["check"],
                    "## Check has no `goal:`",
                    "add `goal: higher` or `goal: lower`",
                )
            )
        return None
    agent = Agent(**values["agent"])
    if agent.provider == "command" and not agent.command and "agent.command" not in given:
        problems.append(
            ConfigError(
                path,
                lines.get("agent.provider"),
                "provider: command needs the command to run",
                "add `command: <program that edits the tree>` to ## Agent",
            )
        )
        return None
    if "agent.provider" not in lines and agent.command:
        agent = Agent(**{**values["agent"], "provider": "command"})
    elif "agent.provider" not in lines and agent.tune:
        agent = Agent(**{**values["agent"], "provider": "tune"})
    return ImproveConfig(
        path=path,
        name=name or path.parent.resolve().name,
        check=Check(**{**check, "kind": kind, "goal": goal}),
        change=change,
        stop=Stop(**values["stop"]),
        agent=agent,
        instructions=instructions,
        sections=tuple((title, _join(body)) for title, body in extra),
        lines=MappingProxyType(dict(lines)),
    )


_GOAL_OF_KIND = {"speed": "lower", "memory": "lower", "size": "lower", "quality": "higher"}
_KIND_WORDS = (
    ("quality", r"mrr|ndcg|recall|precision|accuracy|\bacc\b|f1|hit|bleu|rouge|auc|loss|relevan"),
    ("memory", r"memory|\brss\b|alloc|heap|peak_?mb|\bmib\b"),
    ("size", r"size|wheel|bundle|image|dependenc|\bdeps\b|\bkb\b"),
    ("speed", r"\bms\b|_ms|latency|seconds|\bsec\b|time|duration|throughput|fast|speed|p9\d"),
)


def infer_kind(check: Mapping[str, Any], instructions: str = "") -> str:
    """Guess the goal family from the score regex, the benchmark command and the prose."""
    score = check.get("score")
    texts = [
        score.pattern if isinstance(score, re.Pattern) else "",
        str(check.get("run", "")),
        instructions,
    ]
    for text in texts:
        for kind, words in _KIND_WORDS:
            if re.search(words, text, re.IGNORECASE):
                return kind
    return "other"


def _is_path(entry: str) -> bool:
    """A scope entry is enforced when it looks like a path; prose words are not."""
    return not re.search(r"\s", entry) and bool(re.search(r"[/*?\[]|\.\w+$", entry))


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


# ---------------------------------------------------------------------------
# Finding and loading the file


def find_config_path(root: Path, explicit: Path | str | None = None) -> Path:
    """The improve.md to use: ``explicit``, else ``[tool.autoimprove] file``, else ./improve.md."""
    if explicit is not None:
        candidate = Path(explicit)
        return candidate if candidate.is_absolute() else root / candidate
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = read_pyproject_table(pyproject)
        if "file" in table:
            return root / str(table["file"])
    return root / DEFAULT_FILE


def read_pyproject_table(pyproject: Path) -> dict[str, Any]:
    """``[tool.autoimprove]`` of pyproject.toml, validated; ``{}`` when absent."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(pyproject, line, f"invalid TOML ({exc})", "fix the syntax") from None
    table = data.get("tool", {}).get("autoimprove", {})
    if not isinstance(table, dict):
        raise ConfigError(
            pyproject,
            None,
            "[tool.autoimprove] is not a table",
            'write it as a table: [tool.autoimprove] file = "improve.md"',
        )
    for key, value in table.items():
        if key != "file":
            raise ConfigError(
                pyproject,
                _toml_line(pyproject, key),
                f"unknown key {key!r} in [tool.autoimprove]",
                f"the only key is 'file'{_suggest(key, ['file'])}",
            )
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(
                pyproject,
                _toml_line(pyproject, key),
                "[tool.autoimprove] file must be a path string",
                'write file = "perf/improve.md"',
            )
    return table


def _toml_line(path: Path, key: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def load_config(root: Path, explicit: Path | str | None = None) -> ImproveConfig:
    """Find and parse the repo's improve.md; a missing or malformed file is a ConfigError."""
    path = find_config_path(root, explicit)
    if not path.is_file():
        raise ConfigError(
            path,
            None,
            "file not found",
            "run `autoimprove-guard init` or name the file with --autoimprove-file",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, None, "not UTF-8 text", "save the file as UTF-8") from None
    return parse_text(text, path)


# ---------------------------------------------------------------------------
# Writing the file back (``init`` scaffolds with it; parse(render(c)) == c)


def render(config: ImproveConfig) -> str:
    """improve.md text for ``config``; parsing it gives back an equal config."""
    check, stop, agent = config.check, config.stop, config.agent
    out = [f"# autoimprove: {config.name}", "", "## Change"]
    if config.change.scope or config.change.targets:
        out.append(f"scope: {', '.join([*config.change.scope, *config.change.targets])}")
    if config.change.exclude:
        out.append(f"exclude: {', '.join(config.change.exclude)}")
    out += [f"part: {part}" for part in config.change.parts]
    if config.change.notes:
        out.append(config.change.notes)
    out += ["", "## Check"]
    if check.test:
        out.append(f"test: {check.test}")
    out.append(f"run: {check.run}")
    if check.score is not None:
        out.append(f"score: {check.score.pattern}")
    out.append(f"goal: {check.goal}")
    out += [f"guard: {guard}" for guard in check.guards]
    out.append(f"keep_if_equal: {str(check.keep_if_equal).lower()}")
    out.append(f"timeout: {format_duration(check.timeout)}")
    if check.repeats is not None:
        out.append(f"repeats: {check.repeats}")
    if check.min_delta != MinDelta():
        out.append(f"min_delta: {check.min_delta}")
    out.append(f"kind: {check.kind}")
    if check.frozen:
        out.append(f"frozen: {', '.join(check.frozen)}")
    if check.golden:
        out.append(f"golden: {check.golden}")
    if check.tolerance is not None:
        out.append(f"tolerance: {check.tolerance!r}")
    if check.max_table is not None:
        out.append(f"max_table: {format_max_table(check.max_table)}")
    if check.holdout is not None:
        out.append(f"holdout: {check.holdout}")
    stop_lines = [
        f"budget: {format_duration(stop.budget)}" if stop.budget else "",
        f"rounds: {stop.rounds}" if stop.rounds else "",
        f"stale: {stop.stale}" if stop.stale else "",
        f"target: {stop.target!r}" if stop.target is not None else "",
    ]
    out += ["", "## Stop", *(line for line in stop_lines if line)]
    out += ["", "## Agent", f"provider: {agent.provider}"]
    for key in ("model", "command", "tune"):
        if getattr(agent, key):
            out.append(f"{key}: {getattr(agent, key)}")
    if agent.timeout != DEFAULT_AGENT_TIMEOUT:
        out.append(f"timeout: {format_duration(agent.timeout)}")
    if agent.workers != 1:
        out.append(f"workers: {agent.workers}")
    if agent.backend != "local":
        out.append(f"backend: {agent.backend}")
    if agent.address:
        out.append(f"address: {agent.address}")
    for title, body in config.sections:
        out += ["", f"## {title}", body]
    if config.instructions:
        out += ["", "## Instructions", config.instructions]
    return "\n".join(out).rstrip("\n") + "\n"
