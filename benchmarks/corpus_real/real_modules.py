"""The real-library corpus: modules of pinned PyPI releases, and changes to them.

Nothing here was written for pytest-autoimprove: each entry names a release
(``name==version``) that ``benchmarks/guard_strength.py --corpus real`` downloads as
an sdist, the module of it that an optimizing agent would be pointed at, the functions
improve.md would name, and changes written as exact text replacements of the pinned
source: regressions of the kinds agents make while chasing speed, and honest
rewrites that keep behaviour. A snippet that no longer matches the pinned source stops
the benchmark before anything is measured.

Every change carries a ``witness``: a few statements, run with the module bound to
``m`` and a ``show(callable)`` helper that prints the outcome (value and type, or the
exception type). ``guard_strength.py --corpus real --check`` runs each witness on the
baseline and on the changed module: a regression must print something else, an honest
rewrite the same. The witness is the distinguishing input, written down once and
checked, not a hint given to any generator.

Keep this folder away from the generators' own tests: it is the yardstick they are
measured by, so no case here may be copied into ``tests/``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One change of a module: ``edits`` are (old, new) exact replacements, each once."""

    name: str
    risk: str
    edits: tuple[tuple[str, str], ...]
    witness: str
    honest: bool = False


@dataclass(frozen=True)
class RealModule:
    """A module of a pinned release and the changes measured on it.

    :param name: short name (``--only``).
    :param pin: ``dist==version`` as ``pip download`` takes it.
    :param package: path in the unpacked sdist copied to the project root (a package
        folder or a single-module file), so the module imports as in the library.
    :param module: the module in scope, relative to the project root.
    :param targets: qualified names in ``module`` that improve.md names.
    :param tests: the library's own tests as (glob in the sdist, destination in the
        project); a destination ending in ``/`` is a folder. Destinations are removed
        from the project in the tests-removed mode.
    :param test_command: improve.md's ``test:`` when the tests are present.
    """

    name: str
    pin: str
    package: str
    module: str
    targets: tuple[str, ...]
    changes: tuple[Change, ...]
    tests: tuple[tuple[str, str], ...] = ()
    test_command: str = "pytest -q tests"
    notes: str = ""

    @property
    def regressions(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if not c.honest)

    @property
    def honest(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.honest)


def regression(name: str, risk: str, witness: str, *edits: tuple[str, str]) -> Change:
    return Change(name, risk, tuple(edits), witness)


def honest(name: str, witness: str, *edits: tuple[str, str]) -> Change:
    return Change(name, "", tuple(edits), witness, honest=True)


# --- pytimeparse: a time-expression parser; untyped, doctests, regexes ----------------

_TP_SIGN = (
    "    match = COMPILED_SIGN.match(sval)\n"
    "    sign = -1 if match.groupdict()['sign'] == '-' else 1\n"
    "    sval = match.groupdict()['unsigned']\n"
)
_TP_INT_SUM = (
    "                return sign * sum([MULTIPLIERS[k] * int(v, 10) for (k, v) in\n"
    "                            list(mdict.items()) if v is not None])\n"
)

PYTIMEPARSE = RealModule(
    name="pytimeparse",
    pin="pytimeparse==1.1.8",
    package="pytimeparse",
    module="pytimeparse/timeparse.py",
    targets=("timeparse",),
    tests=(("pytimeparse/tests/*.py", "pytimeparse/tests/"),),
    test_command="pytest -q pytimeparse/tests/testtimeparse.py",
    changes=(
        regression(
            "timeparse: plain digits fast path",
            "wrong-fast-path",
            # baseline: None (a bare number has no unit); changed: 12
            "show(lambda: m.timeparse('12'))",
            (
                "    match = COMPILED_SIGN.match(sval)\n",
                "    if sval.isdigit():\n        return int(sval)\n"
                "    match = COMPILED_SIGN.match(sval)\n",
            ),
        ),
        regression(
            "timeparse: case-sensitive units",
            "dropped-normalisation",
            # baseline: 60; changed: None
            "show(lambda: m.timeparse('1 Minute'))",
            (
                "COMPILED_TIMEFORMATS = [re.compile(r'\\s*' + timefmt + r'\\s*$', re.I)\n",
                "COMPILED_TIMEFORMATS = [re.compile(r'\\s*' + timefmt + r'\\s*$')\n",
            ),
        ),
        regression(
            "timeparse: no whitespace around the expression",
            "dropped-normalisation",
            # trailing blank: baseline 84; changed: None
            "show(lambda: m.timeparse('1:24 '))",
            (
                "COMPILED_TIMEFORMATS = [re.compile(r'\\s*' + timefmt + r'\\s*$', re.I)\n",
                "COMPILED_TIMEFORMATS = [re.compile(timefmt + r'$', re.I)\n",
            ),
        ),
        regression(
            "timeparse: sign from the first character",
            "wrong-fast-path",
            # leading blank: baseline -60; changed: None
            "show(lambda: m.timeparse(' -1m'))",
            (_TP_SIGN, "    sign = -1 if sval[:1] == '-' else 1\n    sval = sval.lstrip('+-')\n"),
        ),
        regression(
            "timeparse: float sum for whole seconds",
            "changed-type",
            # baseline: 84 (int); changed: 84.0 (float, equal by ==)
            "show(lambda: m.timeparse('1:24'))",
            (_TP_INT_SUM, _TP_INT_SUM.replace("int(v, 10)", "float(v)")),
        ),
        regression(
            "timeparse: minutes granularity ignores fractions",
            "dropped-check",
            # two odd values together: baseline 90.5; changed: KeyError
            "show(lambda: m.timeparse('1:30.5', granularity='minutes'))",
            (
                "    if (    sval.count(':') == 1 \n        and '.' not in sval\n",
                "    if (    sval.count(':') == 1 \n",
            ),
        ),
        honest(
            "timeparse: one groupdict call",
            "for s in ['1:24', ' -1m', '- 1 minute', 'a\\nb', '']:\n"
            "    show(lambda: m.timeparse(s))",
            (
                _TP_SIGN,
                "    parts = COMPILED_SIGN.match(sval).groupdict()\n"
                "    sign = -1 if parts['sign'] == '-' else 1\n"
                "    sval = parts['unsigned']\n",
            ),
        ),
        honest(
            "timeparse: generator sum",
            "for s in ['1:24', '1w 2d 3h 4m 5s', '- 10 secs']:\n    show(lambda: m.timeparse(s))",
            (
                _TP_INT_SUM,
                "                return sign * sum(MULTIPLIERS[k] * int(v, 10) for (k, v) in\n"
                "                            mdict.items() if v is not None)\n",
            ),
        ),
    ),
)


