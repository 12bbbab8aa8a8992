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


HEAP = """
class Heap:
    def __init__(self, items=()):
        self.heap = sorted(items)
        self.label = "heap"

    def __len__(self):
        return len(self.heap)

    def __iter__(self):
        return iter(self.heap)

    def __str__(self):
        return f"Heap of {len(self.heap)} at 0x7f00aa"


class Tags:
    def __init__(self, tags):
        self.tags = set(tags)

    def __iter__(self):
        return iter(self.tags)

    def __str__(self):
        return ",".join(self.tags)


class Index:
    def __init__(self, words):
        self.by_letter = {w[0]: {w} for w in words}

    def __str__(self):
        return str(self.by_letter)


class Cursor:
    def __init__(self, items):
        self.items = list(items)

    def __iter__(self):
        return self

    def __next__(self):
        if not self.items:
            raise StopIteration
        return self.items.pop()
"""


def test_what_an_instance_shows_through_its_own_protocols_is_state() -> None:
    # heapdict's __iter__ rewritten to yield the keys in heap order, fqdn's constructor
    # no longer lower-casing the name: both show only through the class's protocols.
    module = _reader(HEAP)
    state = public_state(module.Heap([3, 1, 2]))  # type: ignore[attr-defined]
    assert state["<len>"] == 3 and state["<iter>"] == [1, 2, 3]
    assert state["<str>"] == "Heap of 3"  # an address is no behaviour
    pickle.dumps(state)
    # A set's order and text move with the hash seed; an iterator would be consumed.
    assert "<iter>" not in public_state(module.Tags(["a", "b"]))  # type: ignore[attr-defined]
    assert "<str>" not in public_state(module.Tags(["a", "b"]))  # type: ignore[attr-defined]
    assert "<str>" not in public_state(module.Index(["ab"]))  # type: ignore[attr-defined]
    cursor = module.Cursor([1, 2])  # type: ignore[attr-defined]
    assert "<iter>" not in public_state(cursor) and cursor.items == [1, 2]
    # Only the class's own code counts: a plain object shows its attributes alone.
    assert public_state(Codec()) == {"sep": "-", "width": 3}


def test_a_view_that_changes_fails_the_replay() -> None:
    import pytest

    from pytest_autoimprove.runtime.replay import Case, replay

    baseline = _reader(HEAP)
    ctor = Case("c", args=([3, 1, 2],), returns=public_state(baseline.Heap([3, 1, 2])))  # type: ignore[attr-defined]
    replay(_reader(HEAP), "Heap", "constructor", ctor)  # type: ignore[arg-type]
    reordered = _reader(HEAP.replace("return iter(self.heap)", "return reversed(self.heap)"))
    with pytest.raises(AssertionError, match="<iter>"):
        replay(reordered, "Heap", "constructor", ctor)  # type: ignore[arg-type]
