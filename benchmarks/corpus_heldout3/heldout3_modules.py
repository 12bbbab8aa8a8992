"""The third held-out corpus: eight more pinned PyPI releases nobody tuned against.

Same format and machinery as ``corpus_real/real_modules.py`` (its dataclasses are
imported, not copied), ``corpus_heldout/`` and ``corpus_heldout2/``: each entry pins a
release that ``guard_strength.py --corpus heldout3`` downloads as an sdist, names the
module an optimizing agent would be pointed at, the functions improve.md would name, and
changes written as exact text replacements of the pinned source.

Why a third held-out corpus: the first two have been read while deciding what to build
next, so their kill rates drift towards an upper bound. This one was written in one
sitting by a helper session that did not read the generators, their tests,
``docs/generators.md``, nor the changes of the other corpora (their data format only),
and did not look at which regressions the generators catch. The regressions are written
as an agent chasing speed makes them, not as a test writer who knows the tool. Keep it
that way: do not tune a generator against these modules.

The modules cover a parser of a text format (iso8601), a stateful data structure whose
tests lean on fixtures (tinydb's Table), a template formatter (uritemplate's
variables), a validator (h11's header normalisation), a string-transforming utility
(smartypants), a codec (base58), dataclasses and enums in a binary codec (websockets'
frames) and an XML-to-dict parser with many options (xmltodict). Each regression's
``risk`` names its kind and whether the project's own tests notice it ("tests pass":
the released tests still pass with it; "tests catch": they do not).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "corpus_real"))

from real_modules import Change, RealModule, honest, regression  # noqa: E402

__all__ = ["MODULES", "Change", "RealModule"]


# --- base58: a codec with a pluggable alphabet and a cached decode map ----------------

BASE58 = RealModule(
    name="base58",
    pin="base58==2.1.1",
    package="base58",
    module="base58/__init__.py",
    targets=("b58encode", "b58decode", "b58encode_int", "b58decode_int", "b58encode_check"),
    tests=(("test_base58.py", "test_base58.py"),),
    test_command='pytest -q test_base58.py -k "not random"',
    notes="The tests import PyHamcrest (the `bench` extra installs it); the two "
    "benchmark tests need pytest-benchmark and are deselected. A latent hang in the "
    "baseline: b58encode with a one-byte alphabet (base 1) loops forever, so a suite "
    "that draws alphabets may run until guard_strength's 600 s suite timeout.",
    changes=(
        regression(
            "_get_base58_decode_map: memoised per alphabet, autofix ignored",
            "cache that ignores a parameter; tests catch",
            # baseline: b'\\x00\\x01'; changed: ValueError (the plain map was cached first)
            "show(lambda: m.b58decode(b'2'))\nshow(lambda: m.b58decode(b'0I2', autofix=True))",
            (
                "@lru_cache()\ndef _get_base58_decode_map(alphabet: bytes,\n"
                "                           autofix: bool) -> Mapping[int, int]:\n",
                "_MAPS: dict = {}\n\n\ndef _get_base58_decode_map(alphabet: bytes,\n"
                "                           autofix: bool) -> Mapping[int, int]:\n"
                "    if alphabet in _MAPS:\n        return _MAPS[alphabet]\n",
            ),
            (
                "                    invmap[alternative] = invmap[pivots[0]]\n\n"
                "    return invmap\n",
                "                    invmap[alternative] = invmap[pivots[0]]\n\n"
                "    _MAPS[alphabet] = invmap\n    return invmap\n",
            ),
        ),
        regression(
            "b58decode_int: trailing whitespace no longer stripped",
            "dropped normalisation; tests pass (b58decode strips first)",
            "show(lambda: m.b58decode_int('2\\n'))\nshow(lambda: m.b58decode_int(b'zz '))",
            ("    if b' ' not in alphabet:\n        v = v.rstrip()\n", ""),
        ),
        regression(
            "b58encode_int: zero is '1' even when default_one is off",
            "fast path wrong for an edge value (empty input); tests catch",
            "show(lambda: m.b58encode(b''))\nshow(lambda: m.b58encode(b'\\x00\\x00'))\n"
            "show(lambda: m.b58encode_int(0, default_one=False))",
            ("    if not i and default_one:\n", "    if not i:\n"),
        ),
        regression(
            "b58decode: leading zeros counted with the bitcoin '1' only",
            "hoisted constant wrong for another alphabet; tests catch",
            "r = m.RIPPLE_ALPHABET\n"
            "show(lambda: m.b58decode(m.b58encode(b'\\x00\\x00ab', alphabet=r), alphabet=r))\n"
            "show(lambda: m.b58decode(b'rrp', alphabet=r))",
            ("    v = v.lstrip(alphabet[0:1])\n", "    v = v.lstrip(b'1')\n"),
        ),
        regression(
            "b58encode_check: str input no longer encoded",
            "removed input form; tests catch",
            "show(lambda: m.b58encode_check('hello'))\nshow(lambda: m.b58encode_check(b'hello'))",
            (
                "    v = scrub_input(v)\n\n    digest = sha256(sha256(v).digest()).digest()\n"
                "    return b58encode(",
                "    digest = sha256(sha256(v).digest()).digest()\n    return b58encode(",
            ),
        ),
        honest(
            "b58encode_int: digits collected in a bytearray, reversed once",
            "for i in [0, 1, 57, 58, 3364, 2**64 + 7, 10**40]:\n"
            "    show(lambda: m.b58encode_int(i))\n"
            "    show(lambda: m.b58encode_int(i, default_one=False, alphabet=m.RIPPLE_ALPHABET))\n"
            "for b in [b'', b'\\x00', b'\\x00\\x00a', b'hello world', bytes(range(40))]:\n"
            "    show(lambda: m.b58encode(b))",
            (
                '    string = b""\n    base = len(alphabet)\n    while i:\n'
                "        i, idx = divmod(i, base)\n"
                "        string = alphabet[idx:idx+1] + string\n    return string\n",
                "    out = bytearray()\n    base = len(alphabet)\n    while i:\n"
                "        i, idx = divmod(i, base)\n        out.append(alphabet[idx])\n"
                "    out.reverse()\n    return bytes(out)\n",
            ),
        ),
        honest(
            "b58decode: int.to_bytes instead of a divmod loop",
            "for s in ['', '1', '11', '2', 'z', '1112', 'StV1DL6CwTryKyV', '3yQ ', 'zzzzzzzzzz']:\n"
            "    show(lambda: m.b58decode(s))\n"
            "show(lambda: m.b58decode('0I', autofix=True))\nshow(lambda: m.b58decode('0'))",
            (
                "    result = []\n    while acc > 0:\n        acc, mod = divmod(acc, 256)\n"
                "        result.append(mod)\n\n"
                "    return b'\\0' * (origlen - newlen) + bytes(reversed(result))\n",
                "    result = acc.to_bytes((acc.bit_length() + 7) // 8, 'big')\n\n"
                "    return b'\\0' * (origlen - newlen) + result\n",
            ),
        ),
    ),
)


# --- iso8601: a parser of a standard date format, defined by one compiled regex -------

_ISO_MICRO = (
    "            microsecond=int(\n"
    "                Decimal(f\"0.{groups.get('second_fraction', 0)}\") "
    '* Decimal("1000000.0")\n'
    "            ),\n"
)
_ISO_MATCH = (
    "    try:\n        m = ISO8601_REGEX.match(datestring)\n    except Exception as e:\n"
    "        raise ParseError(e)\n\n    if not m:\n"
)

ISO8601 = RealModule(
    name="iso8601",
    pin="iso8601==2.1.0",
    package="iso8601",
    module="iso8601/iso8601.py",
    targets=("parse_date", "parse_timezone", "is_iso8601"),
    tests=(("iso8601/test_iso8601.py", "iso8601/test_iso8601.py"),),
    test_command="pytest -q iso8601/test_iso8601.py",
    notes="The tests import pytz (the `bench` extra installs it).",
    changes=(
        regression(
            "parse_date: fraction of a second through float, not Decimal",
            "float instead of Decimal; tests catch",
            "show(lambda: m.parse_date('2007-01-25T12:00:00.000249Z'))\n"
            "show(lambda: m.parse_date('2007-01-25T12:00:00.000978Z'))",
            (
                _ISO_MICRO,
                "            microsecond=int("
                "float(f\"0.{groups.get('second_fraction', 0)}\") * 1000000),\n",
            ),
        ),
        regression(
            "parse_timezone: only the hours take the sign",
            "dropped sign; tests catch",
            "show(lambda: m.parse_date('2007-01-25T12:00:00-05:30').utcoffset())\n"
            "show(lambda: m.parse_date('2007-01-25T12:00:00+05:30').utcoffset())",
            (
                "        hours = -hours\n        minutes = -minutes\n",
                "        hours = -hours\n",
            ),
        ),
        regression(
            "parse_date: no try around the regex match",
            "narrowed except (TypeError escapes instead of ParseError); tests pass",
            "show(lambda: m.parse_date(None))\nshow(lambda: m.parse_date(b'2007-01-01'))",
            (_ISO_MATCH, "    m = ISO8601_REGEX.match(datestring)\n\n    if not m:\n"),
        ),
        regression(
            "parse_date: comma no longer accepted as decimal sign",
            "removed input form (the regex 'simplified'); tests catch",
            "show(lambda: m.parse_date('2007-01-25T12:00:00,5Z'))\n"
            "show(lambda: m.is_iso8601('2007-01-25T12:00:00,5'))",
            (
                "                        ([.,](?P<second_fraction>[0-9]+)){0,1}\n",
                "                        (\\.(?P<second_fraction>[0-9]+)){0,1}\n",
            ),
        ),
        regression(
            "parse_date: results memoised by the string alone",
            "cache that ignores a parameter (default_timezone); tests catch",
            "show(lambda: m.parse_date('2007-01-25T12:00:00'))\n"
            "show(lambda: m.parse_date('2007-01-25T12:00:00', default_timezone=None))",
            (
                "def parse_date(\n",
                "_PARSED: typing.Dict[str, datetime.datetime] = {}\n\n\ndef parse_date(\n",
            ),
            (
                _ISO_MATCH,
                "    if datestring in _PARSED:\n        return _PARSED[datestring]\n" + _ISO_MATCH,
            ),
            (
                "        return datetime.datetime(\n            year=",
                "        result = _PARSED[datestring] = datetime.datetime(\n            year=",
            ),
            (
                "    except Exception as e:\n        raise ParseError(e)\n\n\ndef is_iso8601",
                "    except Exception as e:\n        raise ParseError(e)\n    return result\n\n\n"
                "def is_iso8601",
            ),
        ),
        honest(
            "parse_date: the microsecond scale hoisted to a module constant",
            "for s in ['2007-01-25T12:00:00.000003Z', '2007-01-25T12:00:00,5+01:00',\n"
            "          '2007-01-25T12:00:00.123456789', '2007-01-25T12:00:00.9999995Z',\n"
            "          '2007-01-25', '2007', '2007-13-01', 'x']:\n"
            "    show(lambda: m.parse_date(s))",
            (
                "UTC = datetime.timezone.utc\n",
                'UTC = datetime.timezone.utc\n_MICRO = Decimal("1000000.0")\n',
            ),
            (
                _ISO_MICRO,
                "            microsecond=int(\n"
                "                Decimal(f\"0.{groups.get('second_fraction', 0)}\") * _MICRO\n"
                "            ),\n",
            ),
        ),
        honest(
            "FixedOffset: one timezone object per offset (lru_cache)",
            "for s in ['2007-01-25T12:00:00-05:30', '2007-01-25T12:00:00+0100',\n"
            "          '2007-01-25T12:00:00-05:30', '2007-01-25T12:00:00+00:00',\n"
            "          '2007-01-25T12:00:00-00', '2007-01-25T12:00:00+23:59']:\n"
            "    show(lambda: m.parse_date(s))\n"
            "    show(lambda: m.parse_date(s).tzname())\n"
            "show(lambda: m.FixedOffset(2, 30, 'x'))",
            ("import datetime\n", "import datetime\nimport functools\n"),
            ("def FixedOffset(\n", "@functools.lru_cache(maxsize=None)\ndef FixedOffset(\n"),
        ),
    ),
)


# --- tinydb: a document table with a query cache and an id counter; fixture-heavy tests

_TDB = (
    "import tinydb, tinydb.storages, tinydb.table\n"
    "db = tinydb.TinyDB(storage=tinydb.storages.MemoryStorage)\n"
    "t = db.table('t')\n"
    "Q = tinydb.Query()\n"
)

TINYDB = RealModule(
    name="tinydb",
    pin="tinydb==4.8.2",
    package="tinydb",
    module="tinydb/table.py",
    targets=(
        "Table.insert",
        "Table.insert_multiple",
        "Table.search",
        "Table.get",
        "Table._get_next_id",
    ),
    tests=(("tests/*.py", "tests/"),),
    test_command="pytest -q tests",
    changes=(
        regression(
            "search: the cached list itself handed back",
            "returns a shared mutable (the query cache); tests pass",
            _TDB + "t.insert({'a': 1})\nt.search(Q.a == 1)\nr = t.search(Q.a == 1)\n"
            "r.append('junk')\nshow(lambda: t.search(Q.a == 1))",
            ("            return cached_results[:]\n", "            return cached_results\n"),
        ),
        regression(
            "insert: a Document with its own id no longer resets the id counter",
            "dropped state reset; tests catch",
            _TDB + "t.insert({'a': 1})\n"
            "t.insert(tinydb.table.Document({'b': 2}, doc_id=2))\n"
            "show(lambda: t.insert({'c': 3}))\nshow(lambda: len(t))",
            (
                "            # We also reset the stored next ID so the next insert won't\n"
                "            # re-use document IDs by accident when storing an old value\n"
                "            self._next_id = None\n",
                "",
            ),
        ),
        regression(
            "get: doc_ids compared without the str() the storage keys need",
            "dropped normalisation; tests catch",
            _TDB + "t.insert_multiple([{'a': 1}, {'a': 2}, {'a': 3}])\n"
            "show(lambda: t.get(doc_ids=[1, 3]))",
            (
                "            doc_ids_set = set(str(doc_id) for doc_id in doc_ids)\n",
                "            doc_ids_set = set(doc_ids)\n",
            ),
        ),
        regression(
            "_get_next_id: max of the stored keys taken as strings",
            "skipped conversion (string order: '9' > '10'); tests catch",
            _TDB + "db.table('t').insert_multiple({'i': i} for i in range(10))\n"
            "fresh = tinydb.table.Table(db.storage, 't')\n"
            "show(lambda: fresh.insert({'i': 10}))",
            (
                "        max_id = max(self.document_id_class(i) for i in table.keys())\n",
                "        max_id = int(max(table.keys()))\n",
            ),
        ),
        regression(
            "insert: the caller's mapping stored as it is, not copied",
            "argument aliased into the state (no dict() copy); tests catch",
            _TDB + "d = {'a': 1}\nt.insert(d)\nd['a'] = 2\nshow(lambda: t.all())\n"
            "show(lambda: type(t.storage.read()['t']['1']).__name__)",
            (
                "            # implemented the ``Mapping`` interface\n"
                "            table[doc_id] = dict(document)\n",
                "            # implemented the ``Mapping`` interface\n"
                "            table[doc_id] = document\n",
            ),
        ),
        honest(
            "get: a set comprehension for the wanted ids",
            _TDB + "t.insert_multiple([{'a': i} for i in range(5)])\n"
            "for ids in ([1, 3], ['2', 5], [], [99], (4,)):\n"
            "    show(lambda: t.get(doc_ids=ids))",
            (
                "            doc_ids_set = set(str(doc_id) for doc_id in doc_ids)\n",
                "            doc_ids_set = {str(doc_id) for doc_id in doc_ids}\n",
            ),
        ),
        honest(
            "get: the cond branch reuses the table read above",
            _TDB + "t.insert_multiple([{'a': i} for i in range(5)])\n"
            "for q in (Q.a == 3, Q.a > 1, Q.a == 99, Q.b.exists()):\n"
            "    show(lambda: t.get(q))\n    show(lambda: t.get(q).doc_id if t.get(q) else None)",
            (
                "            for doc_id_, doc in self._read_table().items():\n"
                "                if cond(doc):\n",
                "            for doc_id_, doc in table.items():\n                if cond(doc):\n",
            ),
        ),
    ),
)


# --- h11: HTTP header validation and normalisation -------------------------------------

_H11 = "def nv(h):\n    return m.normalize_and_validate(h)\ndef items(h):\n    return list(nv(h))\n"

H11 = RealModule(
    name="h11",
    pin="h11==0.14.0",
    package="h11",
    module="h11/_headers.py",
    targets=("normalize_and_validate", "get_comma_header", "set_comma_header"),
    tests=(("h11/tests/*.py", "h11/tests/"), ("h11/tests/data/*", "h11/tests/data/")),
    test_command="pytest -q h11/tests",
    changes=(
        regression(
            "normalize_and_validate: Content-Length list items not stripped",
            "dropped normalisation (.strip); tests catch",
            _H11 + "show(lambda: items([('Content-Length', '5, 5')]))\n"
            "show(lambda: items([('Content-Length', '5,5')]))",
            (
                '            lengths = {length.strip() for length in value.split(b",")}\n',
                '            lengths = set(value.split(b","))\n',
            ),
        ),
        regression(
            "normalize_and_validate: Transfer-Encoding compared without lower()",
            "dropped normalisation (.lower); tests catch",
            _H11 + "show(lambda: items([('Transfer-Encoding', 'Chunked')]))\n"
            "show(lambda: items([('Transfer-Encoding', 'chunked')]))",
            (
                '            value = value.lower()\n            if value != b"chunked":\n',
                '            if value != b"chunked":\n',
            ),
        ),
        regression(
            "get_comma_header: values no longer lower-cased",
            "dropped normalisation (.lower); tests catch",
            _H11 + "h = nv([('Connection', 'Keep-Alive, Upgrade'), ('Host', 'x')])\n"
            "show(lambda: m.get_comma_header(h, b'connection'))",
            ("            found_raw_value = found_raw_value.lower()\n", ""),
        ),
        regression(
            "set_comma_header: the rebuilt headers skip validation",
            "dropped check (a fast path for already-valid headers); tests catch",
            _H11 + "h = nv([('Host', 'a'), ('Connection', 'close')])\n"
            "show(lambda: list(m.set_comma_header(h, b'connection', [b'x\\r\\nEvil: 1'])))\n"
            "show(lambda: list(m.set_comma_header(h, b'connection', ['keep-alive'])))",
            (
                "    return normalize_and_validate(new_headers)\n",
                "    return normalize_and_validate(new_headers, _parsed=True)\n",
            ),
        ),
        regression(
            "normalize_and_validate: a second, different Content-Length accepted",
            "dropped check; tests catch",
            _H11 + "show(lambda: items([('Content-Length', '5'), ('Content-Length', '6')]))\n"
            "show(lambda: items([('Content-Length', '5'), ('Content-Length', '5')]))",
            (
                "            elif seen_content_length != value:\n"
                '                raise LocalProtocolError("conflicting Content-Length headers")\n',
                "",
            ),
        ),
        honest(
            "get_comma_header: one comprehension",
            _H11 + "h = nv([('Connection', 'Keep-Alive, Upgrade'), ('Host', 'x'),\n"
            "        ('connection', 'close , ,X'), ('Expect', '100-Continue')])\n"
            "for name in (b'connection', b'expect', b'host', b'missing', b'Connection'):\n"
            "    show(lambda: m.get_comma_header(h, name))",
            (
                "    out: List[bytes] = []\n"
                "    for _, found_name, found_raw_value in headers._full_items:\n"
                "        if found_name == name:\n"
                "            found_raw_value = found_raw_value.lower()\n"
                '            for found_split_value in found_raw_value.split(b","):\n'
                "                found_split_value = found_split_value.strip()\n"
                "                if found_split_value:\n"
                "                    out.append(found_split_value)\n"
                "    return out\n",
                "    out: List[bytes] = [\n"
                "        v\n"
                "        for _, found_name, found_raw_value in headers._full_items\n"
                "        if found_name == name\n"
                '        for v in (s.strip() for s in found_raw_value.lower().split(b","))\n'
                "        if v\n"
                "    ]\n"
                "    return out\n",
            ),
        ),
        honest(
            "normalize_and_validate: a single Content-Length is not split",
            _H11 + "for v in ['5', ' 5 ', '5,5', '5, 6', '', 'abc', '007', '1,']:\n"
            "    show(lambda: items([('Content-Length', v)]))",
            (
                '            lengths = {length.strip() for length in value.split(b",")}\n',
                '            if b"," in value:\n'
                '                lengths = {length.strip() for length in value.split(b",")}\n'
                "            else:\n"
                "                lengths = {value.strip()}\n",
            ),
        ),
    ),
)


# --- uritemplate: RFC 6570 variable expansion, one class with parse-time state ----------

_UT = "def ex(var, **values):\n    return m.URIVariable(var).expand(values)\n"

URITEMPLATE = RealModule(
    name="uritemplate",
    pin="uritemplate==4.1.1",
    package="uritemplate",
    module="uritemplate/variable.py",
    targets=(
        "URIVariable.expand",
        "URIVariable._query_expansion",
        "URIVariable._string_expansion",
        "quote",
    ),
    tests=(("tests/*.py", "tests/"), ("tests/fixtures/*.json", "tests/fixtures/")),
    test_command="pytest -q tests",
    changes=(
        regression(
            "_string_expansion: mapping items in insertion order, not sorted",
            "reordered output; tests pass",
            _UT + "show(lambda: ex('keys', keys={'semi': ';', 'dot': '.', 'comma': ','}))\n"
            "show(lambda: ex('keys*', keys={'b': 1, 'a': 2}))",
            (
                "            items = items or sorted(value.items())\n"
                '            format_str = "%s=%s" if explode else "%s,%s"\n',
                "            items = items or list(value.items())\n"
                '            format_str = "%s=%s" if explode else "%s,%s"\n',
            ),
        ),
        regression(
            "_query_expansion: an empty list is no longer left out",
            "dropped empty check; tests catch",
            _UT + "show(lambda: ex('?list', list=[]))\nshow(lambda: ex('?a,list', a='1', list=[]))",
            (
                "        if list_test(value) and not tuples:\n"
                "            if not value:\n"
                "                return None\n"
                "            value = t.cast(t.Sequence[ScalarVariableValue], value)\n"
                "            if explode:\n"
                "                return self.join_str.join(\n"
                '                    f"{name}={quote(v, safe)}" for v in value\n',
                "        if list_test(value) and not tuples:\n"
                "            value = t.cast(t.Sequence[ScalarVariableValue], value)\n"
                "            if explode:\n"
                "                return self.join_str.join(\n"
                '                    f"{name}={quote(v, safe)}" for v in value\n',
            ),
        ),
        regression(
            "quote: values assumed to be text",
            "removed input form (numbers); tests catch",
            _UT + "show(lambda: m.quote(5, ''))\nshow(lambda: ex('x', x=1024))\n"
            "show(lambda: ex('?x,y', x=1.5, y='a b'))",
            (
                "    if not isinstance(value, (str, bytes)):\n        value = str(value)\n"
                "    return urllib.parse.quote(",
                "    return urllib.parse.quote(",
            ),
        ),
        regression(
            "expand: defaults only for missing values",
            "narrowed None/empty check (empty list and 0 no longer take the default); tests pass",
            _UT + "show(lambda: ex('x=dflt', x=[]))\nshow(lambda: ex('x=dflt', x=0))\n"
            "show(lambda: ex('x=dflt'))",
            (
                '            if not value and value != "" and name in self.defaults:\n',
                "            if value is None and name in self.defaults:\n",
            ),
        ),
        regression(
            "post_parse: reserved characters safe for '+' only",
            "dropped special case ('#' fragment expansion); tests catch",
            _UT + "show(lambda: ex('#x', x='a/b?c'))\nshow(lambda: ex('+x', x='a/b?c'))",
            (
                '        if self.operator in ("+", "#"):\n'
                "            self.safe = URIVariable.reserved\n",
                '        if self.operator == "+":\n            self.safe = URIVariable.reserved\n',
            ),
        ),
        honest(
            "quote: ASCII letters and digits returned as they are",
            "for v in ['abc', 'a b', 'Ab9', 'é', 'ǅ', '٣', '', 5, b'x y', 'a/b', '²']:\n"
            "    show(lambda: m.quote(v, ''))\n    show(lambda: m.quote(v, '/'))",
            (
                "def quote(value: t.Any, safe: str) -> str:\n",
                "def quote(value: t.Any, safe: str) -> str:\n"
                "    if isinstance(value, str) and value.isascii() and value.isalnum():\n"
                "        return value\n",
            ),
        ),
        honest(
            "dict_test: the accepted types hoisted to a module constant",
            _UT + "for v in [{'b': 1, 'a': 2}, [('k', 'v')], ['a', 'b'], 'x', 0, {}]:\n"
            "    for var in ('v', '+v*', '?v', '/v*', ';v', '.v'):\n"
            "        show(lambda: ex(var, v=v))",
            (
                "def dict_test(value: t.Any) -> bool:\n"
                "    return isinstance(value, (dict, collections.abc.MutableMapping))\n",
                "_DICT_TYPES = (dict, collections.abc.MutableMapping)\n\n\n"
                "def dict_test(value: t.Any) -> bool:\n"
                "    return isinstance(value, _DICT_TYPES)\n",
            ),
        ),
    ),
)


# --- smartypants: punctuation to typographic entities, token by token ------------------

_SP_CTBL_ITEMS = (
    "        '&#8211;': ('\u2013', '&ndash;', '-'),\n"
    "        '&#8212;': ('\u2014', '&mdash;', '--'),\n"
    "        '&#8216;': ('\u2018', '&lsquo;', \"'\"),\n"
    "        '&#8217;': ('\u2019', '&rsquo;', \"'\"),\n"
    "        '&#8220;': ('\u201c', '&ldquo;', '\"'),\n"
    "        '&#8221;': ('\u201d', '&rdquo;', '\"'),\n"
    "        '&#8230;': ('\u2026', '&hellip;', '...'),\n"
)
_SP_CTBL = "    CTBL = {\n" + _SP_CTBL_ITEMS + "    }\n\n    for k, v in CTBL.items():\n"

SMARTYPANTS = RealModule(
    name="smartypants",
    pin="smartypants==2.0.2",
    package="smartypants.py",
    module="smartypants.py",
    targets=(
        "smartypants",
        "convert_dashes_oldschool",
        "convert_entities",
        "process_escapes",
        "_tokenize",
    ),
    tests=(("tests/test.py", "tests/test.py"),),
    test_command="pytest -q tests/test.py",
    changes=(
        regression(
            "convert_dashes_oldschool: str.replace, en dash first",
            "reordered replacements; tests pass",
            "show(lambda: m.convert_dashes_oldschool('a---b--c'))\n"
            "show(lambda: m.smartypants('a---b', m.Attr.D))",
            (
                "    text = re.sub('---', '&#8212;', text)  # em (yes, backwards)\n"
                "    text = re.sub('--', '&#8211;', text)   # en (yes, backwards)\n",
                "    text = text.replace('--', '&#8211;')   # en\n"
                "    text = text.replace('---', '&#8212;')  # em\n",
            ),
        ),
        regression(
            "convert_entities: results memoised by the text alone",
            "cache that ignores a parameter (mode); tests catch",
            "show(lambda: m.convert_entities('&#8216;x&#8217;', 1))\n"
            "show(lambda: m.convert_entities('&#8216;x&#8217;', 2))",
            (
                "def convert_entities(text, mode):\n",
                "_ENTITY_CACHE = {}\n\n\ndef convert_entities(text, mode):\n",
            ),
            (
                "    for k, v in CTBL.items():\n"
                "        text = text.replace(k, v[mode])\n\n"
                "    return text\n",
                "    if text in _ENTITY_CACHE:\n"
                "        return _ENTITY_CACHE[text]\n"
                "    original = text\n"
                "    for k, v in CTBL.items():\n"
                "        text = text.replace(k, v[mode])\n"
                "    _ENTITY_CACHE[original] = text\n"
                "    return text\n",
            ),
        ),
        regression(
            "process_escapes: the backtick escape forgotten",
            "dropped input form; tests pass",
            "show(lambda: m.process_escapes('\\\\`x\\\\`'))\n"
            "show(lambda: m.smartypants('\\\\`\\\\`quoted\\'\\'', m.Attr.b))",
            ("    text = re.sub(r'\\\\`', '&#96;', text)\n", ""),
        ),
        regression(
            "_tokenize: every <!-- ... --> is a tag, even with -- inside",
            "dropped special case; tests catch",
            "show(lambda: m._tokenize('a <!-- x -- y --> b'))\n"
            "show(lambda: m.smartypants('<!-- \"a\" -- b -->'))",
            (
                "        if tag.startswith('<!--'):\n"
                "            # remove --[white space]> from the end of tag\n"
                "            if '--' in tag[4:].rstrip('>').rstrip().rstrip('-'):\n"
                "                type_ = 'text'\n",
                "",
            ),
        ),
        regression(
            "smartypants: a lone ' closes after any previous character",
            "fast path wrong for an edge value (whitespace); tests pass",
            'show(lambda: m.smartypants("x <b>\'</b>y"))\n'
            'show(lambda: m.smartypants("x<b>\'</b>y"))',
            (
                "                        # Special case: single-character ' token\n"
                '                        if re.match(r"\\S", prev_token_last_char):\n',
                "                        # Special case: single-character ' token\n"
                "                        if prev_token_last_char:\n",
            ),
        ),
        honest(
            "process_escapes: str.replace instead of re.sub",
            "for s in ['\\\\\\\\', '\\\\\"a\\\\\"', \"\\\\'\", '\\\\.\\\\-\\\\`', '\\\\\\\\\"',\n"
            "          'plain', '', '\\\\x']:\n"
            "    show(lambda: m.process_escapes(s))\n"
            'show(lambda: m.smartypants(\'"smarty" \\\\"pants\\\\"\'))',
            (
                "    text = re.sub(r'\\\\\\\\', '&#92;', text)\n"
                "    text = re.sub(r'\\\\\"', '&#34;', text)\n"
                "    text = re.sub(r\"\\\\'\", '&#39;', text)\n"
                "    text = re.sub(r'\\\\\\.', '&#46;', text)\n"
                "    text = re.sub(r'\\\\-', '&#45;', text)\n"
                "    text = re.sub(r'\\\\`', '&#96;', text)\n",
                "    text = text.replace('\\\\\\\\', '&#92;')\n"
                "    text = text.replace('\\\\\"', '&#34;')\n"
                "    text = text.replace(\"\\\\'\", '&#39;')\n"
                "    text = text.replace('\\\\.', '&#46;')\n"
                "    text = text.replace('\\\\-', '&#45;')\n"
                "    text = text.replace('\\\\`', '&#96;')\n",
            ),
        ),
        honest(
            "convert_entities: the table hoisted to a module constant",
            "for mode in (0, 1, 2):\n"
            "    t = '&#8220;Hi &#8212; x&#8230;&#8221; &#8211;'\n"
            "    show(lambda: m.convert_entities(t, mode))\n"
            "show(lambda: m.smartypants('\"a\" -- b...', m.Attr.set1 | m.Attr.u))",
            (_SP_CTBL, "    for k, v in _CTBL.items():\n"),
            (
                "def convert_entities(text, mode):\n",
                "_CTBL = {\n" + _SP_CTBL_ITEMS.replace("        ", "    ") + "}\n\n\n"
                "def convert_entities(text, mode):\n",
            ),
        ),
    ),
)


# --- websockets: frame codec with an IntEnum of opcodes and two dataclasses ------------

_WS = (
    "def parse(b, mask=False):\n"
    "    buf = bytearray(b)\n"
    "    def read_exact(n):\n"
    "        if len(buf) < n:\n"
    "            raise EOFError\n"
    "        out = bytes(buf[:n])\n"
    "        del buf[:n]\n"
    "        return out\n"
    "        yield\n"
    "    g = m.Frame.parse(read_exact, mask=mask)\n"
    "    try:\n"
    "        next(g)\n"
    "    except StopIteration as stop:\n"
    "        return stop.value\n"
)
_WS_OPCODE = (
    "        try:\n"
    "            opcode = Opcode(head1 & 0b00001111)\n"
    "        except ValueError as exc:\n"
)
_WS_TABLE = (
    "BytesLike = bytes, bytearray, memoryview\n",
    "BytesLike = bytes, bytearray, memoryview\n_OPCODES = {int(o): o for o in Opcode}\n",
)

WEBSOCKETS = RealModule(
    name="websockets",
    pin="websockets==12.0",
    package="src/websockets",
    module="websockets/frames.py",
    targets=(
        "Frame.parse",
        "Frame.serialize",
        "Frame.check",
        "Close.parse",
        "Close.__str__",
        "prepare_ctrl",
    ),
    notes="The sdist ships no tests: the tests-removed figures stand for both modes.",
    changes=(
        regression(
            "serialize: a 126-byte payload still fits the 7-bit length",
            "off-by-one bound; no tests shipped",
            "show(lambda: m.Frame(m.OP_BINARY, b'x' * 126).serialize(mask=False)[:4])\n"
            "show(lambda: m.Frame(m.OP_BINARY, b'x' * 125).serialize(mask=False)[:4])",
            ("        if length < 126:\n", "        if length <= 126:\n"),
        ),
        regression(
            "prepare_ctrl: bytes-like data returned without the bytes() copy",
            "dropped normalisation (a bytearray stays mutable); no tests shipped",
            "show(lambda: m.prepare_ctrl(bytearray(b'ab')))\n"
            "show(lambda: m.prepare_ctrl(memoryview(b'ab')) == b'ab')",
            ("        return bytes(data)\n", "        return data\n"),
        ),
        regression(
            "Close.__str__: 4000 counted as registered",
            "off-by-one bound; no tests shipped",
            "for code in (3000, 3999, 4000, 4999, 1000, 1005, 2000):\n"
            "    show(lambda: str(m.Close(code, 'bye')))",
            (
                "        if 3000 <= self.code < 4000:\n",
                "        if 3000 <= self.code <= 4000:\n",
            ),
        ),
        regression(
            "check: fragmented control frames no longer rejected",
            "dropped check; no tests shipped",
            "show(lambda: m.Frame(m.OP_PING, b'', fin=False).check())\n"
            + _WS
            + "show(lambda: parse(b'\\x09\\x00'))",
            (
                "            if not self.fin:\n"
                '                raise exceptions.ProtocolError("fragmented control frame")\n',
                "",
            ),
        ),
        regression(
            "parse: opcode looked up in a dict, the except still catches ValueError only",
            "narrowed except (KeyError escapes instead of ProtocolError); no tests shipped",
            _WS + "show(lambda: parse(b'\\x83\\x00'))\nshow(lambda: parse(b'\\x81\\x02hi'))",
            _WS_TABLE,
            (
                _WS_OPCODE,
                _WS_OPCODE.replace("Opcode(head1 & 0b00001111)", "_OPCODES[head1 & 0b00001111]"),
            ),
        ),
        honest(
            "parse: opcode from a dict, KeyError mapped like ValueError",
            _WS + "for b in [b'\\x83\\x00', b'\\x81\\x02hi', b'\\x8a\\x00', b'\\x0f\\x00',\n"
            "          b'\\x82\\x7e\\x00\\x02ab', b'\\x88\\x02\\x03\\xe8', b'\\x81']:\n"
            "    show(lambda: parse(b))",
            _WS_TABLE,
            (
                _WS_OPCODE,
                "        try:\n"
                "            opcode = _OPCODES[head1 & 0b00001111]\n"
                "        except KeyError as exc:\n",
            ),
        ),
        honest(
            "parse: header bits read with bool()",
            _WS + "for b in [b'\\x81\\x02hi', b'\\x01\\x00', b'\\xc1\\x00', b'\\xa1\\x00',\n"
            "          b'\\x91\\x00', b'\\x82\\x80\\x00\\x00\\x00\\x00', b'\\x02\\x01z']:\n"
            "    show(lambda: parse(b))\n"
            "show(lambda: parse(b'\\x82\\x81\\x01\\x02\\x03\\x04\\x05', mask=True))",
            (
                "        fin = True if head1 & 0b10000000 else False\n"
                "        rsv1 = True if head1 & 0b01000000 else False\n"
                "        rsv2 = True if head1 & 0b00100000 else False\n"
                "        rsv3 = True if head1 & 0b00010000 else False\n",
                "        fin = bool(head1 & 0b10000000)\n"
                "        rsv1 = bool(head1 & 0b01000000)\n"
                "        rsv2 = bool(head1 & 0b00100000)\n"
                "        rsv3 = bool(head1 & 0b00010000)\n",
            ),
        ),
    ),
)

# --- xmltodict: XML to dicts and back, a SAX handler with many options -------------------

XMLTODICT = RealModule(
    name="xmltodict",
    pin="xmltodict==0.13.0",
    package="xmltodict.py",
    module="xmltodict.py",
    targets=(
        "parse",
        "unparse",
        "_DictSAXHandler.endElement",
        "_DictSAXHandler.push_data",
        "_emit",
    ),
    tests=(("tests/*.py", "tests/"),),
    test_command="pytest -q tests",
    changes=(
        regression(
            "endElement: whitespace-only text kept as ''",
            "dropped normalisation (.strip() or None); tests catch",
            "show(lambda: m.parse('<a><b>  </b><c> x </c></a>'))",
            (
                "                data = data.strip() or None\n",
                "                data = data.strip()\n",
            ),
        ),
        regression(
            "_should_force_list: force_list=True no longer special-cased",
            "dropped special case (a bool where a container is expected); tests pass",
            "show(lambda: m.parse('<a><b>1</b></a>', force_list=True))\n"
            "show(lambda: m.parse('<a><b>1</b></a>', force_list=('b',)))",
            (
                "        if isinstance(self.force_list, bool):\n"
                "            return self.force_list\n",
                "",
            ),
        ),
        regression(
            "_emit: booleans written as Python spells them",
            "dropped special case; tests catch",
            "show(lambda: m.unparse({'a': {'b': True, 'c': False, '@d': 1}}))",
            (
                "        elif isinstance(v, bool):\n"
                "            if v:\n"
                "                v = _unicode('true')\n"
                "            else:\n"
                "                v = _unicode('false')\n",
                "",
            ),
        ),
        regression(
            "endElement: text pieces joined with '' whatever cdata_separator says",
            "hoisted constant that ignores a parameter; tests catch",
            "show(lambda: m.parse('<a><p>x<b/>y</p></a>', cdata_separator='|'))\n"
            "show(lambda: m.parse('<a><p>x<b/>y</p></a>'))",
            (
                "            data = (None if not self.data\n"
                "                    else self.cdata_separator.join(self.data))\n"
                "            item = self.item\n",
                "            data = (None if not self.data\n"
                "                    else ''.join(self.data))\n"
                "            item = self.item\n",
            ),
        ),
        regression(
            "_emit: a list at the top level no longer refused",
            "dropped check (several roots in one document); tests catch",
            "show(lambda: m.unparse({'a': [1, 2]}))\n"
            "show(lambda: m.unparse({'a': [1, 2]}, full_document=False))",
            (
                "        if full_document and depth == 0 and index > 0:\n"
                "            raise ValueError('document with multiple roots')\n",
                "",
            ),
        ),
        honest(
            "_attrs_to_dict: pairs zipped from one iterator",
            'for x in [\'<a x="1" y="2"/>\', \'<a/>\', \'<a x="1"><b z="3">t</b></a>\',\n'
            '          \'<a xmlns:n="u" n:x="1"/>\']:\n'
            "    show(lambda: m.parse(x))\n"
            "    show(lambda: m.parse(x, process_namespaces=True))",
            (
                "        return self.dict_constructor(zip(attrs[0::2], attrs[1::2]))\n",
                "        pairs = iter(attrs)\n"
                "        return self.dict_constructor(zip(pairs, pairs))\n",
            ),
        ),
        honest(
            "_emit: one isinstance with a tuple of types",
            "for d in [{'a': 'x'}, {'a': {'b': [1, 2], '@c': 'd'}}, {'a': None},\n"
            "          {'a': {'b': ('p', 'q')}}, {'a': {'#text': 't', 'b': {'c': 1}}}, {'a': 5}]:\n"
            "    show(lambda: m.unparse(d))\n"
            "    show(lambda: m.unparse(d, pretty=True, full_document=False))",
            (
                "    if (not hasattr(value, '__iter__')\n"
                "            or isinstance(value, _basestring)\n"
                "            or isinstance(value, dict)):\n",
                "    if (not hasattr(value, '__iter__')\n"
                "            or isinstance(value, (_basestring, dict))):\n",
            ),
        ),
    ),
)


MODULES = (
    BASE58,
    ISO8601,
    TINYDB,
    URITEMPLATE,
    H11,
    SMARTYPANTS,
    WEBSOCKETS,
    XMLTODICT,
)
