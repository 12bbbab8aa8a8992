"""The sixth held-out corpus: eight more pinned PyPI releases nobody tuned against.

Same format and machinery as ``corpus_real/real_modules.py`` (its dataclasses are
imported, not copied) and the five earlier held-out corpora: each entry pins a release
that ``guard_strength.py --corpus heldout6`` downloads as an sdist, names the module an
optimizing agent would be pointed at, the functions improve.md would name, and changes
written as exact text replacements of the pinned source.

Why a sixth held-out corpus: the first five have been read while deciding what to
build next, so their kill rates drift towards an upper bound. This one was written in
one sitting by a helper session that did not read the generators, their tests,
``docs/generators.md``, nor the changes of the other corpora (their data format only),
and did not look at which regressions the generators catch. The regressions are written
as an agent chasing speed makes them, not as a test writer who knows the tool. Keep it
that way: do not tune a generator against these modules.

The modules cover a parser of a text format with a ``NamedTuple`` and comparison keys
(packaging's PEP 440 ``Version``), a stateful data structure (ordered-set's
``OrderedSet``), a table writer with number formatting (texttable's ``Texttable``),
validator classes (voluptuous's validators), a string-transforming utility
(titlecase), a binary codec taking and returning ``bytes`` (u-msgpack-python), a
module built on enums with a sanitizer class (pathvalidate's file names) and a
stateful signer whose tests lean on fixtures (itsdangerous's ``Signer``). Each
regression's ``risk`` names its kind and whether the project's own tests notice it
("tests pass": the released tests still pass with it; "tests catch": they do not).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "corpus_real"))

from real_modules import Change, RealModule, honest, regression  # noqa: E402

__all__ = ["MODULES", "Change", "RealModule"]

#: A witness helper: the exception's type and message instead of only its type.
_MSG = (
    "def msg(f):\n"
    "    try:\n"
    "        return f()\n"
    "    except Exception as e:\n"
    "        return type(e).__name__ + ': ' + str(e)\n"
)


# --- packaging: PEP 440 versions, a parser of a text format ---------------------------

PACKAGING = RealModule(
    name="packaging",
    pin="packaging==24.1",
    package="src/packaging",
    module="packaging/version.py",
    targets=("Version.__init__", "Version.__str__", "Version.public", "Version.base_version"),
    tests=(("tests/__init__.py", "tests/__init__.py"), ("tests/test_version.py", "tests/")),
    test_command="pytest -q tests/test_version.py",
    notes="The version tests import pretend (in the bench extra).",
    changes=(
        regression(
            "Version._regex: IGNORECASE dropped",
            "removed input form (upper-case spellings such as 1.0RC1, 1.0.POST1, V1.0 "
            "become invalid); tests catch",
            _MSG + "show(lambda: msg(lambda: str(m.Version('1.0RC1'))))\n"
            "show(lambda: msg(lambda: str(m.Version('V2.0.POST1'))))",
            (
                '    _regex = re.compile(r"^\\s*" + VERSION_PATTERN + r"\\s*$", '
                "re.VERBOSE | re.IGNORECASE)\n",
                '    _regex = re.compile(r"^\\s*" + VERSION_PATTERN + r"\\s*$", re.VERBOSE)\n',
            ),
        ),
        regression(
            "_parse_local_version: local segment not lower-cased",
            "dropped normalisation (1.0+ABC stays upper case and differs from 1.0+abc); "
            "tests catch",
            "show(lambda: str(m.Version('1.0+ABC.1')))\n"
            "show(lambda: m.Version('1.0+ABC') == m.Version('1.0+abc'))",
            (
                "            part.lower() if not part.isdigit() else int(part)\n",
                "            part if not part.isdigit() else int(part)\n",
            ),
        ),
        regression(
            "_parse_local_version: split on '.' after replacing '-'",
            "dropped normalisation ('_' is no longer a local separator: 1.0+abc_1 keeps "
            "'abc_1'); tests pass",
            "show(lambda: str(m.Version('1.0+abc_1')))\n"
            "show(lambda: m.Version('1.0+abc_1') == m.Version('1.0+abc.1'))",
            (
                "            for part in _local_version_separators.split(local)\n",
                '            for part in local.replace("-", ".").split(".")\n',
            ),
        ),
        regression(
            "_cmpkey: dev trick applied whenever there is no pre-release",
            "skipped special case (1.0.post1.dev1 sorts before 1.0); tests catch",
            "show(lambda: m.Version('1.0.post1.dev1') > m.Version('1.0'))\n"
            "show(lambda: sorted(['1.0', '1.0.post1.dev1', '1.0a1'], key=m.Version))",
            (
                "    if pre is None and post is None and dev is not None:\n",
                "    if pre is None and dev is not None:\n",
            ),
        ),
        regression(
            "Version.public: base_version when there is no pre or post segment",
            "fast path wrong for an edge value (a dev release loses its .devN: "
            "1.0.dev1 -> 1.0); tests catch",
            "show(lambda: m.Version('1.0.dev1+abc').public)\n"
            "show(lambda: m.Version('2!1.0.dev3').public)",
            (
                '        return str(self).split("+", 1)[0]\n',
                "        if self.pre is None and self.post is None:\n"
                "            return self.base_version\n"
                '        return str(self).split("+", 1)[0]\n',
            ),
        ),
        honest(
            "Version.__init__: release parsed with map(int, ...)",
            "show(lambda: m.Version('1.02.0003')._key)\n"
            "show(lambda: str(m.Version(' 1!2.0.0a1.post2.dev3+Ab-1 ')))\n"
            "show(lambda: m.Version('1.0').release)",
            (
                '            release=tuple(int(i) for i in match.group("release").split(".")),\n',
                '            release=tuple(map(int, match.group("release").split("."))),\n',
            ),
        ),
        honest(
            "Version.base_version: one join and an f-string",
            "show(lambda: m.Version('1!1.2.3+abc.dev1').base_version)\n"
            "show(lambda: m.Version('0.0a1').base_version)\n"
            "show(lambda: m.Version('2.0.post1').base_version)",
            (
                "        parts = []\n\n"
                "        # Epoch\n"
                "        if self.epoch != 0:\n"
                '            parts.append(f"{self.epoch}!")\n\n'
                "        # Release segment\n"
                '        parts.append(".".join(str(x) for x in self.release))\n\n'
                '        return "".join(parts)\n\n'
                "    @property\n"
                "    def is_prerelease(self) -> bool:\n",
                '        release = ".".join(map(str, self.release))\n'
                '        return f"{self.epoch}!{release}" if self.epoch != 0 else release\n\n'
                "    @property\n"
                "    def is_prerelease(self) -> bool:\n",
            ),
        ),
    ),
)


# --- ordered-set: a stateful data structure -------------------------------------------

ORDERED_SET = RealModule(
    name="ordered_set",
    pin="ordered-set==4.1.0",
    package="ordered_set",
    module="ordered_set/__init__.py",
    targets=(
        "OrderedSet.discard",
        "OrderedSet.update",
        "OrderedSet.index",
        "OrderedSet.__getitem__",
        "OrderedSet.union",
    ),
    tests=(("test/test_ordered_set.py", "test/test_ordered_set.py"),),
    test_command="pytest -q test",
    changes=(
        regression(
            "discard: re-index only the items after the removed one",
            "off-by-one range (the item that moved into the hole keeps its old index); tests catch",
            "def f():\n"
            "    s = m.OrderedSet('abcd')\n"
            "    s.discard('b')\n"
            "    return s.index('c'), s.index('d'), list(s)\n"
            "show(f)",
            (
                "            del self.items[i]\n"
                "            del self.map[key]\n"
                "            for k, v in self.map.items():\n"
                "                if v >= i:\n"
                "                    self.map[k] = v - 1\n",
                "            del self.items[i]\n"
                "            del self.map[key]\n"
                "            for j in range(i + 1, len(self.items)):\n"
                "                self.map[self.items[j]] = j\n",
            ),
        ),
        regression(
            "__getitem__: the full slice returns the set itself",
            "returns a shared mutable (s[:] is s: adding to the copy changes the "
            "original); tests catch",
            "def f():\n"
            "    s = m.OrderedSet([1, 2])\n"
            "    t = s[:]\n"
            "    t.add(3)\n"
            "    return list(s), t is s\n"
            "show(f)",
            (
                "        if isinstance(index, slice) and index == SLICE_ALL:\n"
                "            return self.copy()\n",
                "        if isinstance(index, slice) and index == SLICE_ALL:\n"
                "            return self\n",
            ),
        ),
        regression(
            "update: no try/except around the loop",
            "dropped error conversion (a non-iterable or an unhashable item raises "
            "TypeError instead of ValueError); tests catch",
            _MSG + "show(lambda: msg(lambda: m.OrderedSet([1]).update(5)))\n"
            "show(lambda: msg(lambda: m.OrderedSet().update([[1]])))",
            (
                "        item_index = 0\n"
                "        try:\n"
                "            for item in sequence:\n"
                "                item_index = self.add(item)\n"
                "        except TypeError:\n"
                "            raise ValueError(\n"
                '                "Argument needs to be an iterable, got %s" % type(sequence)\n'
                "            )\n",
                "        item_index = 0\n"
                "        for item in sequence:\n"
                "            item_index = self.add(item)\n",
            ),
        ),
        regression(
            "index: dictionary lookup first",
            "fast path wrong for an edge value (a frozenset or range that is itself a "
            "member returns its own index instead of its elements' indices); tests pass",
            _MSG + "show(lambda: msg(lambda: m.OrderedSet([frozenset({1}), 1])"
            ".index(frozenset({1}))))\n"
            "show(lambda: m.OrderedSet([1, 2, 3]).index([3, 1]))",
            (
                "        if isinstance(key, Iterable) and not _is_atomic(key):\n"
                "            return [self.index(subkey) for subkey in key]\n"
                "        return self.map[key]\n",
                "        if key.__hash__ is not None and key in self.map:\n"
                "            return self.map[key]\n"
                "        if isinstance(key, Iterable) and not _is_atomic(key):\n"
                "            return [self.index(subkey) for subkey in key]\n"
                "        return self.map[key]\n",
            ),
        ),
        regression(
            "_is_atomic: strings only",
            "removed input form (a tuple member is looked up element by element: "
            "KeyError); tests catch",
            _MSG + "show(lambda: msg(lambda: m.OrderedSet([('a', 1), ('b', 2)]).index(('b', 2))))",
            (
                "    return isinstance(obj, str) or isinstance(obj, tuple)\n",
                "    return isinstance(obj, str)\n",
            ),
        ),
        honest(
            "discard: re-index from the removed position on",
            "def f():\n"
            "    s = m.OrderedSet('abcde')\n"
            "    s.discard('b')\n"
            "    s.discard('zz')\n"
            "    s.discard('e')\n"
            "    return [s.index(x) for x in s], list(s), sorted(s.map.items())\n"
            "show(f)",
            (
                "            for k, v in self.map.items():\n"
                "                if v >= i:\n"
                "                    self.map[k] = v - 1\n",
                "            items = self.items\n"
                "            for j in range(i, len(items)):\n"
                "                self.map[items[j]] = j\n",
            ),
        ),
        honest(
            "union: chain the containers directly",
            "show(lambda: m.OrderedSet.union(m.OrderedSet([3, 1, 4, 1, 5]), [1, 3], [2, 0]))\n"
            "show(lambda: m.OrderedSet([1]).union({2}, (3, 1), 'ab'))\n"
            "show(lambda: m.OrderedSet().union())",
            (
                "        containers = map(list, it.chain([self], sets))\n"
                "        items = it.chain.from_iterable(containers)\n",
                "        items = it.chain(self, *sets)\n",
            ),
        ),
    ),
)


# --- texttable: a table writer with number formatting ---------------------------------

TEXTTABLE = RealModule(
    name="texttable",
    pin="texttable==1.7.0",
    package="texttable.py",
    module="texttable.py",
    targets=(
        "Texttable.add_row",
        "Texttable.draw",
        "Texttable._fmt_auto",
        "Texttable._fmt_int",
        "Texttable._len_cell",
    ),
    tests=(("tests.py", "tests.py"),),
    test_command="pytest -q tests.py",
    changes=(
        regression(
            "_fmt_auto: exponent format from 1e8 on",
            "off-by-one bound (100000000 prints as 1.000e+08); tests pass",
            "show(lambda: m.Texttable._fmt_auto(100000000, n=3))\n"
            "show(lambda: m.Texttable._fmt_auto(-1e8, n=2))",
            (
                "        if abs(f) > 1e8:\n",
                "        if abs(f) >= 1e8:\n",
            ),
        ),
        regression(
            "_fmt_int: isinstance fast path",
            "fast path wrong for an edge value (True prints as 'True' in an int "
            "column, not '1'); tests pass",
            "show(lambda: m.Texttable._fmt_int(True))\n"
            "def f():\n"
            "    t = m.Texttable()\n"
            "    t.set_cols_dtype(['i', 'i'])\n"
            "    t.add_row([False, 2.6])\n"
            "    return t.draw()\n"
            "show(f)",
            (
                "        if type(x) == int:\n            return str(x)\n",
                "        if isinstance(x, int):\n            return str(x)\n",
            ),
        ),
        regression(
            "_len_cell: expandtabs instead of the tab loop",
            "fast path wrong for an edge value (a wide character before a tab is "
            "counted once by expandtabs, twice by the width); tests pass",
            "show(lambda: m.Texttable()._len_cell('\\u4e2d\\tx'))\n"
            "show(lambda: m.Texttable()._len_cell('ab\\tcd\\nxyz'))",
            (
                "        cell_lines = cell.split('\\n')\n"
                "        maxi = 0\n"
                "        for line in cell_lines:\n"
                "            length = 0\n"
                "            parts = line.split('\\t')\n"
                "            for part, i in zip(parts, list(range(1, len(parts) + 1))):\n"
                "                length = length + len(part)\n"
                "                if i < len(parts):\n"
                "                    length = (length//8 + 1) * 8\n"
                "            maxi = max(maxi, length)\n"
                "        return maxi\n",
                "        return max(len(line) for line in cell.expandtabs(8).split('\\n'))\n",
            ),
        ),
        regression(
            "draw: empty-table check dropped",
            "dropped empty check (an empty table draws a border instead of returning "
            "None); tests pass",
            _MSG + "show(lambda: msg(lambda: m.Texttable().draw()))",
            (
                "        if not self._header and not self._rows:\n"
                "            return\n"
                "        self._compute_cols_width()\n",
                "        self._compute_cols_width()\n",
            ),
        ),
        regression(
            "add_row: formats the caller's list in place",
            "argument mutated in place (the row passed in now holds strings; a tuple "
            "row raises TypeError); tests pass",
            _MSG + "def f():\n"
            "    row = [1.5, 'a', 3]\n"
            "    m.Texttable().add_row(row)\n"
            "    return row\n"
            "show(f)\n"
            "show(lambda: msg(lambda: m.Texttable().add_row((1, 2)).draw()))",
            (
                "        cells = []\n"
                "        for i, x in enumerate(array):\n"
                "            cells.append(self._str(i, x))\n"
                "        self._rows.append(cells)\n",
                "        for i, x in enumerate(array):\n"
                "            array[i] = self._str(i, x)\n"
                "        self._rows.append(array)\n",
            ),
        ),
        honest(
            "_len_cell: fast path for a cell without tabs or newlines",
            "t = m.Texttable()\n"
            "show(lambda: [t._len_cell(c) for c in ['', 'abc', '\\u4e2d\\u6587', 'a\\tb', "
            "'x\\ny\\tz', 'e\\u0301']])",
            (
                "        cell_lines = cell.split('\\n')\n",
                "        if '\\t' not in cell and '\\n' not in cell:\n"
                "            return len(cell)\n"
                "        cell_lines = cell.split('\\n')\n",
            ),
        ),
        honest(
            "_compute_cols_width: enumerate instead of zip over a range list",
            "def f():\n"
            "    t = m.Texttable(max_width=30)\n"
            "    t.add_rows([['name', 'n', 'x'], ['a long cell that wraps', 3.25, 10 ** 9], "
            "['b', -1, 'x\\ty']])\n"
            "    return t.draw()\n"
            "show(f)",
            (
                "            for cell,i in zip(row, list(range(len(row)))):\n",
                "            for i, cell in enumerate(row):\n",
            ),
        ),
    ),
)


# --- voluptuous: validators -----------------------------------------------------------

VOLUPTUOUS = RealModule(
    name="voluptuous",
    pin="voluptuous==0.15.2",
    package="voluptuous",
    module="voluptuous/validators.py",
    targets=(
        "Boolean",
        "Email",
        "Range.__call__",
        "Clamp.__call__",
        "Length.__call__",
        "Unique.__call__",
    ),
    tests=(("voluptuous/tests/*.py", "voluptuous/tests/"),),
    test_command="pytest -q voluptuous/tests/tests.py",
    changes=(
        regression(
            "Boolean: membership without lower()",
            "dropped normalisation ('Yes', 'TRUE', 'Off' are rejected); tests pass",
            _MSG + "show(lambda: msg(lambda: m.Boolean()('Yes')))\n"
            "show(lambda: msg(lambda: m.Boolean()('OFF')))",
            (
                "    if isinstance(v, basestring):\n"
                "        v = v.lower()\n"
                "        if v in ('1', 'true', 'yes', 'on', 'enable'):\n",
                "    if isinstance(v, basestring):\n"
                "        if v in ('1', 'true', 'yes', 'on', 'enable'):\n",
            ),
        ),
        regression(
            "Email: split at the first '@'",
            "removed input form (a quoted local part holding '@' is rejected); tests pass",
            _MSG + "show(lambda: msg(lambda: m.Email()('\"a@b\"@example.com')))\n"
            "show(lambda: msg(lambda: m.Email()('t@x.com')))",
            (
                "        user_part, domain_part = v.rsplit('@', 1)\n",
                "        user_part, domain_part = v.split('@', 1)\n",
            ),
        ),
        regression(
            "Range: inclusive fast path before the try",
            "narrowed except (None or a string raises TypeError instead of "
            "RangeInvalid); tests catch",
            _MSG + "show(lambda: msg(lambda: m.Range(min=0, max=10)(None)))\n"
            "show(lambda: msg(lambda: m.Range(min=0, max=10)('5')))\n"
            "show(lambda: m.Range(min=0, max=10)(5))",
            (
                "    def __call__(self, v):\n        try:\n            if self.min_included:\n",
                "    def __call__(self, v):\n"
                "        if (\n"
                "            self.min_included\n"
                "            and self.max_included\n"
                "            and self.min is not None\n"
                "            and self.max is not None\n"
                "            and self.min <= v <= self.max\n"
                "        ):\n"
                "            return v\n"
                "        try:\n"
                "            if self.min_included:\n",
            ),
        ),
        regression(
            "Clamp: max()/min() builtins",
            "fast path wrong for edge values (Clamp(min=0)(0.0) returns the int 0, "
            "a NaN is clamped to the minimum); tests pass",
            "show(lambda: m.Clamp(min=0, max=1)(0.0))\n"
            "show(lambda: m.Clamp(min=0, max=1)(float('nan')))\n"
            "show(lambda: m.Clamp(min=0, max=1)(5))",
            (
                "            if self.min is not None and v < self.min:\n"
                "                v = self.min\n"
                "            if self.max is not None and v > self.max:\n"
                "                v = self.max\n",
                "            if self.min is not None:\n"
                "                v = max(self.min, v)\n"
                "            if self.max is not None:\n"
                "                v = min(self.max, v)\n",
            ),
        ),
        regression(
            "Unique: duplicates listed without a set",
            "dropped de-duplication (a value seen three times is listed twice in the "
            "message); tests pass",
            _MSG + "show(lambda: msg(lambda: m.Unique()([1, 1, 1, 2])))\n"
            "show(lambda: msg(lambda: m.Unique()('aabbc')))",
            (
                "            dupes = list(set(x for x in v if x in seen or seen.add(x)))\n",
                "            dupes = [x for x in v if x in seen or seen.add(x)]\n",
            ),
        ),
        honest(
            "Length: len() taken once",
            _MSG + "show(lambda: m.Length(min=1, max=3)('ab'))\n"
            "show(lambda: msg(lambda: m.Length(min=1, max=3)('')))\n"
            "show(lambda: msg(lambda: m.Length(min=1, max=3)('abcd')))\n"
            "show(lambda: msg(lambda: m.Length(min=1)(None)))\n"
            "show(lambda: m.Length()(None))",
            (
                "            if self.min is not None and len(v) < self.min:\n"
                "                raise LengthInvalid(\n"
                "                    self.msg or 'length of value must be at least %s' % self.min\n"
                "                )\n"
                "            if self.max is not None and len(v) > self.max:\n",
                "            if self.min is None and self.max is None:\n"
                "                return v\n"
                "            n = len(v)\n"
                "            if self.min is not None and n < self.min:\n"
                "                raise LengthInvalid(\n"
                "                    self.msg or 'length of value must be at least %s' % self.min\n"
                "                )\n"
                "            if self.max is not None and n > self.max:\n",
            ),
        ),
        honest(
            "Boolean: frozensets hoisted to module constants",
            _MSG + "show(lambda: [m.Boolean()(x) for x in ['1', 'TRUE', 'Yes', 'on', 'enable', "
            "'0', 'False', 'NO', 'off', 'disable', 0, 2, [], None]])\n"
            "show(lambda: msg(lambda: m.Boolean()('moo')))",
            (
                "    if isinstance(v, basestring):\n"
                "        v = v.lower()\n"
                "        if v in ('1', 'true', 'yes', 'on', 'enable'):\n"
                "            return True\n"
                "        if v in ('0', 'false', 'no', 'off', 'disable'):\n"
                "            return False\n",
                "    if isinstance(v, basestring):\n"
                "        v = v.lower()\n"
                "        if v in _TRUE_WORDS:\n"
                "            return True\n"
                "        if v in _FALSE_WORDS:\n"
                "            return False\n",
            ),
            (
                "@message('expected boolean', cls=BooleanInvalid)\ndef Boolean(v):\n",
                "_TRUE_WORDS = frozenset(('1', 'true', 'yes', 'on', 'enable'))\n"
                "_FALSE_WORDS = frozenset(('0', 'false', 'no', 'off', 'disable'))\n\n\n"
                "@message('expected boolean', cls=BooleanInvalid)\n"
                "def Boolean(v):\n",
            ),
        ),
    ),
)


# --- titlecase: a string-transforming utility -----------------------------------------

TITLECASE = RealModule(
    name="titlecase",
    pin="titlecase==2.4.1",
    package="titlecase",
    module="titlecase/__init__.py",
    targets=("titlecase", "create_wordlist_filter_from_file"),
    tests=(("titlecase/tests.py", "titlecase/tests.py"),),
    test_command="pytest -q titlecase/tests.py",
    notes="Runs with the standard re module; the optional regex module changes some "
    "patterns but none of the witnesses.",
    changes=(
        regression(
            "titlecase: str.splitlines instead of a regex split",
            "dropped normalisation (blank lines and a trailing newline are kept though "
            "preserve_blank_lines is off); tests catch",
            "show(lambda: m.titlecase('a tale\\n\\nof two cities\\n'))\n"
            "show(lambda: m.titlecase('x\\r\\ny'))",
            (
                "    else:\n        lines = regex.split('[\\r\\n]+', text)\n",
                "    else:\n        lines = text.splitlines()\n",
            ),
        ),
        regression(
            "titlecase: words split with str.split()",
            "dropped input form (runs of spaces and tabs collapse to one space); tests pass",
            "show(lambda: m.titlecase('the  quick\\tbrown fox'))",
            (
                "        words = regex.split('[\\t ]', line)\n",
                "        words = line.split()\n",
            ),
        ),
        regression(
            "titlecase: single lower-case word fast path",
            "fast path wrong for edge values (acronyms of consonants and Mc names are "
            "only capitalised: 'xml' -> 'Xml', 'mcdonald' -> 'Mcdonald'); tests catch",
            "show(lambda: [m.titlecase(w) for w in ['xml', 'mcdonald', 'word', 'a']])",
            (
                "    if preserve_blank_lines:\n        lines = regex.split('[\\r\\n]', text)\n",
                "    if callback is None and text.isalpha() and text.islower():\n"
                "        return text[0].upper() + text[1:]\n"
                "    if preserve_blank_lines:\n"
                "        lines = regex.split('[\\r\\n]', text)\n",
            ),
        ),
        regression(
            "titlecase: consonant acronyms from two letters",
            "off-by-one bound ('st' and 'mr'-like two-consonant words become 'ST'); tests catch",
            "show(lambda: m.titlecase('st louis blues'))\n"
            "show(lambda: m.titlecase('the pdf of ny'))",
            (
                "            if is_all_consonants and len(word) > 2:\n",
                "            if is_all_consonants and len(word) >= 2:\n",
            ),
        ),
        regression(
            "create_wordlist_filter_from_file: lookup without upper()",
            "dropped normalisation (a word is found only when typed as in the file's "
            "upper-case key); tests pass",
            "import os, tempfile\n"
            "d = tempfile.mkdtemp()\n"
            "p = os.path.join(d, 'words.txt')\n"
            "open(p, 'w').write('TCP\\nmacOS\\n')\n"
            "f = m.create_wordlist_filter_from_file(p)\n"
            "show(lambda: m.titlecase('use tcp on macos now', callback=f))\n"
            "show(lambda: f('MACOS'))",
            (
                "        return lambda word, **kwargs: abbrevs.get(word.upper())\n",
                "        return lambda word, **kwargs: abbrevs.get(word)\n",
            ),
        ),
        honest(
            "titlecase: the consonant pattern compiled once",
            "show(lambda: m.titlecase('the xml and css of st louis: a tale of two cities'))\n"
            "show(lambda: m.titlecase('RHYTHM AND BLUES BY DR. NGUYEN'))\n"
            "show(lambda: m.titlecase('sql via http'))",
            (
                "            CONSONANTS = ''.join(set(string.ascii_lowercase)\n"
                "                                 - {'a', 'e', 'i', 'o', 'u', 'y'})\n"
                "            is_all_consonants = regex.search("
                "r'\\A[' + CONSONANTS + r']+\\Z', word,\n"
                "                                             flags=regex.IGNORECASE)\n",
                "            is_all_consonants = _ALL_CONSONANTS.search(word)\n",
            ),
            (
                'MR_MRS_MS_DR = regex.compile(r"^((m((rs?)|s))|Dr)$", regex.I)\n',
                'MR_MRS_MS_DR = regex.compile(r"^((m((rs?)|s))|Dr)$", regex.I)\n'
                "_ALL_CONSONANTS = regex.compile("
                "r'\\A[bcdfghjklmnpqrstvwxz]+\\Z', regex.IGNORECASE)\n",
            ),
        ),
        honest(
            "titlecase: hyphenated and slashed parts joined from generators",
            "show(lambda: m.titlecase('well-known and/or mother-in-law of the x-ray'))\n"
            "show(lambda: m.titlecase('http://example.com/a-b and/or'))",
            (
                "                slashed = map(\n"
                "                    lambda t: titlecase(t,callback,False),\n"
                "                    word.split('/')\n"
                "                )\n"
                '                tc_line.append("/".join(slashed))\n',
                '                tc_line.append("/".join(titlecase(t, callback, False) '
                "for t in word.split('/')))\n",
            ),
            (
                "                hyphenated = map(\n"
                "                    lambda t: titlecase(t, callback, False),\n"
                "                    word.split('-')\n"
                "                )\n"
                '                tc_line.append("-".join(hyphenated))\n',
                '                tc_line.append("-".join(titlecase(t, callback, False) '
                "for t in word.split('-')))\n",
            ),
        ),
    ),
)


# --- u-msgpack-python: a binary codec, bytes in and out -------------------------------

UMSGPACK = RealModule(
    name="umsgpack",
    pin="u-msgpack-python==2.8.0",
    package="umsgpack",
    module="umsgpack/__init__.py",
    targets=("packb", "unpackb", "_pack_integer", "_pack_string", "_unpack_map"),
    tests=(("test_umsgpack.py", "test_umsgpack.py"),),
    test_command="pytest -q test_umsgpack.py",
    changes=(
        regression(
            "_pack_integer: positive fixint up to 128",
            "off-by-one bound (128 packs as 0x80, which reads back as an empty map); tests catch",
            "show(lambda: m.packb(128))\nshow(lambda: m.unpackb(m.packb([127, 128])))",
            (
                '        if obj < 128:\n            fp.write(struct.pack("B", obj))\n',
                '        if obj <= 128:\n            fp.write(struct.pack("B", obj))\n',
            ),
        ),
        regression(
            "_pack_string: length taken before encoding",
            "fast path wrong for an edge value (non-ASCII text gets its length in "
            "characters, not bytes: the output is corrupt); tests catch",
            _MSG + "show(lambda: m.packb('\\u00e9t\\u00e9'))\n"
            "show(lambda: msg(lambda: m.unpackb(m.packb(['\\u00e9', 1]))))",
            (
                "    obj = obj.encode('utf-8')\n    obj_len = len(obj)\n    if obj_len < 32:\n",
                "    obj_len = len(obj)\n    obj = obj.encode('utf-8')\n    if obj_len < 32:\n",
            ),
        ),
        regression(
            "_unpackb3: bytes only",
            "removed input form (a bytearray raises TypeError); tests pass",
            _MSG + "show(lambda: msg(lambda: m.unpackb(bytearray(b'\\x92\\x01\\xa1a'))))",
            (
                "    if not isinstance(s, (bytes, bytearray)):\n"
                "        raise TypeError(\"packed data must be type 'bytes' or 'bytearray'\")\n"
                "    return _unpack(io.BytesIO(s), options)\n",
                "    if type(s) is not bytes:\n"
                "        raise TypeError(\"packed data must be type 'bytes' or 'bytearray'\")\n"
                "    return _unpack(io.BytesIO(s), options)\n",
            ),
        ),
        regression(
            "_unpack_map: duplicate-key check dropped",
            "dropped check (a map with a repeated key keeps the last value instead of "
            "raising DuplicateKeyException); tests catch",
            _MSG + "show(lambda: msg(lambda: m.unpackb(b'\\x82\\xa1a\\x01\\xa1a\\x02')))",
            (
                "        elif k in d:\n"
                "            raise DuplicateKeyException(\n"
                '                "encountered duplicate key: \\"{:s}\\" ({:s})".format('
                "str(k), str(type(k))))\n",
                "",
            ),
        ),
        regression(
            "_unpack_map: array keys no longer turned into tuples",
            "removed input form (a map keyed by an array raises "
            "UnhashableKeyException); tests catch",
            _MSG + "show(lambda: msg(lambda: m.unpackb(b'\\x81\\x92\\x01\\x02\\xa1x')))",
            (
                "        if isinstance(k, list):\n"
                "            # Attempt to convert list into a hashable tuple\n"
                "            k = _deep_list_to_tuple(k)\n"
                "        elif not isinstance(k, Hashable):\n",
                "        if not isinstance(k, Hashable):\n",
            ),
        ),
        honest(
            "_read_except: return at once when the first read is complete",
            _MSG + "show(lambda: m.unpackb(m.packb({'a': [1, -33, 2.5, b'xy', None, True], "
            "'b': 'x' * 40, 'c': 2 ** 40})))\n"
            "show(lambda: msg(lambda: m.unpackb(b'\\xcd\\x01')))\n"
            "show(lambda: msg(lambda: m.unpackb(b'')))",
            (
                "    data = fp.read(n)\n    if len(data) == 0:\n",
                "    data = fp.read(n)\n"
                "    if len(data) == n:\n"
                "        return data\n"
                "    if len(data) == 0:\n",
            ),
        ),
        honest(
            "_unpack_array: tuple built from a list comprehension",
            "show(lambda: m.unpackb(m.packb([1, [2, [3, 'x']], []]), use_tuple=True))\n"
            "show(lambda: m.unpackb(m.packb(list(range(20))), use_tuple=True))",
            (
                "        return tuple((_unpack(fp, options) for i in xrange(length)))\n",
                "        return tuple([_unpack(fp, options) for _ in xrange(length)])\n",
            ),
        ),
    ),
)


# --- pathvalidate: file names, enums and a sanitizer class -----------------------------

PATHVALIDATE = RealModule(
    name="pathvalidate",
    pin="pathvalidate==3.2.1",
    package="pathvalidate",
    module="pathvalidate/_filename.py",
    targets=(
        "sanitize_filename",
        "validate_filename",
        "FileNameSanitizer.sanitize",
        "FileNameValidator.validate",
        "FileNameValidator.reserved_keywords",
    ),
    tests=(
        ("test/__init__.py", "test/__init__.py"),
        ("test/_common.py", "test/_common.py"),
        ("test/test_filename.py", "test/test_filename.py"),
    ),
    test_command="pytest -q test/test_filename.py",
    notes="The file-name tests import allpairspy (in the bench extra).",
    changes=(
        regression(
            "reserved_keywords: the set returned unsorted",
            "reordered output (the tuple follows the set's hash order); tests catch",
            "show(lambda: m.FileNameValidator(platform='windows').reserved_keywords)",
            (
                "        return tuple(sorted(word_set))\n",
                "        return tuple(word_set)\n",
            ),
        ),
        regression(
            "sanitize: one strip(' .') for Windows names",
            "dropped special case (leading dots are stripped too: '.hidden ' becomes "
            "'hidden'); tests catch",
            "show(lambda: m.sanitize_filename('.hidden ', platform='windows'))\n"
            "show(lambda: m.sanitize_filename(' a. ', platform='windows'))",
            (
                '                sanitized_filename = sanitized_filename.lstrip(" ")\n\n'
                "                # Do not end a file or directory name with a space or a period\n"
                '                sanitized_filename = sanitized_filename.rstrip(" ")\n'
                '                if sanitized_filename not in (".", ".."):\n'
                '                    sanitized_filename = sanitized_filename.rstrip(" .")\n',
                '                sanitized_filename = sanitized_filename.strip(" ")\n'
                '                if sanitized_filename not in (".", ".."):\n'
                '                    sanitized_filename = sanitized_filename.strip(" .")\n',
            ),
        ),
        regression(
            "validate: length in characters instead of encoded bytes",
            "dropped normalisation (a 200-character non-ASCII name of 400 bytes "
            "passes the 255-byte limit); tests catch",
            _MSG + "show(lambda: msg(lambda: m.validate_filename('\\u00e9' * 200)))\n"
            "show(lambda: len(m.sanitize_filename('\\u00e9' * 200).encode()))",
            (
                "        byte_ct = len(unicode_filename.encode(self._fs_encoding))\n",
                "        byte_ct = len(unicode_filename)\n",
            ),
        ),
        regression(
            "sanitize: always returns a str",
            "removed input form (a Path in gives a str out); tests catch",
            "import pathlib\nshow(lambda: m.sanitize_filename(pathlib.Path('a?b.txt')))",
            (
                "        if isinstance(value, PurePath):\n"
                "            return Path(sanitized_filename)  # type: ignore\n\n"
                "        return sanitized_filename  # type: ignore\n",
                "        return sanitized_filename  # type: ignore\n",
            ),
        ),
        regression(
            "validate_abspath: POSIX check only",
            "skipped special case (a Windows drive path is reported as an invalid "
            "character, not as an absolute path); tests catch",
            "def f(name, platform):\n"
            "    try:\n"
            "        m.validate_filename(name, platform=platform)\n"
            "    except Exception as e:\n"
            "        return str(e.reason)\n"
            "show(lambda: f('C:\\\\Users\\\\a', 'windows'))\n"
            "show(lambda: f('/etc/passwd', 'linux'))",
            (
                "        if self._is_windows(include_universal=True):\n"
                "            if is_nt_abspath(value):\n"
                "                raise err\n\n"
                "        if posixpath.isabs(value):\n",
                "        if posixpath.isabs(value):\n",
            ),
        ),
        honest(
            "sanitize: one strip(' ') before the period rule",
            "show(lambda: [m.sanitize_filename(n, platform='windows') for n in "
            "['.hidden ', ' a. ', ' . ', '..', 'a..', ' x y ', 'ok']])",
            (
                '                sanitized_filename = sanitized_filename.lstrip(" ")\n\n'
                "                # Do not end a file or directory name with a space or a period\n"
                '                sanitized_filename = sanitized_filename.rstrip(" ")\n',
                "                # Do not start or end a file or directory name with a space\n"
                '                sanitized_filename = sanitized_filename.strip(" ")\n',
            ),
        ),
        honest(
            "__validate_win_filename: startswith/endswith",
            "def f(name):\n"
            "    try:\n"
            "        m.validate_filename(name, platform='windows')\n"
            "    except Exception as e:\n"
            "        return str(e)\n"
            "    return 'ok'\n"
            "show(lambda: [f(n) for n in ['a.', 'a ', ' a', 'a', '.', '..', 'a.b']])",
            (
                '        if unicode_filename[-1] in (" ", "."):\n',
                '        if unicode_filename.endswith((" ", ".")):\n',
            ),
            (
                '        if unicode_filename[0] in (" "):\n',
                '        if unicode_filename.startswith(" "):\n',
            ),
        ),
    ),
)


# --- itsdangerous: a stateful signer, tests built on fixtures -------------------------

ITSDANGEROUS = RealModule(
    name="itsdangerous",
    pin="itsdangerous==2.2.0",
    package="src/itsdangerous",
    module="itsdangerous/signer.py",
    targets=(
        "Signer.__init__",
        "Signer.derive_key",
        "Signer.sign",
        "Signer.verify_signature",
        "Signer.unsign",
    ),
    tests=(("tests/test_itsdangerous/*.py", "tests/test_itsdangerous/"),),
    test_command="pytest -q tests",
    notes="The timed tests use freezegun (in the bench extra).",
    changes=(
        regression(
            "verify_signature: the key derived once, outside the loop",
            "cache that ignores a parameter (every rotated key is checked with the "
            "newest key: a value signed with an older key no longer verifies); tests catch",
            _MSG + "def f():\n"
            "    token = m.Signer('old').sign('x')\n"
            "    return m.Signer(['old', 'new']).unsign(token)\n"
            "show(lambda: msg(f))",
            (
                "        value = want_bytes(value)\n\n"
                "        for secret_key in reversed(self.secret_keys):\n"
                "            key = self.derive_key(secret_key)\n\n"
                "            if self.algorithm.verify_signature(key, value, sig):\n",
                "        value = want_bytes(value)\n"
                "        key = self.derive_key()\n\n"
                "        for secret_key in reversed(self.secret_keys):\n"
                "            if self.algorithm.verify_signature(key, value, sig):\n",
            ),
        ),
        regression(
            "unsign: split at the first separator",
            "dropped input form (a value that holds the separator no longer unsigns); tests catch",
            _MSG + "s = m.Signer('k')\nshow(lambda: msg(lambda: s.unsign(s.sign('a.b'))))",
            (
                "        value, sig = signed_value.rsplit(self.sep, 1)\n",
                "        value, sig = signed_value.split(self.sep, 1)\n",
            ),
        ),
        regression(
            "verify_signature: except narrowed to ValueError",
            "narrowed except (a signature that is not base64 raises BadData out of "
            "validate() instead of returning False); tests pass",
            _MSG + "s = m.Signer('k')\n"
            "show(lambda: msg(lambda: s.validate(b'value.a')))\n"
            "show(lambda: msg(lambda: s.verify_signature(b'value', b'a')))",
            (
                "            sig = base64_decode(sig)\n"
                "        except Exception:\n"
                "            return False\n",
                "            sig = base64_decode(sig)\n"
                "        except ValueError:\n"
                "            return False\n",
            ),
        ),
        regression(
            "__init__: salt defaulted with 'or'",
            "dropped None check (an empty salt is replaced by the default one: "
            "different signatures); tests pass",
            "show(lambda: m.Signer('k', salt='').sign('x'))\n"
            "show(lambda: m.Signer('k', salt=b'').salt)",
            (
                "        if salt is not None:\n"
                "            salt = want_bytes(salt)\n"
                "        else:\n"
                '            salt = b"itsdangerous.Signer"\n',
                '        salt = want_bytes(salt or b"itsdangerous.Signer")\n',
            ),
        ),
        regression(
            "derive_key: secret_key assumed to be bytes already",
            "removed input form (a str secret_key raises TypeError); tests pass",
            _MSG + "show(lambda: msg(lambda: m.Signer('k').derive_key('other')))\n"
            "show(lambda: msg(lambda: m.Signer('k', key_derivation='hmac')"
            ".derive_key('other')))",
            (
                "        if secret_key is None:\n"
                "            secret_key = self.secret_keys[-1]\n"
                "        else:\n"
                "            secret_key = want_bytes(secret_key)\n",
                "        if secret_key is None:\n            secret_key = self.secret_keys[-1]\n",
            ),
        ),
        honest(
            "sign: one bytes join",
            "s = m.Signer('k')\n"
            "show(lambda: s.sign('x'))\n"
            "show(lambda: m.Signer(['a', 'b'], sep='/', key_derivation='concat').sign(b'v.w'))\n"
            "show(lambda: s.unsign(s.sign('\\u00e9')))",
            (
                "        return value + self.sep + self.get_signature(value)\n",
                '        return b"".join((value, self.sep, self.get_signature(value)))\n',
            ),
        ),
        honest(
            "verify_signature: bound methods hoisted out of the loop",
            _MSG + "def f():\n"
            "    token = m.Signer('old').sign('x')\n"
            "    s = m.Signer(['old', 'new'])\n"
            "    return s.unsign(token), s.validate(token + b'x'), s.verify_signature(b'x', b'!')\n"
            "show(lambda: msg(f))",
            (
                "        for secret_key in reversed(self.secret_keys):\n"
                "            key = self.derive_key(secret_key)\n\n"
                "            if self.algorithm.verify_signature(key, value, sig):\n",
                "        derive = self.derive_key\n"
                "        verify = self.algorithm.verify_signature\n\n"
                "        for secret_key in reversed(self.secret_keys):\n"
                "            if verify(derive(secret_key), value, sig):\n",
            ),
        ),
    ),
)


MODULES: tuple[RealModule, ...] = (
    PACKAGING,
    ORDERED_SET,
    TEXTTABLE,
    VOLUPTUOUS,
    TITLECASE,
    UMSGPACK,
    PATHVALIDATE,
    ITSDANGEROUS,
)
