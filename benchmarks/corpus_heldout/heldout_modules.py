"""The held-out corpus: modules of pinned PyPI releases the generators were not tuned on.

Same format and same machinery as ``corpus_real/real_modules.py`` (its dataclasses are
imported, not copied): each entry pins a release that ``guard_strength.py --corpus
heldout`` downloads as an sdist, names the module an optimizing agent would be pointed
at, the functions improve.md would name, and changes written as exact text
replacements of the pinned source.

Why a second corpus: the real corpus has been looked at while the generators were
being improved, so its kill rate drifts towards an upper bound. This one was written
in one sitting by a helper that did not read the generators, their tests or their
documentation, nor the real corpus's changes (only its data format). Keep it that way:
do not tune a generator against these modules; once it has been used to tune, it is no
longer held out.

Regressions are the kinds of mistake an agent makes while chasing speed (a dropped
check, a dropped normalisation, a narrowed ``except``, an off-by-one bound, a fast path
wrong for an edge value, a cache that ignores a parameter or hands out a shared
mutable, an argument mutated in place, a removed input form, a dropped sign); honest
rewrites keep behaviour. Each change carries a ``witness`` (see ``real_modules.py``):
``--check`` runs it on the baseline and on the change.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "corpus_real"))

from real_modules import Change, RealModule, honest, regression  # noqa: E402

__all__ = ["MODULES", "Change", "RealModule"]


# --- roman: Roman numerals both ways; untyped, one small module, a regex ---------------

ROMAN = RealModule(
    name="roman",
    pin="roman==4.2",
    package="src/roman.py",
    module="roman.py",
    targets=("toRoman", "fromRoman"),
    tests=(("src/tests.py", "tests.py"),),
    test_command="pytest -q tests.py",
    changes=(
        regression(
            "toRoman: upper bound off by one",
            "off-by-one",
            # baseline: OutOfRangeError; changed: 'MMMMM'
            "show(lambda: m.toRoman(5000))",
            (
                "    if not (-1 < n < 5000):\n",
                "    if not (-1 < n <= 5000):\n",
            ),
        ),
        regression(
            "toRoman: no integer check",
            "dropped-check",
            # baseline: NotIntegerError; changed: 'I' (the fraction is lost)
            "show(lambda: m.toRoman(1.5))",
            (
                "    if not isinstance(n, int):\n"
                '        raise NotIntegerError("decimals can not be converted")\n',
                "",
            ),
        ),
        regression(
            "fromRoman: blank input reaches the regex",
            "dropped-check",
            # the pattern matches '': baseline InvalidRomanNumeralError; changed 0
            "show(lambda: m.fromRoman(''))",
            (
                "    if not s:\n        raise InvalidRomanNumeralError('Input can not be blank')\n",
                "",
            ),
        ),
        regression(
            "fromRoman: no validation, the loop consumes the numeral anyway",
            "dropped-check",
            # baseline: InvalidRomanNumeralError; changed: 4 for 'IIII', 0 for 'x'
            "show(lambda: m.fromRoman('IIII'))\nshow(lambda: m.fromRoman('x'))",
            (
                "    if not romanNumeralPattern.search(s):\n"
                "        raise InvalidRomanNumeralError('Invalid Roman numeral: %s' % s)\n",
                "",
            ),
        ),
        regression(
            "fromRoman: one-letter fast path by dict",
            "wrong-fast-path",
            # lowercase: baseline InvalidRomanNumeralError; changed KeyError
            "show(lambda: m.fromRoman('i'))\nshow(lambda: m.fromRoman('V'))",
            (
                "    # special case\n    if s == 'N':\n        return 0\n",
                "    # special case\n    if s == 'N':\n        return 0\n"
                "    if len(s) == 1:\n        return dict(romanNumeralMap)[s]\n",
            ),
        ),
        honest(
            "toRoman: divmod per numeral",
            "for n in [0, 1, 4, 9, 14, 40, 90, 400, 1994, 3999, 4999, -1, 5000, 2.0, True]:\n"
            "    show(lambda: m.toRoman(n))",
            (
                "        while n >= integer:\n            result += numeral\n"
                "            n -= integer\n",
                "        count, n = divmod(n, integer)\n        result += numeral * count\n",
            ),
        ),
        honest(
            "fromRoman: startswith instead of slicing",
            "for s in ['N', 'I', 'IV', 'MCMXCIV', 'MMMMCMXCIX', 'IIII', '', 'i', 'VX']:\n"
            "    show(lambda: m.fromRoman(s))",
            (
                "        while s[index:index + len(numeral)] == numeral:\n",
                "        while s.startswith(numeral, index):\n",
            ),
        ),
    ),
)


# --- python-dotenv: the .env parser; regexes over a reader, NamedTuples, typed ----------

_DE_PRELUDE = "import io\ndef parse(s):\n    return list(m.parse_stream(io.StringIO(s)))\n"
_DE_CHECK = _DE_PRELUDE + (
    'text = (\'# comment\\nA=1\\nexport B = two words # note\\nC="x\\\\ny\\\\"z"\\n\'\n'
    "        \"D='p\\\\'q\\\\\\\\n'\\r\\nE=\\nF\\n 'G' = g#h\\n\\n\"\n"
    '        "H=\'unclosed\\rI=\\"\\\\t\\"\\n")\n'
    "for b in parse(text):\n"
    "    show(lambda: b)\n"
    "show(lambda: parse(''))\n"
    "show(lambda: parse('=x\\n\\n\\n'))\n"
)

DOTENV = RealModule(
    name="dotenv",
    pin="python-dotenv==1.0.1",
    package="src/dotenv",
    module="dotenv/parser.py",
    targets=("parse_stream", "parse_binding", "parse_value"),
    # tests/conftest.py needs click (the CLI's tests); the parser's own file does not
    tests=(("tests/test_parser.py", "tests/test_parser.py"),),
    test_command="pytest -q tests/test_parser.py",
    changes=(
        regression(
            "parse_unquoted_value: inline comment cut at the first '#'",
            "wrong-fast-path",
            # a '#' inside a value: baseline 'b#c'; changed 'b'
            _DE_PRELUDE + "show(lambda: parse('a=b#c')[0].value)",
            (
                '    return re.sub(r"\\s+#.*", "", part).rstrip()\n',
                '    return part.split("#", 1)[0].rstrip()\n',
            ),
        ),
        regression(
            "parse_value: one escape table for both quotes",
            "wrong-fast-path",
            # single quotes: baseline keeps '\\n' literally; changed a newline
            _DE_PRELUDE + "show(lambda: parse(\"a='x\\\\ny'\")[0].value)",
            (
                "        return decode_escapes(_single_quote_escapes, value)\n",
                "        return decode_escapes(_double_quote_escapes, value)\n",
            ),
        ),
        regression(
            "Position.advance: lines counted by '\\n' only",
            "wrong-fast-path",
            # old Mac line ends: baseline lines 1, 2; changed 1, 1
            _DE_PRELUDE + "show(lambda: [b.original.line for b in parse('a=1\\rb=2')])",
            (
                "        self.line += len(re.findall(_newline, string))\n",
                '        self.line += string.count("\\n")\n',
            ),
        ),
        regression(
            "parse_key: no comment check",
            "dropped-check",
            # a comment line: baseline error=False; changed error=True
            _DE_PRELUDE + "show(lambda: parse('# hello\\nA=1'))",
            (
                '    if char == "#":\n        return None\n    elif char == "\'":\n',
                '    if char == "\'":\n',
            ),
        ),
        regression(
            "parse_binding: no 'export' prefix",
            "removed-input-form",
            # baseline: key 'A', value '1'; changed: an error binding
            _DE_PRELUDE + "show(lambda: parse('export A=1'))",
            ("        reader.read_regex(_export)\n", ""),
        ),
        honest(
            "parse_value: no escape decoding without a backslash",
            _DE_CHECK,
            (
                "        return decode_escapes(_double_quote_escapes, value)\n",
                '        if "\\\\" not in value:\n'
                "            return value\n"
                "        return decode_escapes(_double_quote_escapes, value)\n",
            ),
        ),
        honest(
            "Reader: the length of the input computed once",
            _DE_CHECK,
            (
                "        self.string = stream.read()\n",
                "        self.string = stream.read()\n        self.length = len(self.string)\n",
            ),
            (
                "        return self.position.chars < len(self.string)\n",
                "        return self.position.chars < self.length\n",
            ),
        ),
    ),
)


# --- sortedcontainers: a sorted list of sublists; a data structure, fast paths ---------

_SC_CHECK = (
    "import random\n"
    "random.seed(7)\n"
    "sl = m.SortedList(random.randrange(500) for _ in range(3000))\n"
    "for v in [random.randrange(-50, 600) for _ in range(2500)] + [599, 599, -50]:\n"
    "    sl.add(v)\n"
    "sl._check()\n"
    "show(lambda: (len(sl), sl[0], sl[-1], sl[1000], sl[2999], sl[-1234], sl[5:9]))\n"
    "show(lambda: (sl.bisect_left(599), sl.bisect_right(-50), sl.count(7)))\n"
    "show(lambda: list(sl) == sorted(sl) == sl[:])\n"
    "show(lambda: m.SortedList()[:])\n"
    "show(lambda: m.SortedList([2.0, 1])[:])\n"
)

SORTEDCONTAINERS = RealModule(
    name="sortedcontainers",
    pin="sortedcontainers==2.4.0",
    package="sortedcontainers",
    module="sortedcontainers/sortedlist.py",
    targets=("SortedList.add", "SortedList.update", "SortedList.__getitem__", "SortedList.irange"),
    notes="the sdist ships no tests",
    changes=(
        regression(
            "__getitem__: first-sublist fast path one too far",
            "off-by-one",
            # 3000 values: sublists of 1000; baseline 1000; changed IndexError
            "sl = m.SortedList(range(3000))\nshow(lambda: sl[1000])",
            (
                "            if 0 <= index < len(_lists[0]):\n",
                "            if 0 <= index <= len(_lists[0]):\n",
            ),
        ),
        regression(
            "__getitem__: whole slice without a fresh list",
            "shared-mutable",
            # sl[:] is the first sublist itself: appending to it changes sl
            "sl = m.SortedList([3, 1, 2])\nr = sl[:]\nr.append(0)\nshow(lambda: list(sl))",
            (
                "                    return reduce(iadd, self._lists, [])\n",
                "                    return reduce(iadd, self._lists)\n",
            ),
        ),
        regression(
            "irange: falsy maximum taken as no maximum",
            "dropped-check",
            # baseline: [-1, 0]; changed: [-1, 0, 1, 2]
            "sl = m.SortedList([-2, -1, 0, 1, 2])\nshow(lambda: list(sl.irange(-1, 0)))",
            ("        if maximum is None:\n", "        if not maximum:\n"),
        ),
        regression(
            "update: sorts a list argument in place instead of copying",
            "mutated-argument",
            # baseline: a stays [3, 1, 2]; changed: [1, 2, 3]
            "a = [3, 1, 2]\nm.SortedList(a)\nshow(lambda: a)",
            (
                "        values = sorted(iterable)\n",
                "        if type(iterable) is list:\n"
                "            iterable.sort()\n"
                "            values = iterable\n"
                "        else:\n"
                "            values = sorted(iterable)\n",
            ),
        ),
        regression(
            "bisect_left: past-the-end fast path includes the maximum",
            "wrong-fast-path",
            # baseline: 2; changed: 3
            "show(lambda: m.SortedList([1, 2, 3]).bisect_left(3))",
            (
                "        pos = bisect_left(_maxes, value)\n\n"
                "        if pos == len(_maxes):\n"
                "            return self._len\n",
                "        if value >= _maxes[-1]:\n"
                "            return self._len\n\n"
                "        pos = bisect_left(_maxes, value)\n\n"
                "        if pos == len(_maxes):\n"
                "            return self._len\n",
            ),
        ),
        honest(
            "add: append fast path past the last maximum",
            _SC_CHECK,
            (
                "        if _maxes:\n"
                "            pos = bisect_right(_maxes, value)\n\n"
                "            if pos == len(_maxes):\n"
                "                pos -= 1\n"
                "                _lists[pos].append(value)\n"
                "                _maxes[pos] = value\n"
                "            else:\n"
                "                insort(_lists[pos], value)\n",
                "        if _maxes:\n"
                "            if not value < _maxes[-1]:\n"
                "                pos = len(_maxes) - 1\n"
                "                _lists[pos].append(value)\n"
                "                _maxes[pos] = value\n"
                "            else:\n"
                "                pos = bisect_right(_maxes, value)\n"
                "                insort(_lists[pos], value)\n",
            ),
        ),
        honest(
            "__getitem__: whole slice by a comprehension",
            _SC_CHECK,
            (
                "                    return reduce(iadd, self._lists, [])\n",
                "                    return [value for sublist in self._lists"
                " for value in sublist]\n",
            ),
        ),
    ),
)


# --- cachetools: cache classes and a memoizing decorator; class-based API ---------------

_CT_LRU_GET = (
    "    def __getitem__(self, key, cache_getitem=Cache.__getitem__):\n"
    "        value = cache_getitem(self, key)\n"
    "        if key in self:  # __missing__ may not store item\n"
    "            self.__update(key)\n"
    "        return value\n"
)
_CT_LRU_HEAD = (
    "class LRUCache(Cache):\n"
    '    """Least Recently Used (LRU) cache implementation."""\n\n'
    "    def __init__(self, maxsize, getsizeof=None):\n"
    "        Cache.__init__(self, maxsize, getsizeof)\n"
    "        self.__order = collections.OrderedDict()\n\n"
)
_CT_CHECK = (
    "c = m.LRUCache(3)\n"
    "for k in 'abcadbeaf':\n"
    "    c[k] = c.get(k, 0) + 1\n"
    "show(lambda: list(c.items()))\n"
    "show(lambda: c['zz'])\n"
    "show(lambda: (c.pop('a'), c.pop('a', None), c.currsize))\n"
    "s = m.Cache(5, getsizeof=len)\n"
    "s['x'] = 'abc'\n"
    "s['x'] = 'ab'\n"
    "show(lambda: (s['x'], s.currsize, s.get('y')))\n"
    "show(lambda: s.__setitem__('y', 'toolong'))\n"
    "class D(m.Cache):\n"
    "    def __missing__(self, key):\n"
    "        return key * 2\n"
    "show(lambda: (D(2)['q'], len(D(2))))\n"
    "show(lambda: c[[1]])\n"
)

CACHETOOLS = RealModule(
    name="cachetools",
    pin="cachetools==5.5.0",
    package="src/cachetools",
    module="cachetools/__init__.py",
    targets=("Cache.__setitem__", "LRUCache.__getitem__", "TTLCache.__getitem__", "cached"),
    tests=(("tests/*.py", "tests/"),),
    test_command="pytest -q tests",
    changes=(
        regression(
            "Cache.__setitem__: evicts even when an update does not grow",
            "dropped-check",
            # overwriting b in a full cache: baseline keeps a; changed evicts it
            "c = m.LRUCache(2)\nc['a'] = 1\nc['b'] = 2\nc['b'] = 3\n"
            "show(lambda: sorted(c.items()))",
            (
                "        if key not in self.__data or self.__size[key] < size:\n"
                "            while self.__currsize + size > maxsize:\n"
                "                self.popitem()\n",
                "        while self.__currsize + size > maxsize:\n            self.popitem()\n",
            ),
        ),
        regression(
            "LRUCache.__getitem__: reads do not refresh recency",
            "wrong-fast-path",
            # a read a last: baseline evicts b; changed evicts a
            "c = m.LRUCache(2)\nc['a'] = 1\nc['b'] = 2\nc['a']\nc['c'] = 3\n"
            "show(lambda: sorted(c))",
            (
                _CT_LRU_HEAD + _CT_LRU_GET,
                _CT_LRU_HEAD + "    def __getitem__(self, key, cache_getitem=Cache.__getitem__):\n"
                "        return cache_getitem(self, key)\n",
            ),
        ),
        regression(
            "cached: a value too large to cache now raises",
            "narrowed-except",
            # baseline: 'ab' (just not cached); changed: ValueError
            "f = m.cached(m.Cache(1, getsizeof=len))(lambda s: s)\nshow(lambda: f('ab'))",
            (
                "                        pass  # key not found\n"
                "                    v = func(*args, **kwargs)\n"
                "                    try:\n"
                "                        cache[k] = v\n"
                "                    except ValueError:\n"
                "                        pass  # value too large\n",
                "                        pass  # key not found\n"
                "                    v = func(*args, **kwargs)\n"
                "                    cache[k] = v\n",
            ),
        ),
        regression(
            "TTLCache.__contains__: alive at the expiry instant",
            "off-by-one",
            # baseline: False; changed: True
            "now = [0]\nc = m.TTLCache(2, ttl=10, timer=lambda: now[0])\nc['a'] = 1\n"
            "now[0] = 10\nshow(lambda: 'a' in c)",
            (
                "            return self.timer() < link.expires\n",
                "            return self.timer() <= link.expires\n",
            ),
        ),
        regression(
            "Cache.get: one dict lookup",
            "wrong-fast-path",
            # an expired TTL item: baseline None; changed the stale 1
            "now = [0]\nc = m.TTLCache(2, ttl=10, timer=lambda: now[0])\nc['a'] = 1\n"
            "now[0] = 20\nshow(lambda: c.get('a'))",
            (
                "    def get(self, key, default=None):\n"
                "        if key in self:\n"
                "            return self[key]\n"
                "        else:\n"
                "            return default\n",
                "    def get(self, key, default=None):\n"
                "        return self.__data.get(key, default)\n",
            ),
        ),
        honest(
            "Cache.__getitem__: membership test instead of try/except",
            _CT_CHECK,
            (
                "        try:\n"
                "            return self.__data[key]\n"
                "        except KeyError:\n"
                "            return self.__missing__(key)\n",
                "        data = self.__data\n"
                "        if key in data:\n"
                "            return data[key]\n"
                "        return self.__missing__(key)\n",
            ),
        ),
        honest(
            "LRUCache.__update: membership test instead of try/except",
            _CT_CHECK,
            (
                "    def __update(self, key):\n"
                "        try:\n"
                "            self.__order.move_to_end(key)\n"
                "        except KeyError:\n"
                "            self.__order[key] = None\n",
                "    def __update(self, key):\n"
                "        order = self.__order\n"
                "        if key in order:\n"
                "            order.move_to_end(key)\n"
                "        else:\n"
                "            order[key] = None\n",
            ),
        ),
    ),
)


# --- dacite: dictionaries to dataclasses; typing-driven, recursive ----------------------

_DC_PRELUDE = (
    "from dataclasses import dataclass, field\n"
    "from typing import Dict, List, Optional, Set, Tuple, Union\n"
)
_DC_CHECK = _DC_PRELUDE + (
    "@dataclass\n"
    "class In:\n"
    "    x: int\n"
    "    tags: Set[str] = field(default_factory=set)\n"
    "@dataclass\n"
    "class Out:\n"
    "    name: str\n"
    "    inner: In\n"
    "    items: List[In]\n"
    "    pair: Tuple[int, ...] = ()\n"
    "    maybe: Optional[float] = None\n"
    "    u: Union[int, str] = 0\n"
    "    d: Dict[str, int] = field(default_factory=dict)\n"
    "data = {'name': 'n', 'inner': {'x': 1, 'tags': {'a'}}, 'items': [{'x': 2}, In(3)],\n"
    "        'pair': (1, 2), 'u': 'v', 'd': {'k': 1}}\n"
    "show(lambda: m.from_dict(Out, data))\n"
    "show(lambda: m.from_dict(Out, {**data, 'maybe': 'x'}))\n"
    "show(lambda: m.from_dict(Out, {'name': 'n'}))\n"
    "show(lambda: m.from_dict(Out, data, m.Config(check_types=False)))\n"
    "show(lambda: m.from_dict(In, {'x': '5'}, m.Config(cast=[int])))\n"
)

DACITE = RealModule(
    name="dacite",
    pin="dacite==1.9.2",
    package="dacite",
    module="dacite/core.py",
    targets=("from_dict", "_build_value"),
    # test_types.py imports tests/common.py, which the sdist leaves out, and no test of
    # core.py ships: the two that run cover the helpers core.py imports, not core.py.
    tests=(("tests/test_cache.py", "tests/"), ("tests/test_dataclasses.py", "tests/")),
    test_command="pytest -q tests",
    notes="the sdist ships no tests of core.py and an incomplete tests/ (no common.py)",
    changes=(
        regression(
            "from_dict: init=False fields without a default are required",
            "dropped-check",
            # baseline: 1; changed: MissingValueError
            _DC_PRELUDE + "@dataclass\nclass A:\n    x: int\n    y: int = field(init=False)\n"
            "show(lambda: m.from_dict(A, {'x': 1}).x)",
            (
                "            except DefaultValueNotFoundError:\n"
                "                if not field.init:\n"
                "                    continue\n"
                "                raise MissingValueError(field.name) from None\n",
                "            except DefaultValueNotFoundError:\n"
                "                raise MissingValueError(field.name) from None\n",
            ),
        ),
        regression(
            "_build_value_for_collection: a list comprehension for every collection",
            "changed-type",
            # a set field: baseline S(tags={'a'}); changed WrongTypeError (a list)
            _DC_PRELUDE + "@dataclass\nclass S:\n    tags: Set[str]\n"
            "show(lambda: m.from_dict(S, {'tags': {'a'}}))",
            (
                "        return data_type(_build_value(type_=item_type, data=item, config=config) "
                "for item in data)\n    return data\n",
                "        return [_build_value(type_=item_type, data=item, config=config) "
                "for item in data]\n    return data\n",
            ),
        ),
        regression(
            "from_dict: type hints memoized on the class alone",
            "stale-cache",
            # second call with another forward reference: baseline WrongTypeError; changed A('1')
            _DC_PRELUDE + "@dataclass\nclass A:\n    n: 'Num'\n"
            "m.from_dict(A, {'n': '1'}, m.Config(forward_references={'Num': str}))\n"
            "show(lambda: m.from_dict(A, {'n': '1'}, m.Config(forward_references={'Num': int})))",
            ('T = TypeVar("T")\n', 'T = TypeVar("T")\n_HINTS: dict = {}\n'),
            (
                "        data_class_hints = cache(get_concrete_type_hints)(data_class, "
                "localns=config.hashable_forward_references)\n",
                "        data_class_hints = _HINTS.get(data_class)\n"
                "        if data_class_hints is None:\n"
                "            data_class_hints = _HINTS[data_class] = get_concrete_type_hints(\n"
                "                data_class, localns=config.forward_references\n"
                "            )\n",
            ),
        ),
        regression(
            "_build_value: dataclass fields always rebuilt from a mapping",
            "removed-input-form",
            # an instance already built: baseline passed through; changed TypeError
            _DC_PRELUDE + "@dataclass\nclass In:\n    x: int\n"
            "@dataclass\nclass Out:\n    inner: In\n"
            "show(lambda: m.from_dict(Out, {'inner': In(1)}))",
            (
                "    elif cache(is_dataclass)(orig(type_)) and isinstance(data, Mapping):\n",
                "    elif cache(is_dataclass)(orig(type_)):\n",
            ),
        ),
        regression(
            "_build_value_for_union: only dacite errors skip a member",
            "narrowed-except",
            # cast int('abc') fails: baseline falls through to str; changed ValueError
            _DC_PRELUDE + "@dataclass\nclass U:\n    v: Union[int, str]\n"
            "show(lambda: m.from_dict(U, {'v': 'abc'}, m.Config(cast=[int])))",
            (
                "            except Exception:  # pylint: disable=broad-except\n",
                "            except DaciteError:\n",
            ),
        ),
        honest(
            "from_dict: exact type before is_instance",
            _DC_CHECK,
            (
                "            if config.check_types and not is_instance(value, field_type):\n",
                "            if (\n"
                "                config.check_types\n"
                "                and type(value) is not field_type\n"
                "                and not is_instance(value, field_type)\n"
                "            ):\n",
            ),
        ),
        honest(
            "from_dict: explicit None test for the default config",
            _DC_CHECK,
            (
                "    config = config or Config()\n",
                "    if config is None:\n        config = Config()\n",
            ),
        ),
    ),
)


# --- idna: internationalized domain names; a codec, big tables, typed --------------------

_ID_CHECK = (
    "for s in ['example.com', 'Bücher.example', 'xn--bcher-kva.example', 'a.b.', '', 'a..b',\n"
    "          'a_b.com', '-a.com', 'ab--c.com', 'a' * 63 + '.com', 'a' * 64 + '.com',\n"
    "          'ドメイン名例.jp', 'a。b', 'XN--BCHER-KVA.example', ('a' * 60 + '.') * 4 + 'com']:\n"
    "    show(lambda: m.encode(s))\n"
    "    show(lambda: m.decode(s))\n"
    "    show(lambda: m.encode(s, uts46=True))\n"
    "show(lambda: m.decode(b'xn--bcher-kva.example'))\n"
)

IDNA = RealModule(
    name="idna",
    pin="idna==3.10",
    package="idna",
    module="idna/core.py",
    targets=("encode", "decode", "alabel", "ulabel"),
    tests=(("tests/*", "tests/"),),
    test_command="pytest -q tests",
    changes=(
        regression(
            "encode: str.split on '.' only",
            "dropped-normalisation",
            # ideographic full stop: baseline b'a.b'; changed InvalidCodepoint
            "show(lambda: m.encode('a\\u3002b'))",
            (
                '    if strict:\n        labels = s.split(".")\n'
                "    else:\n        labels = _unicode_dots_re.split(s)\n",
                '    labels = s.split(".")\n',
            ),
        ),
        regression(
            "valid_label_length: 63 is already too long",
            "off-by-one",
            # a 63-character label: baseline encodes; changed IDNAError
            "show(lambda: m.encode('a' * 63 + '.com'))",
            ("    if len(label) > 63:\n", "    if len(label) >= 63:\n"),
        ),
        regression(
            "ulabel: A-label prefix matched without lowercasing",
            "dropped-normalisation",
            # baseline: 'bücher.example'; changed IDNAError (hyphens in 3rd/4th place)
            "show(lambda: m.decode('XN--BCHER-KVA.example'))",
            ("    label_bytes = label_bytes.lower()\n", ""),
        ),
        regression(
            "alabel: ASCII labels returned without validation",
            "dropped-check",
            # baseline: InvalidCodepoint / IDNAError; changed: b'a_b.com', b'-a.com'
            "show(lambda: m.encode('a_b.com'))\nshow(lambda: m.encode('-a.com'))",
            (
                '        label_bytes = label.encode("ascii")\n        ulabel(label_bytes)\n',
                '        label_bytes = label.encode("ascii")\n',
            ),
        ),
        regression(
            "decode: plain ASCII domains returned as they are",
            "wrong-fast-path",
            # baseline: 'example.com' (lowercased, checked); changed: 'Example.COM'
            "show(lambda: m.decode('Example.COM'))\nshow(lambda: m.decode('a_b'))",
            (
                "    if uts46:\n        s = uts46_remap(s, std3_rules, False)\n",
                '    if not uts46 and s.isascii() and "xn--" not in s.lower():\n'
                "        return s\n"
                "    if uts46:\n        s = uts46_remap(s, std3_rules, False)\n",
            ),
        ),
        honest(
            "uts46_remap: list and join instead of string concatenation",
            _ID_CHECK,
            ('    output = ""\n', "    output = []\n"),
            ("                output += char\n", "                output.append(char)\n"),
            (
                "                output += replacement\n",
                "                output.append(replacement)\n",
            ),
            (
                '    return unicodedata.normalize("NFC", output)\n',
                '    return unicodedata.normalize("NFC", "".join(output))\n',
            ),
        ),
        honest(
            "valid_label_length, valid_string_length: one comparison",
            _ID_CHECK,
            (
                "    if len(label) > 63:\n        return False\n    return True\n",
                "    return len(label) <= 63\n",
            ),
            (
                "    if len(label) > (254 if trailing_dot else 253):\n        return False\n"
                "    return True\n",
                "    return len(label) <= (254 if trailing_dot else 253)\n",
            ),
        ),
    ),
)


# --- tabulate: plain-text tables; numeric detection and formatting, one big module -----

_TB_MORE_GENERIC = (
    "def _more_generic(type1, type2):\n"
    "    types = {\n"
    "        type(None): 0,\n"
    "        bool: 1,\n"
    "        int: 2,\n"
    "        float: 3,\n"
    "        bytes: 4,\n"
    "        str: 5,\n"
    "    }\n"
    "    invtypes = {\n"
    "        5: str,\n"
    "        4: bytes,\n"
    "        3: float,\n"
    "        2: int,\n"
    "        1: bool,\n"
    "        0: type(None),\n"
    "    }\n"
    "    moregeneric = max(types.get(type1, 5), types.get(type2, 5))\n"
    "    return invtypes[moregeneric]\n"
)
_TB_CHECK = (
    "rows = [[None, True, 1, '2', 1.5, b'x', 'spam'], [3, False, '4', 2.25, 'nan', None, 'eggs'],\n"
    "        ['1,000', 'True', -7, 1e45, '123e45678', b'\\xff', 0]]\n"
    "show(lambda: m.tabulate(rows))\n"
    "show(lambda: m.tabulate(rows, headers='firstrow', tablefmt='grid', floatfmt='.2f'))\n"
    "show(lambda: m.tabulate(rows, missingval='?', tablefmt='pipe', disable_numparse=True))\n"
    "show(lambda: m.tabulate([{'a': 1, 'b': 'x'}, {'a': 2.5}], headers='keys'))\n"
    "show(lambda: [m._column_type(c) for c in zip(*rows)])\n"
)

TABULATE = RealModule(
    name="tabulate",
    pin="tabulate==0.9.0",
    package="tabulate",
    module="tabulate/__init__.py",
    targets=("tabulate", "_format", "_column_type", "_type"),
    tests=(("test/*.py", "test/"),),
    test_command="pytest -q test",
    notes="the wide-character regression needs wcwidth importable (as in the bench env)",
    changes=(
        regression(
            "_isnumber: whatever float() accepts is a number",
            "dropped-check",
            # an overflowing exponent: baseline kept as text; changed printed as inf
            "show(lambda: m.tabulate([['123e45678'], ['1.5']]))",
            (
                "    if not _isconvertible(float, string):\n"
                "        return False\n"
                "    elif isinstance(string, (str, bytes)) and (\n"
                "        math.isinf(float(string)) or math.isnan(float(string))\n"
                "    ):\n"
                '        return string.lower() in ["inf", "-inf", "nan"]\n'
                "    return True\n",
                "    return _isconvertible(float, string)\n",
            ),
        ),
        regression(
            "_format: falsy values taken as missing",
            "dropped-check",
            # a zero: baseline printed; changed blank
            "show(lambda: m.tabulate([[0, 'x'], [1, 'y']]))",
            (
                "    if val is None:\n        return missingval\n",
                "    if not val:\n        return missingval\n",
            ),
        ),
        regression(
            "_afterpoint: exponent notation not aligned on its point",
            "dropped-check",
            # decimal alignment of 1e+45 against 1.5 changes
            "show(lambda: m.tabulate([[1e45], [1.5], [22]]))",
            ('            pos = string.lower().rfind("e") if pos < 0 else pos\n', ""),
        ),
        regression(
            "tabulate: no wide-character widths (wcwidth is slow)",
            "dropped-normalisation",
            # CJK cells: baseline pads by display width; changed by len()
            "show(lambda: m.tabulate([['中文字', 1], ['a', 2]], headers=['h', 'n']))",
            (
                "    enable_widechars = wcwidth is not None and WIDE_CHARS_MODE\n",
                "    enable_widechars = False\n",
            ),
        ),
        regression(
            "tabulate: a short floatfmt list is not padded",
            "removed-input-form",
            # baseline: two columns; changed: the second column is dropped
            "show(lambda: m.tabulate([[1.5, 2.25]], floatfmt=['.1f']))",
            (
                "        float_formats = list(floatfmt)\n"
                "        if len(float_formats) < len(cols):\n"
                "            float_formats.extend((len(cols) - len(float_formats)) * "
                "[_DEFAULT_FLOATFMT])\n",
                "        float_formats = list(floatfmt)\n",
            ),
        ),
        honest(
            "_more_generic: type ranks hoisted to module constants",
            _TB_CHECK,
            (
                _TB_MORE_GENERIC,
                "_TYPE_RANK = {type(None): 0, bool: 1, int: 2, float: 3, bytes: 4, str: 5}\n"
                "_RANK_TYPE = {rank: type_ for type_, rank in _TYPE_RANK.items()}\n\n\n"
                "def _more_generic(type1, type2):\n"
                "    return _RANK_TYPE[max(_TYPE_RANK.get(type1, 5), _TYPE_RANK.get(type2, 5))]\n",
            ),
        ),
        honest(
            "_column_type: a generator into reduce",
            _TB_CHECK,
            (
                "    types = [_type(s, has_invisible, numparse) for s in strings]\n"
                "    return reduce(_more_generic, types, bool)\n",
                "    return reduce(\n"
                "        _more_generic, (_type(s, has_invisible, numparse) for s in strings),"
                " bool\n"
                "    )\n",
            ),
        ),
    ),
)


# --- python-stdnum's isbn: number cleaning, check digits, conversions; untyped ----------

_IS_CHECK = (
    "for s in ['978-0-306-40615-7', '0-306-40615-2', '0306406152', '306406152', '0-8044-2957-x',\n"
    "          '978 0 306 40615 7', ' 0-306-40615-2 ', '9780306406158', '4006381333931',\n"
    "          '12345', '', 'abc', '979-10-90636-07-1', '0-306-40615-X', '\\t0306406152']:\n"
    "    show(lambda: m.validate(s))\n"
    "    show(lambda: m.validate(s, convert=True))\n"
    "    show(lambda: (m.compact(s), m.is_valid(s), m.isbn_type(s)))\n"
    "    show(lambda: m.to_isbn13(s))\n"
    "    show(lambda: m.to_isbn10(s))\n"
    "    show(lambda: m.format(s))\n"
)

ISBN = RealModule(
    name="isbn",
    pin="python-stdnum==1.20",
    package="stdnum",
    module="stdnum/isbn.py",
    targets=("compact", "validate", "to_isbn13", "format"),
    tests=(("tests/test_isbn.doctest", "tests/test_isbn.doctest"),),
    # setup.cfg, which sets the doctest flags, is not laid out: the command sets them
    test_command="pytest -q --doctest-glob=*.doctest"
    " -o doctest_optionflags=IGNORE_EXCEPTION_DETAIL tests/test_isbn.doctest",
    changes=(
        regression(
            "compact: no upper-casing",
            "dropped-normalisation",
            # a lowercase check digit x: baseline valid; changed InvalidChecksum
            "show(lambda: m.validate('0-8044-2957-x'))",
            (
                "    number = clean(number, ' -').strip().upper()\n",
                "    number = clean(number, ' -').strip()\n",
            ),
        ),
        regression(
            "compact: nine-digit SBNs no longer padded",
            "removed-input-form",
            # baseline: '0306406152'; changed: InvalidLength
            "show(lambda: m.validate('306406152'))",
            (
                "    if len(number) == 9:\n        number = '0' + number\n    if convert:\n",
                "    if convert:\n",
            ),
        ),
        regression(
            "validate: any EAN-13 accepted as an ISBN",
            "dropped-check",
            # not a Bookland prefix: baseline InvalidComponent; changed accepted
            "show(lambda: m.validate('4006381333931'))",
            (
                "        ean.validate(number)\n"
                "        if number[:3] not in ('978', '979'):\n"
                "            raise InvalidComponent()\n",
                "        ean.validate(number)\n",
            ),
        ),
        regression(
            "to_isbn13: surrounding blanks kept",
            "dropped-normalisation",
            # baseline: '978-0-306-40615-7'; changed: '978  0-306-40615-7'
            "show(lambda: m.to_isbn13(' 0-306-40615-2'))",
            (
                "    number = number.strip()\n    min_number = clean(number, ' -')\n",
                "    min_number = clean(number, ' -')\n",
            ),
        ),
        regression(
            "format: empty parts joined too",
            "dropped-check",
            # an ISBN-10 has no prefix: baseline '0-306-40615-2'; changed '-0-306-40615-2'
            "show(lambda: m.format('0306406152'))",
            (
                "    return separator.join(x for x in split(number, convert) if x)\n",
                "    return separator.join(split(number, convert))\n",
            ),
        ),
        honest(
            "_calc_isbn10_check_digit: enumerate from one",
            _IS_CHECK,
            (
                "    check = sum((i + 1) * int(n)\n"
                "                for i, n in enumerate(number)) % 11\n",
                "    check = sum(i * int(n) for i, n in enumerate(number, 1)) % 11\n",
            ),
        ),
        honest(
            "format: a list comprehension into join",
            _IS_CHECK,
            (
                "    return separator.join(x for x in split(number, convert) if x)\n",
                "    return separator.join([x for x in split(number, convert) if x])\n",
            ),
        ),
    ),
)


MODULES: tuple[RealModule, ...] = (
    ROMAN,
    DOTENV,
    SORTEDCONTAINERS,
    CACHETOOLS,
    DACITE,
    IDNA,
    TABULATE,
    ISBN,
)