# --- parse: the reverse of str.format; untyped, a Parser class ------------------------

_PARSE_BODY = (
    "    p = Parser(format, extra_types=extra_types, case_sensitive=case_sensitive)\n"
    "    return p.parse(string, evaluate_result=evaluate_result)\n"
)

PARSE = RealModule(
    name="parse",
    pin="parse==1.20.2",
    package="parse.py",
    module="parse.py",
    targets=("parse", "search", "Parser.parse", "Parser.search"),
    tests=(("tests/*.py", "tests/"),),
    changes=(
        regression(
            "parse: parser cache keyed on the format only",
            "stale-cache",
            # second call: baseline None (case-sensitive); changed: a Result
            "show(lambda: m.parse('A{}', 'a1'))\n"
            "show(lambda: m.parse('A{}', 'a1', case_sensitive=True))",
            (
                "def parse(format, string, extra_types=None, evaluate_result=True, "
                "case_sensitive=False):\n",
                "_PARSER_CACHE = {}\n\n\n"
                "def parse(format, string, extra_types=None, evaluate_result=True, "
                "case_sensitive=False):\n",
            ),
            (
                _PARSE_BODY,
                "    p = _PARSER_CACHE.get(format)\n"
                "    if p is None:\n"
                "        p = _PARSER_CACHE[format] = Parser(\n"
                "            format, extra_types=extra_types, case_sensitive=case_sensitive\n"
                "        )\n"
                "    return p.parse(string, evaluate_result=evaluate_result)\n",
            ),
        ),
        regression(
            "int_convert: isdigit fast path",
            "wrong-fast-path",
            # non-ASCII digits: baseline ValueError; changed: (3,)
            "show(lambda: m.parse('{:d}', '\\u0663').fixed)",
            (
                "        base = self.base\n        # If base wasn't specified, detect it",
                "        if self.base in (None, 10) and string.isdigit():\n"
                "            return int(string)\n\n"
                "        base = self.base\n        # If base wasn't specified, detect it",
            ),
        ),
        regression(
            "Parser: case-insensitive matching dropped",
            "dropped-normalisation",
            # baseline: ('x',); changed: None has no .fixed (AttributeError)
            "show(lambda: m.parse('Hello {}', 'hello x').fixed)",
            (
                "        if case_sensitive:\n            self._re_flags = re.DOTALL\n"
                "        else:\n            self._re_flags = re.IGNORECASE | re.DOTALL\n",
                "        self._re_flags = re.DOTALL\n",
            ),
        ),
        regression(
            "Parser.search: endpos off by one",
            "off-by-one",
            # baseline: (42,); changed: (4,)
            "show(lambda: m.search('age: {:d}', 'age: 42').fixed)",
            (
                "            endpos = len(string)\n        m = self._search_re.search(",
                "            endpos = len(string) - 1\n        m = self._search_re.search(",
            ),
        ),
        regression(
            "percentage: multiply by 0.01",
            "changed-float",
            # baseline: 0.57; changed: 0.5700000000000001
            "show(lambda: m.parse('{:%}', '57%').fixed)",
            ("    return float(string[:-1]) / 100.0\n", "    return float(string[:-1]) * 0.01\n"),
        ),
        honest(
            "Parser: no nesting pass without brackets",
            "show(lambda: m.parse('{a} {b[c]}', '1 2').named)\n"
            "show(lambda: m.parse('{a} {b}', '1 2').named)\n"
            "show(lambda: m.search('{x:d}', 'n=5').named)",
            (
                "    def _expand_named_fields(self, named_fields):\n        result = {}\n",
                "    def _expand_named_fields(self, named_fields):\n"
                '        if not any("[" in field for field in named_fields):\n'
                "            return dict(named_fields)\n"
                "        result = {}\n",
            ),
        ),
        honest(
            "int_convert: precompiled digit filters",
            "for f, s in [('{:d}', '-12'), ('{:x}', '0xff'), ('{:b}', '101'), ('{:n}', '1,234'),"
            " ('{:o}', '0o17'), ('{:d}', '\\u0663')]:\n"
            "    show(lambda: m.parse(f, s).fixed)",
            (
                "class convert_first:\n",
                "_NON_DIGITS = {\n"
                '    base: re.compile("[^%s]" % int_convert.CHARS[:base])\n'
                "    for base in range(2, 37)\n"
                "}\n\n\nclass convert_first:\n",
            ),
            (
                '        string = re.sub("[^%s]" % chars, "", string.lower())\n',
                "        pattern = _NON_DIGITS.get(base)\n"
                "        if pattern is None:  # a base of the caller's own: as before\n"
                '            pattern = re.compile("[^%s]" % chars)\n'
                '        string = pattern.sub("", string.lower())\n',
            ),
        ),
    ),
)


