"""The thirteenth held-out corpus: eight more pinned PyPI releases nobody tuned against.

Same format and machinery as ``corpus_real/real_modules.py`` (its dataclasses are
imported, not copied) and the twelve earlier held-out corpora: each entry pins a release
that ``guard_strength.py --corpus heldout13`` downloads as an sdist, names the module an
optimizing agent would be pointed at, the functions improve.md would name, and changes
written as exact text replacements of the pinned source.

Why a thirteenth held-out corpus: the first twelve have been read while deciding what to
build next, so their kill rates drift towards an upper bound. This one was written in
one sitting by a helper session that did not read the generators, their tests,
``docs/generators.md``, nor the changes of the other corpora (their data format and one
example file only), and did not look at which regressions the generators catch. The
regressions are written as an agent chasing speed makes them, not as a test writer who
knows the tool. Keep it that way: do not tune a generator against these modules.

The modules cover a JSON5 encoder and the conversion of parsed JSON5 values (json5's
``lib``), plain-text diffs, deltas, fuzzy matching and patches (diff-match-patch),
PostgreSQL-style ranges of numbers and dates with their set operations (Spans'
``types``), a boolean-expression algebra with its tokenizer and parser (boolean.py),
Umm al-Qura Hijri dates converted to and from Gregorian ones (hijri-converter's
``convert``), the HTTP/2 priority tree, a stateful weighted fair scheduler (priority),
the YUI CSS minifier's regular-expression passes (csscompressor) and the CSS Syntax
Level 3 tokenizer (tinycss2's ``tokenizer``).

Each regression's ``risk`` names its kind and whether the project's own tests notice it
("tests pass": the released tests still pass with it; "tests catch": they fail), as
measured by running the release's tests with each change applied (PYTHONPATH at the
project root, as the benchmark runs them). Every honest rewrite passes them, and every
module's own tests pass on the baseline. These releases ship strong suites (Spans,
priority and tinycss2's css-parsing-tests especially), so the tests catch more of these
regressions than of heldout12's: 26 of 38.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "corpus_real"))

from real_modules import Change, RealModule, honest, regression  # noqa: E402

__all__ = ["MODULES", "Change", "RealModule"]


# --- json5: a JSON5 encoder and the conversion of parsed values ------------------------

JSON5 = RealModule(
    name="json5",
    pin="json5==0.17.3",
    package="json5",
    module="json5/lib.py",
    targets=("loads", "dumps", "JSON5Encoder.encode", "JSON5Encoder.is_identifier"),
    tests=(
        ("tests/__init__.py", "tests/__init__.py"),
        ("tests/lib_test.py", "tests/lib_test.py"),
        ("sample.json5", "sample.json5"),
    ),
    test_command="pytest -q tests/lib_test.py",
    notes="Only tests/lib_test.py: tests/tool_test.py runs `python -m json5` in a temporary "
    "folder, which needs json5 installed. lib_test reads sample.json5 from the project root.",
    changes=(
        regression(
            "_walk_ast: hex detected on the text as written",
            "dropped input form (a negative hexadecimal number, legal JSON5, now reaches "
            "int() without its base and fails); tests catch",
            "show(lambda: m.loads('-0x10'))\nshow(lambda: m.loads('[0x1F, -0XfF]'))",
            (
                "        unsigned = v[1:] if v.startswith('-') else v\n"
                "        if unsigned.startswith(('0x', '0X')):\n",
                "        if v.startswith(('0x', '0X')):\n",
            ),
        ),
        regression(
            "is_identifier: str.isidentifier fast path",
            "wrong fast path (Python's identifiers are not EcmaScript's: a key with '$' is "
            "now quoted, and a key that Python takes for an identifier but EcmaScript "
            "does not, such as '\u2118', is written unquoted); tests pass",
            "show(lambda: m.dumps({'$ref': 1, 'a$': 2}))\n"
            "show(lambda: m.JSON5Encoder().is_identifier('$'))\n"
            "show(lambda: m.dumps({'\u2118': 1}))",
            (
                "        if (\n            not key\n            or not self._is_id_start(key[0])\n",
                "        if key.isidentifier():\n"
                "            return True\n"
                "        if (\n"
                "            not key\n"
                "            or not self._is_id_start(key[0])\n",
            ),
            (
                "        for ch in key[1:]:\n"
                "            if not self._is_id_continue(ch) and ch not in ('$', '_'):\n"
                "                return False\n"
                "        return True\n",
                "        return False\n",
            ),
        ),
        regression(
            "_encode_non_basic_type: an object marked seen once, never unmarked",
            "dropped cleanup (the same list or dict appearing twice, not inside itself, is "
            "now reported as a circular reference); tests catch",
            "x = [1]\nshow(lambda: m.dumps([x, x]))\nshow(lambda: m.dumps({'a': x, 'b': x}))",
            (
                "            s = self.encode(self.default(obj), seen, level, as_key=False)\n"
                "            assert s is not None\n\n"
                "        if self.check_circular:\n"
                "            seen.remove(i)\n"
                "        return s\n",
                "            s = self.encode(self.default(obj), seen, level, as_key=False)\n"
                "            assert s is not None\n\n"
                "        return s\n",
            ),
        ),
        regression(
            "_encode_quoted_str: plain ASCII returned in double quotes at once",
            "wrong fast path (a string without quotes, backslashes or control characters "
            "is wrapped in double quotes whatever the quote_style, so ALWAYS_SINGLE and "
            'PREFER_SINGLE write "abc"); tests catch',
            "show(lambda: m.dumps('abc', quote_style=m.QuoteStyle.ALWAYS_SINGLE))\n"
            "show(lambda: m.dumps(['x y'], quote_style=m.QuoteStyle.PREFER_SINGLE))",
            (
                '        """Returns a quoted string with a minimal number of escaped quotes."""\n',
                '        """Returns a quoted string with a minimal number of escaped quotes."""\n'
                "        if obj.isascii() and obj.isprintable() and not any(\n"
                "            c in obj for c in '\\'\"\\\\'\n"
                "        ):\n"
                "            return '\"' + obj + '\"'\n",
            ),
        ),
        regression(
            "parse: bytes decoded as UTF-8 always",
            "dropped input form (the encoding argument is ignored for bytes, so a UTF-16 "
            "or Latin-1 document fails or decodes wrongly); tests catch",
            "show(lambda: m.loads('[\"\\u00e9\"]'.encode('latin-1'), encoding='latin-1'))\n"
            "show(lambda: m.loads('{a: 1}'.encode('utf-16'), encoding='utf-16'))",
            (
                "        encoding = encoding or 'utf-8'\n        s = s.decode(encoding)\n",
                "        s = s.decode()\n",
            ),
        ),
        honest(
            "_is_id_start / _is_id_continue: categories in hoisted frozensets",
            "show(lambda: m.dumps({'a1': 1, '1a': 2, '_x': 3, '$y': 4, 'é': 5, 'a-b': 6}))\n"
            "show(lambda: m.dumps({'\\u0301a': 1, 'a\\u0301': 2, 'Ⅻ': 3, '': 4}))\n"
            "show(lambda: m.JSON5Encoder().is_identifier('x\\u200c'))",
            (
                "_reserved_word_re: Optional[re.Pattern] = None\n",
                "_reserved_word_re: Optional[re.Pattern] = None\n"
                "_ID_START = frozenset(('Lu', 'Ll', 'Li', 'Lt', 'Lm', 'Lo', 'Nl'))\n"
                "_ID_CONTINUE = _ID_START | frozenset(('Nd', 'Mn', 'Mc', 'Pc'))\n",
            ),
            (
                "    def _is_id_start(self, ch: str) -> bool:\n"
                "        return unicodedata.category(ch) in (\n"
                "            'Lu',\n"
                "            'Ll',\n"
                "            'Li',\n"
                "            'Lt',\n"
                "            'Lm',\n"
                "            'Lo',\n"
                "            'Nl',\n"
                "        )\n",
                "    def _is_id_start(self, ch: str) -> bool:\n"
                "        return unicodedata.category(ch) in _ID_START\n",
            ),
            (
                "    def _is_id_continue(self, ch: str) -> bool:\n"
                "        return unicodedata.category(ch) in (\n"
                "            'Lu',\n"
                "            'Ll',\n"
                "            'Li',\n"
                "            'Lt',\n"
                "            'Lm',\n"
                "            'Lo',\n"
                "            'Nl',\n"
                "            'Nd',\n"
                "            'Mn',\n"
                "            'Mc',\n"
                "            'Pc',\n"
                "        )\n",
                "    def _is_id_continue(self, ch: str) -> bool:\n"
                "        return unicodedata.category(ch) in _ID_CONTINUE\n",
            ),
        ),
        honest(
            "_escape_ch: the named escapes from a dict",
            "show(lambda: m.dumps('a\\\\b\\'c\"d\\n\\r\\t\\b\\f\\v\\0\\x01\\x7f'))\n"
            "show(lambda: m.dumps('é\\u2028😀', ensure_ascii=True))\n"
            'show(lambda: m.dumps("it\'s", quote_style=m.QuoteStyle.ALWAYS_SINGLE))',
            (
                '        """Returns the backslash-escaped representation of the char."""\n'
                "        if ch == '\\\\':\n"
                "            return '\\\\\\\\'\n",
                '        """Returns the backslash-escaped representation of the char."""\n'
                "        named = _NAMED_ESCAPES.get(ch)\n"
                "        if named is not None:\n"
                "            return named\n"
                "        if ch == '\\\\':\n"
                "            return '\\\\\\\\'\n",
            ),
            (
                "def _raise_type_error(obj) -> Any:\n",
                "_NAMED_ESCAPES = {\n"
                "    '\\\\': '\\\\\\\\',\n"
                '    "\'": r"\\\'",\n'
                "    '\"': r'\\\"',\n"
                "    '\\n': r'\\n',\n"
                "    '\\r': r'\\r',\n"
                "    '\\t': r'\\t',\n"
                "    '\\b': r'\\b',\n"
                "    '\\f': r'\\f',\n"
                "    '\\v': r'\\v',\n"
                "    '\\0': r'\\0',\n"
                "}\n\n\n"
                "def _raise_type_error(obj) -> Any:\n",
            ),
        ),
    ),
)

# --- diff-match-patch: diffs, deltas, fuzzy matching and patches of plain text ---------

_DMP_FROMTEXT_RE = (
    '            m = re.match(r"^@@ -(\\d+),?(\\d*) \\+(\\d+),?(\\d*) @@$", text[0])\n'
)

DIFF_MATCH_PATCH = RealModule(
    name="diff_match_patch",
    pin="diff-match-patch==20241021",
    package="diff_match_patch",
    module="diff_match_patch/diff_match_patch.py",
    targets=(
        "diff_match_patch.diff_main",
        "diff_match_patch.diff_toDelta",
        "diff_match_patch.diff_text1",
        "diff_match_patch.match_main",
        "diff_match_patch.patch_toText",
        "diff_match_patch.patch_fromText",
    ),
    tests=(("diff_match_patch/tests/*.py", "diff_match_patch/tests/"),),
    test_command="pytest -q diff_match_patch/tests/diff_match_patch_test.py",
    changes=(
        regression(
            "diff_toDelta: lengths counted in code points",
            "skipped special case (the delta counts UTF-16 units so that it matches the "
            "other ports; counting len() gives a shorter count for characters outside the "
            "BMP, and such a delta no longer applies to its own text); tests catch",
            "d = m.diff_match_patch()\n"
            "show(lambda: d.diff_toDelta(d.diff_main('a\\U0001F600b', 'a\\U0001F600c')))\n"
            "show(lambda: d.diff_fromDelta('\\U0001F600x', "
            "d.diff_toDelta([(0, '\\U0001F600'), (-1, 'x')])))",
            (
                "            elif op == self.DIFF_DELETE:\n"
                '                text.append("-%d" % (len(data.encode("utf-16-be")) // 2))\n'
                "            elif op == self.DIFF_EQUAL:\n"
                '                text.append("=%d" % (len(data.encode("utf-16-be")) // 2))\n',
                "            elif op == self.DIFF_DELETE:\n"
                '                text.append("-%d" % len(data))\n'
                "            elif op == self.DIFF_EQUAL:\n"
                '                text.append("=%d" % len(data))\n',
            ),
        ),
        regression(
            "match_main: an exact occurrence anywhere returned before the fuzzy search",
            "wrong fast path (str.find returns the first occurrence, not the one nearest "
            "loc that the bitap search picks); tests pass",
            "d = m.diff_match_patch()\n"
            "show(lambda: d.match_main('abc123abc', 'abc', 5))\n"
            "show(lambda: d.match_main('xx-yy-xx-yy', 'yy', 8))",
            (
                "        else:\n            # Do a fuzzy compare.\n",
                "        elif pattern in text:\n"
                "            return text.find(pattern)\n"
                "        else:\n"
                "            # Do a fuzzy compare.\n",
            ),
        ),
        regression(
            "patch_obj.__str__: coordinates always written as start,length",
            "skipped special case (a one-character range is written '-3,1' where GNU diff "
            "and the other ports write '-3'); tests catch",
            "d = m.diff_match_patch()\n"
            "p = m.patch_obj()\np.start1, p.length1, p.start2, p.length2 = 4, 1, 4, 1\n"
            "p.diffs = [(0, 'x')]\nshow(lambda: str(p))",
            (
                "        if self.length1 == 0:\n"
                '            coords1 = str(self.start1) + ",0"\n'
                "        elif self.length1 == 1:\n"
                "            coords1 = str(self.start1 + 1)\n"
                "        else:\n",
                "        if self.length1 == 0:\n"
                '            coords1 = str(self.start1) + ",0"\n'
                "        else:\n",
            ),
            (
                "        if self.length2 == 0:\n"
                '            coords2 = str(self.start2) + ",0"\n'
                "        elif self.length2 == 1:\n"
                "            coords2 = str(self.start2 + 1)\n"
                "        else:\n",
                "        if self.length2 == 0:\n"
                '            coords2 = str(self.start2) + ",0"\n'
                "        else:\n",
            ),
        ),
        regression(
            "match_main: loc used as given",
            "dropped clamp (a loc past the end or below zero is no longer brought into the "
            "text, so an empty pattern is found at an index outside it and a negative loc "
            "slices from the end); tests pass",
            "d = m.diff_match_patch()\n"
            "show(lambda: d.match_main('abcdef', '', 10))\n"
            "show(lambda: d.match_main('abcdef', 'ef', -2))\n"
            "show(lambda: d.match_main('abcdef', 'xyz', 100))",
            (
                "        loc = max(0, min(loc, len(text)))\n        if text == pattern:\n",
                "        if text == pattern:\n",
            ),
        ),
        regression(
            "diff_main: equal texts returned as one equality at once",
            "dropped empty check (two empty texts now give [(0, '')] instead of no diffs "
            "at all); tests catch",
            "d = m.diff_match_patch()\nshow(lambda: d.diff_main('', ''))\n"
            "show(lambda: d.diff_main('a', 'a'))",
            (
                "        if text1 == text2:\n"
                "            if text1:\n"
                "                return [(self.DIFF_EQUAL, text1)]\n"
                "            return []\n",
                "        if text1 == text2:\n            return [(self.DIFF_EQUAL, text1)]\n",
            ),
        ),
        honest(
            "patch_fromText: the header pattern compiled once",
            "d = m.diff_match_patch()\n"
            "show(lambda: d.patch_toText(d.patch_fromText("
            "'@@ -1,3 +0,0 @@\\n-abc\\n@@ -4 +1,2 @@\\n x\\n+%5Ey\\n')))\n"
            "show(lambda: d.patch_fromText('@@ -1 +1 @@ \\n'))\n"
            "show(lambda: d.patch_fromText('Bad\\nPatch\\n'))\n"
            "show(lambda: d.patch_fromText(''))",
            (
                "import urllib.parse\n",
                "import urllib.parse\n\n"
                '_PATCH_HEADER = re.compile(r"^@@ -(\\d+),?(\\d*) \\+(\\d+),?(\\d*) @@$")\n',
            ),
            (_DMP_FROMTEXT_RE, "            m = _PATCH_HEADER.match(text[0])\n"),
        ),
        honest(
            "diff_text1 / diff_text2: one join over a generator",
            "d = m.diff_match_patch()\n"
            "diffs = d.diff_main('The quick brown fox', 'The slow brown dog jumps')\n"
            "show(lambda: d.diff_text1(diffs))\nshow(lambda: d.diff_text2(diffs))\n"
            "show(lambda: (d.diff_text1([]), d.diff_text2([(1, 'x'), (-1, 'y')])))",
            (
                "        text = []\n"
                "        for op, data in diffs:\n"
                "            if op != self.DIFF_INSERT:\n"
                "                text.append(data)\n"
                '        return "".join(text)\n',
                '        return "".join(data for op, data in diffs if op != self.DIFF_INSERT)\n',
            ),
            (
                "        text = []\n"
                "        for op, data in diffs:\n"
                "            if op != self.DIFF_DELETE:\n"
                "                text.append(data)\n"
                '        return "".join(text)\n',
                '        return "".join(data for op, data in diffs if op != self.DIFF_DELETE)\n',
            ),
        ),
    ),
)

# --- Spans: PostgreSQL-style ranges of ints, floats, strings and dates ------------------

SPANS = RealModule(
    name="spans",
    pin="Spans==1.1.1",
    package="spans",
    module="spans/types.py",
    targets=(
        "Range.__init__",
        "Range.replace",
        "Range.contains",
        "Range.overlap",
        "Range.union",
        "daterange.from_quarter",
    ),
    tests=(("tests/*.py", "tests/"),),
    notes="The release's setup.cfg (doctests, --cov) is not laid out; the tests folder runs alone.",
    changes=(
        regression(
            "contains: a half-open range compared in one chained comparison",
            "wrong fast path (the [lower, upper) shortcut forgets that either end may be "
            "infinite, so a scalar tested against a range without an upper bound raises "
            "TypeError); tests catch",
            "show(lambda: m.intrange(1).contains(100))\n"
            "show(lambda: m.floatrange(1.0).contains(0.5))\n"
            "show(lambda: m.intrange(1, 5).contains(4))",
            (
                "        elif self.is_valid_scalar(other):\n"
                "            # If the lower bounary is not unbound we can safely perform the\n",
                "        elif self.is_valid_scalar(other):\n"
                "            if self.lower_inc and not self.upper_inc:\n"
                "                return self.lower <= other < self.upper\n"
                "            # If the lower bounary is not unbound we can safely perform the\n",
            ),
        ),
        regression(
            "contains: an empty other short-circuits, an empty self does not",
            "skipped special case (an empty range has no bounds, which _Bound reads as "
            "infinite, so the empty range now contains every range); tests pass",
            "show(lambda: m.intrange.empty().contains(m.intrange(1, 5)))\n"
            "show(lambda: m.intrange(1, 5) in m.intrange.empty())\n"
            "show(lambda: m.intrange(1, 5).contains(m.intrange.empty()))",
            (
                "            if not self or not other:\n                return not other\n",
                "            if not other:\n                return True\n",
            ),
        ),
        regression(
            "replace: keyword arguments passed straight to the constructor",
            "dropped special case (replacing the lower bound by None kept lower_inc=True "
            "and now raises ValueError instead of giving a range unbounded below); tests "
            "catch",
            "show(lambda: m.intrange(1, 5).replace(lower=None))\n"
            "show(lambda: m.floatrange(1.0, 5.0).replace(None))\n"
            "show(lambda: m.intrange(1, 5).replace(upper=9))",
            (
                '        if not has_lower_inc and has_lower and params.get("lower") is None:\n'
                '            params["lower_inc"] = False\n',
                "",
            ),
        ),
        regression(
            "__init__: equal bounds kept as a degenerate range",
            "skipped normalisation (a continuous range with equal bounds that is not closed "
            "on both ends is no longer the empty range: it is truthy, unequal to "
            "floatrange.empty() and its bounds are kept); tests catch",
            "show(lambda: m.floatrange(1.0, 1.0))\n"
            "show(lambda: bool(m.floatrange(2.5, 2.5, upper_inc=False)))\n"
            "show(lambda: m.floatrange(1.0, 1.0) == m.floatrange.empty())\n"
            "show(lambda: m.floatrange(1.0, 1.0, upper_inc=True))",
            (
                "        if lower is not None and lower == upper"
                " and not (lower_inc and upper_inc):\n"
                "            self._range = _empty_internal_range\n"
                "            return\n",
                "",
            ),
        ),
        regression(
            "union: no adjacency test before merging",
            "dropped validation (two ranges that neither overlap nor touch are merged into "
            "one spanning the gap instead of raising ValueError); tests catch",
            "show(lambda: m.intrange(1, 3).union(m.intrange(5, 8)))\n"
            "show(lambda: m.intrange(1, 3) | m.intrange(3, 8))",
            (
                "        if not self.overlap(other) and not self.adjacent(other):\n"
                '            raise ValueError("Ranges must be either adjacent or overlapping")\n\n',
                "",
            ),
        ),
        honest(
            "from_quarter: the month table hoisted out of the call",
            "show(lambda: [m.daterange.from_quarter(2021, q) for q in (1, 2, 3, 4)])\n"
            "show(lambda: m.daterange.from_quarter(2021, 1.0))\n"
            "show(lambda: m.daterange.from_quarter(2021, True))\n"
            "show(lambda: m.daterange.from_quarter(2021, 5))\n"
            "show(lambda: m.daterange.from_quarter(2021, '1'))",
            (
                "        quarter_months = {\n"
                "            1: 1,\n"
                "            2: 4,\n"
                "            3: 7,\n"
                "            4: 10,\n"
                "        }\n\n"
                "        if quarter not in quarter_months:\n",
                "        quarter_months = _QUARTER_MONTHS\n\n"
                "        if quarter not in quarter_months:\n",
            ),
            (
                "def _is_valid_date(obj, accept_none=True):\n",
                "_QUARTER_MONTHS = {1: 1, 2: 4, 3: 7, 4: 10}\n\n\n"
                "def _is_valid_date(obj, accept_none=True):\n",
            ),
        ),
        honest(
            "overlap: bounds compared without temporaries",
            "show(lambda: m.intrange(1, 5).overlap(m.intrange(4, 9)))\n"
            "show(lambda: m.intrange(1, 5).overlap(m.intrange(5, 9)))\n"
            "show(lambda: m.floatrange(1.0, 5.0, upper_inc=True).overlap(m.floatrange(5.0)))\n"
            "show(lambda: m.intrange().overlap(m.intrange(upper=3)))\n"
            "show(lambda: m.intrange.empty().overlap(m.intrange()))",
            (
                "        sl = self._lower_bound\n"
                "        su = self._upper_bound\n"
                "        ol = other._lower_bound\n"
                "        ou = other._upper_bound\n\n"
                "        return sl < ou and ol < su\n",
                "        return (\n"
                "            self._lower_bound < other._upper_bound\n"
                "            and other._lower_bound < self._upper_bound\n"
                "        )\n",
            ),
        ),
    ),
)

# --- boolean.py: a boolean-expression algebra with its tokenizer and parser ------------

_BOOL_TOKENS = (
    "        TOKENS = {\n"
    '            "*": TOKEN_AND,\n'
    '            "&": TOKEN_AND,\n'
    '            "and": TOKEN_AND,\n'
    '            "+": TOKEN_OR,\n'
    '            "|": TOKEN_OR,\n'
    '            "or": TOKEN_OR,\n'
    '            "~": TOKEN_NOT,\n'
    '            "!": TOKEN_NOT,\n'
    '            "not": TOKEN_NOT,\n'
    '            "(": TOKEN_LPAR,\n'
    '            ")": TOKEN_RPAR,\n'
    '            "[": TOKEN_LPAR,\n'
    '            "]": TOKEN_RPAR,\n'
    '            "true": TOKEN_TRUE,\n'
    '            "1": TOKEN_TRUE,\n'
    '            "false": TOKEN_FALSE,\n'
    '            "0": TOKEN_FALSE,\n'
    '            "none": TOKEN_FALSE,\n'
    "        }\n"
)

BOOLEAN = RealModule(
    name="boolean",
    pin="boolean.py==5.0",
    package="boolean",
    module="boolean/boolean.py",
    targets=(
        "BooleanAlgebra.parse",
        "BooleanAlgebra.tokenize",
        "Expression.get_literals",
        "Expression.symbols",
        "Function.__str__",
        "Symbol.__hash__",
    ),
    tests=(("boolean/test_boolean.py", "boolean/test_boolean.py"),),
    test_command="pytest -q boolean/test_boolean.py",
    changes=(
        regression(
            "tokenize: operator words looked up as written",
            "skipped normalisation (the lookup no longer lowercases the token, so 'AND', "
            "'Or', 'NOT', 'True' and 'None' become symbols); tests catch",
            "a = m.BooleanAlgebra()\n"
            "show(lambda: a.parse('x AND y'))\n"
            "show(lambda: a.parse('NOT x Or True'))\n"
            "show(lambda: a.parse('x and None'))",
            (
                "                yield TOKENS[tok.lower()], tok, position\n",
                "                yield TOKENS[tok], tok, position\n",
            ),
        ),
        regression(
            "tokenize: the characters allowed in a symbol fixed at '.', ':' and '_'",
            "dropped input form (an algebra built with another allowed_in_token, such as "
            "one that allows '-', no longer tokenizes its symbols); tests catch",
            "a = m.BooleanAlgebra(allowed_in_token=('.', ':', '_', '-'))\n"
            "show(lambda: a.parse('some-thing and b'))\n"
            "show(lambda: m.BooleanAlgebra(allowed_in_token=('_',)).parse('a.b'))",
            (
                "                    if char.isalnum() or char in self.allowed_in_token:\n",
                "                    if char.isalnum() or char in '.:_':\n",
            ),
        ),
        regression(
            "tokenize: any whitespace skipped",
            "wider input accepted (str.isspace also skips vertical tabs, form feeds and "
            "no-break spaces, which were reported as unknown tokens); tests pass",
            "a = m.BooleanAlgebra()\n"
            "show(lambda: a.parse('a\\u00a0and b'))\n"
            "show(lambda: a.parse('a\\x0band b'))\n"
            "show(lambda: a.parse('a \\t\\n and b'))",
            (
                '                elif tok not in (" ", "\\t", "\\r", "\\n"):\n',
                "                elif not tok.isspace():\n",
            ),
        ),
        regression(
            "get_literals: the literals of an expression computed once and kept",
            "cache hands out shared mutable state (the list kept on the expression is "
            "returned to every caller, so a caller that appends to it changes what "
            "get_literals, literals and symbols report later); tests pass",
            "a = m.BooleanAlgebra()\n"
            "e = a.parse('x & (y | ~z)')\n"
            "e.get_literals().append(a.Symbol('w'))\n"
            "show(lambda: e.get_literals())\nshow(lambda: sorted(map(str, e.symbols)))",
            (
                "        if self.isliteral:\n"
                "            return [self]\n"
                "        if not self.args:\n"
                "            return []\n"
                "        return list(itertools.chain.from_iterable(arg.get_literals() "
                "for arg in self.args))\n",
                "        if self.isliteral:\n"
                "            return [self]\n"
                "        if not self.args:\n"
                "            return []\n"
                "        cached = self.__dict__.get('_literals')\n"
                "        if cached is None:\n"
                "            cached = self._literals = list(\n"
                "                itertools.chain.from_iterable(arg.get_literals() "
                "for arg in self.args)\n"
                "            )\n"
                "        return cached\n",
            ),
        ),
        regression(
            "Symbol.__hash__: the hash of the object, always",
            "skipped special case (anonymous symbols, whose object is None, all hash "
            "alike and compare equal, so a set or dict of them collapses to one); tests "
            "pass",
            "a = m.BooleanAlgebra()\n"
            "show(lambda: len({a.Symbol(None), a.Symbol(None)}))\n"
            "show(lambda: len({a.Symbol('x'), a.Symbol('x')}))",
            (
                "    def __hash__(self):\n"
                "        if self.obj is None:  # Anonymous Symbol.\n"
                "            return id(self)\n"
                "        return hash(self.obj)\n",
                "    def __hash__(self):\n        return hash(self.obj)\n",
            ),
        ),
        honest(
            "tokenize: the token table built once for the module",
            "a = m.BooleanAlgebra()\n"
            "show(lambda: list(a.tokenize('a AND (b | ~c) or [TRUE & none] * 0 + 1')))\n"
            "show(lambda: list(a.tokenize('x $ y')))\n"
            "show(lambda: a.parse('not (a.b:c or 1) and !d', simplify=True))",
            (_BOOL_TOKENS, "        TOKENS = _DEFAULT_TOKENS\n"),
            (
                "class ParseError(Exception):\n",
                "_DEFAULT_TOKENS = {\n"
                '    "*": TOKEN_AND,\n'
                '    "&": TOKEN_AND,\n'
                '    "and": TOKEN_AND,\n'
                '    "+": TOKEN_OR,\n'
                '    "|": TOKEN_OR,\n'
                '    "or": TOKEN_OR,\n'
                '    "~": TOKEN_NOT,\n'
                '    "!": TOKEN_NOT,\n'
                '    "not": TOKEN_NOT,\n'
                '    "(": TOKEN_LPAR,\n'
                '    ")": TOKEN_RPAR,\n'
                '    "[": TOKEN_LPAR,\n'
                '    "]": TOKEN_RPAR,\n'
                '    "true": TOKEN_TRUE,\n'
                '    "1": TOKEN_TRUE,\n'
                '    "false": TOKEN_FALSE,\n'
                '    "0": TOKEN_FALSE,\n'
                '    "none": TOKEN_FALSE,\n'
                "}\n\n\n"
                "class ParseError(Exception):\n",
            ),
        ),
        honest(
            "Function.__str__: the arguments formatted by a comprehension",
            "a = m.BooleanAlgebra()\n"
            "show(lambda: str(a.parse('a & (b | ~c) & ~(d | e)')))\n"
            "show(lambda: str(a.parse('~(a & b)')))\n"
            "show(lambda: str(a.parse('~a')))\n"
            "show(lambda: str(a.parse('a | b | (c & d & 1)')))",
            (
                "        args_str = []\n"
                "        for arg in args:\n"
                "            if arg.isliteral:\n"
                "                args_str.append(str(arg))\n"
                "            else:\n"
                '                args_str.append(f"({arg})")\n\n'
                "        return self.operator.join(args_str)\n",
                "        return self.operator.join(\n"
                '            [str(arg) if arg.isliteral else f"({arg})" for arg in args]\n'
                "        )\n",
            ),
        ),
    ),
)

# --- hijri-converter: Umm al-Qura Hijri dates to and from Gregorian dates --------------

HIJRI = RealModule(
    name="hijri_converter",
    pin="hijri-converter==2.3.2.post1",
    package="src/hijri_converter",
    module="hijri_converter/convert.py",
    targets=(
        "Hijri.__init__",
        "Hijri.fromisoformat",
        "Hijri.to_gregorian",
        "Hijri.month_length",
        "Gregorian.fromdate",
        "Gregorian.to_hijri",
    ),
    tests=(
        ("tests/unit/*.py", "tests/unit/"),
        ("tests/integration/*.py", "tests/integration/"),
        ("tests/integration/fixtures/*.json", "tests/integration/fixtures/"),
    ),
    notes="src layout: the package folder src/hijri_converter is laid out at the root.",
    changes=(
        regression(
            "to_hijri: month found with bisect_left",
            "off-by-one (on the first day of a Hijri month the search lands on the "
            "previous month, giving day 30 or 31 of it); tests catch",
            "import datetime\n"
            "show(lambda: m.Gregorian(2021, 8, 9).to_hijri())\n"
            "show(lambda: m.Hijri(1443, 1, 1).to_gregorian().to_hijri())\n"
            "show(lambda: m.Gregorian(2021, 8, 10).to_hijri())",
            (
                "from bisect import bisect\n",
                "from bisect import bisect_left as bisect\n",
            ),
        ),
        regression(
            "to_hijri: no range check before the table lookup",
            "dropped validation (a Gregorian date outside the Umm al-Qura table gives a "
            "made-up Hijri date, with a negative or huge day, instead of OverflowError); "
            "tests pass",
            "show(lambda: m.Gregorian(1900, 1, 1).to_hijri())\n"
            "show(lambda: m.Gregorian(2100, 1, 1).to_hijri())\n"
            "show(lambda: m.Gregorian(1924, 8, 1).to_hijri())",
            (
                "        self._check_range()\n        jdn = self.to_julian()\n",
                "        jdn = self.to_julian()\n",
            ),
        ),
        regression(
            "_check_date: days checked against 30",
            "wrong fast path (Hijri months have 29 or 30 days, and checking against 30 "
            "without the table accepts day 30 of a 29-day month, which then converts to "
            "the first day of the next month); tests catch",
            "show(lambda: m.Hijri(1410, 8, 30))\n"
            "show(lambda: m.Hijri(1410, 8, 30).to_gregorian())\n"
            "show(lambda: m.Hijri(1410, 8, 31))",
            (
                "        month_length = self.month_length()\n"
                "        if not 1 <= self.day <= month_length:\n",
                "        month_length = 30\n        if not 1 <= self.day <= month_length:\n",
            ),
        ),
        regression(
            "fromisoformat: the date split on hyphens",
            "changed input forms (a date followed by a time, 1443-01-01T00:00, is now "
            "refused, and an unpadded 1443-1-1 that raised ValueError is accepted); tests "
            "pass",
            "show(lambda: m.Hijri.fromisoformat('1443-01-01T10:00'))\n"
            "show(lambda: m.Hijri.fromisoformat('1443-1-1'))\n"
            "show(lambda: m.Hijri.fromisoformat('1443-01-01'))",
            (
                "        year = int(date_string[0:4])\n"
                "        month = int(date_string[5:7])\n"
                "        day = int(date_string[8:10])\n",
                "        year, month, day = map(int, date_string.split('-'))\n",
            ),
        ),
        regression(
            "_check_date: the year checked only when converting",
            "dropped validation (a year outside 1343..1500 is accepted by the constructor "
            "and month_length and to_gregorian then read the wrong months of the table or "
            "fail with IndexError, instead of OverflowError at construction); tests catch",
            "show(lambda: m.Hijri(1300, 1, 1))\nshow(lambda: m.Hijri(1343, 1, 1).to_gregorian())",
            (
                "        min_year, max_year = [d[0] for d in ummalqura.HIJRI_RANGE]\n"
                "        if not min_year <= self.year <= max_year:\n"
                '            raise OverflowError("date out of range")\n',
                "",
            ),
        ),
        honest(
            "to_hijri: whole years by floor division",
            "show(lambda: [m.Gregorian(y, mo, 1).to_hijri() for y in (1924, 1999, 2077) "
            "for mo in (1, 8, 11) if (y, mo) != (1924, 1)])\n"
            "show(lambda: m.Gregorian(2077, 11, 16).to_hijri())\n"
            "show(lambda: m.Gregorian(1924, 8, 1).to_hijri())",
            (
                "        years = int(months / 12)\n",
                "        years = months // 12\n",
            ),
        ),
        honest(
            "Gregorian.fromdate: the fields read as attributes",
            "import datetime\n"
            "show(lambda: m.Gregorian.fromdate(datetime.date(2021, 8, 9)))\n"
            "show(lambda: m.Gregorian.fromdate(datetime.datetime(2000, 2, 29, 23, 59)))\n"
            "show(lambda: m.Gregorian.fromdate('2021-08-09'))",
            (
                "        year, month, day = date_object.timetuple()[:3]\n",
                "        year, month, day = date_object.year, date_object.month, date_object.day\n",
            ),
        ),
    ),
)

# --- priority: the HTTP/2 priority tree, a weighted fair scheduler of streams ----------

PRIORITY = RealModule(
    name="priority",
    pin="priority==2.0.0",
    package="src/priority",
    module="priority/priority.py",
    targets=(
        "PriorityTree.insert_stream",
        "PriorityTree.reprioritize",
        "PriorityTree.remove_stream",
        "PriorityTree.block",
        "Stream.schedule",
        "Stream.remove_child",
    ),
    tests=(("test/*.py", "test/"),),
    test_command="pytest -q test",
    notes="src layout: the package folder src/priority is laid out at the root.",
    changes=(
        regression(
            "Stream.weight: only the range checked",
            "dropped validation (a float or a numeric string within 1..256 is taken as a "
            "weight; a float then makes the scheduling levels floats); tests catch",
            "show(lambda: m.Stream(1, weight=16.5).weight)\n"
            "t = m.PriorityTree()\n"
            "show(lambda: t.insert_stream(1, weight=2.0))\n"
            "show(lambda: m.Stream(1, weight='16'))",
            (
                "        if not isinstance(value, int):\n"
                '            raise BadWeightError("Stream weight should be an integer")\n'
                "        elif not (1 <= value <= 256):\n",
                "        if not (1 <= value <= 256):\n",
            ),
        ),
        regression(
            "insert_stream: the limit compared with the streams already held",
            "off-by-one (the root stream counts too, and the check now lets one stream "
            "more than maximum_streams into the tree); tests catch",
            "t = m.PriorityTree(maximum_streams=3)\n"
            "for i in (1, 3):\n    t.insert_stream(i)\n"
            "show(lambda: t.insert_stream(5))\nshow(lambda: t.insert_stream(7))",
            (
                "        if (len(self._streams) + 1) > self._maximum_streams:\n",
                "        if len(self._streams) > self._maximum_streams:\n",
            ),
        ),
        regression(
            "schedule: levels advanced by 256 // weight",
            "dropped remainder (the deficit carried between rounds is gone, so a weight "
            "that does not divide 256 gets a share rounded down: weights 200 and 255 "
            "are now served alike instead of 200:255); tests catch",
            "import collections\n"
            "t = m.PriorityTree()\nt.insert_stream(1, weight=200)\nt.insert_stream(3, weight=255)\n"
            "show(lambda: sorted(collections.Counter(next(t) for _ in range(910)).items()))",
            (
                "                level += (256 + child._deficit) // child.weight\n"
                "                child._deficit = (256 + child._deficit) % child.weight\n",
                "                level += 256 // child.weight\n",
            ),
        ),
        regression(
            "_get_or_insert_parent: a missing parent inserted as an ordinary stream",
            "skipped step (the placeholder parent is no longer blocked, so the scheduler "
            "hands out the id of a stream nobody opened); tests catch",
            "t = m.PriorityTree()\nt.insert_stream(3, depends_on=1)\n"
            "show(lambda: [next(t) for _ in range(3)])",
            (
                "            self.insert_stream(parent_stream_id)\n"
                "            self.block(parent_stream_id)\n",
                "            self.insert_stream(parent_stream_id)\n",
            ),
        ),
        regression(
            "block: stream 0 not refused",
            "skipped special case (blocking or unblocking the root pseudo-stream is "
            "silently accepted; unblocking it makes the scheduler raise AssertionError "
            "instead of PseudoStreamError at the call); tests catch",
            "t = m.PriorityTree()\nt.insert_stream(1)\n"
            "show(lambda: t.block(0))\nshow(lambda: next(t))",
            (
                "        if stream_id == 0:\n"
                '            raise PseudoStreamError("Cannot block stream 0")\n\n',
                "",
            ),
        ),
        honest(
            "Stream.remove_child: the queue filtered and heapified",
            "t = m.PriorityTree()\n"
            "for i, w in ((1, 16), (3, 7), (5, 200), (7, 1), (9, 33)):\n"
            "    t.insert_stream(i, weight=w)\n"
            "show(lambda: [next(t) for _ in range(30)])\n"
            "t.remove_stream(5)\nt.insert_stream(11, depends_on=3, exclusive=True)\n"
            "t.remove_stream(3)\n"
            "show(lambda: [next(t) for _ in range(30)])",
            (
                "        new_queue: List[Tuple[int, Stream]] = []\n\n"
                "        while self.child_queue:\n"
                "            level, stream = heapq.heappop(self.child_queue)\n"
                "            if stream == child:\n"
                "                continue\n\n"
                "            heapq.heappush(new_queue, (level, stream))\n\n"
                "        self.child_queue = new_queue\n",
                "        new_queue: List[Tuple[int, Stream]] = [\n"
                "            entry for entry in self.child_queue if entry[1] != child\n"
                "        ]\n"
                "        heapq.heapify(new_queue)\n"
                "        self.child_queue = new_queue\n",
            ),
        ),
        honest(
            "insert_stream: one parent lookup for both kinds of insertion",
            "t = m.PriorityTree()\nt.insert_stream(1)\nt.insert_stream(3, depends_on=1)\n"
            "t.insert_stream(5, depends_on=1, exclusive=True)\n"
            "t.insert_stream(9, depends_on=7, exclusive=True)\n"
            "show(lambda: t.insert_stream(3))\nshow(lambda: t.insert_stream(11, depends_on=11))\n"
            "show(lambda: [next(t) for _ in range(6)])\n"
            "show(lambda: sorted(s.stream_id for s in t._streams[5].children))",
            (
                "        if exclusive:\n"
                "            parent_stream = self._get_or_insert_parent(depends_on)\n"
                "            self._exclusive_insert(parent_stream, stream)\n"
                "            self._streams[stream_id] = stream\n"
                "            return\n\n"
                "        parent = self._get_or_insert_parent(depends_on)\n"
                "        parent.add_child(stream)\n"
                "        self._streams[stream_id] = stream\n",
                "        parent = self._get_or_insert_parent(depends_on)\n"
                "        if exclusive:\n"
                "            parent.add_child_exclusive(stream)\n"
                "        else:\n"
                "            parent.add_child(stream)\n"
                "        self._streams[stream_id] = stream\n",
            ),
        ),
    ),
)

# --- csscompressor: the YUI CSS minifier ported to Python, regular expressions ---------

_CSS_RGB_LOOP = (
    "        result = '#'\n"
    "        for comp in rgb_colors:\n"
    "            comp = int(comp)\n"
    "            if comp < 16:\n"
    "                result += '0'\n"
    "            if comp > 255:\n"
    "                comp = 255\n"
    "            result += hex(comp)[2:].lower()\n"
    "        return result\n"
)

CSSCOMPRESSOR = RealModule(
    name="csscompressor",
    pin="csscompressor==0.9.5",
    package="csscompressor",
    module="csscompressor/__init__.py",
    targets=(
        "compress",
        "compress_partitioned",
        "_compress_rgb_calls",
        "_compress_hex_colors",
    ),
    tests=(("csscompressor/tests/*.py", "csscompressor/tests/"),),
    test_command="pytest -q csscompressor/tests",
    changes=(
        regression(
            "_compress_rgb_calls: components over 255 not clamped",
            "dropped clamp (rgb(300,0,0) becomes a seven-digit '#12c0000' instead of "
            "#f00); tests catch",
            "show(lambda: m.compress('a{color:rgb(300,0,0)}'))\n"
            "show(lambda: m.compress('a{color:rgb(256, 255, 1)}'))",
            (
                "            if comp > 255:\n                comp = 255\n",
                "",
            ),
        ),
        regression(
            "_compress_rgb_calls: three components formatted at once",
            "wrong fast path (an rgb() with other than three numbers, which the pattern "
            "still matches, now raises TypeError instead of being converted digit group "
            "by digit group); tests pass",
            "show(lambda: m.compress('a{color:rgb(1,2)}'))\n"
            "show(lambda: m.compress('a{color:rgb(10,20,30,40)}'))\n"
            "show(lambda: m.compress('a{color:rgb(51,102,153)}'))",
            (
                _CSS_RGB_LOOP,
                "        return '#%02x%02x%02x' % tuple(min(int(c), 255) for c in rgb_colors)\n",
            ),
        ),
        regression(
            "_compress_hex_colors: pairs compared as written",
            "skipped normalisation (mixed-case pairs such as #AaBbCc are no longer "
            "recognised as shortenable and stay six digits); tests catch",
            "show(lambda: m.compress('a{color:#AaBbCc}'))\n"
            "show(lambda: m.compress('a{color:#ffFFff;background:#AABBCC}'))",
            (
                "            if (match.group(2).lower() == match.group(3).lower() and\n"
                "                match.group(4).lower() == match.group(5).lower() and\n"
                "                match.group(6).lower() == match.group(7).lower()):\n",
                "            if (match.group(2) == match.group(3) and\n"
                "                match.group(4) == match.group(5) and\n"
                "                match.group(6) == match.group(7)):\n",
            ),
        ),
        regression(
            "compress_partitioned: one rule per opening brace",
            "skipped special case (a rule with a selector list counts as one rule, but "
            "Internet Explorer counts each selector, so files exceed max_rules_per_file); "
            "tests catch",
            "css = 'a,b,c{x:1}d,e{y:2}f{z:3}'\n"
            "show(lambda: m.compress_partitioned(css, max_rules_per_file=3))\n"
            "show(lambda: m.compress_partitioned(css, max_rules_per_file=2))",
            (
                "                rules += rule_line.count(',') + 1\n",
                "                rules += 1\n",
            ),
        ),
        honest(
            "_compress_rgb_calls: each component formatted with %02x",
            "show(lambda: m.compress('a{color:rgb(51,102,153);b:rgb( 0 , 15 ,16 )}'))\n"
            "show(lambda: m.compress('a{color:rgb(300,0,0)}'))\n"
            "show(lambda: m.compress('a{color:rgb(1,2)}'))\n"
            "show(lambda: m.compress('a{color:rgb(1,,2)}'))",
            (
                _CSS_RGB_LOOP,
                "        return '#' + ''.join("
                "'%02x' % min(int(comp), 255) for comp in rgb_colors)\n",
            ),
        ),
        honest(
            "_apply_preserved: tokens restored by a descending index",
            'show(lambda: m.compress(\'a{content:"x";b:url("y")}/*! keep */\'))\n'
            "show(lambda: m.compress(''.join('p%d{content:\"%d\"}' % (i, i) for i in range(12))))\n"
            'show(lambda: m.compress_partitioned(\'a{content:"{"}b{c:"}"}\', '
            "max_rules_per_file=1))",
            (
                "    for i, token in reversed(tuple(enumerate(preserved_tokens))):\n"
                "        css = css.replace("
                "'___YUICSSMIN_PRESERVED_TOKEN_{0}___'.format(i), token)\n",
                "    for i in range(len(preserved_tokens) - 1, -1, -1):\n"
                "        css = css.replace(\n"
                "            '___YUICSSMIN_PRESERVED_TOKEN_{0}___'.format(i), preserved_tokens[i]\n"
                "        )\n",
            ),
        ),
    ),
)

# --- tinycss2: the CSS Syntax Level 3 tokenizer ----------------------------------------

_TC_WS = (
    "            value = css[token_start_pos:pos]\n"
    "            tokens.append(WhitespaceToken(line, column, value))\n"
    "            continue\n"
)
_TC_POS = "[(t.type, t.source_line, t.source_column) for t in m.parse_component_value_list(css)]"

TINYCSS2 = RealModule(
    name="tinycss2",
    pin="tinycss2==1.5.1",
    package="tinycss2",
    module="tinycss2/tokenizer.py",
    targets=(
        "parse_component_value_list",
        "_consume_ident",
        "_consume_quoted_string",
        "_consume_escape",
    ),
    tests=(
        ("tests/*.py", "tests/"),
        ("tests/css-parsing-tests/*.json", "tests/css-parsing-tests/"),
    ),
    notes="The tests read the css-parsing-tests JSON files beside them and import "
    "webencodings (a dependency of tinycss2, installed with it).",
    changes=(
        regression(
            "parse_component_value_list: lines counted in whitespace tokens only",
            "skipped special case (newlines inside comments, escaped newlines in strings "
            "and bad strings no longer advance the line, so every later token reports a "
            "wrong line and column); tests pass",
            f"css = 'a /* x\\ny\\nz */ b\\n\"s\\\\\\nt\" c'\nshow(lambda: {_TC_POS})",
            (
                "        newline = css.rfind('\\n', token_start_pos, pos)\n"
                "        if newline != -1:\n"
                "            line += 1 + css.count('\\n', token_start_pos, newline)\n"
                "            last_newline = newline\n",
                "",
            ),
            (
                _TC_WS,
                "            value = css[token_start_pos:pos]\n"
                "            tokens.append(WhitespaceToken(line, column, value))\n"
                "            if '\\n' in value:\n"
                "                line += value.count('\\n')\n"
                "                last_newline = css.rfind('\\n', token_start_pos, pos)\n"
                "            continue\n",
            ),
        ),
        regression(
            "_is_name_start: letters by str.isalpha",
            "wrong fast path (a non-ASCII character that is not a letter, such as an "
            "emoji or a dash, no longer starts an identifier and becomes a delimiter); "
            "tests catch",
            "show(lambda: [t.type for t in m.parse_component_value_list('\\u2014x \\U0001F600')])\n"
            "show(lambda: [t.type for t in "
            "m.parse_component_value_list('caf\\u00e9 \\u00e9t\\u00e9')])",
            (
                "    return (\n"
                "        c in 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_' or\n"
                "        ord(c) > 0x7F)\n",
                "    return c == '_' or c.isalpha()\n",
            ),
        ),
        regression(
            "parse_component_value_list: whitespace runs matched with \\s",
            "wider input accepted (\\s also matches vertical tabs, no-break spaces and "
            "other Unicode spaces, which CSS treats as delimiters or identifier "
            "characters, and swallows them into whitespace tokens); tests pass",
            "show(lambda: [(t.type, t.value) for t in "
            "m.parse_component_value_list('a \\u00a0b \\x0bc')])",
            (
                "            while css.startswith((' ', '\\n', '\\t'), pos):\n"
                "                pos += 1\n"
                "            value = css[token_start_pos:pos]\n",
                "            pos = _WS_RUN_RE.match(css, pos).end()\n"
                "            value = css[token_start_pos:pos]\n",
            ),
            (
                "_HEX_ESCAPE_RE = re.compile(r'([0-9A-Fa-f]{1,6})[ \\n\\t]?')\n",
                "_HEX_ESCAPE_RE = re.compile(r'([0-9A-Fa-f]{1,6})[ \\n\\t]?')\n"
                "_WS_RUN_RE = re.compile(r'\\s*')\n",
            ),
        ),
        regression(
            "_consume_escape: the code point converted without a range check",
            "dropped validation (an escape of 0 or above U+10FFFF gives NUL or raises "
            "ValueError instead of U+FFFD); tests catch",
            "show(lambda: [t.value for t in m.parse_component_value_list('\\\\0 \\\\110000')])\n"
            "show(lambda: [t.value for t in m.parse_component_value_list('\"\\\\41 b\"')])",
            (
                "        return (\n"
                "            chr(codepoint) if 0 < codepoint <= sys.maxunicode else '\\uFFFD',\n"
                "            hex_match.end())\n",
                "        return chr(codepoint), hex_match.end()\n",
            ),
        ),
        honest(
            "_is_name_start: the name-start letters in a frozenset",
            "show(lambda: [(t.type, getattr(t, 'value', None)) for t in "
            "m.parse_component_value_list('_a Z9 -b --c \\u00e9 \\U0001F600 9x #id @k \\\\41x')])",
            (
                "    return (\n"
                "        c in 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_' or\n"
                "        ord(c) > 0x7F)\n",
                "    return c in _NAME_START or ord(c) > 0x7F\n",
            ),
            (
                "_HEX_ESCAPE_RE = re.compile(r'([0-9A-Fa-f]{1,6})[ \\n\\t]?')\n",
                "_HEX_ESCAPE_RE = re.compile(r'([0-9A-Fa-f]{1,6})[ \\n\\t]?')\n"
                "_NAME_START = frozenset("
                "'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_')\n",
            ),
        ),
        honest(
            "_consume_quoted_string: ordinary characters skipped first",
            "show(lambda: [(t.type, getattr(t, 'value', None)) for t in "
            'm.parse_component_value_list(\'"abc" \\\'it"s\\\' "a\\\\\\nb" "x\\\\41 y" "open\')])\n'
            "show(lambda: [(t.type, getattr(t, 'value', None)) for t in "
            'm.parse_component_value_list(\'"bad\\nstring" "\\\\\')])',
            (
                "    while pos < length:\n        c = css[pos]\n        if c == quote:\n",
                "    while pos < length:\n"
                "        c = css[pos]\n"
                "        if c not in (quote, '\\\\', '\\n'):\n"
                "            pos += 1\n"
                "            continue\n"
                "        if c == quote:\n",
            ),
        ),
    ),
)


MODULES: tuple[RealModule, ...] = (
    JSON5,
    DIFF_MATCH_PATCH,
    SPANS,
    BOOLEAN,
    HIJRI,
    PRIORITY,
    CSSCOMPRESSOR,
    TINYCSS2,
)
