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