# --- semver: a version class; typed, doctests -----------------------------------------

_SV_NUMERIC = (
    '        a_parts = [int(x) if re.match(r"^\\d+$", x) else x for x in a_parts]\n'
    '        b_parts = [int(x) if re.match(r"^\\d+$", x) else x for x in b_parts]\n'
)

SEMVER = RealModule(
    name="semver",
    pin="semver==3.0.2",
    package="src/semver",
    module="semver/version.py",
    targets=("Version.parse", "Version.compare", "Version.match"),
    tests=(("tests/*.py", "tests/"),),
    changes=(
        regression(
            "Version.parse: bytes no longer decoded",
            "removed-input-form",
            # baseline: Version(1, 2, 3); changed: TypeError
            "show(lambda: str(m.Version.parse(b'1.2.3')))",
            (
                "        if isinstance(version, bytes):\n"
                '            version = version.decode("UTF-8")\n'
                "        elif not isinstance(version, String.__args__):  # type: ignore\n",
                "        if not isinstance(version, String.__args__):  # type: ignore\n",
            ),
        ),
        regression(
            "Version.parse: split fast path",
            "wrong-fast-path",
            # leading zero: baseline ValueError; changed: '1.2.3'
            "show(lambda: str(m.Version.parse('01.2.3')))",
            (
                "        if optional_minor_and_patch:\n"
                "            match = cls._REGEX_OPTIONAL_MINOR_AND_PATCH.match(version)\n",
                '        parts = version.split(".")\n'
                "        if len(parts) == 3 and all(p.isdigit() for p in parts):\n"
                "            return cls(*map(int, parts))\n"
                "        if optional_minor_and_patch:\n"
                "            match = cls._REGEX_OPTIONAL_MINOR_AND_PATCH.match(version)\n",
            ),
        ),
        regression(
            "Version.compare: prerelease parts compared as text",
            "dropped-normalisation",
            # baseline: 1; changed: -1
            "show(lambda: m.Version.parse('1.0.0-rc.10').compare('1.0.0-rc.9'))",
            (_SV_NUMERIC, ""),
        ),
        regression(
            "Version.compare: patch left out of the slice",
            "off-by-one",
            # baseline: -1; changed: 0
            "show(lambda: m.Version.parse('1.2.3').compare('1.2.4'))",
            (
                "        v1 = self.to_tuple()[:3]\n        v2 = other.to_tuple()[:3]\n",
                "        v1 = self.to_tuple()[:2]\n        v2 = other.to_tuple()[:2]\n",
            ),
        ),
        regression(
            "Version.match: bare version form removed",
            "removed-input-form",
            # the docstring's example: baseline True; changed: ValueError
            "show(lambda: m.Version.parse('4.0.4').match('4.0.4'))",
            (
                '        elif match_expr and match_expr[0] in "0123456789":\n'
                '            prefix = "=="\n'
                "            match_version = match_expr\n",
                "",
            ),
        ),
        honest(
            "Version.compare: cached parse of string operands",
            "v = m.Version.parse('1.2.3-rc.1')\n"
            "for o in ['1.2.3', '1.2.3-rc.1', b'1.2.3', '1.2.3-rc.1', '0.9.0', 'x']:\n"
            "    show(lambda: v.compare(o))",
            ("from functools import wraps\n", "from functools import lru_cache, wraps\n"),
            (
                "    return (a > b) - (a < b)\n",
                "    return (a > b) - (a < b)\n\n\n"
                "@lru_cache(maxsize=1024)\n"
                "def _parse_cached(cls, version):\n"
                "    return cls.parse(version)\n",
            ),
            (
                "        if isinstance(other, String.__args__):  # type: ignore\n"
                "            other = cls.parse(other)\n",
                "        if isinstance(other, String.__args__):  # type: ignore\n"
                "            other = _parse_cached(cls, other)\n",
            ),
        ),
        honest(
            "Version._nat_cmp: precompiled numeric regex",
            "for a, b in [('1.0.0-rc.10', '1.0.0-rc.9'), ('1.0.0-a.1', '1.0.0-a'),"
            " ('1.0.0-1', '1.0.0-x')]:\n"
            "    show(lambda: m.Version.parse(a).compare(b))",
            (
                'T = TypeVar("T", bound="Version")\n',
                'T = TypeVar("T", bound="Version")\n_NUMERIC = re.compile(r"^\\d+$")\n',
            ),
            (_SV_NUMERIC, _SV_NUMERIC.replace('re.match(r"^\\d+$", x)', "_NUMERIC.match(x)")),
        ),
    ),
)


