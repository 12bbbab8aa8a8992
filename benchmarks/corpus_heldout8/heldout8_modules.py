"""The eighth held-out corpus: eight more pinned PyPI releases nobody tuned against.

Same format and machinery as ``corpus_real/real_modules.py`` (its dataclasses are
imported, not copied) and the seven earlier held-out corpora: each entry pins a release
that ``guard_strength.py --corpus heldout8`` downloads as an sdist, names the module an
optimizing agent would be pointed at, the functions improve.md would name, and changes
written as exact text replacements of the pinned source.

Why an eighth held-out corpus: the first seven have been read while deciding what to
build next, so their kill rates drift towards an upper bound. This one was written in
one sitting by a helper session that did not read the generators, their tests,
``docs/generators.md``, nor the changes of the other corpora (their data format only),
and did not look at which regressions the generators catch. The regressions are written
as an agent chasing speed makes them, not as a test writer who knows the tool. Keep it
that way: do not tune a generator against these modules.

The modules cover a parser of a text format whose work is done by a decoder class
reached through ``loads`` (toml's decoder), a parser of docstrings built on a class
whose methods are reached only through ``parse`` (docstring_parser's Google style), a
data structure of node classes behind a mapping (pygtrie's tries), a codec of bytes
built on two stateful classes (asn1's BER/DER ``Encoder`` and ``Decoder``), functions
that diff, patch and revert nested containers (dictdiffer), an immutable interval
data structure with set operators (portion's ``Interval``), an image codec with
filters and bit packing (pypng's ``Writer`` and ``Reader``) and a document validator
whose rules are methods reached through ``validate()`` (Cerberus).

Each regression's ``risk`` names its kind and whether the project's own tests notice it
("tests pass": the released tests still pass with it; "tests catch": they fail), as
measured by running the release's tests with each change applied. Every honest
rewrite passes them, and every module's own tests pass on the baseline.
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


# --- toml: a TOML parser, a decoder class reached through loads ----------------------

TOML = RealModule(
    name="toml",
    pin="toml==0.10.2",
    package="toml",
    module="toml/decoder.py",
    targets=(
        "loads",
        "TomlDecoder.load_line",
        "TomlDecoder.load_value",
        "TomlDecoder.load_array",
    ),
    tests=(("tests/*.py", "tests/"), ("test.toml", "test.toml")),
    test_command='pytest -q tests -k "not test_valid_tests and not test_invalid_tests"',
    notes="test_valid_tests and test_invalid_tests are left out: they read the toml-test "
    "suite (a git submodule), which the sdist does not ship, so they fail on the baseline.",
    changes=(
        regression(
            "load_value: a float whenever there is an e or a point",
            "wrong fast path (a hexadecimal integer with an e or E digit, 0xbeef, is "
            "sent to float() and refused); tests pass",
            _MSG + "show(lambda: msg(lambda: m.loads('a = 0xbeef\\nb = 0x10\\nc = 1e3')))",
            (
                "            if '.' in v or ('x' not in v and ('e' in v or 'E' in v)):\n",
                "            if '.' in v or 'e' in v or 'E' in v:\n",
            ),
        ),
        regression(
            "_unescape: str.replace per escape instead of the character loop",
            "wrong rewrite (an escaped backslash followed by n, C:\\\\new, becomes a "
            "newline; a reserved escape in a quoted key is no longer refused); tests pass",
            _MSG + "show(lambda: msg(lambda: m.loads('a = \"C:\\\\\\\\new\"')))\n"
            "show(lambda: msg(lambda: m.loads('\"k\\\\\\\\t\" = 1')))",
            (
                '    """Unescape characters in a TOML string."""\n'
                "    i = 0\n"
                "    backslash = False\n"
                "    while i < len(v):\n",
                '    """Unescape characters in a TOML string."""\n'
                "    for esc, char in _escape_to_escapedchars.items():\n"
                "        v = v.replace('\\\\' + esc, char)\n"
                "    return v.replace('\\\\\\\\', '\\\\')\n"
                "    i = 0\n"
                "    backslash = False\n"
                "    while i < len(v):\n",
            ),
        ),
        regression(
            "load_array: the homogeneity check dropped",
            'dropped check (an array mixing an integer and a string, [1, "a"], is '
            "accepted instead of raising TomlDecodeError); tests pass",
            _MSG + "show(lambda: msg(lambda: m.loads('a = [1, \"a\"]')))",
            (
                "                nval, ntype = self.load_value(a[i])\n"
                "                if atype:\n"
                "                    if ntype != atype:\n"
                '                        raise ValueError("Not a homogeneous array")\n'
                "                else:\n"
                "                    atype = ntype\n",
                "                nval, ntype = self.load_value(a[i])\n",
            ),
        ),
        regression(
            "get_empty_inline_table: the inline-table class built once per module",
            "stale cache (the class is built from the first decoder's _dict, so an inline "
            "table parsed later with _dict=OrderedDict is a plain dict); tests pass",
            "from collections import OrderedDict\n"
            "show(lambda: isinstance(m.loads('a = {b = 1}')['a'], dict))\n"
            "show(lambda: isinstance(m.loads('a = {b = 1}', _dict=OrderedDict)['a'], "
            "OrderedDict))",
            (
                "class InlineTableDict(object):\n"
                '    """Sentinel subclass of dict for inline tables."""\n',
                "class InlineTableDict(object):\n"
                '    """Sentinel subclass of dict for inline tables."""\n\n\n'
                "_INLINE_TABLE_CLASS = []\n",
            ),
            (
                "    def get_empty_inline_table(self):\n",
                "    def get_empty_inline_table(self):\n"
                "        if _INLINE_TABLE_CLASS:\n"
                "            return _INLINE_TABLE_CLASS[0]()\n",
            ),
            (
                "        return DynamicInlineTableDict()\n",
                "        _INLINE_TABLE_CLASS.append(DynamicInlineTableDict)\n"
                "        return DynamicInlineTableDict()\n",
            ),
        ),
        regression(
            "_load_date: fractional seconds through float()",
            "float for exact arithmetic (some microseconds are one short: .000249 is "
            "read as 248 microseconds); tests pass",
            "show(lambda: m.loads('t = 1979-05-27T07:32:00.000249Z')['t'].microsecond)\n"
            "show(lambda: m.loads('t = 1979-05-27T07:32:00.5+01:00')['t'].microsecond)",
            (
                "                microsecond = int(int(subsecondval) *\n"
                "                                  (10 ** (6 - len(subsecondval))))\n",
                "                microsecond = int(float('0.' + subsecondval) * 1e6)\n",
            ),
        ),
        regression(
            "loads: the string type check dropped",
            "dropped check (bytes are decoded and parsed instead of raising TypeError); "
            "tests catch",
            _MSG + "show(lambda: msg(lambda: m.loads(b'a = 1')))",
            (
                "    if not isinstance(s, basestring):\n"
                '        raise TypeError("Expecting something like a string")\n\n',
                "",
            ),
        ),
        honest(
            "load_value: one match of TIME_RE",
            "for s in ['a = 07:32:00', 'a = 00:32:00.999999', 'a = 07:32', "
            "'a = 1979-05-27', 'a = 12']:\n"
            "    show(lambda: m.loads(s))",
            (
                "        elif TIME_RE.match(v):\n"
                "            h, m, s, _, ms = TIME_RE.match(v).groups()\n",
                "        elif (time_match := TIME_RE.match(v)) is not None:\n"
                "            h, m, s, _, ms = time_match.groups()\n",
            ),
        ),
        honest(
            "_strictly_valid_num: a hoisted frozenset of the second characters",
            "for s in ['a = 0.5', 'a = 0x1f', 'a = 0o17', 'a = 0b11', 'a = 012', "
            "'a = -0.1', 'a = 1_000', 'a = 0']:\n"
            "    show(lambda: m.loads(s))",
            (
                "def _strictly_valid_num(n):\n",
                "_SECOND_AFTER_ZERO = frozenset('.obx')\n\n\ndef _strictly_valid_num(n):\n",
            ),
            (
                "    if n[0] == '0' and n[1] not in ['.', 'o', 'b', 'x']:\n",
                "    if n[0] == '0' and n[1] not in _SECOND_AFTER_ZERO:\n",
            ),
        ),
    ),
)


# --- docstring_parser: Google-style docstrings, a parser class behind parse() ----------

#: Witness helper: a parsed docstring as plain data (Docstring has no repr of its own).
_DS = (
    "def d(ds):\n"
    "    return (ds.short_description, ds.long_description, [\n"
    "        (type(x).__name__, x.args, x.description, getattr(x, 'arg_name', None),\n"
    "         getattr(x, 'type_name', None), getattr(x, 'is_optional', None),\n"
    "         getattr(x, 'default', None)) for x in ds.meta])\n"
)

DOCSTRING_PARSER = RealModule(
    name="docstring_parser",
    pin="docstring-parser==0.17.0",
    package="docstring_parser",
    module="docstring_parser/google.py",
    targets=("parse", "GoogleParser.parse", "GoogleParser.add_section", "compose"),
    tests=(("docstring_parser/tests/*.py", "docstring_parser/tests/"),),
    test_command="pytest -q docstring_parser/tests",
    changes=(
        regression(
            "_build_meta: the colon check dropped, split() fails anyway",
            "changed exception (an argument line without a colon raises ValueError "
            "from the unpacking, not ParseError); tests catch",
            _DS + _MSG + "show(lambda: msg(lambda: d(m.parse('Short.\\n\\nArgs:\\n    x'))))\n"
            "show(lambda: msg(lambda: d(m.parse('S.\\n\\nArgs:\\n    x (int): y'))))",
            (
                '        if ":" not in text:\n'
                '            raise ParseError(f"Expected a colon in {text!r}.")\n\n',
                "",
            ),
        ),
        regression(
            "_build_multi_meta: the trailing-? optional form dropped",
            "skipped special case (x (int?): ... keeps type 'int?' and is not "
            "optional); tests catch",
            _DS + "show(lambda: d(m.parse('S.\\n\\nArgs:\\n    x (int?): a\\n'\n"
            "'    y (str, optional): b')))",
            (
                '                elif type_name.endswith("?"):\n'
                "                    is_optional = True\n"
                "                    type_name = type_name[:-1]\n",
                "",
            ),
        ),
        regression(
            "GoogleParser.parse: the unknown-meta trimming dropped",
            "skipped normalisation (an unindented line after a section is glued to the "
            "last argument's description); tests catch",
            _DS + "show(lambda: d(m.parse('Short.\\n\\nArgs:\\n    x: a\\nTrailing words.')))",
            (
                '            unknown_meta = re.search(r"\\n\\S", meta_details)\n'
                "            if unknown_meta is not None:\n"
                "                meta_details = meta_details[: unknown_meta.start()]\n",
                "",
            ),
        ),
        regression(
            "GoogleParser.parse: the item-splitting regex compiled once for four spaces",
            "hoisted constant that is wrong for other inputs (a section indented by two "
            "spaces or a tab raises ParseError); tests pass",
            _DS
            + _MSG
            + "show(lambda: msg(lambda: d(m.parse('S.\\n\\nArgs:\\n  x: a\\n  y: b'))))\n"
            "show(lambda: msg(lambda: d(m.parse('S.\\nArgs:\\n\\tx: a\\n\\ty: b'))))",
            (
                "class GoogleParser:\n",
                '_ITEM_START_RE = re.compile(r"^    (?=\\S)", flags=re.M)\n\n\n'
                "class GoogleParser:\n",
            ),
            (
                '            _re = "^" + indent + r"(?=\\S)"\n'
                "            c_matches = list(re.finditer(_re, chunk, flags=re.M))\n",
                "            c_matches = list(_ITEM_START_RE.finditer(chunk))\n",
            ),
        ),
        regression(
            "GoogleParser.__init__: one shared dict of the default sections",
            "shares a mutable (add_section on one parser adds the section to every "
            "parser built after it, and to parse()); tests pass",
            _DS + "def f():\n"
            "    p = m.GoogleParser()\n"
            "    p.add_section(m.Section('Note', 'note', m.SectionType.SINGULAR))\n"
            "    return d(m.parse('Short.\\n\\nNote:\\n    hi'))\n"
            "show(f)",
            (
                "DEFAULT_SECTIONS = [\n",
                "_DEFAULT_SECTIONS_BY_TITLE = {}\n\nDEFAULT_SECTIONS = [\n",
            ),
            (
                "        if not sections:\n"
                "            sections = DEFAULT_SECTIONS\n"
                "        self.sections = {s.title: s for s in sections}\n",
                "        if not sections:\n"
                "            if not _DEFAULT_SECTIONS_BY_TITLE:\n"
                "                _DEFAULT_SECTIONS_BY_TITLE.update(\n"
                "                    (s.title, s) for s in DEFAULT_SECTIONS\n"
                "                )\n"
                "            self.sections = _DEFAULT_SECTIONS_BY_TITLE\n"
                "        else:\n"
                "            self.sections = {s.title: s for s in sections}\n",
            ),
        ),
        honest(
            "GoogleParser.parse: the unknown-meta regex precompiled",
            _DS + "show(lambda: d(m.parse('Short.\\n\\nArgs:\\n    x: a\\nTrailing.')))\n"
            "show(lambda: d(m.parse('Short.\\n\\nLong.\\n\\nReturns:\\n    int: n\\n\\n"
            "Raises:\\n    ValueError: bad')))",
            (
                "class GoogleParser:\n",
                '_UNKNOWN_META_RE = re.compile(r"\\n\\S")\n\n\nclass GoogleParser:\n',
            ),
            (
                '            unknown_meta = re.search(r"\\n\\S", meta_details)\n',
                "            unknown_meta = _UNKNOWN_META_RE.search(meta_details)\n",
            ),
        ),
        honest(
            "_build_single_meta, _build_multi_meta: the returns-or-yields set hoisted",
            _DS + "for s in ['Returns:\\n    int: n', 'Yields:\\n    the items', "
            "'Returns:\\n    n', 'Raises:\\n    oops', 'Example:\\n    >>> 1']:\n"
            "    show(lambda: d(m.parse(s)))",
            (
                "class GoogleParser:\n",
                "_RETURNS_OR_YIELDS = RETURNS_KEYWORDS | YIELDS_KEYWORDS\n\n\n"
                "class GoogleParser:\n",
            ),
            (
                "    def _build_single_meta(section: Section, desc: str) -> DocstringMeta:\n"
                "        if section.key in RETURNS_KEYWORDS | YIELDS_KEYWORDS:\n",
                "    def _build_single_meta(section: Section, desc: str) -> DocstringMeta:\n"
                "        if section.key in _RETURNS_OR_YIELDS:\n",
            ),
            (
                "            )\n        if section.key in RETURNS_KEYWORDS | YIELDS_KEYWORDS:\n",
                "            )\n        if section.key in _RETURNS_OR_YIELDS:\n",
            ),
        ),
    ),
)


# --- pygtrie: a trie with a dict interface; node classes behind the mapping ------------

PYGTRIE = RealModule(
    name="pygtrie",
    pin="pygtrie==2.5.0",
    package="pygtrie.py",
    module="pygtrie.py",
    targets=(
        "Trie.__getitem__",
        "Trie.__setitem__",
        "Trie.pop",
        "Trie.has_node",
        "Trie.longest_prefix",
        "StringTrie",
    ),
    tests=(("test.py", "test.py"),),
    test_command="pytest -q test.py",
    changes=(
        regression(
            "_pop_value: empty nodes left in place",
            "skipped cleanup (after the last key under a prefix is popped the prefix "
            "still reports a subtrie, and an emptied trie is truthy); tests catch",
            "def f():\n"
            "    t = m.CharTrie(foo=1, bar=2)\n"
            "    t.pop('foo')\n"
            "    r = [t.has_subtrie('f'), t.has_node('fo')]\n"
            "    del t['bar']\n"
            "    return r + [bool(t), len(t)]\n"
            "show(f)",
            (
                "        value, node.value = node.value, _EMPTY\n"
                "        while i and node.value is _EMPTY and not node.children:\n"
                "            i -= 1\n"
                "            parent_step, parent = trace[i]\n"
                "            parent.children.delete(parent, step)\n"
                "            step, node = parent_step, parent\n",
                "        value, node.value = node.value, _EMPTY\n",
            ),
        ),
        regression(
            "Trie.__bool__: only the root's children looked at",
            "wrong fast path (a trie whose only key is the empty key is falsy); tests pass",
            "def f():\n"
            "    t = m.CharTrie()\n"
            "    t[''] = 'root'\n"
            "    return bool(t), len(t), t.items()\n"
            "show(f)",
            (
                "        return self._root.value is not _EMPTY or bool(self._root.children)\n",
                "        return bool(self._root.children)\n",
            ),
        ),
        regression(
            "StringTrie._path_from_key: split keys cached by key",
            "stale cache (the cache ignores the separator, so a second trie with "
            "another separator splits a key as the first one did); tests catch",
            "def f():\n"
            "    a = m.StringTrie(separator='/')\n"
            "    a['x.y/z'] = 1\n"
            "    b = m.StringTrie(separator='.')\n"
            "    b['x.y/z'] = 2\n"
            "    return a.keys(), b.keys(), b.has_subtrie('x'), a.has_subtrie('x.y')\n"
            "show(f)",
            (
                "class StringTrie(Trie):\n",
                "_SPLIT_KEYS = {}\n\n\nclass StringTrie(Trie):\n",
            ),
            (
                "        return key.split(self._separator)\n",
                "        try:\n"
                "            return list(_SPLIT_KEYS[key])\n"
                "        except KeyError:\n"
                "            path = _SPLIT_KEYS[key] = key.split(self._separator)\n"
                "            return list(path)\n",
            ),
        ),
        regression(
            "Trie.__getitem__: isinstance(slice) instead of _slice_maybe",
            "dropped check (a slice with a stop, t['a':'b'], returns a generator of "
            "the values under 'a' instead of raising TypeError); tests catch",
            _MSG + "def f():\n"
            "    t = m.CharTrie(ab=1, ac=2, b=3)\n"
            "    return sorted(t['a':'b'])\n"
            "show(lambda: msg(f))\n"
            "show(lambda: sorted(m.CharTrie(ab=1, ac=2, b=3)['a':]))",
            (
                "        if self._slice_maybe(key_or_slice)[1]:\n"
                "            return self.itervalues(key_or_slice.start)\n",
                "        if isinstance(key_or_slice, slice):\n"
                "            return self.itervalues(key_or_slice.start)\n",
            ),
        ),
        regression(
            "Trie.longest_prefix: walk_towards inlined without prefixes()",
            "dropped exception handling (a key that leaves the trie raises KeyError "
            "instead of returning the longest prefix found); tests catch",
            _MSG + "def f(key):\n"
            "    t = m.StringTrie()\n"
            "    t['foo'] = 'Foo'\n"
            "    t['foo/bar/baz'] = 'Baz'\n"
            "    return repr(t.longest_prefix(key))\n"
            "show(lambda: msg(lambda: f('foo/bar/baz/qux')))\n"
            "show(lambda: msg(lambda: f('foo/bar/baz')))\n"
            "show(lambda: msg(lambda: f('nope')))",
            (
                "        ret = self._NONE_STEP\n"
                "        for ret in self.prefixes(key):\n"
                "            pass\n"
                "        return ret\n",
                "        ret = self._NONE_STEP\n"
                "        for step in self.walk_towards(key):\n"
                "            if step.is_set:\n"
                "                ret = step\n"
                "        return ret\n",
            ),
        ),
        honest(
            "Trie.walk_towards: the path length hoisted",
            "def f():\n"
            "    t = m.StringTrie()\n"
            "    t['foo'] = 'Foo'\n"
            "    t['foo/bar/baz'] = 'Baz'\n"
            "    return [repr(t.longest_prefix(k)) for k in ('foo/bar/baz/qux', 'foo/bar', "
            "'', 'x')] + [list(map(repr, t.prefixes('foo/bar/baz')))]\n"
            "show(f)\n"
            "show(lambda: [s.key for s in m.CharTrie(ab=1).walk_towards('ab')])",
            (
                "        path = self.__path_from_key(key)\n"
                "        pos = 0\n"
                "        while True:\n"
                "            yield self._Step(self, path, pos, node)\n"
                "            if pos == len(path):\n",
                "        path = self.__path_from_key(key)\n"
                "        end = len(path)\n"
                "        pos = 0\n"
                "        while True:\n"
                "            yield self._Step(self, path, pos, node)\n"
                "            if pos == end:\n",
            ),
        ),
        honest(
            "Trie.__getitem__: a direct walk without the trace",
            _MSG + "t = m.StringTrie(separator='.')\n"
            "t['a.b'] = 1\n"
            "t['a.b.c'] = 2\n"
            "for k in ['a.b', 'a.b.c', 'a', 'x', 'a.b.c.d']:\n"
            "    show(lambda: msg(lambda: t[k]))\n"
            "show(lambda: sorted(t['a':]))\n"
            "show(lambda: msg(lambda: m.Trie()[[1, 2]]))",
            (
                "        node, _ = self._get_node(key_or_slice)\n"
                "        if node.value is _EMPTY:\n"
                "            raise ShortKeyError(key_or_slice)\n",
                "        node = self._root\n"
                "        for step in self._path_from_key(key_or_slice):\n"
                "            node = node.children.get(step)\n"
                "            if node is None:\n"
                "                raise KeyError(key_or_slice)\n"
                "        if node.value is _EMPTY:\n"
                "            raise ShortKeyError(key_or_slice)\n",
            ),
        ),
    ),
)


# --- asn1: an ASN.1 BER/DER codec, stateful Encoder and Decoder classes ----------------

#: Witness helpers: one value encoded by a fresh Encoder, one read by a fresh Decoder.
_ASN1 = (
    "def enc(v, **kw):\n"
    "    e = m.Encoder()\n"
    "    e.start()\n"
    "    e.write(v, **kw)\n"
    "    return e.output()\n"
    "def dec(b):\n"
    "    d = m.Decoder()\n"
    "    d.start(b)\n"
    "    return d.read()\n"
)

ASN1 = RealModule(
    name="asn1",
    pin="asn1==3.3.0",
    package="src/asn1",
    module="asn1/core.py",
    targets=(
        "Encoder.write",
        "Encoder.output",
        "Decoder.read",
        "Decoder.peek",
        "to_int_2c",
        "to_bytes_2c",
    ),
    tests=(("tests/*.py", "tests/"), ("tests/testsuite/*", "tests/testsuite/")),
    test_command="pytest -q tests",
    changes=(
        regression(
            "_encode_integer: int.to_bytes with one sign byte",
            "wrong fast path (the negative powers of two, -128 and -32768, get a "
            "redundant 0xff byte: not DER any more); tests catch",
            _ASN1 + "for v in (-128, -32768, -129, 127, 128, -1, 0):\n    show(lambda: enc(v))",
            (
                '        """Encode an integer."""\n        if value < 0:\n',
                '        """Encode an integer."""\n'
                "        return value.to_bytes((value.bit_length() + 8) // 8, 'big', signed=True)\n"
                "        if value < 0:\n",
            ),
        ),
        regression(
            "_decode_integer: the minimal-encoding check dropped",
            "dropped check (an integer with a redundant leading byte, 02 02 00 01, "
            "decodes to 1 instead of raising Error); tests catch",
            _MSG + _ASN1 + "show(lambda: msg(lambda: dec(b'\\x02\\x02\\x00\\x01')))\n"
            "show(lambda: msg(lambda: dec(b'\\x02\\x02\\xff\\x80')))\n"
            "show(lambda: msg(lambda: dec(b'\\x02\\x02\\x00\\x80')))",
            (
                "        # 8.3.2\n"
                "        if len(content) > 1 and ((content[0] == 0xff and content[1] & 0x80 == "
                "0x80) or (content[0] == 0x00 and content[1] & 0x80 == 0x00)):\n"
                "            raise Error('ASN1 decoding error: malformed integer')\n",
                "",
            ),
        ),
        regression(
            "_read_bytes: the premature-end check dropped",
            "dropped check (a value shorter than its length, 04 05 'ab', decodes to "
            "the bytes there are instead of raising Error); tests catch",
            _MSG + _ASN1 + "show(lambda: msg(lambda: dec(b'\\x04\\x05ab')))\n"
            "show(lambda: msg(lambda: dec(b'\\x04\\x02ab')))",
            (
                "        assert len(data) <= count\n"
                "        if len(data) < count:\n"
                "            raise Error('ASN1 decoding error: premature end of input.')\n",
                "",
            ),
        ),
        regression(
            "_encode_object_identifier: the regex check dropped, int() validates",
            "dropped check (' 1.2', '1.2.+3' and '1' are no longer refused with Error: "
            "the first two are encoded, the last raises IndexError); tests catch",
            _MSG + _ASN1 + "for oid in ('1.2.840', ' 1.2', '1.2.+3', '1', '1.x'):\n"
            "    show(lambda: msg(lambda: enc(oid, nr=m.Numbers.ObjectIdentifier)))",
            (
                "        if not self._re_oid.match(oid):\n"
                "            raise Error('Illegal object identifier')\n"
                "        cmps = list(map(int, oid.split('.')))\n",
                "        cmps = list(map(int, oid.split('.')))\n",
            ),
        ),
        regression(
            "_decode_object_identifier: divmod(first, 40) for every first arc",
            "skipped special case (an OID under arc 2 with a second arc above 39, "
            "2.100.3, decodes as 4.20.3); tests catch",
            _ASN1 + "show(lambda: dec(b'\\x06\\x03\\x81\\x34\\x03'))\n"
            "show(lambda: dec(enc('1.2.840.113549', nr=m.Numbers.ObjectIdentifier)))",
            (
                "        if sub_identifiers[0] // 40 <= 1:\n"
                "            sid1 = sub_identifiers[0] // 40\n"
                "            sid2 = sub_identifiers[0] % 40\n"
                "            sids = [sid1, sid2] + sub_identifiers[1:]\n"
                "        else:\n"
                "            sids = [2, sub_identifiers[0] - 80] + sub_identifiers[1:]\n",
                "        sids = list(divmod(sub_identifiers[0], 40)) + sub_identifiers[1:]\n",
            ),
        ),
        regression(
            "_decode_constructed_definite: the trailing length check dropped",
            "dropped check (a sequence whose last element runs past the sequence's "
            "length decodes instead of raising Error); tests pass",
            _MSG + _ASN1 + "show(lambda: msg(lambda: dec(b'\\x30\\x03\\x02\\x02\\x01\\x02')))\n"
            "show(lambda: msg(lambda: dec(b'\\x30\\x04\\x02\\x02\\x01\\x02')))",
            (
                "            segment_value = self._decode_sequence_segment()\n"
                "            value.append(segment_value)\n"
                "        if self._get_current_position() - start_position != length:\n"
                "            raise Error('ASN1 decoding error: invalid length ({})'"
                ".format(length))\n",
                "            segment_value = self._decode_sequence_segment()\n"
                "            value.append(segment_value)\n",
            ),
        ),
        honest(
            "_decode_length: int.from_bytes for the long form",
            _MSG + _ASN1 + "show(lambda: dec(b'\\x04\\x81\\x03abc'))\n"
            "show(lambda: len(dec(enc(b'x' * 300))[1]))\n"
            "show(lambda: msg(lambda: dec(b'\\x04\\x82\\x00')))\n"
            "show(lambda: dec(b'\\x04\\x80\\x00\\x00'))",
            (
                "            length = reduce(lambda r, b: r << 8 | b, bytes_data, 0)\n",
                "            length = int.from_bytes(bytes_data, 'big')\n",
            ),
        ),
        honest(
            "_encode_value: the string type numbers in a hoisted frozenset",
            _MSG + _ASN1 + "for nr in (m.Numbers.OctetString, m.Numbers.UTF8String, "
            "m.Numbers.UTCTime, m.Numbers.Integer, 4, 12):\n"
            "    show(lambda: msg(lambda: enc('abc' if nr not in (m.Numbers.Integer,) "
            "else 5, nr=nr)))",
            (
                "class Encoder(object):\n",
                "_STRING_NUMBERS = frozenset((Numbers.OctetString, Numbers.PrintableString,\n"
                "                             Numbers.UTF8String, Numbers.IA5String,\n"
                "                             Numbers.UnicodeString, Numbers.UTCTime,\n"
                "                             Numbers.GeneralizedTime))\n\n\n"
                "class Encoder(object):\n",
            ),
            (
                "        if nr in (Numbers.OctetString, Numbers.PrintableString,\n"
                "                  Numbers.UTF8String, Numbers.IA5String,\n"
                "                  Numbers.UnicodeString, Numbers.UTCTime,\n"
                "                  Numbers.GeneralizedTime):\n"
                "            return self._encode_octet_string(value)\n",
                "        if nr in _STRING_NUMBERS:\n"
                "            return self._encode_octet_string(value)\n",
            ),
        ),
    ),
)


# --- dictdiffer: diff, patch and revert nested dicts, lists and sets -------------------

DICTDIFFER = RealModule(
    name="dictdiffer",
    pin="dictdiffer==0.9.0",
    package="dictdiffer",
    module="dictdiffer/__init__.py",
    targets=("diff", "patch", "swap", "revert"),
    tests=(("tests/*.py", "tests/"),),
    test_command="pytest -q tests",
    changes=(
        regression(
            "diff: added values not deep-copied",
            "shares a mutable (the diff holds the second object's own lists, so a "
            "later change of the second object changes the diff); tests pass",
            "from dictdiffer import diff\n"
            "def f():\n"
            "    b = {'x': [1], 'y': {'z': 1}}\n"
            "    d = list(m.diff({}, b))\n"
            "    b['x'].append(2)\n"
            "    b['y']['z'] = 9\n"
            "    return d\n"
            "show(f)",
            (
                "                            (key, deepcopy(_second[key])) for key in addition]\n",
                "                            (key, _second[key]) for key in addition]\n",
            ),
        ),
        regression(
            "diff: list deletions in index order",
            "reordered output (removals of list items come lowest index first, so "
            "patch deletes the wrong items or raises IndexError); tests catch",
            "show(lambda: list(m.diff([1, 2, 3, 4], [1])))\n"
            "show(lambda: m.patch(m.diff([1, 2, 3, 4], [1, 2]), [1, 2, 3, 4]))",
            (
                "            deletion = list(\n"
                "                reversed(range(min(len_first, len_second), len_first)))\n",
                "            deletion = list(range(min(len_first, len_second), len_first))\n",
            ),
        ),
        regression(
            "swap: additions kept in their order",
            "dropped reversal (revert of several list additions deletes by rising "
            "index: the wrong items go, or IndexError); tests catch",
            "show(lambda: list(m.swap([('add', 'a', [(1, 'x'), (2, 'y')])])))\n"
            "show(lambda: m.revert(m.diff([1], [1, 2, 3]), [1, 2, 3]))",
            (
                "        return REMOVE, node, list(reversed(changes))\n",
                "        return REMOVE, node, changes\n",
            ),
        ),
        regression(
            "diff: dotted notation without the check for dots in keys",
            "skipped special case (a key holding a dot, 'a.b', is written as the "
            "dotted path 'a.b', which patch reads as two keys); tests catch",
            "show(lambda: list(m.diff({'a.b': 1}, {'a.b': 2})))\n"
            "show(lambda: m.patch(m.diff({'a.b': 1}, {'a.b': 2}), {'a.b': 1}))",
            (
                "            all(map(lambda x: isinstance(x, str) and '.' not in x,\n"
                "                node)):\n",
                "            all(map(lambda x: isinstance(x, str), node)):\n",
            ),
        ),
        regression(
            "patch: list indexes of a change no longer converted with int()",
            "dropped normalisation (a change whose dotted path ends in a list index, "
            "'a.1', as written by hand or loaded from JSON, raises TypeError); tests catch",
            _MSG + "show(lambda: msg(lambda: m.patch([('change', 'a.1', (2, 3))], "
            "{'a': [1, 2]})))\n"
            "show(lambda: msg(lambda: m.patch([('change', ['a', 1], (2, 3))], {'a': [1, 2]})))",
            (
                "        if isinstance(dest, LIST_TYPES):\n"
                "            last_node = int(last_node)\n",
                "",
            ),
        ),
        regression(
            "patch: a shallow copy of the destination",
            "mutates its argument (a change below the top level is written into the "
            "caller's nested objects although in_place is False); tests catch",
            "def f():\n"
            "    src = {'a': {'b': 1}, 'l': [1]}\n"
            "    out = m.patch([('change', 'a.b', (1, 2)), ('add', 'l', [(1, 5)])], src)\n"
            "    return src, out\n"
            "show(f)",
            (
                "    if not in_place:\n        destination = deepcopy(destination)\n",
                "    if not in_place:\n        destination = destination.copy()\n",
            ),
        ),
        honest(
            "diff: dotted() with a generator expression instead of map and a lambda",
            "for a, b in [({'a': {'b': 1}}, {'a': {'b': 2}}), ({'a.b': 1}, {'a.b': 2}),\n"
            "             ({'a': [1]}, {'a': [2]}), ({1: 1}, {1: 2})]:\n"
            "    show(lambda: list(m.diff(a, b)))\n"
            "    show(lambda: list(m.diff(a, b, dot_notation=False)))",
            (
                "            all(map(lambda x: isinstance(x, str) and '.' not in x,\n"
                "                node)):\n",
                "            all(isinstance(x, str) and '.' not in x for x in node):\n",
            ),
        ),
        honest(
            "diff: the shorter list's length computed once",
            "for a, b in [([1, 2, 3], [1]), ([1], [1, 2, 3]), ([1, 2], [3, 4]), ([], [])]:\n"
            "    show(lambda: list(m.diff(a, b)))\n"
            "    show(lambda: m.patch(m.diff(a, b), a))",
            (
                "            intersection = list(range(0, min(len_first, len_second)))\n"
                "            addition = list(range(min(len_first, len_second), len_second))\n"
                "            deletion = list(\n"
                "                reversed(range(min(len_first, len_second), len_first)))\n",
                "            common = min(len_first, len_second)\n"
                "            intersection = list(range(common))\n"
                "            addition = list(range(common, len_second))\n"
                "            deletion = list(range(len_first - 1, common - 1, -1))\n",
            ),
        ),
    ),
)


# --- portion: intervals as unions of atomic intervals, an immutable data structure -----

PORTION = RealModule(
    name="portion",
    pin="portion==2.6.0",
    package="portion",
    module="portion/interval.py",
    targets=(
        "Interval.__init__",
        "Interval.from_atomic",
        "Interval.overlaps",
        "Interval.__and__",
        "Interval.__contains__",
        "Interval.__invert__",
    ),
    tests=(("tests/*.py", "tests/"),),
    test_command="pytest -q tests",
    notes="portion/__init__.py imports portion/dict.py, which needs sortedcontainers "
    "(a dependency of hypothesis, in the bench extra).",
    changes=(
        regression(
            "_mergeable: touching atomic intervals always merged",
            "wrong simplification (two intervals open at the point they share, "
            "(0,1) | (1,2), merge into (0,2), which then contains 1); tests catch",
            "import portion as P\n"
            "show(lambda: repr(P.open(0, 1) | P.open(1, 2)))\n"
            "show(lambda: 1 in (P.open(0, 1) | P.open(1, 2)))\n"
            "show(lambda: repr(P.closedopen(0, 1) | P.closed(1, 2)))",
            (
                "        if first.upper == second.lower:\n"
                "            return first.right == Bound.CLOSED or second.left == Bound.CLOSED\n",
                "        if first.upper == second.lower:\n            return True\n",
            ),
        ),
        regression(
            "__contains__: a value in an atomic interval checked by its bounds only",
            "wrong fast path (an open bound is treated as closed: 1 in (1,2) is True); tests catch",
            "import portion as P\n"
            "for i, v in [(P.open(1, 2), 1), (P.closedopen(1, 2), 2), (P.closed(1, 2), 2), "
            "(P.open(1, 2) | P.open(3, 4), 3)]:\n"
            "    show(lambda: v in i)",
            (
                "            # Item is a value\n"
                "            if self.upper < item or self.lower > item:\n"
                "                return False\n",
                "            # Item is a value\n"
                "            if self.upper < item or self.lower > item:\n"
                "                return False\n"
                "            if len(self._intervals) == 1:\n"
                "                return True\n",
            ),
        ),
        regression(
            "from_atomic: bounds at infinity no longer forced open",
            "skipped normalisation (closed(-inf, 0) keeps a closed left bound: it "
            "prints as [-inf,0] and is not equal to openclosed(-inf, 0)); tests catch",
            "import portion as P\n"
            "show(lambda: repr(P.closed(-P.inf, 0)))\n"
            "show(lambda: P.closed(-P.inf, 0) == P.openclosed(-P.inf, 0))\n"
            "show(lambda: repr(~P.closed(-P.inf, 0)))",
            (
                "        left = left if lower not in [inf, -inf] else Bound.OPEN\n"
                "        right = right if upper not in [inf, -inf] else Bound.OPEN\n",
                "",
            ),
        ),
        regression(
            "__and__: the left bound of equal lower bounds taken from self",
            "dropped case (closed(0,2) & open(0,1) is [0,1) instead of (0,1): the "
            "intersection depends on the operands' order); tests catch",
            "import portion as P\n"
            "show(lambda: repr(P.closed(0, 2) & P.open(0, 1)))\n"
            "show(lambda: repr(P.open(0, 1) & P.closed(0, 2)))",
            (
                "                left = self.left if self.left == Bound.OPEN else other.left\n",
                "                left = self.left\n",
            ),
        ),
        regression(
            "overlaps: intervals that only touch ruled out early",
            "off by one at a bound (closed intervals sharing one point, [0,1] and "
            "[1,2], no longer overlap); tests catch",
            "import portion as P\n"
            "show(lambda: P.closed(0, 1).overlaps(P.closed(1, 2)))\n"
            "show(lambda: P.closed(0, 1).overlaps(P.open(1, 2)))\n"
            "show(lambda: (P.closed(0, 1) | P.closed(5, 6)).overlaps(P.closed(6, 7)))",
            (
                "\n            if self.upper < other.lower or self.lower > other.upper:\n",
                "\n            if self.upper <= other.lower or self.lower >= other.upper:\n",
            ),
        ),
        honest(
            "__invert__: zip the parts with their successors without the first slice",
            "import portion as P\n"
            "for i in [P.closed(0, 1) | P.open(2, 3) | P.singleton(5), P.empty(), "
            "P.open(-P.inf, P.inf), P.closed(0, 1)]:\n"
            "    show(lambda: repr(~i))",
            (
                "        for i, j in zip(self._intervals[:-1], self._intervals[1:]):\n",
                "        for i, j in zip(self._intervals, self._intervals[1:]):\n",
            ),
        ),
        honest(
            "__contains__: Bound.CLOSED bound to a local before the loop",
            "import portion as P\n"
            "i = P.open(0, 1) | P.closed(2, 3) | P.closedopen(4, 5)\n"
            "show(lambda: [v in i for v in (0, 0.5, 1, 2, 3, 4, 5, 6, -1)])",
            (
                "            for i in self._intervals:\n"
                "                left = (item >= i.lower) if i.left == Bound.CLOSED "
                "else (item > i.lower)\n"
                "                right = (\n"
                "                    (item <= i.upper) if i.right == Bound.CLOSED "
                "else (item < i.upper)\n"
                "                )\n",
                "            closed = Bound.CLOSED\n"
                "            for i in self._intervals:\n"
                "                left = (item >= i.lower) if i.left == closed "
                "else (item > i.lower)\n"
                "                right = (item <= i.upper) if i.right == closed "
                "else (item < i.upper)\n",
            ),
        ),
    ),
)


# --- pypng: a PNG encoder and decoder in pure Python, Writer and Reader classes --------

#: Witness helpers: a PNG built by hand (any filter types), read back as lists; a write.
_PNG = (
    "import io, struct, zlib\n"
    "def chunk(t, d):\n"
    "    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))\n"
    "def mk(w, h, ct, bd, lines):\n"
    "    raw = b''.join(bytes([ft]) + bytes(row) for ft, row in lines)\n"
    "    return (b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, "
    "bd, ct, 0, 0, 0))\n"
    "            + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))\n"
    "def rd(b):\n"
    "    w, h, rows, info = m.Reader(bytes=b).read()\n"
    "    return w, h, [list(r) for r in rows]\n"
    "def wr(w, h, rows, **kw):\n"
    "    f = io.BytesIO()\n"
    "    m.Writer(w, h, **kw).write(f, rows)\n"
    "    return f.getvalue()\n"
)

PYPNG = RealModule(
    name="pypng",
    pin="pypng==0.20220715.0",
    package="code/png.py",
    module="png.py",
    targets=(
        "Writer.write",
        "Reader.read",
        "Reader.asDirect",
        "from_array",
        "check_palette",
    ),
    tests=(("code/test_png.py", "test_png.py"), ("code/pngsuite.py", "pngsuite.py")),
    test_command="pytest -q test_png.py",
    notes="test_test_dir runs the executables of the sdist's code/test/ folder, which is "
    "not laid out: it skips itself.",
    changes=(
        regression(
            "undo_filter_paeth: the predictor as a min() over (distance, value) pairs",
            "wrong rewrite (ties between the distances are broken by the smaller "
            "byte, not in the order a, b, c the PNG specification fixes); tests catch",
            _PNG + "lines = [(0, [(i * 37) % 256 for i in range(24)])] + [\n"
            "    (4, [(i * j * 13 + 7) % 256 for i in range(24)]) for j in range(1, 4)]\n"
            "show(lambda: rd(mk(24, 4, 0, 8, lines)))\n"
            "show(lambda: rd(mk(2, 2, 0, 8, [(0, [5, 15]), (4, [251, 0])])))",
            (
                "        pa = abs(p - a)\n"
                "        pb = abs(p - b)\n"
                "        pc = abs(p - c)\n"
                "        if pa <= pb and pa <= pc:\n"
                "            pr = a\n"
                "        elif pb <= pc:\n"
                "            pr = b\n"
                "        else:\n"
                "            pr = c\n",
                "        pr = min((abs(p - a), a), (abs(p - b), b), (abs(p - c), c))[1]\n",
            ),
        ),
        regression(
            "_bytes_to_values: the unpacked row not cut to the width",
            "dropped truncation (a 1-, 2- or 4-bit image whose width is not a whole "
            "number of bytes reads back with padding values at the end of each row); "
            "tests catch",
            _PNG + "show(lambda: rd(wr(3, 2, [[1, 0, 1], [0, 1, 1]], greyscale=True, "
            "bitdepth=1)))\n"
            "show(lambda: rd(wr(3, 1, [[3, 2, 1]], greyscale=True, bitdepth=2)))",
            ("        return out[:width]\n", "        return out\n"),
        ),
        regression(
            "check_palette: the 4-tuples-first check dropped",
            "dropped check (a palette with an RGBA entry after an RGB one is written "
            "instead of raising ProtocolError); tests catch",
            _MSG + "show(lambda: msg(lambda: m.check_palette([(1, 2, 3), (4, 5, 6, 7)])))\n"
            "show(lambda: msg(lambda: m.check_palette([(4, 5, 6, 7), (1, 2, 3)])))",
            (
                "        if seen_triple and len(t) == 4:\n"
                "            raise ProtocolError(\n"
                '                "palette entry %d: all 4-tuples must precede all 3-tuples" % i)\n',
                "",
            ),
        ),
        regression(
            "pack_rows: padding as spb - len % spb",
            "off by one (a row that already fills whole bytes gets a whole byte of "
            "padding, so the image data has the wrong size); tests catch",
            _PNG + _MSG + "show(lambda: msg(lambda: rd(wr(8, 2, [[1] * 8, [0] * 8], "
            "greyscale=True, bitdepth=1))))\n"
            "show(lambda: msg(lambda: rd(wr(3, 1, [[1, 0, 1]], greyscale=True, bitdepth=1))))",
            (
                "        n = float(len(a))\n"
                "        extra = math.ceil(n / spb) * spb - n\n"
                "        a.extend([0] * int(extra))\n",
                "        a.extend([0] * (spb - len(a) % spb))\n",
            ),
        ),
        regression(
            "rescale_rows: int() instead of int(round())",
            "dropped rounding (a 5-bit sample rescaled to 8 bits is truncated: 30 "
            "becomes 246, not 247); tests pass",
            _PNG + "show(lambda: rd(wr(4, 1, [[1, 15, 30, 31]], greyscale=True, bitdepth=5)))",
            (
                "                (int(round(fs[i] * x)) for x in row[i::n_chans]))\n",
                "                (int(fs[i] * x) for x in row[i::n_chans]))\n",
            ),
        ),
        honest(
            "undo_filter_up: the loop body in one statement",
            _PNG + "lines = [(0, [(i * 37) % 256 for i in range(12)])] + [\n"
            "    (2, [(i * j * 13 + 7) % 256 for i in range(12)]) for j in range(1, 4)]\n"
            "show(lambda: rd(mk(4, 4, 2, 8, lines)))\n"
            "show(lambda: rd(mk(2, 1, 0, 8, [(2, [5, 250])])))",
            (
                "    for i in range(len(result)):\n"
                "        x = scanline[i]\n"
                "        b = previous[i]\n"
                "        result[i] = (x + b) & 0xff\n",
                "    for i in range(len(result)):\n"
                "        result[i] = (scanline[i] + previous[i]) & 0xff\n",
            ),
        ),
        honest(
            "pack_rows: the padding computed in integers",
            _PNG + "for w, bd in [(8, 1), (3, 1), (5, 2), (4, 2), (3, 4), (2, 4)]:\n"
            "    rows = [[(i + j) % (2 ** bd) for i in range(w)] for j in range(2)]\n"
            "    show(lambda: rd(wr(w, 2, rows, greyscale=True, bitdepth=bd)))",
            (
                "        n = float(len(a))\n"
                "        extra = math.ceil(n / spb) * spb - n\n"
                "        a.extend([0] * int(extra))\n",
                "        a.extend(bytes(-len(a) % spb))\n",
            ),
        ),
    ),
)


# --- Cerberus: a document validator; rules are methods reached through validate() ------

#: Witness helper: validate a document against a schema, with the errors.
_CERB = (
    "def v(schema, doc):\n    val = m.Validator(schema)\n    return val.validate(doc), val.errors\n"
)

CERBERUS = RealModule(
    name="cerberus",
    pin="Cerberus==1.3.4",
    package="cerberus",
    module="cerberus/validator.py",
    targets=("Validator.validate", "Validator.normalized", "Validator.validated"),
    tests=(("cerberus/tests/*.py", "cerberus/tests/"),),
    test_command="pytest -q cerberus/tests",
    notes="cerberus/__init__.py imports pkg_resources for its version: setuptools<81 is "
    "in the bench extra.",
    changes=(
        regression(
            "_validate_regex: re.fullmatch instead of appending $",
            "wrong equivalence (a pattern with an alternation, 'a|b', used to be "
            "anchored on its last branch only, so 'ax' passed; now it fails); tests pass",
            _CERB + "show(lambda: v({'x': {'type': 'string', 'regex': 'a|b'}}, {'x': 'ax'}))\n"
            "show(lambda: v({'x': {'type': 'string', 'regex': '[a-z]+'}}, {'x': 'abc1'}))",
            (
                "        if not pattern.endswith('$'):\n"
                "            pattern += '$'\n"
                "        re_obj = re.compile(pattern)\n"
                "        if not re_obj.match(value):\n",
                "        if not re.fullmatch(pattern, value):\n",
            ),
        ),
        regression(
            "_validate_min: the TypeError guard dropped",
            "dropped exception handling (a min rule on a value of another type, "
            "without a type rule, raises TypeError out of validate()); tests catch",
            _CERB + "show(lambda: v({'x': {'min': 1}}, {'x': 'a'}))\n"
            "show(lambda: v({'x': {'min': 1}}, {'x': 0}))",
            (
                "        try:\n"
                "            if value < min_value:\n"
                "                self._error(field, errors.MIN_VALUE)\n"
                "        except TypeError:\n"
                "            pass\n",
                "        if value < min_value:\n            self._error(field, errors.MIN_VALUE)\n",
            ),
        ),
        regression(
            "_validate_allowed: one membership test for every value",
            "removed branch (a list whose items are all allowed is refused: the "
            "list itself is not among the allowed values); tests catch",
            _CERB + "show(lambda: v({'x': {'type': 'list', 'allowed': ['a', 'b']}}, "
            "{'x': ['a', 'b']}))\n"
            "show(lambda: v({'x': {'allowed': ['a', 'b']}}, {'x': 'c'}))",
            (
                "        if isinstance(value, Iterable) and not isinstance(value, _str_type):\n"
                "            unallowed = tuple(x for x in value if x not in allowed_values)\n"
                "            if unallowed:\n"
                "                self._error(field, errors.UNALLOWED_VALUES, unallowed)\n"
                "        else:\n"
                "            if value not in allowed_values:\n"
                "                self._error(field, errors.UNALLOWED_VALUE, value)\n",
                "        if value not in allowed_values:\n"
                "            self._error(field, errors.UNALLOWED_VALUE, value)\n",
            ),
        ),
        regression(
            "_validate_empty: truthiness instead of a Sized check",
            "wrong fast path (0 and False count as empty: {'empty': False} refuses "
            "them); tests pass",
            _CERB + "show(lambda: v({'x': {'empty': False}}, {'x': 0}))\n"
            "show(lambda: v({'x': {'empty': False}}, {'x': ''}))\n"
            "show(lambda: v({'x': {'empty': True, 'min': 1}}, {'x': 0}))",
            (
                "        if isinstance(value, Sized) and len(value) == 0:\n"
                "            self._drop_remaining_rules(\n"
                "                'allowed',\n"
                "                'forbidden',\n",
                "        if not value:\n"
                "            self._drop_remaining_rules(\n"
                "                'allowed',\n"
                "                'forbidden',\n",
            ),
        ),
        regression(
            "__normalize_default_fields: None replaced by the default regardless of nullable",
            "dropped check (an explicit None in a nullable field is overwritten by "
            "the field's default); tests catch",
            "show(lambda: m.Validator({'x': {'nullable': True, 'default': 5}})"
            ".normalized({'x': None}))\n"
            "show(lambda: m.Validator({'x': {'default': 5}}).normalized({'x': None}))",
            (
                "            or (\n"
                "                mapping[x] is None  # noqa: W503\n"
                "                and not schema[x].get('nullable', False)\n"
                "            )  # noqa: W503\n",
                "            or mapping[x] is None\n",
            ),
        ),
        honest(
            "_validate_maxlength: the length computed once",
            _CERB + "for doc in ({'x': [1, 2, 3]}, {'x': [1]}, {'x': 'abcd'}, {'x': 5}):\n"
            "    show(lambda: v({'x': {'maxlength': 2}}, doc))",
            (
                "        if isinstance(value, Iterable) and len(value) > max_length:\n"
                "            self._error(field, errors.MAX_LENGTH, len(value))\n",
                "        if isinstance(value, Iterable):\n"
                "            length = len(value)\n"
                "            if length > max_length:\n"
                "                self._error(field, errors.MAX_LENGTH, length)\n",
            ),
        ),
        honest(
            "_validate_regex: compiled patterns kept in a module dict",
            _CERB + "for pattern, value in [('a|b', 'ax'), ('[a-z]+', 'abc1'), "
            "('[a-z]+', 'abc'), ('x$', 'x'), ('a|b', 'ax')]:\n"
            "    show(lambda: v({'x': {'type': 'string', 'regex': pattern}}, {'x': value}))",
            (
                "class DocumentError(Exception):\n",
                "_COMPILED_RULE_PATTERNS = {}\n\n\nclass DocumentError(Exception):\n",
            ),
            (
                "        re_obj = re.compile(pattern)\n",
                "        re_obj = _COMPILED_RULE_PATTERNS.get(pattern)\n"
                "        if re_obj is None:\n"
                "            re_obj = _COMPILED_RULE_PATTERNS[pattern] = re.compile(pattern)\n",
            ),
        ),
    ),
)


MODULES: tuple[RealModule, ...] = (
    TOML,
    DOCSTRING_PARSER,
    PYGTRIE,
    ASN1,
    DICTDIFFER,
    PORTION,
    PYPNG,
    CERBERUS,
)
