"""findings.py: a crash of the baseline is reported only when it is near-certain a bug."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from pytest_autoimprove.generators.discover import discover
from pytest_autoimprove.generators.performance.findings import is_finding
from pytest_autoimprove.generators.performance.plan import Candidate, TargetCandidates
from pytest_autoimprove.generators.performance.values import Kind


@pytest.fixture
def tens(tmp_path: Path) -> TargetCandidates:
    (tmp_path / "words.py").write_text(
        'TENS = ["", "", "twenty"]\n\n\ndef tens_word(tens: str = "") -> str:\n'
        "    return TENS[tens]\n",
        encoding="utf-8",
    )
    [target] = discover(tmp_path, Path("words.py")).targets
    return TargetCandidates(target, {"tens": Kind("str", evidence="annotation")})


def _edge() -> Candidate:
    return Candidate(
        "empty-input-tens-0", "edge", "empty-input", b"", True, "edge", param="tens",
        types=frozenset({"str"}),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("message", "bug"),
    [
        # inflect's tenfn: the input's type named without quotes is a type confusion
        ("builtins.TypeError: list indices must be integers or slices, not str", False),
        ("builtins.TypeError: 'str' object is not callable", False),
        # a None made inside the code is the code's own bug
        ("builtins.TypeError: 'NoneType' object is not subscriptable", True),
    ],
)
def test_a_type_error_naming_the_input_type_is_no_finding(
    tens: TargetCandidates, message: str, bug: bool
) -> None:
    res = {"status": "raised", "raises_mro": ["TypeError", "Exception"], "message": message}
    assert is_finding(tens, _edge(), res, {"status": "ok"}) is bug


def test_an_unknown_key_is_the_lookup_contract(tens: TargetCandidates) -> None:
    for name in ("KeyError", "LookupError"):
        res = {
            "status": "raised",
            "raises_mro": [name, "LookupError", "Exception"],
            "message": f"builtins.{name}: ''",
        }
        assert not is_finding(tens, _edge(), res, {"status": "ok"})
    index = {
        "status": "raised",
        "raises_mro": ["IndexError", "LookupError", "Exception"],
        "message": "builtins.IndexError: string index out of range",
    }
    assert is_finding(tens, _edge(), index, {"status": "ok"})  # ''[0] on text still is


@pytest.mark.parametrize(
    ("default", "traced", "bug"),
    [
        # html2text's handle_tag(tag: str): the HTMLParser calling it never passes ''
        (None, (), False),
        (None, ("a", "img"), False),
        # an empty default, or an empty real value, says '' is an ordinary input
        ("''", (), True),
        (None, ("a", ""), True),
    ],
)
def test_an_empty_input_counts_only_where_empty_values_are_shown_to_be_taken(
    tmp_path: Path, default: str | None, traced: tuple[str, ...], bug: bool
) -> None:
    signature = f"tag: str = {default}" if default else "tag: str"
    (tmp_path / "tags.py").write_text(f"def first({signature}):\n    return tag[0]\n")
    [target] = discover(tmp_path, Path("tags.py")).targets
    kind = Kind("str", evidence="traced" if traced else "annotation", traced=traced)
    edge = Candidate(
        "empty-input-tag-0", "edge", "empty-input", b"", True, "edge", param="tag",
        types=frozenset({"str"}),
    )  # fmt: skip
    index = {
        "status": "raised",
        "raises_mro": ["IndexError", "LookupError", "Exception"],
        "message": "builtins.IndexError: string index out of range",
    }
    assert is_finding(TargetCandidates(target, {"tag": kind}), edge, index, {"status": "ok"}) is bug


def test_the_systems_refusal_is_no_finding(tens: TargetCandidates) -> None:
    # dunamai's Version.from_git(path='ünï/çødé.txt'): a path that does not exist is
    # refused by the system, which is no bug of the code.
    res = {
        "status": "raised",
        "raises_mro": ["FileNotFoundError", "OSError", "Exception"],
        "message": "builtins.FileNotFoundError: [Errno 2] No such file or directory: 'ünï'",
    }
    assert not is_finding(tens, _edge(), res, {"status": "ok"})


def test_a_none_inside_a_list_is_not_what_a_none_default_allows(tmp_path: Path) -> None:
    # docstring_parser's GoogleParser(sections=None): a None among the sections made
    # `section.title` raise, and was reported as a bug of the baseline.
    (tmp_path / "google.py").write_text(
        "def titles(sections=None):\n    return [s.title for s in sections or []]\n",
        encoding="utf-8",
    )
    [target] = discover(tmp_path, Path("google.py")).targets
    tc = TargetCandidates(target, {"sections": Kind("list", optional=True, evidence="default")})
    res = {
        "status": "raised",
        "raises_mro": ["AttributeError", "Exception"],
        "message": "builtins.AttributeError: 'NoneType' object has no attribute 'title'",
    }

    def none_edge(value: object) -> Candidate:
        payload = pickle.dumps(((value,), {}, None), protocol=4)
        return Candidate(
            "dropped-none-check-sections-0", "edge", "dropped-none-check", payload, True,
            "edge", param="sections", types=frozenset({"NoneType"}),
        )  # fmt: skip

    assert not is_finding(tc, none_edge([None]), res, {"status": "ok"})
    # None itself, which the default allows, crashing inside: the code's own bug.
    assert is_finding(tc, none_edge(None), res, {"status": "ok"})