# --- tomli: a TOML parser; typed, `from __future__ import annotations` -----------------

_TL_COMMENT = (
    '    if char == "#":\n'
    "        return skip_until(\n"
    '            src, pos + 1, "\\n", error_on=ILLEGAL_COMMENT_CHARS, error_on_eof=False\n'
    "        )\n"
)
_TL_INF = (
    '    if first_three in {"inf", "nan"}:\n        return pos + 3, parse_float(first_three)\n'
)

TOMLI = RealModule(
    name="tomli",
    pin="tomli==2.0.1",
    package="src/tomli",
    module="tomli/_parser.py",
    targets=("loads",),
    notes="the sdist ships no tests",
    changes=(
        regression(
            "loads: CRLF no longer normalised",
            "dropped-normalisation",
            # baseline: {'a': 1}; changed: TOMLDecodeError
            "show(lambda: m.loads('a = 1\\r\\n'))",
            ('    src = __s.replace("\\r\\n", "\\n")\n', "    src = __s\n"),
        ),
        regression(
            "skip_comment: find the newline, skip the check",
            "wrong-fast-path",
            # control character in a comment: baseline TOMLDecodeError; changed: {'a': 1}
            "show(lambda: m.loads('a = 1 # x\\x01y'))",
            (
                _TL_COMMENT,
                '    if char == "#":\n'
                '        end = src.find("\\n", pos + 1)\n'
                "        return len(src) if end == -1 else end\n",
            ),
        ),
        regression(
            "loads: memo returns the same dict",
            "shared-mutable-result",
            # baseline: {'a': [1]}; changed: {'a': [1, 2]}
            "d = m.loads('a = [1]')\nd['a'].append(2)\nshow(lambda: m.loads('a = [1]'))",
            (
                '    """Parse TOML from a string."""\n\n',
                '    """Parse TOML from a string."""\n'
                "    if parse_float is float and __s in _LOADS_CACHE:\n"
                "        return _LOADS_CACHE[__s]\n\n",
            ),
            (
                "    return out.data.dict\n\n\nclass Flags:",
                "    if parse_float is float:\n"
                "        _LOADS_CACHE[__s] = out.data.dict\n"
                "    return out.data.dict\n\n\n"
                "_LOADS_CACHE: dict[str, dict[str, Any]] = {}\n\n\nclass Flags:",
            ),
        ),
        regression(
            "is_unicode_scalar_value: surrogates accepted",
            "dropped-check",
            # baseline: TOMLDecodeError; changed: {'a': '\ud800'}
            "show(lambda: m.loads('a = \"\\\\ud800\"'))",
            (
                "    return (0 <= codepoint <= 55295) or (57344 <= codepoint <= 1114111)\n",
                "    return 0 <= codepoint <= 1114111\n",
            ),
        ),
        regression(
            "parse_value: inf and nan through float()",
            "float-for-decimal",
            # baseline: Decimal('Infinity'); changed: inf (float)
            "import decimal\nshow(lambda: m.loads('a = inf', parse_float=decimal.Decimal))",
            (_TL_INF, _TL_INF.replace("parse_float(first_three)", "float(first_three)")),
        ),
        honest(
            "skip_comment: find the newline, check the slice",
            "for s in ['a = 1 # x\\x01y', 'a = 1 # ok\\nb = 2', '# only', 'a = 1 #\\tt']:\n"
            "    show(lambda: m.loads(s))",
            (
                _TL_COMMENT,
                '    if char == "#":\n'
                '        end = src.find("\\n", pos + 1)\n'
                "        if end == -1:\n"
                "            end = len(src)\n"
                "        if ILLEGAL_COMMENT_CHARS.isdisjoint(src[pos + 1 : end]):\n"
                "            return end\n"
                "        return skip_until(\n"
                '            src, pos + 1, "\\n", error_on=ILLEGAL_COMMENT_CHARS, '
                "error_on_eof=False\n"
                "        )\n",
            ),
        ),
        honest(
            "parse_value: special floats as constants",
            "import decimal\n"
            "for s in ['a = inf', 'a = -nan', 'a = +inf', 'a = nan']:\n"
            "    show(lambda: str(m.loads(s, parse_float=decimal.Decimal)))",
            (
                "HEXDIGIT_CHARS = frozenset(string.hexdigits)\n",
                "HEXDIGIT_CHARS = frozenset(string.hexdigits)\n"
                '_INF_NAN = frozenset({"inf", "nan"})\n'
                '_SIGNED_INF_NAN = frozenset({"-inf", "+inf", "-nan", "+nan"})\n',
            ),
            ('    if first_three in {"inf", "nan"}:\n', "    if first_three in _INF_NAN:\n"),
            (
                '    if first_four in {"-inf", "+inf", "-nan", "+nan"}:\n',
                "    if first_four in _SIGNED_INF_NAN:\n",
            ),
        ),
    ),
)


