"""public_state: what a method's state check compares on an instance."""

from __future__ import annotations

import pickle

from pytest_autoimprove.runtime.replay import public_state


class Codec:
    __slots__ = ("__dict__", "width")

    def __init__(self) -> None:
        self.width = 3
        self.sep = "-"
        self._cache: dict[str, str] = {}
        # A deprecated alias kept on the instance: behaviour, not state.
        self.encrypt = self.encode
        self.hook = len

    def encode(self, value: int) -> str:
        return str(value)


def test_public_data_attributes_only() -> None:
    state = public_state(Codec())
    assert state == {"sep": "-", "width": 3}
    pickle.dumps(state)  # frozen into a test: it must be storable


def test_a_callable_object_that_is_not_a_function_is_still_state() -> None:
    codec = Codec()
    codec.sep = Codec()  # type: ignore[assignment]  # an object, not a routine
    assert set(public_state(codec)) == {"sep", "width"}


READER = """
class Reader:
    def __init__(self, text):
        self.text = text
        self.position = 0

    def has_next(self):
        return self.position < len(self.text)
"""


def _reader(source: str) -> object:
    import types

    module = types.ModuleType("m")
    exec(source, module.__dict__)  # noqa: S102
    return module


def test_an_attribute_the_new_code_adds_is_no_change_but_a_changed_one_is() -> None:
    import pytest

    from pytest_autoimprove.runtime.replay import Case, replay

    baseline = _reader(READER)
    ctor = Case("c", args=("ab",), returns={"position": 0, "text": "ab"})
    method = Case("m", args=(), ctor=(("ab",), {}), returns=True, state=public_state_of(baseline))
    faster = _reader(
        READER.replace("self.position = 0", "self.position = 0\n        self.length = len(text)")
    )
    replay(faster, "Reader", "constructor", ctor)  # type: ignore[arg-type]
    replay(faster, "Reader.has_next", "method", method)  # type: ignore[arg-type]
    broken = _reader(READER.replace("self.position = 0", "self.position = 1"))
    with pytest.raises(AssertionError):
        replay(broken, "Reader", "constructor", ctor)  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        replay(broken, "Reader.has_next", "method", method)  # type: ignore[arg-type]


def public_state_of(module: object) -> dict[str, object]:
    return public_state(module.Reader("ab"))  # type: ignore[attr-defined]
