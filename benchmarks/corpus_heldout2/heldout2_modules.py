"""The second held-out corpus: eight more pinned PyPI releases nobody tuned against.

Same format and machinery as ``corpus_real/real_modules.py`` (its dataclasses are
imported, not copied) and ``corpus_heldout/heldout_modules.py``: each entry pins a
release that ``guard_strength.py --corpus heldout2`` downloads as an sdist, names the
module an optimizing agent would be pointed at, the functions improve.md would name, and
changes written as exact text replacements of the pinned source.

Why a second held-out corpus: once the first one has been read while deciding what to
build next, its kill rate drifts towards an upper bound like the real corpus's did. This
one was written in one sitting (December 2026) by a helper session that did not read the
generators, their tests, ``docs/generators.md``, nor the changes of the other corpora
(their data format only), and did not look at which regressions the generators catch.
The regressions are written as an agent chasing speed makes them, not as a test writer
who knows the tool. Keep it that way: do not tune a generator against these modules.

The modules cover a text-format parser (pathspec's gitwildmatch), a stateful data
structure (bidict), number-to-words (num2words, English), a validator (validators'
card numbers), a string-transforming utility (pyhumps), a codec (Unidecode's
transliteration), dataclasses and enums (astral, whose tests lean on fixtures) and a
parser/normaliser of a URL-like format with a NamedTuple (packageurl-python). Each
regression's ``risk`` names its kind and whether the project's own tests notice it
("tests pass": the released tests still pass with it; "tests catch": they do not).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "corpus_real"))

from real_modules import Change, RealModule, honest, regression  # noqa: E402

__all__ = ["MODULES", "Change", "RealModule"]


# --- pathspec: gitignore patterns to regexes; a parser of a text format, tab-indented --

_GWM = "m.GitWildMatchPattern"
_GWM_PATTERNS = (
    "for p in ['*.py', '/build/', '!keep.txt', 'a/**/b', '**/', 'docs/*.md', '\\\\#x',\n"
    "          'foo\\\\ ', '  x  ', '[!a]b', '[]x]', 'a/**/**/c', b'*.pyc', '', '#c', '/']:\n"
    f"    show(lambda: {_GWM}.pattern_to_regex(p))\n"
)

PATHSPEC = RealModule(
    name="pathspec",
    pin="pathspec==0.12.1",
    package="pathspec",
    module="pathspec/patterns/gitwildmatch.py",
    targets=(
        "GitWildMatchPattern.pattern_to_regex",
        "GitWildMatchPattern._translate_segment_glob",
        "GitWildMatchPattern.escape",
    ),
    tests=(("tests/*.py", "tests/"),),
    test_command="pytest -q tests",
    changes=(
        regression(
            "pattern_to_regex: the escaped trailing space is stripped too",
            "dropped special case (edge value); tests catch",
            # baseline keeps 'foo\\ ' (a literal trailing space); changed matches 'foo'
            f"show(lambda: {_GWM}.pattern_to_regex('foo\\\\ '))",
            (
                "\t\tif pattern.endswith('\\\\ '):\n"
                "\t\t\t# EDGE CASE: Spaces can be escaped with backslash. If a pattern that ends\n"
                "\t\t\t# with backslash followed by a space, only strip from left.\n"
                "\t\t\tpattern = pattern.lstrip()\n"
                "\t\telse:\n"
                "\t\t\tpattern = pattern.strip()\n",
                "\t\tpattern = pattern.strip()\n",
            ),
        ),
        regression(
            "pattern_to_regex: bytes patterns no longer decoded",
            "removed input form; tests catch",
            # baseline: a bytes regex; changed: TypeError
            f"show(lambda: {_GWM}.pattern_to_regex(b'*.pyc'))",
            (
                "\t\tif isinstance(pattern, str):\n"
                "\t\t\treturn_type = str\n"
                "\t\telif isinstance(pattern, bytes):\n"
                "\t\t\treturn_type = bytes\n"
                "\t\t\tpattern = pattern.decode(_BYTES_ENCODING)\n"
                "\t\telse:\n",
                "\t\tif isinstance(pattern, str):\n\t\t\treturn_type = str\n\t\telse:\n",
            ),
        ),
        regression(
            "pattern_to_regex: repeated '**' segments no longer collapsed",
            "dropped normalisation; tests catch",
            # baseline '^a(?:/.+)?/c$' style; changed has the group twice
            f"show(lambda: {_GWM}.pattern_to_regex('a/**/**/c'))",
            (
                "\t\t\tfor i in range(len(pattern_segs) - 1, 0, -1):\n"
                "\t\t\t\tprev = pattern_segs[i-1]\n"
                "\t\t\t\tseg = pattern_segs[i]\n"
                "\t\t\t\tif prev == '**' and seg == '**':\n"
                "\t\t\t\t\tdel pattern_segs[i]\n",
                "",
            ),
        ),
        regression(
            "_translate_segment_glob: a dangling backslash is accepted",
            "dropped check; tests catch",
            # baseline: ValueError; changed: 'a'
            f"show(lambda: {_GWM}._translate_segment_glob('a\\\\'))\n"
            f"show(lambda: {_GWM}.pattern_to_regex('a\\\\'))",
            (
                "\t\tif escape:\n"
                '\t\t\traise ValueError(f"Escape character found with no next character '
                'to escape: {pattern!r}")\n',
                "",
            ),
        ),
        regression(
            "escape: translation table without '#'",
            "dropped normalisation (a table built from memory); tests catch",
            # baseline '\\#a'; changed '#a' (a comment line once written to .gitignore)
            f"show(lambda: {_GWM}.escape('#a[1]'))\nshow(lambda: {_GWM}.escape(b'#!'))",
            (
                '\t\tmeta_characters = r"[]!*#?"\n\n'
                '\t\tout_string = "".join("\\\\" + x if x in meta_characters else x '
                "for x in string)\n",
                "\t\tout_string = string.translate(_ESCAPES)\n",
            ),
            (
                "_DIR_MARK = 'ps_d'\n",
                "_DIR_MARK = 'ps_d'\n_ESCAPES = str.maketrans({c: '\\\\' + c for c in '[]!*?'})\n",
            ),
        ),
        honest(
            "escape: one precomputed translation table",
            "for s in ['#a[1]', '!x', 'a*b?', 'plain', '', 'é#', b'#!', b'x?']:\n"
            f"    show(lambda: {_GWM}.escape(s))",
            (
                '\t\tmeta_characters = r"[]!*#?"\n\n'
                '\t\tout_string = "".join("\\\\" + x if x in meta_characters else x '
                "for x in string)\n",
                "\t\tout_string = string.translate(_ESCAPES)\n",
            ),
            (
                "_DIR_MARK = 'ps_d'\n",
                "_DIR_MARK = 'ps_d'\n_ESCAPES = str.maketrans({c: '\\\\' + c for c in '[]!*#?'})\n",
            ),
        ),
        honest(
            "_translate_segment_glob: one branch for both negation marks",
            _GWM_PATTERNS
            + "for g in ['[!a]', '[^a]', '[a-c]', '[]]', '[!]]', '[', 'x[!', '\\\\[x]']:\n"
            f"    show(lambda: {_GWM}._translate_segment_glob(g))",
            (
                "\t\t\t\t\tif pattern[i] == '!':\n"
                "\t\t\t\t\t\t# Bracket expression needs to be negated.\n"
                "\t\t\t\t\t\texpr += '^'\n"
                "\t\t\t\t\t\ti += 1\n"
                "\t\t\t\t\telif pattern[i] == '^':\n",
                "\t\t\t\t\tif pattern[i] in '!^':\n",
            ),
        ),
    ),
)


# --- bidict: a two-way mapping with state, rollback and a cached inverse -------------

_BI = "import bidict as B\n"

BIDICT = RealModule(
    name="bidict",
    pin="bidict==0.23.1",
    package="bidict",
    module="bidict/_base.py",
    targets=(
        "BidictBase.__init__",
        "BidictBase._update",
        "BidictBase._dedup",
        "BidictBase.inverse",
        "BidictBase.__or__",
    ),
    notes="The sdist ships no tests: the tests-removed figures stand for both modes.",
    changes=(
        regression(
            "_update: the bulk-copy fast path forgets keyword items",
            "wrong fast path (extra argument ignored); no released tests",
            # baseline {1: 2, 'x': 3}; changed {1: 2}
            _BI + "show(lambda: dict(B.bidict(B.bidict({1: 2}), x=3)))",
            (
                "        if not self and not kw and isinstance(arg, BidictBase):\n",
                "        if not self and isinstance(arg, BidictBase):\n",
            ),
        ),
        regression(
            "_update: any mapping takes the bulk-copy fast path",
            "wrong fast path (skips the duplicate-value check); no released tests",
            # baseline ValueDuplicationError; changed a bidict whose inverse lost an item
            _BI + "show(lambda: dict(B.bidict({1: 'a', 2: 'a'})))\n"
            "show(lambda: B.frozenbidict({'x': 1, 'y': 1}).inverse[1])",
            (
                "        if not self and not kw and isinstance(arg, BidictBase):\n",
                "        if not self and not kw and isinstance(arg, t.Mapping):\n",
            ),
        ),
        regression(
            "_update: no undo log, a failed update is left half applied",
            "dropped rollback bookkeeping; no released tests",
            # baseline: the bidict is unchanged after the error; changed: 4 was added
            _BI + "b = B.bidict({1: 'a', 2: 'b', 3: 'c'})\n"
            "show(lambda: b.putall([(4, 'd'), (5, 'a')]))\n"
            "show(lambda: dict(b))",
            (
                "        unwrites: Unwrites | None = [] if rollback else None\n",
                "        unwrites: Unwrites | None = None\n",
            ),
        ),
        regression(
            "_dedup: re-putting an existing item is a duplication",
            "dropped special case; no released tests",
            # baseline: a no-op; changed: KeyAndValueDuplicationError
            _BI + "b = B.bidict({1: 2})\n"
            "show(lambda: b.__setitem__(1, 2))\nshow(lambda: b.put(1, 2))\nshow(lambda: dict(b))",
            (
                "            if key == oldkey:\n"
                "                assert val == oldval\n"
                "                # (key, val) duplicates an existing item -> no-op.\n"
                "                return None\n",
                "",
            ),
        ),
        regression(
            "__or__: updates self instead of a copy",
            "argument mutated in place; no released tests",
            # baseline: a stays {1: 2}; changed: a gains 3: 4
            _BI + "a = B.bidict({1: 2})\nc = a | {3: 4}\n"
            "show(lambda: dict(c))\nshow(lambda: dict(a))\nshow(lambda: c is a)",
            (
                "        new = self.copy()\n        new._update(other, rollback=False)\n",
                "        new = self\n        new._update(other, rollback=False)\n",
            ),
        ),
        honest(
            "equals_order_sensitive: map over both item views",
            _BI + "o = B.OrderedBidict([(1, 'a'), (2, 'b')])\n"
            "for other in [{1: 'a', 2: 'b'}, {2: 'b', 1: 'a'}, {1: 'a'}, [], None,\n"
            "              B.OrderedBidict([(1, 'a'), (2, 'b')]), {1: 'a', 2: 'b', 3: 'c'}]:\n"
            "    show(lambda: o.equals_order_sensitive(other))",
            (
                "        return all(starmap(eq, zip(self.items(), other.items())))\n",
                "        return all(map(eq, self.items(), other.items()))\n",
            ),
        ),
        honest(
            "_init_from: the inverse by a dict comprehension",
            _BI + "for arg in [{}, {1: 'a'}, [(1, 'a'), (2, 'b')], B.bidict({3: 'c'})]:\n"
            "    b = B.bidict()\n"
            "    show(lambda: (b._init_from(arg), dict(b), dict(b.inverse)))\n"
            "show(lambda: dict(B.bidict(B.bidict({1: 2})).inverse))\n"
            "show(lambda: dict(B.OrderedBidict({1: 2, 3: 4}).copy().inverse))\n"
            "show(lambda: dict(B.frozenbidict(a=1) | {'b': 2}))",
            (
                "        inv = other.inverse if isinstance(other, BidictBase) "
                "else inverted(self._fwdm)\n",
                "        inv = other.inverse if isinstance(other, BidictBase) "
                "else {v: k for k, v in self._fwdm.items()}\n",
            ),
        ),
    ),
)


# --- num2words: English number words; a class over a base class, untyped -------------

_EN = "n = m.Num2Word_EN()\n"

NUM2WORDS = RealModule(
    name="num2words",
    pin="num2words==0.5.13",
    package="num2words",
    module="num2words/lang_EN.py",
    targets=(
        "Num2Word_EN.to_ordinal",
        "Num2Word_EN.to_ordinal_num",
        "Num2Word_EN.to_year",
        "Num2Word_EN.merge",
    ),
    tests=(("tests/test_en.py", "tests/"),),
    test_command="pytest -q tests",
    changes=(
        regression(
            "to_year: a BC year ignores the suffix it was given",
            "parameter ignored; tests catch",
            # baseline 'forty-four BCE'; changed 'forty-four BC'
            _EN + "show(lambda: n.to_year(-44, suffix='BCE'))\nshow(lambda: n.to_year(-44))",
            (
                "            suffix = 'BC' if not suffix else suffix\n",
                "            suffix = 'BC'\n",
            ),
        ),
        regression(
            "to_year: 'oh' years bound off by one",
            "off-by-one; tests pass",
            # 2010: baseline 'twenty ten'; changed 'two thousand and ten'
            _EN + "show(lambda: n.to_year(2010))\nshow(lambda: n.to_year(1910))",
            (
                "                or (high % 10 == 0 and low < 10)\n",
                "                or (high % 10 == 0 and low <= 10)\n",
            ),
        ),
        regression(
            "to_ordinal_num: suffix from the last digit",
            "wrong fast path for 11-13; tests pass",
            # baseline '11th'; changed '11st'
            _EN + "for v in [1, 2, 3, 4, 11, 12, 13, 21, 111]:\n"
            "    show(lambda: n.to_ordinal_num(v))",
            (
                '        return "%s%s" % (value, self.to_ordinal(value)[-2:])\n',
                '        return "%s%s" % (value, _SUFFIXES.get(value % 10, "th"))\n',
            ),
            (
                "class Num2Word_EN(lang_EU.Num2Word_EU):\n",
                '_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}\n\n\n'
                "class Num2Word_EN(lang_EU.Num2Word_EU):\n",
            ),
        ),
        regression(
            "to_ordinal: no ordinal check",
            "dropped check; tests pass",
            # baseline TypeError for -3 and 2.5; changed 'minus third', ...
            _EN + "show(lambda: n.to_ordinal(-3))\nshow(lambda: n.to_ordinal(2.5))",
            (
                "    def to_ordinal(self, value):\n        self.verify_ordinal(value)\n",
                "    def to_ordinal(self, value):\n",
            ),
        ),
        regression(
            "merge: exactly one hundred joins with a comma",
            "off-by-one; tests catch",
            # baseline 'one hundred and five'; changed 'one hundred, five'
            _EN + "show(lambda: n.to_cardinal(105))\nshow(lambda: n.to_cardinal(250))",
            (
                "        elif lnum >= 100 > rnum:\n",
                "        elif lnum > 100 > rnum:\n",
            ),
        ),
        honest(
            "to_ordinal: dict.get instead of try/except",
            _EN + "for v in [0, 1, 2, 3, 5, 8, 9, 12, 20, 21, 40, 99, 100, 101, 1000, 10**6]:\n"
            "    show(lambda: n.to_ordinal(v))\n    show(lambda: n.to_ordinal_num(v))",
            (
                "        try:\n"
                "            lastword = self.ords[lastword]\n"
                "        except KeyError:\n"
                '            if lastword[-1] == "y":\n',
                "        ordword = self.ords.get(lastword)\n"
                "        if ordword is not None:\n"
                "            lastword = ordword\n"
                "        else:\n"
                '            if lastword[-1] == "y":\n',
            ),
        ),
        honest(
            "to_year: divmod",
            _EN + "for v in [0, 5, 10, 99, 100, 101, 900, 1066, 1900, 1901, 1910, 2000, 2009,\n"
            "          2010, 9999, 10000, -1, -44, -2000]:\n"
            "    show(lambda: n.to_year(v))\nshow(lambda: n.to_year(-44, suffix='BCE'))",
            (
                "        high, low = (val // 100, val % 100)\n",
                "        high, low = divmod(val, 100)\n",
            ),
        ),
    ),
)


# --- validators: card numbers; Luhn's check and a regex per brand, decorated --------

_CARDS = (
    "for v in ['4242424242424242', '4000002760003184', '5555555555554444',\n"
    "          '2223003122003222', '378282246310005', '6200000000000005',\n"
    "          '3056930009020004', '36227206271667', '3566002020360505',\n"
    "          '6011111111111117', '4242424242424241', '', '42424242424242x2',\n"
    "          '0', '00', '18', '4242 4242 4242 4242', '\\u0664' * 16]:\n"
    "    for f in [m.card_number, m.visa, m.mastercard, m.amex, m.unionpay, m.diners,\n"
    "              m.jcb, m.discover]:\n"
    "        show(lambda: bool(f(v)))\n"
)

VALIDATORS = RealModule(
    name="validators",
    pin="validators==0.34.0",
    package="src/validators",
    module="validators/card.py",
    targets=("card_number", "visa", "mastercard", "amex", "diners"),
    tests=(("tests/test_card.py", "tests/"),),
    test_command="pytest -q tests",
    changes=(
        regression(
            "card_number: no empty check",
            "dropped empty check (the sum of no digits is 0); tests pass",
            # baseline ValidationError; changed True
            "show(lambda: bool(m.card_number('')))",
            ("    if not value:\n        return False\n    try:\n", "    try:\n"),
        ),
        regression(
            "card_number: digits by ord() instead of int()",
            "narrowed input check (no ValueError for non-digits); tests pass",
            # baseline False, True; changed True (a letter's code passes Luhn), False (Arabic-Indic)
            "show(lambda: bool(m.card_number('424242424242424F')))\n"
            "show(lambda: bool(m.card_number('\\u0664\\u0662' * 8)))",
            (
                "        digits = list(map(int, value))\n",
                "        digits = [ord(c) - 48 for c in value]\n",
            ),
        ),
        regression(
            "mastercard: brand by the first digit",
            "wrong fast path (a 2-series prefix check too wide); tests pass",
            # baseline ValidationError for a Luhn-valid 16 digits starting 56; changed True
            "show(lambda: bool(m.mastercard('5600000000000003')))\n"
            "show(lambda: bool(m.mastercard('2000000000000006')))",
            (
                '    pattern = re.compile(r"^(51|52|53|54|55|22|23|24|25|26|27)")\n'
                "    return card_number(value) and len(value) == 16 and pattern.match(value)\n",
                "    return card_number(value) and len(value) == 16 and value[:1] in ('2', '5')\n",
            ),
        ),
        regression(
            "diners: 14-digit numbers dropped",
            "removed input form; tests catch",
            # baseline True; changed ValidationError
            "show(lambda: bool(m.diners('36227206271667')))",
            (
                "    return card_number(value) and len(value) in {14, 16} "
                "and pattern.match(value)\n",
                "    return card_number(value) and len(value) == 16 and pattern.match(value)\n",
            ),
        ),
        regression(
            "card_number: Luhn doubles from the left",
            "off-by-one parity (right only for even lengths); tests catch",
            # a valid 15-digit Amex: baseline True; changed ValidationError
            "show(lambda: bool(m.card_number('378282246310005')))\n"
            "show(lambda: bool(m.card_number('4242424242424242')))",
            (
                "        odd_sum = sum(digits[-1::-2])\n"
                "        even_sum = sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])\n",
                "        odd_sum = sum(digits[1::2])\n"
                "        even_sum = sum(sum(divmod(2 * d, 10)) for d in digits[::2])\n",
            ),
        ),
        honest(
            "visa and mastercard: patterns compiled once",
            _CARDS,
            (
                '    pattern = re.compile(r"^4")\n'
                "    return card_number(value) and len(value) == 16 and pattern.match(value)\n",
                "    return card_number(value) and len(value) == 16 and _VISA.match(value)\n",
            ),
            (
                '    pattern = re.compile(r"^(51|52|53|54|55|22|23|24|25|26|27)")\n'
                "    return card_number(value) and len(value) == 16 and pattern.match(value)\n",
                "    return card_number(value) and len(value) == 16 and _MASTERCARD.match(value)\n",
            ),
            (
                "from .utils import validator\n",
                "from .utils import validator\n\n"
                '_VISA = re.compile(r"^4")\n'
                '_MASTERCARD = re.compile(r"^(51|52|53|54|55|22|23|24|25|26|27)")\n',
            ),
        ),
        honest(
            "card_number: the doubled digit's digit sum by arithmetic",
            _CARDS,
            (
                "        even_sum = sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])\n",
                "        even_sum = sum(2 * d - 9 if d > 4 else 2 * d for d in digits[-2::-2])\n",
            ),
        ),
    ),
)


# --- pyhumps: camelCase / snake_case / kebab-case of strings and nested dicts --------

_HUMPS = (
    "for s in ['hello_world', 'helloWorld', 'HelloWorld', 'APIResponse', 'hello world',\n"
    "          '  x_y ', '', None, 123, '123', 'HELLO', 'a-b-c', '_private', 'ab__cd',\n"
    "          'fallback_url', 'Σίσυφος_x', 'v2_api']:\n"
    "    for f in [m.camelize, m.pascalize, m.decamelize, m.kebabize, m.dekebabize,\n"
    "              m.depascalize, m.is_snakecase, m.is_camelcase]:\n"
    "        show(lambda: f(s))\n"
    "show(lambda: m.camelize({'a_b': [{'c_d': 1}], 'e': None}))\n"
)

PYHUMPS = RealModule(
    name="pyhumps",
    pin="pyhumps==3.8.0",
    package="humps",
    module="humps/main.py",
    targets=("camelize", "pascalize", "decamelize", "kebabize", "_process_keys"),
    tests=(("tests/*.py", "tests/"),),
    test_command="pytest -q tests",
    changes=(
        regression(
            "_is_none: strip instead of removing all whitespace",
            "dropped normalisation; tests pass",
            # baseline 'helloWorld'... changed keeps the inner space
            "show(lambda: m.camelize('hello _world'))\nshow(lambda: m.decamelize('my Var'))",
            (
                '    return "" if _in is None else re.sub(r"\\s+", "", str(_in))\n',
                '    return "" if _in is None else str(_in).strip()\n',
            ),
        ),
        regression(
            "_is_none: None no longer means empty",
            "dropped None check; tests catch",
            # baseline ''; changed 'none' / 'None'
            "show(lambda: m.camelize(None))\nshow(lambda: m.pascalize(None))",
            (
                '    return "" if _in is None else re.sub(r"\\s+", "", str(_in))\n',
                '    return re.sub(r"\\s+", "", str(_in))\n',
            ),
        ),
        regression(
            "_process_keys: lists converted in place",
            "argument mutated in place; tests pass",
            # baseline: the caller's list keeps 'a_b'; changed: it now holds 'aB'
            "data = [{'a_b': 1}]\nshow(lambda: m.camelize(data))\nshow(lambda: data)",
            (
                "        return [_process_keys(k, fn) for k in str_or_iter]\n",
                "        for i, k in enumerate(str_or_iter):\n"
                "            str_or_iter[i] = _process_keys(k, fn)\n"
                "        return str_or_iter\n",
            ),
        ),
        regression(
            "pascalize: no empty-string guard",
            "dropped empty check; tests catch",
            # baseline ''; changed IndexError
            "show(lambda: m.pascalize(''))\nshow(lambda: m.pascalize('   '))",
            (
                "    return s[0].upper() + s[1:] if len(s) != 0 else s\n",
                "    return s[0].upper() + s[1:]\n",
            ),
        ),
        regression(
            "camelize: the all-caps fast path returns the cleaned string",
            "wrong fast path (returns a normalised copy, not the input); tests catch",
            # baseline 'HELLO WORLD' and the int 123; changed 'HELLOWORLD' and '123'
            "show(lambda: m.camelize('HELLO WORLD'))\nshow(lambda: m.camelize(123))",
            (
                "    if s.isupper() or s.isnumeric():\n"
                "        return str_or_iter\n\n"
                "    if len(s) != 0 and not s[:2].isupper():\n",
                "    if s.isupper() or s.isnumeric():\n"
                "        return s\n\n"
                "    if len(s) != 0 and not s[:2].isupper():\n",
            ),
        ),
        honest(
            "_is_none: whitespace pattern compiled once",
            _HUMPS,
            (
                '    return "" if _in is None else re.sub(r"\\s+", "", str(_in))\n',
                '    return "" if _in is None else _WHITESPACE_RE.sub("", str(_in))\n',
            ),
            (
                'UNDERSCORE_RE = re.compile(r"(?<=[^\\-_])[\\-_]+[^\\-_]")\n',
                'UNDERSCORE_RE = re.compile(r"(?<=[^\\-_])[\\-_]+[^\\-_]")\n'
                '_WHITESPACE_RE = re.compile(r"\\s+")\n',
            ),
        ),
        honest(
            "decamelize: all-lowercase strings returned at once",
            _HUMPS,
            (
                "    return _separate_words(_fix_abbreviations(s)).lower()\n",
                "    if s.islower():\n"
                "        return s\n"
                "    return _separate_words(_fix_abbreviations(s)).lower()\n",
            ),
        ),
    ),
)


# --- Unidecode: transliteration to ASCII; a codec over lazily imported tables --------

_UNI = (
    "for s in ['', 'abc', 'Κνωσός', '\\u5317\\u4EB0', 'naïve café', '\\x80\\x81', '\\u02ff',\n"
    "          '\\U000f0000', 'a\\U0010ffffb', '\\u2603', 'ǅ', '\\ufeff']:\n"
    "    for errors in ['ignore', 'replace', 'preserve', 'strict']:\n"
    "        show(lambda: m.unidecode_expect_ascii(s, errors=errors, replace_str='*'))\n"
    "        show(lambda: m.unidecode_expect_nonascii(s, errors=errors))\n"
)

UNIDECODE = RealModule(
    name="unidecode",
    pin="Unidecode==1.3.8",
    package="unidecode",
    module="unidecode/__init__.py",
    targets=("unidecode_expect_ascii", "unidecode_expect_nonascii", "_unidecode"),
    tests=(("tests/test_unidecode.py", "tests/"),),
    test_command="pytest -q tests",
    changes=(
        regression(
            "_get_repl_str: ASCII bound off by one",
            "off-by-one; tests pass",
            # U+0080: baseline '' (no transliteration); changed '\x80' passes through
            "show(lambda: m.unidecode('\\x80'))\n"
            "show(lambda: m.unidecode('a\\x80', errors='strict'))",
            ("    if codepoint < 0x80:\n", "    if codepoint <= 0x80:\n"),
        ),
        regression(
            "_get_repl_str: no bound check on a short table",
            "dropped check (the last table of a section is short); tests catch",
            # U+02FF: baseline '' (ignored); changed IndexError
            "show(lambda: m.unidecode('\\u02ff'))",
            (
                "    if table and len(table) > position:\n        return table[position]\n",
                "    if table:\n        return table[position]\n",
            ),
        ),
        regression(
            "_unidecode: the errors value checked up front",
            "check hoisted out of the loop (stricter: raises on text that needs no fallback); "
            "tests pass",
            # baseline 'abc' and 'Bei Jing '; changed UnidecodeError
            "show(lambda: m.unidecode_expect_nonascii('abc', errors='bogus'))\n"
            "show(lambda: m.unidecode('\\u5317\\u4EB0', errors='bogus'))",
            (
                "def _unidecode(string: str, errors: str, replace_str:str) -> str:\n"
                "    retval = []\n",
                "def _unidecode(string: str, errors: str, replace_str:str) -> str:\n"
                "    if errors not in ('ignore', 'strict', 'replace', 'preserve'):\n"
                "        raise UnidecodeError("
                "'invalid value for errors parameter %r' % (errors,))\n"
                "    retval = []\n",
            ),
        ),
        regression(
            "_unidecode: 'replace' uses a hoisted '?'",
            "parameter ignored; tests catch",
            # baseline '*'; changed '?'
            "show(lambda: m.unidecode('\\U000f0000', errors='replace', replace_str='*'))",
            (
                "            elif errors == 'replace':\n                repl = replace_str\n",
                "            elif errors == 'replace':\n                repl = '?'\n",
            ),
        ),
        regression(
            "_get_repl_str: the surrogate warning dropped",
            "dropped check (a warning nobody reads); tests catch",
            # with warnings as errors: baseline RuntimeWarning; changed ''
            "import warnings\nwarnings.simplefilter('error')\nshow(lambda: m.unidecode('\\ud800'))",
            (
                "    if 0xd800 <= codepoint <= 0xdfff:\n"
                '        warnings.warn(  "Surrogate character %r will be ignored. "\n'
                '                        "You might be using a narrow Python build." % (char,),\n'
                "                        RuntimeWarning, 2)\n",
                "",
            ),
        ),
        honest(
            "unidecode_expect_ascii: str.isascii instead of encoding",
            _UNI,
            (
                "    try:\n"
                "        bytestring = string.encode('ASCII')\n"
                "    except UnicodeEncodeError:\n"
                "        pass\n"
                "    else:\n"
                "        return string\n",
                "    if string.isascii():\n        return string\n",
            ),
        ),
        honest(
            "_get_repl_str: section and position by divmod",
            _UNI,
            (
                "    section = codepoint >> 8   # Chop off the last two hex digits\n"
                "    position = codepoint % 256 # Last two hex digits\n",
                "    section, position = divmod(codepoint, 256)\n",
            ),
        ),
    ),
)


# --- astral: dataclasses with validating __setattr__, enums, DMS strings ------------

_DMS = (
    'for v in ["24°28\'N", \'24°\', "54°22\'E", "37°58\'S", "171°50\'w", "51°31\'20\\"n",\n'
    "          '0.2', '-12.5', 12, -95.0, '95', 'x', None, '', \"180°50'w\"]:\n"
    "    show(lambda: m.dms_to_float(v))\n"
    "    show(lambda: m.dms_to_float(v, 90.0))\n"
)

ASTRAL = RealModule(
    name="astral",
    pin="astral==3.2",
    package="src/astral",
    module="astral/__init__.py",
    targets=("dms_to_float", "hours_to_time", "time_to_hours", "refraction_at_zenith", "Observer"),
    tests=(("src/test/*.py", "test/"),),
    test_command="pytest -q test",
    notes="Six test files import freezegun, which the `bench` extra installs.",
    changes=(
        regression(
            "dms_to_float: only the upper limit clamps",
            "dropped sign (the lower bound); tests catch",
            # baseline -90.0; changed -100.0
            "show(lambda: m.dms_to_float(-100, 90.0))\n"
            'show(lambda: m.Observer(latitude="95°S").latitude)',
            (
                "        if res > limit:\n"
                "            res = limit\n"
                "        elif res < -limit:\n"
                "            res = -limit\n",
                "        if res > limit:\n            res = limit\n",
            ),
        ),
        regression(
            "dms_to_float: direction compared without upper-casing",
            "dropped normalisation; tests catch",
            # baseline -51.5; changed 51.5 (the regex accepts lower case)
            'show(lambda: m.dms_to_float("51°30\'s"))',
            (
                '            if dir_.upper() in ["S", "W"]:\n',
                '            if dir_ in "SW":\n',
            ),
        ),
        regression(
            "dms_to_float: only ValueError falls back to the DMS parser",
            "narrowed except; tests pass",
            # baseline ValueError; changed TypeError
            "show(lambda: m.dms_to_float(None))\nshow(lambda: m.Observer(latitude=[1]))",
            (
                "    except (ValueError, TypeError) as exc:\n",
                "    except ValueError as exc:\n",
            ),
        ),
        regression(
            "Observer: the (elevation, distance) tuple form dropped",
            "removed input form; tests pass",
            # baseline (10.0, 100.0); changed TypeError
            "show(lambda: m.Observer(elevation=(10, 100)).elevation)",
            (
                '        elif name == "elevation":\n'
                "            if isinstance(value, tuple):\n"
                "                value = (float(value[0]), float(value[1]))\n"
                "            else:\n"
                "                value = float(value)\n",
                '        elif name == "elevation":\n            value = float(value)\n',
            ),
        ),
        regression(
            "refraction_at_zenith: the no-refraction bound off by one",
            "off-by-one; tests pass",
            # zenith 5 (elevation 85): baseline 0; changed a small positive float
            "show(lambda: m.refraction_at_zenith(5.0))",
            ("    if elevation >= 85.0:\n", "    if elevation > 85.0:\n"),
        ),
        honest(
            "dms_to_float: the DMS pattern compiled once",
            _DMS,
            (
                "        _dms_re = r\"(?P<deg>\\d{1,3})[°]((?P<min>\\d{1,2})[′'])?"
                '((?P<sec>\\d{1,2})[″\\"])?(?P<dir>[NSEW])?"  # noqa\n'
                "        dms_match = re.match(_dms_re, str(dms), flags=re.IGNORECASE)\n",
                "        dms_match = _DMS_RE.match(str(dms))\n",
            ),
            (
                "def now(tz: Optional[datetime.tzinfo] = None) -> datetime.datetime:\n",
                "_DMS_RE = re.compile(\n"
                "    r\"(?P<deg>\\d{1,3})[°]((?P<min>\\d{1,2})[′'])?"
                '((?P<sec>\\d{1,2})[″\\"])?(?P<dir>[NSEW])?",\n'
                "    re.IGNORECASE,\n"
                ")\n\n\n"
                "def now(tz: Optional[datetime.tzinfo] = None) -> datetime.datetime:\n",
            ),
        ),
        honest(
            "time_to_hours: one expression",
            "import datetime as d\n"
            "for t in [d.time(), d.time(1, 2, 3, 4), d.time(23, 59, 59, 999999), d.time(12, 30),\n"
            "          d.time(0, 0, 0, 1), d.time(6, 7, 8)]:\n"
            "    show(lambda: m.time_to_hours(t))\n    show(lambda: m.time_to_seconds(t))",
            (
                "    hours = 0.0\n"
                "    hours += value.hour\n"
                "    hours += value.minute / 60\n"
                "    hours += value.second / 3600\n"
                "    hours += value.microsecond / 1000000\n\n"
                "    return hours\n",
                "    return (\n"
                "        value.hour + value.minute / 60 + value.second / 3600 "
                "+ value.microsecond / 1000000\n"
                "    )\n",
            ),
        ),
    ),
)


# --- packageurl-python: purl strings to a NamedTuple and back ------------------------

_PURLS = (
    "for s in ['pkg:pypi/Django_Package@1.0', 'pkg:npm/@angular/core@1.0',\n"
    "          'pkg:npm/@angular/core', 'pkg:maven/org.apache/commons@1.2?b=2&A=1#sub/dir',\n"
    "          'pkg:generic/name@1:2.0', 'pkg:github/Foo/Bar', 'pkg:deb/debian/curl?arch=i386',\n"
    "          'pkg://pypi/x', 'pkg:pypi', 'x:pypi/y', '', 'pkg:gem/a?k=', 'pkg:gem/a?1k=v']:\n"
    "    show(lambda: m.PackageURL.from_string(s))\n"
    "    show(lambda: m.PackageURL.from_string(s).to_string())\n"
    "for q in ['b=2&a=1', 'Arch=x86', {'B': 'x y', 'a': ''}, '', 'novalue', {'1a': 'x'}]:\n"
    "    show(lambda: m.normalize_qualifiers(q, encode=True))\n"
    "    show(lambda: m.normalize_qualifiers(q, encode=False))\n"
)

PACKAGEURL = RealModule(
    name="packageurl",
    pin="packageurl-python==0.16.0",
    package="src/packageurl",
    module="packageurl/__init__.py",
    targets=(
        "PackageURL.from_string",
        "PackageURL.to_string",
        "normalize_qualifiers",
        "normalize_name",
        "quote",
    ),
    tests=(
        ("tests/test_packageurl.py", "tests/"),
        ("tests/data/*.json", "tests/data/"),
    ),
    test_command="pytest -q tests",
    changes=(
        regression(
            "normalize_name: PyPI underscores kept",
            "dropped normalisation (.replace); tests catch",
            # baseline 'django-package'; changed 'django_package'
            "show(lambda: m.PackageURL.from_string('pkg:pypi/Django_Package@1.0').name)",
            (
                '    if ptype == "pypi":\n        name_str = name_str.replace("_", "-")\n',
                "",
            ),
        ),
        regression(
            "normalize_qualifiers: keys not lower-cased",
            "dropped normalisation (.lower); tests catch",
            # baseline 'arch=x86'; changed 'Arch=x86'
            "show(lambda: m.normalize_qualifiers('Arch=x86', encode=True))",
            (
                "        k.strip().lower(): quoter(v)\n",
                "        k.strip(): quoter(v)\n",
            ),
        ),
        regression(
            "normalize_qualifiers: output no longer sorted",
            "reordered output; tests catch",
            # baseline 'a=1&b=2'; changed 'b=2&a=1'
            "show(lambda: m.normalize_qualifiers('b=2&a=1', encode=True))",
            ("    qualifiers_map = dict(sorted(qualifiers_map.items()))\n", ""),
        ),
        regression(
            "from_string: the npm scope special case dropped",
            "dropped special case (wrong without a version); tests catch",
            # baseline namespace '@angular', name 'core'; changed ValueError
            "show(lambda: m.PackageURL.from_string('pkg:npm/@angular/core'))\n"
            "show(lambda: m.PackageURL.from_string('pkg:npm/@angular/core@1.0'))",
            (
                '        if type == "npm" and path.startswith("@"):\n'
                '            namespace, sep, path = path.partition("/")\n',
                "",
            ),
        ),
        regression(
            "quote: colons stay percent-encoded",
            "dropped normalisation (.replace); tests catch",
            # baseline 'pkg:generic/name@1:2.0'; changed '...@1%3A2.0'
            "show(lambda: m.PackageURL('generic', None, 'name', '1:2.0').to_string())",
            ('    quoted = quoted.replace("%3A", ":")\n', ""),
        ),
        honest(
            "normalize_qualifiers: the key alphabet as a module constant",
            _PURLS,
            (
                '    valid_chars = string.ascii_letters + string.digits + ".-_"\n',
                "    valid_chars = _QUALIFIER_KEY_CHARS\n",
            ),
            (
                "def quote(s: AnyStr) -> str:\n",
                '_QUALIFIER_KEY_CHARS = frozenset(string.ascii_letters + string.digits + ".-_")\n'
                "\n\ndef quote(s: AnyStr) -> str:\n",
            ),
        ),
        honest(
            "get_quoter: a named identity instead of a new lambda per call",
            _PURLS,
            ("        return lambda x: x\n", "        return _identity\n"),
            (
                "def quote(s: AnyStr) -> str:\n",
                "def _identity(x: str) -> str:\n    return x\n\n\ndef quote(s: AnyStr) -> str:\n",
            ),
        ),
    ),
)


MODULES: tuple[RealModule, ...] = (
    PATHSPEC,
    BIDICT,
    NUM2WORDS,
    VALIDATORS,
    PYHUMPS,
    UNIDECODE,
    ASTRAL,
    PACKAGEURL,
)