# --- jsonpointer: RFC 6901 pointers; untyped, a JsonPointer class, doctests ------------

JSONPOINTER = RealModule(
    name="jsonpointer",
    pin="jsonpointer==3.0.0",
    package="jsonpointer.py",
    module="jsonpointer.py",
    targets=("resolve_pointer", "set_pointer", "JsonPointer.resolve"),
    tests=(("tests.py", "tests/test_jsonpointer.py"),),
    changes=(
        regression(
            "unescape: replacements swapped",
            "dropped-normalisation",
            # RFC 6901's own trap: baseline 1; changed: JsonPointerException
            "show(lambda: m.resolve_pointer({'~1': 1}, '/~01'))",
            (
                "    return s.replace('~1', '/').replace('~0', '~')",
                "    return s.replace('~0', '~').replace('~1', '/')",
            ),
        ),
        regression(
            "get_part: index validation dropped",
            "dropped-check",
            # negative index: baseline JsonPointerException; changed: 2
            "show(lambda: m.resolve_pointer([1, 2], '/-1'))",
            (
                "            if not JsonPointer._RE_ARRAY_INDEX.match(str(part)):\n"
                "                raise JsonPointerException(\"'%s' is not a valid sequence index\""
                " % part)\n\n",
                "",
            ),
        ),
        regression(
            "walk: IndexError no longer translated",
            "narrowed-except",
            # baseline: None (the default); changed: IndexError
            "show(lambda: m.resolve_pointer([1], '/5', None))",
            (
                "            try:\n                return doc[part]\n\n"
                "            except IndexError:\n"
                "                raise JsonPointerException(\"index '%s' is out of bounds\""
                " % (part,))\n",
                "            return doc[part]\n",
            ),
        ),
        regression(
            "set: shallow copy when not in place",
            "argument-mutation",
            # the caller's document: baseline unchanged; changed: {'a': {'b': 2}}
            "d = {'a': {'b': 1}}\nm.set_pointer(d, '/a/b', 2, inplace=False)\nshow(lambda: d)",
            ("            doc = copy.deepcopy(doc)\n", "            doc = copy.copy(doc)\n"),
        ),
        regression(
            "JsonPointer: leading slash no longer required",
            "dropped-check",
            # baseline: JsonPointerException; changed: {'a': 1}
            "show(lambda: m.resolve_pointer({'a': 1}, 'a'))",
            (
                "        parts = pointer.split('/')\n        if parts.pop(0) != '':\n"
                "            raise JsonPointerException('Location must start with /')\n",
                "        parts = pointer.split('/')[1:]\n",
            ),
        ),
        honest(
            "resolve_pointer: parsed pointers cached",
            "doc = {'a': [1, {'b': 2}], '~1': 3}\n"
            "for p in ['/a/1/b', '/a/1/b', '/~01', '', '/x', 'bad', '/a/-']:\n"
            "    show(lambda: m.resolve_pointer(doc, p, 'default'))",
            (
                "    pointer = JsonPointer(pointer)\n    return pointer.resolve(doc, default)\n",
                "    parsed = _POINTERS.get(pointer)\n"
                "    if parsed is None:\n"
                "        parsed = _POINTERS[pointer] = JsonPointer(pointer)\n"
                "    return parsed.resolve(doc, default)\n\n\n"
                "_POINTERS = {}\n",
            ),
        ),
        honest(
            "unescape: nothing to do without a tilde",
            "for p in ['/a~1b', '/~0', '/plain', '/~01']:\n"
            "    show(lambda: m.JsonPointer(p).parts)",
            ("def unescape(s):\n", "def unescape(s):\n    if '~' not in s:\n        return s\n"),
        ),
    ),
)


# --- hashids: short ids from integers; untyped, a Hashids class, doctests -------------

