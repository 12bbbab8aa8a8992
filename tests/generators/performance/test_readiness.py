"""A receiver made ready by its class's set-up call, and read by its reading methods."""

from __future__ import annotations

import gc
import types
from collections.abc import Callable

from guarded import Guarded

from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.generators.performance.readiness import Readiness
from pytest_autoimprove.runtime.prepared import readings, ready
from pytest_autoimprove.runtime.replay import call

# asn1's Encoder, in small: write() raises until start() is called, returns None, and
# what it wrote shows only in output().
ENCODER = """
class Error(Exception):
    pass


class Encoder:
    def __init__(self):
        self._stack = None

    def start(self):
        self._stack = [[]]

    def write(self, value: int) -> None:
        if self._stack is None:
            raise Error("Encoder not initialized. Call start() first.")
        data = _encode_integer(value)
        self._stack[-1].append(bytes([2, len(data)]) + data)

    def close(self) -> bytes:
        self._stack = None
        return b"closed"

    def output(self) -> bytes:
        if self._stack is None:
            raise Error("Encoder not initialized. Call start() first.")
        return b"".join(self._stack[-1])


def _encode_integer(value: int) -> bytes:
    length = (value.bit_length() + 8) // 8
    data = value.to_bytes(length, "big", signed=True)
    while len(data) > 1 and data[0] == 0xFF and data[1] & 0x80:
        data = data[1:]
    return data
"""


def test_a_method_that_needs_a_start_call_is_guarded_on_a_started_instance(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # Before: every case of write() froze "call start() first", and a regression in
    # the integer encoder behind it passed.
    project = guarded("encoder", ENCODER)
    text = project.guard_text()
    assert "setup=(('start', (), {}),)" in text
    assert "read=('output',)" in text
    assert "'<output()>'" in text
    assert "'<close()>'" not in text  # a method that ends the instance never reads it
    result = project.run()
    assert result.returncode == 0, result.stdout[-1500:]
    # guards: a sign byte kept that DER drops (-128 encoded as ff 80), seen only at a
    # byte width (the code shifts and masks bytes) and only in output()
    project.assert_caught("        data = data[1:]\n", "        break\n")
    project.assert_passes(
        "    length = (value.bit_length() + 8) // 8\n",
        "    length = value.bit_length() // 8 + 1\n",
    )


def test_code_that_works_on_bytes_is_told_from_code_that_does_not() -> None:
    facts = read_facts(ENCODER, "encoder")
    assert facts.packs["_encode_integer"] == ["to_bytes", "mask"]
    assert facts.packs["Encoder.write"] == ["to_bytes", "mask"]  # through its callee
    assert "Encoder.output" not in facts.packs


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def begin(self) -> None:
        self.n = 10

    def bump(self) -> None:
        self.n += 1

    def total(self) -> int:
        self.n += 100  # a reader that changes what the next read sees
        return self.n


def test_readings_are_read_once_and_only_for_the_instance_made_ready() -> None:
    counter = ready(_Counter(), setup=(("begin", (), {}),), read=("total",))
    counter.bump()
    assert readings(counter) == {"<total()>": 111}
    assert readings(counter) == {"<total()>": 111}  # a second look: the first answers
    assert readings(_Counter()) == {}
    equal = _Counter()
    assert readings(equal) == {}
    del counter
    gc.collect()
    assert readings(_Counter()) == {}


def test_a_reader_that_raises_answers_with_its_exception() -> None:
    class Closed:
        def output(self) -> bytes:
            raise ValueError("closed")

    closed = ready(Closed(), read=("output",))
    assert readings(closed) == {"<output()>": "raises builtins.ValueError"}


GUARDED_DOOR = """
class Door:
    def __init__(self):
        self.state = "new"

    def close(self):
        self.state = "closed"

    def open(self):
        self.state = "open"

    def enter(self, who):
        if self.state == "closed":
            raise RuntimeError("closed")
        if self.state != "open":
            raise RuntimeError("not open yet")
        return who.upper()


class Vault:
    def __init__(self):
        self.state = "new"

    def close(self):
        self.state = "closed"

    def enter(self, who):
        raise RuntimeError(f"no entry while {self.state}")
"""


def _module(source: str) -> types.ModuleType:
    module = types.ModuleType("doors")
    exec(compile(source, "doors.py", "exec"), module.__dict__)  # noqa: S102 - our own test code
    return module


def test_a_set_up_call_is_one_that_makes_the_call_work_never_one_that_ends_it() -> None:
    module = _module(GUARDED_DOOR)
    readiness = Readiness()
    first = call(module, "Door.enter", "method", ("ann",), {}, ((), {}))
    ctor, out = readiness.improve(module, "Door.enter", ("ann",), {}, ((), {}), first)
    assert out.value == "ANN" and "setup=(('open', (), {}),)" in repr(ctor)
    # close() changes the error, and makes nothing work: it is no set-up.
    first = call(module, "Vault.enter", "method", ("ann",), {}, ((), {}))
    ctor, out = readiness.improve(module, "Vault.enter", ("ann",), {}, ((), {}), first)
    assert ctor == ((), {}) and out is first


# treelib's Tree, in small: walk() raises on an empty tree, and only create_node(...),
# with arguments, gives it a root.
TREE = '''
class Tree:
    def __init__(self) -> None:
        self.nodes: dict[int, str] = {}
        self.children: dict[int, list[int]] = {}
        self.root: int | None = None

    def create_node(self, tag: str, identifier: int, parent: int | None = None) -> None:
        if identifier in self.nodes:
            raise ValueError("duplicate identifier")
        if parent is None:
            if self.root is not None:
                raise ValueError("a second root")
            self.root = identifier
        else:
            self.children[parent].append(identifier)
        self.nodes[identifier] = tag
        self.children[identifier] = []

    def walk(self) -> list[str]:
        """The tags from the root down, depth first."""
        if self.root is None:
            raise LookupError("an empty tree")
        out, todo = [], [self.root]
        while todo:
            nid = todo.pop()
            out.append(self.nodes[nid])
            todo.extend(reversed(self.children[nid]))
        return out
'''


def test_a_method_that_needs_something_added_first_is_guarded_on_a_filled_instance(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # Before: every case of walk() froze "an empty tree", and a walk that dropped the
    # root passed.
    project = guarded("tree", TREE)
    assert "Build('Tree'), setup=(('create_node', (" in project.guard_text()
    project.assert_caught("        out, todo = [], [self.root]\n", "        out, todo = [], []\n")
    project.assert_passes("todo.extend(reversed(self.children[nid]))",
                          "todo.extend(self.children[nid][::-1])")  # fmt: skip
