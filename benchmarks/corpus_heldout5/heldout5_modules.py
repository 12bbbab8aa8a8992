"""The fifth held-out corpus: eight more pinned PyPI releases nobody tuned against.

Same format and machinery as ``corpus_real/real_modules.py`` (its dataclasses are
imported, not copied) and the four earlier held-out corpora: each entry pins a release
that ``guard_strength.py --corpus heldout5`` downloads as an sdist, names the module an
optimizing agent would be pointed at, the functions improve.md would name, and changes
written as exact text replacements of the pinned source.

Why a fifth held-out corpus: the first four have been read while deciding what to
build next, so their kill rates drift towards an upper bound. This one was written in
one sitting by a helper session that did not read the generators, their tests,
``docs/generators.md``, nor the changes of the other corpora (their data format only),
and did not look at which regressions the generators catch. The regressions are written
as an agent chasing speed makes them, not as a test writer who knows the tool. Keep it
that way: do not tune a generator against these modules.

The modules cover a parser of a text format (aniso8601's ISO 8601 durations), a
stateful class computing with ``Decimal`` (cvss's CVSS3 vector and scores), a
number-to-text formatter (humanfriendly's sizes, numbers and timespans), validators
(marshmallow's validator classes), a string-transforming utility (pydash's case
conversions), a codec (simplejson's pure-Python decoder), a module built on enums and a
dataclass-like version class (dunamai's version serializers) and a module whose tests
lean on fixtures (sqlparse's option validator and filter-stack builder). Each
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


# --- aniso8601: ISO 8601 durations, a parser of a text format -------------------------

ANISO8601 = RealModule(
    name="aniso8601",
    pin="aniso8601==9.0.1",
    package="aniso8601",
    module="aniso8601/duration.py",
    targets=("parse_duration", "get_duration_resolution"),
    tests=(
        ("aniso8601/tests/*.py", "aniso8601/tests/"),
        ("aniso8601/builders/tests/*.py", "aniso8601/builders/tests/"),
    ),
    test_command="pytest -q aniso8601/tests aniso8601/builders/tests",
    changes=(
        regression(
            "_parse_duration_prescribed: fraction checks on the raw string",
            "dropped normalisation (comma decimals escape the one-fraction check: "
            "P1,5Y2,5M is accepted); tests pass",
            _MSG + "show(lambda: msg(lambda: m.parse_duration('P1,5Y2,5M', "
            "builder=m.TupleBuilder)))\n"
            "show(lambda: m.parse_duration('PT1,5H'))",
            (
                "    # Make sure only the lowest order element has decimal precision\n"
                "    durationstr = normalize(isodurationstr)\n",
                "    # Make sure only the lowest order element has decimal precision\n"
                "    durationstr = isodurationstr\n",
            ),
        ),
        regression(
            "_parse_duration_prescribed: trailing designator no longer checked",
            "dropped check (trailing garbage after the last designator is accepted); tests pass",
            _MSG + "show(lambda: msg(lambda: m.parse_duration('P1Y2M3', builder=m.TupleBuilder)))",
            (
                '    if isodurationstr[-1] not in ["Y", "M", "D", "H", "S", "W"]:\n'
                '        raise ISOFormatError("ISO 8601 duration must end with a valid " '
                '"character.")\n',
                "",
            ),
        ),
        regression(
            "parse_duration: type check dropped, len() does it",
            "dropped None check (None and numbers raise TypeError, not ValueError); tests catch",
            "show(lambda: m.parse_duration(None))\nshow(lambda: m.parse_duration(5))",
            (
                "    if compat.is_string(isodurationstr) is False:\n"
                '        raise ValueError("Duration must be string.")\n\n',
                "",
            ),
        ),
        regression(
            "get_duration_resolution: week durations answered from the last letter",
            "fast path skipping validation ('P1YW' is Weeks instead of an error); tests pass",
            "show(lambda: m.get_duration_resolution('P1YW'))\n"
            "show(lambda: m.get_duration_resolution('P2W'))",
            (
                "    # P<date>T<time>\n"
                "    isodurationtuple = parse_duration(isodurationstr, builder=TupleBuilder)\n",
                "    # P<date>T<time>\n"
                '    if isodurationstr[-1:] == "W":\n'
                "        return DurationResolution.Weeks\n"
                "    isodurationtuple = parse_duration(isodurationstr, builder=TupleBuilder)\n",
            ),
        ),
        regression(
            "_parse_duration_prescribed_notime: day slice ends before the designator",
            "off-by-one slice (P1M2D reads '2' then drops the last digit: P1M12D is 1 day); "
            "tests catch",
            "show(lambda: m.parse_duration('P1M12D', builder=m.TupleBuilder))\n"
            "show(lambda: m.parse_duration('P3Y1M12D', builder=m.TupleBuilder))",
            (
                "    elif monthidx != -1 and dayidx != -1:\n"
                "        monthstr = durationstr[1:monthidx]\n"
                "        daystr = durationstr[monthidx + 1 : -1]\n",
                "    elif monthidx != -1 and dayidx != -1:\n"
                "        monthstr = durationstr[1:monthidx]\n"
                "        daystr = durationstr[monthidx + 1 : -2]\n",
            ),
        ),
        honest(
            "_has_any_component: any() over membership tests",
            "show(lambda: m.parse_duration('P1Y2M3DT4H5M6S', builder=m.TupleBuilder))\n"
            "show(lambda: m.parse_duration('P0001-02-03T04:05:06', builder=m.TupleBuilder))\n"
            "show(lambda: m.get_duration_resolution('PT1M'))\n"
            "show(lambda: m.parse_duration('P'))",
            (
                "    for component in components:\n"
                "        if durationstr.find(component) != -1:\n"
                "            return True\n\n"
                "    return False\n",
                "    return any(component in durationstr for component in components)\n",
            ),
        ),
        honest(
            "parse_duration: a truth test for the empty string",
            _MSG + "show(lambda: msg(lambda: m.parse_duration('')))\n"
            "show(lambda: msg(lambda: m.parse_duration(b'')))\n"
            "show(lambda: m.parse_duration('P1W'))\nshow(lambda: m.parse_duration('PT0S'))",
            (
                "    if len(isodurationstr) == 0:\n",
                "    if not isodurationstr:\n",
            ),
        ),
    ),
)


# --- cvss: a stateful class that parses a vector and scores it with Decimal ------------

_CVSS_V = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N"

CVSS = RealModule(
    name="cvss",
    pin="cvss==3.2",
    package="cvss",
    module="cvss/cvss3.py",
    targets=("CVSS3.__init__", "CVSS3.scores", "CVSS3.clean_vector", "CVSS3.severities"),
    tests=(("tests/test_cvss3.py", "tests/test_cvss3.py"),),
    test_command="pytest -q tests/test_cvss3.py",
    notes="The sdist ships the test module without the vector files and JSON schemas it "
    "reads, so its file-driven tests fail on the baseline too (FileNotFoundError); the "
    "other tests run.",
    changes=(
        regression(
            "round_up: float ceiling instead of Decimal.quantize",
            "float instead of Decimal (a value just above a tenth is not rounded up; "
            "Decimal('1E+1') instead of Decimal('10.0')); tests pass",
            "show(lambda: m.round_up(m.D('4.000000000000000001')))\n"
            "c = m.CVSS3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')\n"
            "show(lambda: (c.base_score, c.scores()))",
            ("import copy\n", "import copy\nimport math\n"),
            (
                '    return value.quantize(D("0.1"), rounding=ROUND_CEILING)\n',
                "    return D(math.ceil(float(value) * 10)) / D(10)\n",
            ),
        ),
        regression(
            "get_value: privileges table of a changed scope only for PR",
            "skipped special case (MPR under a modified scope MS:C); tests pass",
            "show(lambda: m.CVSS3('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C/MPR:L')"
            ".scores())",
            (
                '        if (abbreviation == "PR" and self.scope == "C") or (\n'
                '            abbreviation == "MPR" and self.modified_scope == "C"\n'
                "        ):\n",
                '        if abbreviation == "PR" and self.scope == "C":\n',
            ),
        ),
        regression(
            "parse_vector: duplicate metrics no longer rejected",
            "dropped check (the last duplicate wins); tests catch",
            _MSG + "show(lambda: msg(lambda: m.CVSS3("
            "'CVSS:3.1/AV:N/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N').scores()))",
            (
                "                    if metric in self.metrics:\n"
                "                        raise CVSS3MalformedError('Duplicate metric "
                '"{0}"\'.format(metric))\n',
                "",
            ),
        ),
        regression(
            "clean_vector: metrics in the order they were given",
            "reordered output (and __eq__/__hash__ now depend on the input order); tests catch",
            "a = m.CVSS3('CVSS:3.0/S:U/AV:N/AC:L/PR:L/UI:N/C:H/I:L/A:N/E:P')\n"
            "show(lambda: a.clean_vector())\n"
            f"show(lambda: a == m.CVSS3({_CVSS_V.replace('3.1', '3.0') + '/E:P'!r}))",
            (
                "        for metric in METRICS_ABBREVIATIONS:\n"
                "            if metric in self.original_metrics:\n"
                "                value = self.original_metrics[metric]\n"
                '                if value != "X":\n',
                "        for metric, value in self.original_metrics.items():\n"
                "            if True:\n"
                '                if value != "X":\n',
            ),
        ),
        regression(
            "severities: strict bound for Low",
            "off-by-one bound (3.9 is Medium); tests catch",
            f"c = m.CVSS3({_CVSS_V!r})\nc.base_score = m.D('3.9')\nshow(lambda: c.severities())",
            ('            elif score <= D("3.9"):\n', '            elif score < D("3.9"):\n'),
        ),
        honest(
            "get_value: the changed-scope privileges table hoisted to a module constant",
            f"show(lambda: m.CVSS3({_CVSS_V.replace('S:U', 'S:C')!r}).scores())\n"
            "show(lambda: m.CVSS3('CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H/MS:C/MPR:L')"
            ".scores())\n"
            "show(lambda: m.CVSS3('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/MPR:X')"
            ".get_value('MPR'))",
            (
                "class CVSS3(object):\n",
                '_PR_SCOPE_CHANGED = {"X": None, "N": D("0.85"), "L": D("0.68"), '
                '"H": D("0.50")}\n\n\nclass CVSS3(object):\n',
            ),
            (
                '            result = {"X": None, "N": D("0.85"), "L": D("0.68"), '
                '"H": D("0.50")}[string_value]\n',
                "            result = _PR_SCOPE_CHANGED[string_value]\n",
            ),
        ),
        honest(
            "clean_vector: one list comprehension",
            "a = m.CVSS3('CVSS:3.0/S:U/AV:N/AC:L/PR:L/UI:N/C:H/I:L/A:N/E:P/MAV:X')\n"
            "show(lambda: a.clean_vector())\nshow(lambda: a.clean_vector(output_prefix=False))\n"
            "show(lambda: a.rh_vector())\nshow(lambda: hash(a) == hash(m.CVSS3(a.clean_vector())))",
            (
                "        vector = []\n"
                "        for metric in METRICS_ABBREVIATIONS:\n"
                "            if metric in self.original_metrics:\n"
                "                value = self.original_metrics[metric]\n"
                '                if value != "X":\n'
                '                    vector.append("{0}:{1}".format(metric, value))\n',
                "        original = self.original_metrics\n"
                "        vector = [\n"
                '            "{0}:{1}".format(metric, original[metric])\n'
                "            for metric in METRICS_ABBREVIATIONS\n"
                '            if original.get(metric, "X") != "X"\n'
                "        ]\n",
            ),
        ),
    ),
)


# --- humanfriendly: sizes, numbers and timespans as text ------------------------------

HUMANFRIENDLY = RealModule(
    name="humanfriendly",
    pin="humanfriendly==10.0",
    package="humanfriendly",
    module="humanfriendly/__init__.py",
    targets=("format_size", "parse_size", "format_number", "format_timespan"),
    tests=(("humanfriendly/tests.py", "humanfriendly/tests.py"),),
    test_command="pytest -q humanfriendly/tests.py",
    notes="The tests import capturer, docutils and mock (the release's "
    "requirements-tests.txt); with those installed one test fails on the baseline too "
    "(test_prompt_for_confirmation, which needs an interactive terminal).",
    changes=(
        regression(
            "format_number: thousands separators by str.format",
            "doubled sign for negatives ('--6,000'; floats from 1e16 raise); tests catch",
            "show(lambda: m.format_number(-6000))\nshow(lambda: m.format_number(1234567.891))",
            (
                "    reversed_digits = ''.join(reversed(integer_part.lstrip('-')))\n"
                "    parts = []\n"
                "    while reversed_digits:\n"
                "        parts.append(reversed_digits[:3])\n"
                "        reversed_digits = reversed_digits[3:]\n"
                "    formatted_number = ''.join(reversed(','.join(parts)))\n",
                "    formatted_number = '{:,}'.format(int(integer_part))\n",
            ),
        ),
        regression(
            "parse_size: unit compared without lower()",
            "dropped normalisation ('5 KB', '1 GiB' no longer parse); tests catch",
            "show(lambda: m.parse_size('5 KB'))\nshow(lambda: m.parse_size('1 GiB'))\n"
            "show(lambda: m.parse_size('5 kb'))",
            (
                "        normalized_unit = tokens[1].lower() if len(tokens) == 2 and "
                "is_string(tokens[1]) else ''\n",
                "        normalized_unit = tokens[1] if len(tokens) == 2 and "
                "is_string(tokens[1]) else ''\n",
            ),
        ),
        regression(
            "parse_size: ambiguous units always decimal",
            "parameter ignored (binary=True for '1 KB'); tests catch",
            "show(lambda: m.parse_size('1 KB', binary=True))\nshow(lambda: m.parse_size('1 KB'))",
            (
                "                    return int(tokens[0] * (unit.binary.divider if binary "
                "else unit.decimal.divider))\n",
                "                    return int(tokens[0] * unit.decimal.divider)\n",
            ),
        ),
        regression(
            "format_timespan: fast path up to and including a minute",
            "off-by-one bound (60 is '60 seconds', not '1 minute'); tests catch",
            "show(lambda: m.format_timespan(60))\nshow(lambda: m.format_timespan(59.5))",
            (
                "    if num_seconds < 60 and not detailed:\n",
                "    if num_seconds <= 60 and not detailed:\n",
            ),
        ),
        regression(
            "format_size: bytes fast path below 1024",
            "fast path wrong for an edge value (1000-1023 bytes are 'bytes' in decimal "
            "units); tests catch",
            "show(lambda: m.format_size(1000))\nshow(lambda: m.format_size(1000, binary=True))",
            (
                "    for unit in reversed(disk_size_units):\n"
                "        if num_bytes >= unit.binary.divider and binary:\n",
                "    if num_bytes < 1024:\n"
                "        return pluralize(num_bytes, 'byte')\n"
                "    for unit in reversed(disk_size_units):\n"
                "        if num_bytes >= unit.binary.divider and binary:\n",
            ),
        ),
        regression(
            "format_timespan: float arithmetic instead of Decimal",
            "float instead of Decimal (0.3 s detailed is 299 ms and change); tests catch",
            "show(lambda: m.format_timespan(0.3, detailed=True))\n"
            "show(lambda: m.format_timespan(3600.5))",
            (
                "        num_seconds = decimal.Decimal(str(num_seconds))\n",
                "        num_seconds = float(num_seconds)\n",
            ),
            (
                "            divider = decimal.Decimal(str(unit['divider']))\n",
                "            divider = float(unit['divider'])\n",
            ),
        ),
        honest(
            "round_number: rstrip instead of two regular expressions",
            "show(lambda: [m.round_number(x) for x in (0, 1, 3.14159, 100, -0.001, 2.50, "
            "float('inf'), 10.05)])\n"
            "show(lambda: m.round_number(5, keep_width=True))\n"
            "show(lambda: m.format_size(1500000))",
            (
                "        text = re.sub('0+$', '', text)\n"
                "        text = re.sub(r'\\.$', '', text)\n",
                "        text = text.rstrip('0')\n"
                "        if text.endswith('.'):\n"
                "            text = text[:-1]\n",
            ),
        ),
        honest(
            "format_size: the unit family chosen once per unit",
            "show(lambda: [m.format_size(n) for n in (0, 1, 999, 1000, 1024, 10**12, "
            "-5, 1.5)])\n"
            "show(lambda: [m.format_size(n, binary=True) for n in (1000, 1024, 3 * 1024**3)])\n"
            "show(lambda: m.format_size(1024**9, keep_width=True))\n"
            "show(lambda: m.format_size(None))",
            (
                "        if num_bytes >= unit.binary.divider and binary:\n"
                "            number = round_number(float(num_bytes) / unit.binary.divider, "
                "keep_width=keep_width)\n"
                "            return pluralize(number, unit.binary.symbol, unit.binary.symbol)\n"
                "        elif num_bytes >= unit.decimal.divider and not binary:\n"
                "            number = round_number(float(num_bytes) / unit.decimal.divider, "
                "keep_width=keep_width)\n"
                "            return pluralize(number, unit.decimal.symbol, unit.decimal.symbol)\n",
                "        chosen = unit.binary if binary else unit.decimal\n"
                "        if num_bytes >= chosen.divider:\n"
                "            number = round_number(float(num_bytes) / chosen.divider, "
                "keep_width=keep_width)\n"
                "            return pluralize(number, chosen.symbol, chosen.symbol)\n",
            ),
        ),
    ),
)


# --- marshmallow: validator classes ---------------------------------------------------

MARSHMALLOW = RealModule(
    name="marshmallow",
    pin="marshmallow==3.23.1",
    package="src/marshmallow",
    module="marshmallow/validate.py",
    targets=(
        "URL.__call__",
        "Email.__call__",
        "Range.__call__",
        "Length.__call__",
        "OneOf.__call__",
    ),
    tests=(("tests/*.py", "tests/"),),
    test_command="pytest -q tests/test_validate.py",
    notes="The validators' own test module. It imports tests/base.py, which imports "
    "simplejson (a test requirement of the release): without it on the path the module "
    "fails to collect; with it, all 177 tests pass on the baseline.",
    changes=(
        regression(
            "URL: scheme compared as written",
            "dropped normalisation (HTTP://example.com is rejected); tests pass",
            "v = m.URL()\nshow(lambda: v('HTTP://example.com'))\n"
            "show(lambda: v('http://example.com'))",
            (
                '            scheme = value.split("://")[0].lower()\n',
                '            scheme = value.split("://")[0]\n',
            ),
        ),
        regression(
            "URL: memoized regex keyed without require_tld",
            "cache that ignores a parameter (the first URL validator built decides for "
            "all); tests catch",
            "show(lambda: m.URL()('http://example.com'))\n"
            "show(lambda: m.URL(require_tld=False)('http://intranet'))\n"
            "show(lambda: m.URL()('http://intranet'))",
            (
                "            key = (relative, absolute, require_tld)\n",
                "            key = (relative, absolute)\n",
            ),
        ),
        regression(
            "Email: no IDNA fallback for the domain",
            "removed input form (internationalised domains are rejected); tests catch",
            "v = m.Email()\nshow(lambda: v('user@b\\u00fccher.de'))\n"
            "show(lambda: v('user@example.com'))",
            (
                "            if not self.DOMAIN_REGEX.match(domain_part):\n"
                "                try:\n"
                '                    domain_part = domain_part.encode("idna").decode("ascii")\n'
                "                except UnicodeError:\n"
                "                    pass\n"
                "                else:\n"
                "                    if self.DOMAIN_REGEX.match(domain_part):\n"
                "                        return value\n"
                "                raise ValidationError(message)\n",
                "            if not self.DOMAIN_REGEX.match(domain_part):\n"
                "                raise ValidationError(message)\n",
            ),
        ),
        regression(
            "Range: lower bound always inclusive",
            "parameter ignored (min_inclusive=False accepts the bound); tests catch",
            "show(lambda: m.Range(min=1, min_inclusive=False)(1))\n"
            "show(lambda: m.Range(min=1, max=3)(1))",
            (
                "            value < self.min if self.min_inclusive else value <= self.min\n",
                "            value < self.min\n",
            ),
        ),
        regression(
            "Length: a truth test for equal",
            "dropped None check (equal=0 is ignored); tests pass",
            "show(lambda: m.Length(equal=0)('a'))\nshow(lambda: m.Length(equal=0)(''))\n"
            "show(lambda: m.Length(equal=2)('ab'))",
            ("        if self.equal is not None:\n", "        if self.equal:\n"),
        ),
        regression(
            "OneOf: choices kept as a frozenset for O(1) membership",
            "fast path wrong for an edge value (unhashable choices now fail at "
            "construction); tests catch",
            "show(lambda: m.OneOf([[1], [2]])([1]))\nshow(lambda: m.OneOf(['a', 'b'])('a'))\n"
            "show(lambda: m.OneOf(['a'])(['a']))",
            (
                "        self.choices = choices\n"
                '        self.choices_text = ", ".join(str(choice) for choice in self.choices)\n',
                "        self.choices = choices\n"
                "        self._choice_set = frozenset(choices)\n"
                '        self.choices_text = ", ".join(str(choice) for choice in self.choices)\n',
            ),
            (
                "            if value not in self.choices:\n"
                "                raise ValidationError(self._format_error(value))\n"
                "        except TypeError as error:\n",
                "            if value not in self._choice_set:\n"
                "                raise ValidationError(self._format_error(value))\n"
                "        except TypeError as error:\n",
            ),
        ),
        honest(
            "URL: the scheme by partition instead of split",
            "v = m.URL()\n"
            "show(lambda: [v(u) for u in ('HTTP://example.com', 'ftp://a.example.org/x')])\n"
            "show(lambda: v('gopher://example.com'))\nshow(lambda: v('http://a://b'))\n"
            "show(lambda: m.URL(relative=True)('/path'))",
            (
                '            scheme = value.split("://")[0].lower()\n',
                '            scheme = value.partition("://")[0].lower()\n',
            ),
        ),
        honest(
            "URL.RegexMemoizer: one dict lookup",
            "show(lambda: m.URL()('http://example.com'))\n"
            "show(lambda: m.URL(require_tld=False)('http://intranet'))\n"
            "show(lambda: m.URL()('http://intranet'))\n"
            "show(lambda: m.URL(relative=True, absolute=False)('/a/b?c=d'))",
            (
                "            key = (relative, absolute, require_tld)\n"
                "            if key not in self._memoized:\n"
                "                self._memoized[key] = self._regex_generator(\n"
                "                    relative, absolute, require_tld\n"
                "                )\n\n"
                "            return self._memoized[key]\n",
                "            key = (relative, absolute, require_tld)\n"
                "            regex = self._memoized.get(key)\n"
                "            if regex is None:\n"
                "                regex = self._memoized[key] = self._regex_generator(\n"
                "                    relative, absolute, require_tld\n"
                "                )\n"
                "            return regex\n",
            ),
        ),
    ),
)


# --- pydash: case conversions and other string transforms -----------------------------

PYDASH = RealModule(
    name="pydash",
    pin="pydash==8.0.4",
    package="src/pydash",
    module="pydash/strings.py",
    targets=("words", "snake_case", "camel_case", "slugify", "truncate"),
    tests=(("tests/*.py", "tests/"),),
    test_command="pytest -q tests/test_strings.py",
    changes=(
        regression(
            "words: ASCII word pattern always",
            "fast path wrong for an edge value (camelCase and non-ASCII words are no "
            "longer split); tests catch",
            "show(lambda: m.words('fooBar baz'))\nshow(lambda: m.snake_case('helloWorld'))\n"
            "show(lambda: m.words('a b c'))",
            (
                "    if pattern is None:\n"
                "        if has_unicode_word(text):\n"
                "            reg_exp = JS_RE_UNICODE_WORDS\n"
                "        else:\n"
                "            reg_exp = JS_RE_ASCII_WORDS\n",
                "    if pattern is None:\n        reg_exp = JS_RE_ASCII_WORDS\n",
            ),
        ),
        regression(
            "slugify: apostrophes kept until the separator pass",
            "dropped normalisation (the apostrophe stays in the slug); tests catch",
            "show(lambda: m.slugify(\"Don't stop\"))\nshow(lambda: m.slugify('A b'))",
            (
                '        .decode("utf8")\n        .replace("\'", "")\n    )\n',
                '        .decode("utf8")\n    )\n',
            ),
        ),
        regression(
            "compounder: no deburr for the words",
            "dropped normalisation (accented letters kept in snake/kebab/camel case); tests catch",
            "show(lambda: m.snake_case('Cr\\u00e8me br\\u00fbl\\u00e9e'))\n"
            "show(lambda: m.camel_case('foo bar'))",
            (
                '    return words(deburr(RE_APOS.sub("", pyd.to_string(text))))\n',
                '    return words(RE_APOS.sub("", pyd.to_string(text)))\n',
            ),
        ),
        regression(
            "truncate: strict length test",
            "off-by-one bound (a text of exactly `length` is truncated); tests catch",
            "show(lambda: m.truncate('hello', 5))\nshow(lambda: m.truncate('hello world', 8))",
            ("    if len(text) <= length:\n", "    if len(text) < length:\n"),
        ),
        regression(
            "camel_case: first character by index",
            "fast path wrong for an edge value (the empty string raises IndexError); tests catch",
            "show(lambda: m.camel_case(''))\nshow(lambda: m.camel_case('FOO BAR_bAz'))",
            (
                "    return text[:1].lower() + text[1:]\n\n\ndef capitalize(",
                "    return text[0].lower() + text[1:]\n\n\ndef capitalize(",
            ),
        ),
        honest(
            "has_unicode_word: an identity test instead of bool()",
            "show(lambda: [m.has_unicode_word(s) for s in "
            "('abc', 'aB', 'a1', 'x y', '\\u00e9', '')])\n"
            "show(lambda: m.words('fooBar \\u00e9t\\u00e9 42nd'))",
            (
                "    result = RE_HAS_UNICODE_WORD.search(text)\n    return bool(result)\n",
                "    return RE_HAS_UNICODE_WORD.search(text) is not None\n",
            ),
        ),
        honest(
            "clean: str.split() already drops empty parts",
            "show(lambda: [m.clean(s) for s in ('  a  b ', '', None, 5, 'a\\tb\\n c', '0 0')])",
            (
                '    return " ".join(pyd.compact(text.split()))\n',
                '    return " ".join(text.split())\n',
            ),
        ),
    ),
)


# --- simplejson: the pure-Python JSON decoder, a codec --------------------------------

SIMPLEJSON = RealModule(
    name="simplejson",
    pin="simplejson==3.19.3",
    package="simplejson",
    module="simplejson/decoder.py",
    targets=("py_scanstring", "JSONObject", "JSONArray", "JSONDecoder.decode"),
    tests=(("simplejson/tests/*.py", "simplejson/tests/"),),
    test_command="pytest -q simplejson/tests",
    notes="Laid out from the sdist, the package has no compiled _speedups, so the "
    "pure-Python scanner and decoder in this module are the ones that run.",
    changes=(
        regression(
            "py_scanstring: surrogate pairs left unjoined",
            "removed input form (an escaped astral character decodes to two surrogates); "
            "tests catch",
            "d = m.JSONDecoder()\n"
            "show(lambda: [hex(ord(c)) for c in d.decode('\"\\\\ud83d\\\\ude00\"')])\n"
            "show(lambda: d.decode('\"\\\\u00e9\"'))",
            (
                "            if (_maxunicode > 65535 and\n"
                "                uni & 0xfc00 == 0xd800 and\n"
                "                s[end:end + 2] == '\\\\u'):\n"
                "                uni2, end2 = _scan_four_digit_hex(s, end + 2)\n"
                "                if uni2 & 0xfc00 == 0xdc00:\n"
                "                    uni = 0x10000 + (((uni - 0xd800) << 10) |\n"
                "                                        (uni2 - 0xdc00))\n"
                "                    end = end2\n",
                "",
            ),
        ),
        regression(
            "py_scanstring: control characters always rejected",
            "parameter ignored (strict=False no longer lets a literal tab through); tests catch",
            "show(lambda: m.JSONDecoder(strict=False).decode('\"a\\tb\"'))\n"
            "show(lambda: m.JSONDecoder().decode('\"a\\tb\"'))",
            (
                "        elif terminator != '\\\\':\n"
                "            if strict:\n"
                '                msg = "Invalid control character %r at"\n'
                "                raise JSONDecodeError(msg, s, prev_end)\n"
                "            else:\n"
                "                _append(terminator)\n"
                "                continue\n",
                "        elif terminator != '\\\\':\n"
                '            msg = "Invalid control character %r at"\n'
                "            raise JSONDecodeError(msg, s, prev_end)\n",
            ),
        ),
        regression(
            "JSONObject: empty object returned before the pairs hook",
            "skipped special case ('{}' ignores object_pairs_hook); tests pass",
            "show(lambda: m.JSONDecoder(object_pairs_hook=list).decode('{}'))\n"
            "show(lambda: m.JSONDecoder(object_pairs_hook=list).decode('{\"a\": 1}'))",
            (
                "        if nextchar == '}':\n"
                "            if object_pairs_hook is not None:\n"
                "                result = object_pairs_hook(pairs)\n"
                "                return result, end + 1\n"
                "            pairs = {}\n",
                "        if nextchar == '}':\n            pairs = {}\n",
            ),
        ),
        regression(
            "JSONArray: one shared empty list for '[]'",
            "returns a shared mutable (a caller's append shows up in later results); tests pass",
            "d = m.JSONDecoder()\na = d.decode('[]')\na.append(1)\n"
            "show(lambda: d.decode('[]'))\nshow(lambda: d.decode('{\"k\": []}'))",
            (
                "def JSONArray(state, scan_once, _w=WHITESPACE.match, _ws=WHITESPACE_STR):\n",
                "_EMPTY_ARRAY = []\n\n"
                "def JSONArray(state, scan_once, _w=WHITESPACE.match, _ws=WHITESPACE_STR):\n",
            ),
            (
                "    if nextchar == ']':\n        return values, end + 1\n",
                "    if nextchar == ']':\n        return _EMPTY_ARRAY, end + 1\n",
            ),
        ),
        regression(
            "scan_four_digit_hex: int() does the validation",
            "dropped check (short or underscored \\\\u escapes are accepted); tests catch",
            "d = m.JSONDecoder()\nshow(lambda: d.decode('\"\\\\u1_23\"'))\n"
            "show(lambda: d.decode('[\"\\\\u+123\"]'))\nshow(lambda: d.decode('\"\\\\u0041\"'))",
            (
                "    esc = s[end:end + 4]\n"
                "    if not _m(esc):\n"
                "        raise JSONDecodeError(msg, s, end - 2)\n",
                "    esc = s[end:end + 4]\n",
            ),
        ),
        honest(
            "py_scanstring: dict.get for the escape table",
            "d = m.JSONDecoder()\n"
            'show(lambda: d.decode(\'"a\\\\\\\\b\\\\/c\\\\n\\\\"\\\\t"\'))\n'
            "show(lambda: d.decode('\"\\\\x\"'))\nshow(lambda: d.decode('\"\\\\'))",
            (
                "            try:\n"
                "                char = _b[esc]\n"
                "            except KeyError:\n"
                '                msg = "Invalid \\\\X escape sequence %r"\n'
                "                raise JSONDecodeError(msg, s, end)\n",
                "            char = _b.get(esc)\n"
                "            if char is None:\n"
                '                msg = "Invalid \\\\X escape sequence %r"\n'
                "                raise JSONDecodeError(msg, s, end)\n",
            ),
        ),
        honest(
            "scan_four_digit_hex: fullmatch without anchors",
            "d = m.JSONDecoder()\n"
            'show(lambda: d.decode(\'["\\\\u00e9", "\\\\uD83D\\\\uDE00", "\\\\uABCD"]\'))\n'
            "show(lambda: d.decode('\"\\\\u12\"'))\nshow(lambda: d.decode('\"\\\\u12G4\"'))\n"
            "show(lambda: m.scan_four_digit_hex('abc\\n', 0))",
            (
                "def scan_four_digit_hex(s, end, _m=re.compile(r'^[0-9a-fA-F]{4}$').match):\n",
                "def scan_four_digit_hex(s, end, _m=re.compile(r'[0-9a-fA-F]{4}').fullmatch):\n",
            ),
        ),
    ),
)


# --- sqlparse: option validation and the filter stack; tests lean on fixtures ---------

SQLPARSE = RealModule(
    name="sqlparse",
    pin="sqlparse==0.5.2",
    package="sqlparse",
    module="sqlparse/formatter.py",
    targets=("validate_options", "build_filter_stack"),
    tests=(("tests/*.py", "tests/"), ("tests/files/*", "tests/files/")),
    test_command="pytest -q tests",
    changes=(
        regression(
            "validate_options: truncate_strings bound off by one",
            "off-by-one bound (truncate_strings=1 is accepted); tests pass",
            _MSG + "show(lambda: msg(lambda: m.validate_options({'truncate_strings': 1})))\n"
            "show(lambda: m.validate_options({'truncate_strings': '2'})['truncate_strings'])",
            ("        if truncate_strings <= 1:\n", "        if truncate_strings < 1:\n"),
        ),
        regression(
            "validate_options: right_margin must be above 10",
            "off-by-one bound (right_margin=10 is rejected); tests pass",
            _MSG + "show(lambda: msg(lambda: m.validate_options({'right_margin': 10})))\n"
            "show(lambda: m.validate_options({'right_margin': '12'})['right_margin'])",
            ("        if right_margin < 10:\n", "        if right_margin <= 10:\n"),
        ),
        regression(
            "validate_options: indent_width taken as given",
            "removed input form (a numeric string such as '4' is no longer converted); tests pass",
            _MSG + "show(lambda: msg(lambda: m.validate_options({'indent_width': '4'})"
            "['indent_width']))\n"
            "show(lambda: msg(lambda: m.validate_options({'indent_width': 'x'})))\n"
            "import sqlparse\n"
            "show(lambda: sqlparse.format('select a, b from t', reindent=True, indent_width='4'))",
            (
                "    indent_width = options.get('indent_width', 2)\n"
                "    try:\n"
                "        indent_width = int(indent_width)\n"
                "    except (TypeError, ValueError):\n"
                "        raise SQLParseError('indent_width requires an integer')\n"
                "    if indent_width < 1:\n",
                "    indent_width = options.get('indent_width', 2)\n"
                "    if not isinstance(indent_width, int):\n"
                "        raise SQLParseError('indent_width requires an integer')\n"
                "    if indent_width < 1:\n",
            ),
        ),
        regression(
            "validate_options: keyword_case checked against a set",
            "fast path wrong for an edge value (an unhashable value raises TypeError "
            "instead of SQLParseError); tests pass",
            _MSG + "show(lambda: msg(lambda: m.validate_options({'keyword_case': ['upper']})))\n"
            "show(lambda: m.validate_options({'keyword_case': 'upper'})['keyword_case'])",
            (
                "    if kwcase not in [None, 'upper', 'lower', 'capitalize']:\n",
                "    if kwcase not in {None, 'upper', 'lower', 'capitalize'}:\n",
            ),
        ),
        regression(
            "validate_options: strip_comments must be a bool",
            "narrowed input (1 and 0 are rejected; they compare equal to True/False); tests pass",
            _MSG + "show(lambda: msg(lambda: m.validate_options({'strip_comments': 1})))\n"
            "import sqlparse\n"
            "show(lambda: sqlparse.format('select 1 -- c\\n', strip_comments=1))",
            (
                "    if strip_comments not in [True, False]:\n",
                "    if not isinstance(strip_comments, bool):\n",
            ),
        ),
        honest(
            "build_filter_stack: the output format lower-cased once",
            "import sqlparse\n"
            "show(lambda: [sqlparse.format('select * from t', output_format=f) "
            "for f in ('sql', 'python', 'php')])\n"
            "show(lambda: [len(m.build_filter_stack(sqlparse.engine.FilterStack(), "
            "{'output_format': f}).postprocess) for f in ('PHP', 'Python', 'sql', 'x')])",
            (
                "        frmt = options['output_format']\n"
                "        if frmt.lower() == 'php':\n"
                "            fltr = filters.OutputPHPFilter()\n"
                "        elif frmt.lower() == 'python':\n",
                "        frmt = options['output_format'].lower()\n"
                "        if frmt == 'php':\n"
                "            fltr = filters.OutputPHPFilter()\n"
                "        elif frmt == 'python':\n",
            ),
        ),
        honest(
            "validate_options: the case names hoisted to a tuple constant",
            _MSG + "show(lambda: [msg(lambda: m.validate_options({'keyword_case': v, "
            "'identifier_case': v})) for v in (None, 'upper', 'Upper', ['upper'], 0)])",
            (
                "def validate_options(options):  # noqa: C901\n",
                "_CASES = (None, 'upper', 'lower', 'capitalize')\n\n\n"
                "def validate_options(options):  # noqa: C901\n",
            ),
            (
                "    if kwcase not in [None, 'upper', 'lower', 'capitalize']:\n",
                "    if kwcase not in _CASES:\n",
            ),
            (
                "    if idcase not in [None, 'upper', 'lower', 'capitalize']:\n",
                "    if idcase not in _CASES:\n",
            ),
        ),
    ),
)


# --- dunamai: version serializers over a Style enum and a Version class ---------------

DUNAMAI = RealModule(
    name="dunamai",
    pin="dunamai==1.23.0",
    package="dunamai",
    module="dunamai/__init__.py",
    targets=("check_version", "serialize_pep440", "serialize_semver", "Version.bump"),
    tests=(("tests/unit/*.py", "tests/unit/"),),
    test_command="pytest -q tests/unit",
    notes="Only the unit tests are laid out: the integration tests drive git, Mercurial "
    "and other version control tools in temporary repositories. Three unit tests fail on "
    "the baseline too: two read the installed dunamai's metadata "
    "(PackageNotFoundError), one runs the dunamai command.",
    changes=(
        regression(
            "check_version: the SemVer regex alone",
            "dropped check (leading zeros such as 1.02.3 pass as SemVer); tests catch",
            _MSG + "show(lambda: msg(lambda: m.check_version('1.02.3', m.Style.SemVer)))\n"
            "show(lambda: m.check_version('1.2.3-rc.1', m.Style.SemVer))",
            (
                "    if style == Style.SemVer:\n"
                '        parts = re.split(r"[.-]", version.split("+", 1)[0])\n'
                '        if any(re.search(r"^0[0-9]+$", x) for x in parts):\n'
                "            raise ValueError(failure_message)\n",
                "",
            ),
        ),
        regression(
            "serialize_pep440: stage looked up as given",
            "dropped normalisation (stage 'RC' or 'Alpha' now fails the PEP 440 check); "
            "tests catch",
            _MSG + "show(lambda: msg(lambda: m.serialize_pep440('1.0', stage='RC', revision=1)))\n"
            "show(lambda: msg(lambda: m.serialize_pep440('1.0', stage='Alpha', revision=2)))\n"
            "show(lambda: m.serialize_pep440('1.0', stage='beta', revision=3))",
            (
                "        out.append(alternative_stages.get(stage.lower(), stage.lower()))\n",
                "        out.append(alternative_stages.get(stage, stage))\n",
            ),
        ),
        regression(
            "serialize_semver: pre-release joined whenever given",
            "dropped empty check (pre=[] gives '1.2.3-', which fails the check); tests catch",
            _MSG + "show(lambda: msg(lambda: m.serialize_semver('1.2.3', pre=[])))\n"
            "show(lambda: m.serialize_semver('1.2.3', pre=['rc', 1], metadata=['abc']))",
            (
                "    if pre is not None and len(pre) > 0:\n",
                "    if pre is not None:\n",
            ),
        ),
        regression(
            "serialize_pep440: a truth test for the epoch",
            "dropped None check (epoch=0 is no longer written); tests catch",
            "show(lambda: m.serialize_pep440('1.0', epoch=0))\n"
            "show(lambda: m.serialize_pep440('1.0', epoch=2))",
            (
                '    if epoch is not None:\n        out.extend([epoch, "!"])\n',
                '    if epoch:\n        out.extend([epoch, "!"])\n',
            ),
        ),
        regression(
            "Version.bump: smart bump of a tagged commit skips the copy",
            "returns a shared object (the caller's Version is the result); tests pass",
            "v = m.Version('1.2.3', distance=0)\nb = v.bump(smart=True)\nb.base = '9.9.9'\n"
            "show(lambda: (v.base, b is v))\n"
            "show(lambda: m.Version('1.2.3', distance=2).bump(smart=True).serialize())",
            (
                "        if smart:\n"
                "            if bumped.distance == 0:\n"
                "                return bumped\n",
                "        if smart:\n"
                "            if self.distance == 0:\n"
                "                return self\n",
            ),
        ),
        honest(
            "check_version: patterns compiled once per style",
            _MSG + "show(lambda: [msg(lambda: m.check_version(v, s)) for v in ('1.0', '1.0rc1', "
            "'1.02.3', '1.2.3-rc.1+b', '1.0-x', 'v1') for s in m.Style])",
            (
                "def check_version(version: str, style: Style = Style.Pep440) -> None:\n",
                "_STYLE_PATTERNS = {\n"
                '    Style.Pep440: ("PEP 440", re.compile(_VALID_PEP440)),\n'
                '    Style.SemVer: ("Semantic Versioning", re.compile(_VALID_SEMVER)),\n'
                '    Style.Pvp: ("PVP", re.compile(_VALID_PVP)),\n'
                "}\n\n\n"
                "def check_version(version: str, style: Style = Style.Pep440) -> None:\n",
            ),
            (
                "    name, pattern = {\n"
                '        Style.Pep440: ("PEP 440", _VALID_PEP440),\n'
                '        Style.SemVer: ("Semantic Versioning", _VALID_SEMVER),\n'
                '        Style.Pvp: ("PVP", _VALID_PVP),\n'
                "    }[style]\n",
                "    name, pattern = _STYLE_PATTERNS[style]\n",
            ),
            (
                "    if not re.search(pattern, version):\n",
                "    if not pattern.search(version):\n",
            ),
        ),
        honest(
            "serialize_semver: map(str) for the join",
            _MSG + "show(lambda: m.serialize_semver('1.2.3', pre=['rc', 1], metadata=[7, 'x']))\n"
            "show(lambda: msg(lambda: m.serialize_semver('1.2', pre=None)))\n"
            "show(lambda: m.serialize_semver('0.0.1', metadata=[]))",
            (
                '    serialized = "".join(str(x) for x in out)\n    check_version(serialized, '
                "Style.SemVer)\n",
                '    serialized = "".join(map(str, out))\n    check_version(serialized, '
                "Style.SemVer)\n",
            ),
        ),
    ),
)


MODULES: tuple[RealModule, ...] = (
    ANISO8601,
    CVSS,
    HUMANFRIENDLY,
    MARSHMALLOW,
    PYDASH,
    SIMPLEJSON,
    SQLPARSE,
    DUNAMAI,
)