HASHIDS = RealModule(
    name="hashids",
    pin="hashids==1.3.1",
    package="hashids.py",
    module="hashids.py",
    targets=("Hashids.encode", "Hashids.decode", "Hashids.encode_hex"),
    tests=(("test/*.py", "test/"),),
    test_command="pytest -q test",
    changes=(
        regression(
            "decode: None and non-strings no longer refused",
            "dropped-none-check",
            # baseline: (); changed: TypeError
            "show(lambda: m.Hashids().decode(None))",
            ("        if not hashid or not _is_str(hashid):\n            return ()\n", ""),
        ),
        regression(
            "decode: re-encoding check skipped",
            "dropped-check",
            # not a hashid of this alphabet: baseline (); changed: (764,)
            "show(lambda: m.Hashids().decode('xyz'))",
            (
                "            return numbers if hashid == self.encode(*numbers) else ()\n",
                "            return numbers\n",
            ),
        ),
        regression(
            "_ensure_length: second guard off by one",
            "off-by-one",
            # baseline: 'ejR'; changed: 'ejRe'
            "show(lambda: m.Hashids(min_length=3).encode(1))",
            (
                "    if len(encoded) < min_length:\n        guard_index",
                "    if len(encoded) <= min_length:\n        guard_index",
            ),
        ),
        regression(
            "encode_hex: leading-zero guard digit dropped",
            "dropped-normalisation",
            # baseline and changed give different ids ('0f' loses its leading zero)
            "show(lambda: m.Hashids().encode_hex('0f'))",
            (
                "        numbers = (int('1' + hex_str[i:i+12], 16)",
                "        numbers = (int(hex_str[i:i+12], 16)",
            ),
        ),
        regression(
            "__init__: alphabet deduplicated through a set",
            "reordered-output",
            # baseline: 'o2fXhV'; changed: depends on the hash seed
            "show(lambda: m.Hashids().encode(1, 2, 3))",
            (
                "        alphabet = ''.join(x for i, x in enumerate(alphabet)\n"
                "                           if alphabet.index(x) == i and x not in separators)\n",
                "        alphabet = ''.join(x for x in set(alphabet) if x not in separators)\n",
            ),
        ),
        honest(
            "__init__: alphabet deduplicated with dict.fromkeys",
            "show(lambda: m.Hashids().encode(1, 2, 3))\n"
            "show(lambda: m.Hashids('s', 8, 'abcdefghijklmnopqrstuvwxyzabc').encode(7, 0))",
            (
                "        alphabet = ''.join(x for i, x in enumerate(alphabet)\n"
                "                           if alphabet.index(x) == i and x not in separators)\n",
                "        alphabet = ''.join(x for x in dict.fromkeys(alphabet) "
                "if x not in separators)\n",
            ),
        ),
        honest(
            "_hash: divmod",
            "h = m.Hashids('salt', 10)\n"
            "for v in [(0,), (1, 2, 3), (10**20,), (5, 0, 99)]:\n"
            "    show(lambda: h.encode(*v))",
            (
                "        hashed = alphabet[number % len_alphabet] + hashed\n"
                "        number //= len_alphabet\n",
                "        number, remainder = divmod(number, len_alphabet)\n"
                "        hashed = alphabet[remainder] + hashed\n",
            ),
        ),
    ),
)


# --- wcwidth: terminal cell widths; untyped, table lookups ----------------------------

_WC_CONTROL = "    if ucs and ucs < 32 or 0x07F <= ucs < 0x0A0:\n"

WCWIDTH = RealModule(
    name="wcwidth",
    pin="wcwidth==0.2.13",
    package="wcwidth",
    module="wcwidth/wcwidth.py",
    targets=("wcwidth", "wcswidth"),
    tests=(("tests/*.py", "tests/"), ("tests/*.txt", "tests/")),
    changes=(
        regression(
            "wcwidth: ASCII fast path takes control characters",
            "wrong-fast-path",
            # baseline: -1; changed: 1
            "show(lambda: m.wcwidth('\\x01'))",
            (
                "    if 32 <= ucs < 0x7f:\n        return 1\n",
                "    if ucs < 0x7f:\n        return 1\n",
            ),
        ),
        regression(
            "wcwidth: DEL left out of the control range",
            "off-by-one",
            # baseline: -1; changed: 1
            "show(lambda: m.wcwidth('\\x7f'))",
            (_WC_CONTROL, _WC_CONTROL.replace("0x07F <= ucs", "0x080 <= ucs")),
        ),
        regression(
            "wcswidth: zero width joiner skips one character",
            "off-by-one",
            # baseline: 1; changed: 2
            "show(lambda: m.wcswidth('a\\u200db'))",
            (
                "            # Zero Width Joiner, do not measure this or next character\n"
                "            idx += 2\n",
                "            # Zero Width Joiner, do not measure this or next character\n"
                "            idx += 1\n",
            ),
        ),
        regression(
            "wcswidth: control characters counted as zero",
            "dropped-check",
            # baseline: -1; changed: 2
            "show(lambda: m.wcswidth('a\\x01b'))",
            (
                "        if wcw < 0:\n"
                "            # early return -1 on C0 and C1 control characters\n"
                "            return wcw\n",
                "        if wcw < 0:\n            wcw = 0\n",
            ),
        ),
        regression(
            "wcwidth: empty string no longer width 0",
            "dropped-none-check",
            # baseline: 0; changed: TypeError
            "show(lambda: m.wcwidth(''))",
            ("    ucs = ord(wc) if wc else 0\n", "    ucs = ord(wc)\n"),
        ),
        honest(
            "wcswidth: printable ASCII fast path",
            "for s in ['hello', '', 'a\\x01', '\\u4e2d\\u6587', 'caf\\u00e9', 'a\\u200db']:\n"
            "    show(lambda: m.wcswidth(s))\n"
            "show(lambda: m.wcswidth('abc', 2))",
            (
                "    # this 'n' argument is a holdover for POSIX function\n",
                "    # this 'n' argument is a holdover for POSIX function\n"
                "    if n is None and isinstance(pwcs, str) and pwcs.isascii() "
                "and pwcs.isprintable():\n"
                "        return len(pwcs)\n",
            ),
        ),
        honest(
            "wcwidth: control range as chained comparisons",
            "for c in ['\\x00', '\\x01', '\\x1f', ' ', '\\x7f', '\\x9f', '\\xa0', '\\u4e2d']:\n"
            "    show(lambda: m.wcwidth(c))",
            (_WC_CONTROL, "    if 0 < ucs < 32 or 0x7F <= ucs < 0xA0:\n"),
        ),
    ),
)


# --- isodate: ISO 8601 durations; untyped, Decimal years and months -------------------

_ID_GROUPS = (
    "    groups = match.groupdict()\n"
    "    for key, val in groups.items():\n"
    '        if key not in ("separator", "sign"):\n'
    "            if val is None:\n"
    '                groups[key] = "0n"\n'
    "            # print groups[key]\n"
    '            if key in ("years", "months"):\n'
    '                groups[key] = Decimal(groups[key][:-1].replace(",", "."))\n'
    "            else:\n"
    "                # these values are passed into a timedelta object,\n"
    "                # which works with floats.\n"
    '                groups[key] = float(groups[key][:-1].replace(",", "."))\n'
)
_ID_ALTERNATIVE = (
    "        # try alternative format:\n"
    '        if datestring.startswith("P"):\n'
    "            durdt = parse_datetime(datestring[1:])\n"
    "            if as_timedelta_if_possible and durdt.year == 0 and durdt.month == 0:\n"
    "                # FIXME: currently not possible in alternative format\n"
    "                # create timedelta\n"
    "                ret = timedelta(\n"
    "                    days=durdt.day,\n"
    "                    seconds=durdt.second,\n"
    "                    microseconds=durdt.microsecond,\n"
    "                    minutes=durdt.minute,\n"
    "                    hours=durdt.hour,\n"
    "                )\n"
    "            else:\n"
    "                # create Duration\n"
    "                ret = Duration(\n"
    "                    days=durdt.day,\n"
    "                    seconds=durdt.second,\n"
    "                    microseconds=durdt.microsecond,\n"
    "                    minutes=durdt.minute,\n"
    "                    hours=durdt.hour,\n"
    "                    months=durdt.month,\n"
    "                    years=durdt.year,\n"
    "                )\n"
    "            return ret\n"
)

ISODATE = RealModule(
    name="isodate",
    pin="isodate==0.7.2",
    package="src/isodate",
    module="isodate/isoduration.py",
    targets=("parse_duration", "duration_isoformat"),
    tests=(("tests/*.py", "tests/"),),
    notes="147 lines: the library's Decimal-based duration parser",
    changes=(
        regression(
            "parse_duration: float years",
            "float-for-decimal",
            # Duration() turns floats back into Decimal through str(): 20 digits are
            # kept by the baseline, 17 by the change
            "show(lambda: m.parse_duration('P0.12345678901234567890Y').years)",
            (
                '                groups[key] = Decimal(groups[key][:-1].replace(",", "."))\n',
                '                groups[key] = float(groups[key][:-1].replace(",", "."))\n',
            ),
        ),
        regression(
            "parse_duration: comma decimals",
            "dropped-normalisation",
            # baseline: 0:00:01.500000; changed: ValueError
            "show(lambda: m.parse_duration('PT1,5S'))",
            (
                '                groups[key] = float(groups[key][:-1].replace(",", "."))\n',
                "                groups[key] = float(groups[key][:-1])\n",
            ),
        ),
        regression(
            "parse_duration: sign of a timedelta dropped",
            "dropped-sign",
            # baseline: -1 day; changed: 1 day
            "show(lambda: m.parse_duration('-P1D'))",
            ('        if groups["sign"] == "-":\n            ret = timedelta(0) - ret\n', ""),
        ),
        regression(
            "parse_duration: alternative format removed",
            "removed-input-form",
            # baseline: a Duration of 3 years...; changed: ISO8601Error
            "show(lambda: str(m.parse_duration('P0003-02-01T04:05:06')))",
            (_ID_ALTERNATIVE, ""),
        ),
        regression(
            "parse_duration: timedelta decided from the text",
            "wrong-fast-path",
            # 'M' is also minutes: baseline timedelta; changed Duration
            "show(lambda: m.parse_duration('PT5M'))",
            (
                '    if as_timedelta_if_possible and groups["years"] == 0 '
                'and groups["months"] == 0:\n',
                '    if as_timedelta_if_possible and "Y" not in datestring '
                'and "M" not in datestring:\n',
            ),
        ),
        honest(
            "duration_isoformat: zero timedelta hoisted",
            "for s in ['P1Y2M3DT4H5M6S', '-P1D', 'PT0S', '-P2M']:\n"
            "    show(lambda: m.duration_isoformat(m.parse_duration(s)))",
            (
                "# regular expression to parse ISO duration strings.\n",
                "# regular expression to parse ISO duration strings.\n_ZERO = timedelta(0)\n",
            ),
            (
                "            or tduration.tdelta < timedelta(0)\n",
                "            or tduration.tdelta < _ZERO\n",
            ),
            (
                "(isinstance(tduration, timedelta) and (tduration < timedelta(0)))",
                "(isinstance(tduration, timedelta) and (tduration < _ZERO))",
            ),
        ),
        honest(
            "parse_duration: groups by dict comprehension",
            "for s in ['P1.5Y2,5M', 'PT1,5S', '-P1W', 'P1Y', 'PT36H', 'P0003-02-01T04:05:06']:\n"
            "    show(lambda: m.parse_duration(s))",
            (
                _ID_GROUPS,
                "    groups = {\n"
                '        key: val if key in ("separator", "sign")\n'
                '        else (Decimal if key in ("years", "months") else float)(\n'
                '            (val or "0n")[:-1].replace(",", ".")\n'
                "        )\n"
                "        for key, val in match.groupdict().items()\n"
                "    }\n",
            ),
        ),
    ),
)


# --- webcolors: color conversions; typed, doctests ------------------------------------

_WB_SPECIALS = '        specials.get(d, f"{d / 255.0 * 100:.02f}%")\n'
_WB_SPECIALS_DICT = (
    "    specials = {\n"
    '        255: "100%",\n        128: "50%",\n        64: "25%",\n        32: "12.5%",\n'
    '        16: "6.25%",\n        0: "0%",\n'
    "    }\n"
)

WEBCOLORS = RealModule(
    name="webcolors",
    pin="webcolors==24.11.1",
    package="src/webcolors",
    module="webcolors/_conversion.py",
    targets=("hex_to_rgb", "rgb_to_hex", "name_to_hex", "rgb_to_rgb_percent"),
    tests=(("tests/test_*.py", "tests/"),),
    changes=(
        regression(
            "name_to_hex: names no longer lower-cased",
            "dropped-normalisation",
            # baseline: '#ffffff'; changed: ValueError
            "show(lambda: m.name_to_hex('White'))",
            (
                "    if hex_value := color_map.get(name.lower()):\n",
                "    if hex_value := color_map.get(name):\n",
            ),
        ),
        regression(
            "hex_to_rgb: seven-character fast path",
            "wrong-fast-path",
            # no '#': baseline ValueError; changed: IntegerRGB(0, 255, 0)
            "show(lambda: m.hex_to_rgb('x00ff00'))",
            (
                "    int_value = int(normalize_hex(hex_value)[1:], 16)\n",
                "    if len(hex_value) == 7:\n"
                "        int_value = int(hex_value[1:], 16)\n"
                "    else:\n"
                "        int_value = int(normalize_hex(hex_value)[1:], 16)\n",
            ),
        ),
        regression(
            "rgb_to_rgb_percent: special cases dropped",
            "dropped-special-case",
            # baseline: '100%'; changed: '100.00%'
            "show(lambda: m.rgb_to_rgb_percent((255, 0, 128)))",
            (_WB_SPECIALS, '        f"{d / 255.0 * 100:.02f}%"\n'),
        ),
        regression(
            "rgb_to_hex: components no longer clamped",
            "dropped-normalisation",
            # out of range and negative: baseline '#ff0000'; changed '#1000-1'
            "show(lambda: m.rgb_to_hex((256, 0, -1)))",
            (
                "    red, green, blue = normalize_integer_triplet(rgb_triplet)\n",
                "    red, green, blue = rgb_triplet\n",
            ),
        ),
        regression(
            "rgb_to_rgb_percent: round() instead of a format",
            "changed-formatting",
            # baseline: '20.00%'; changed: '20.0%'
            "show(lambda: m.rgb_to_rgb_percent((51, 0, 0)))",
            (_WB_SPECIALS, '        specials.get(d, f"{round(d / 255.0 * 100, 2)}%")\n'),
        ),
        honest(
            "rgb_to_rgb_percent: specials hoisted",
            "for t in [(255, 128, 0), (51, 1, 300), (218, 165, 32), (-5, 16, 64)]:\n"
            "    show(lambda: m.rgb_to_rgb_percent(t))",
            (_WB_SPECIALS_DICT, ""),
            (_WB_SPECIALS, _WB_SPECIALS.replace("specials.get", "_SPECIALS.get")),
            (
                "# Conversions from percentage rgb() triplets to other formats.\n",
                "_SPECIALS = {\n"
                '    255: "100%",\n    128: "50%",\n    64: "25%",\n    32: "12.5%",\n'
                '    16: "6.25%",\n    0: "0%",\n}\n\n\n'
                "# Conversions from percentage rgb() triplets to other formats.\n",
            ),
        ),
        honest(
            "hex_to_rgb: bytes.fromhex",
            "for h in ['#fff', '#000080', '#DAA520', 'x00ff00', '#12345', 'fff']:\n"
            "    show(lambda: m.hex_to_rgb(h))",
            (
                "    int_value = int(normalize_hex(hex_value)[1:], 16)\n"
                "    return IntegerRGB(int_value >> 16, int_value >> 8 & 0xFF, int_value & 0xFF)\n",
                "    return IntegerRGB(*bytes.fromhex(normalize_hex(hex_value)[1:]))\n",
            ),
        ),
    ),
)


MODULES: tuple[RealModule, ...] = (
    PYTIMEPARSE,
    PARSE,
    SEMVER,
    TOMLI,
    JSONPOINTER,
    HASHIDS,
    WCWIDTH,
    ISODATE,
    WEBCOLORS,
)
