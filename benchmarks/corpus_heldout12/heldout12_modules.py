"""The twelfth held-out corpus: eight more pinned PyPI releases nobody tuned against.

Same format and machinery as ``corpus_real/real_modules.py`` (its dataclasses are
imported, not copied) and the eleven earlier held-out corpora: each entry pins a release
that ``guard_strength.py --corpus heldout12`` downloads as an sdist, names the module an
optimizing agent would be pointed at, the functions improve.md would name, and changes
written as exact text replacements of the pinned source.

Why a twelfth held-out corpus: the first eleven have been read while deciding what to
build next, so their kill rates drift towards an upper bound. This one was written in
one sitting by a helper session that did not read the generators, their tests,
``docs/generators.md``, nor the changes of the other corpora (their data format only),
and did not look at which regressions the generators catch. The regressions are written
as an agent chasing speed makes them, not as a test writer who knows the tool. Keep it
that way: do not tune a generator against these modules.

The modules cover HTTP Accept-header negotiation over parsed media ranges
(python-mimeparse), short reversible ids from lists of integers with a blocklist
(sqids), a parser of unified, context, ed and git diffs (whatthepatch's ``patch``),
cron schedules iterated forwards and backwards over datetimes (croniter), an interval
tree with point, range and envelope queries and merges (intervaltree), glob-style IPv4
ranges validated and converted to ranges and CIDRs (netaddr's ``ip/glob``), prices and
currencies picked out of scraped text as Decimals (price-parser) and the Mustache
template parser with its standalone-line and delimiter rules (pystache's ``parser``).

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


# --- python-mimeparse: Accept-header negotiation over parsed media ranges --------------

MIMEPARSE = RealModule(
    name="mimeparse",
    pin="python-mimeparse==2.0.0",
    package="mimeparse.py",
    module="mimeparse.py",
    targets=(
        "parse_mime_type",
        "parse_media_range",
        "quality_and_fitness_parsed",
        "quality",
        "best_match",
    ),
    tests=(("mimeparse_test.py", "mimeparse_test.py"), ("testdata.json", "testdata.json")),
    test_command="pytest -q mimeparse_test.py",
    notes="The test module reads testdata.json from the working folder; it is laid out too.",
    changes=(
        regression(
            "parse_media_range: parsed ranges memoised by their text",
            "cache hands out shared mutable state (the params dict of a cached range is "
            "returned to every caller, so a caller that changes it changes later parses); "
            "tests pass",
            "r = m.parse_media_range('text/html;level=1')\nr[2]['level'] = '2'\n"
            "show(lambda: m.parse_media_range('text/html;level=1'))",
            (
                "def parse_media_range(range):\n",
                "_MEDIA_RANGES = {}\n\n\ndef parse_media_range(range):\n",
            ),
            (
                "    (type, subtype, params) = parse_mime_type(range)\n",
                "    cached = _MEDIA_RANGES.get(range)\n"
                "    if cached is not None:\n"
                "        return cached\n"
                "    (type, subtype, params) = parse_mime_type(range)\n",
            ),
            (
                "        params['q'] = '1'\n\n    return (type, subtype, params)\n",
                "        params['q'] = '1'\n\n"
                "    _MEDIA_RANGES[range] = (type, subtype, params)\n"
                "    return _MEDIA_RANGES[range]\n",
            ),
        ),
        regression(
            "best_match: max() instead of sorting the candidates",
            "wrong tie-break (max() keeps the first of equal candidates, so a tie goes to "
            "the least desirable supported type instead of the last one; an empty list "
            "raises ValueError, not IndexError); tests catch",
            "show(lambda: m.best_match(['text/html', 'application/json'], '*/*'))\n"
            "show(lambda: m.best_match(['text/html', 'application/json'], 'text/html'))\n"
            "show(lambda: m.best_match([], 'text/html'))",
            (
                "    weighted_matches.sort()\n\n"
                "    return weighted_matches[-1][0][0] and weighted_matches[-1][2] or ''\n",
                "    best = max(weighted_matches, key=lambda w: w[0])\n\n"
                "    return best[0][0] and best[2] or ''\n",
            ),
        ),
        regression(
            "best_match: header split without dropping blank entries",
            "dropped empty check (a header with a trailing or doubled comma now raises "
            "MimeTypeParseException on the empty entry); tests pass",
            "show(lambda: m.best_match(['text/html'], 'text/html,'))\n"
            "show(lambda: m.best_match(['text/html'], 'text/*;q=0.5,, */*;q=0.1'))",
            (
                "    split_header = _filter_blank(header.split(','))\n",
                "    split_header = header.split(',')\n",
            ),
        ),
        regression(
            "parse_media_range: q only defaulted when missing",
            "dropped validation (a q outside 0..1, or not a number, is kept instead of "
            "being reset to '1'; quality() then raises on q=abc); tests catch",
            "show(lambda: m.parse_media_range('text/*;q=5'))\n"
            "show(lambda: m.parse_media_range('text/*;q=-1'))\n"
            "show(lambda: m.quality('text/html', 'text/*;q=abc'))",
            (
                "        if not params['q'] or not 0 <= float(params['q']) <= 1:\n",
                "        if not params['q']:\n",
            ),
        ),
        regression(
            "parse_mime_type: type and subtype not stripped",
            "skipped normalisation (blanks around the slash stay in the type and subtype, "
            "so 'text / html' no longer matches text/html); tests pass",
            "show(lambda: m.parse_mime_type('text / html'))\n"
            "show(lambda: m.quality('text/html', 'text / html;q=0.4'))",
            (
                "    return (type.strip(), subtype.strip(), params)\n",
                "    return (type, subtype, params)\n",
            ),
        ),
        honest(
            "parse_media_range: no pop of an upper-case Q",
            "show(lambda: m.parse_media_range('text/html;Q=0.5'))\n"
            "show(lambda: m.parse_media_range('text/html'))\n"
            "show(lambda: m.parse_media_range('application/*;q=0.2;level=1'))\n"
            "show(lambda: m.best_match(['text/html', 'text/xml'], 'text/*;Q=0.5,*/*; q=0.1'))",
            (
                "    params.setdefault('q', params.pop('Q', None))  # q is case insensitive\n",
                "    params.setdefault('q', None)  # _parse_header lowercases names already\n",
            ),
        ),
        honest(
            "best_match: candidates built by a comprehension",
            "show(lambda: m.best_match(['text/html', 'application/json'], '*/*'))\n"
            "show(lambda: m.best_match(['application/xbel+xml', 'text/xml'], "
            "'text/*;q=0.5,*/*; q=0.1'))\n"
            "show(lambda: m.best_match(['text/html'], 'image/png'))\n"
            "show(lambda: m.best_match([], 'text/html'))",
            (
                "    weighted_matches = []\n"
                "    pos = 0\n"
                "    for mime_type in supported:\n"
                "        weighted_matches.append((\n"
                "            quality_and_fitness_parsed(mime_type, parsed_header),\n"
                "            pos,\n"
                "            mime_type\n"
                "        ))\n"
                "        pos += 1\n",
                "    weighted_matches = [\n"
                "        (quality_and_fitness_parsed(mime_type, parsed_header), pos, mime_type)\n"
                "        for pos, mime_type in enumerate(supported)\n"
                "    ]\n",
            ),
        ),
    ),
)


# --- sqids: short reversible ids from lists of integers --------------------------------

SQIDS = RealModule(
    name="sqids",
    pin="sqids==0.5.2",
    package="sqids",
    module="sqids/sqids.py",
    targets=("Sqids.__init__", "Sqids.encode", "Sqids.decode"),
    tests=(("tests/*.py", "tests/"), ("assets/filter_blocklist.py", "assets/filter_blocklist.py")),
    notes="tests/test_blocklist.py imports assets/filter_blocklist.py, laid out beside the tests.",
    changes=(
        regression(
            "Sqids.encode: ids memoised per list of numbers",
            "stale cache (the memo is a class attribute keyed by the numbers only, so a "
            "second Sqids with another alphabet or min_length returns the first one's "
            "id); tests catch",
            "a = m.Sqids().encode([1, 2, 3])\n"
            "show(lambda: m.Sqids(min_length=10).encode([1, 2, 3]))\n"
            "show(lambda: m.Sqids(alphabet='abcdefghijk').encode([1, 2, 3]))",
            (
                "    def encode(self, numbers: Sequence[int]) -> str:\n"
                "        if not numbers:\n"
                '            return ""\n',
                "    _encoded: dict = {}\n\n"
                "    def encode(self, numbers: Sequence[int]) -> str:\n"
                "        key = tuple(numbers)\n"
                "        hit = Sqids._encoded.get(key)\n"
                "        if hit is not None:\n"
                "            return hit\n"
                "        if not numbers:\n"
                '            return ""\n',
            ),
            (
                "        return self.__encode_numbers(numbers, 0)\n",
                "        id_ = self.__encode_numbers(numbers, 0)\n"
                "        Sqids._encoded[key] = id_\n"
                "        return id_\n",
            ),
        ),
        regression(
            "Sqids.encode: only negative numbers refused",
            "dropped bound check (numbers above sys.maxsize are encoded instead of "
            "raising ValueError); tests catch",
            "show(lambda: m.Sqids().encode([2**63]))\nshow(lambda: m.Sqids().encode([-1]))",
            (
                "        if not all(0 <= number <= sys.maxsize for number in numbers):\n",
                "        if min(numbers) < 0:\n",
            ),
        ),
        regression(
            "Sqids.decode: no scan for characters outside the alphabet",
            "dropped input check (an id with a foreign character raises ValueError from "
            "index() instead of decoding to []); tests catch",
            "show(lambda: m.Sqids().decode('*'))\nshow(lambda: m.Sqids().decode('86Rf0*'))",
            (
                "        alphabet_chars = list(self.__alphabet)\n"
                "        if any(c not in alphabet_chars for c in id_):\n"
                "            return ret\n\n",
                "",
            ),
        ),
        regression(
            "Sqids: blocklist lookup without lower-casing the id",
            "skipped normalisation (the blocklist words are lower case, so an id with "
            "capitals that spells a blocked word is handed out); tests catch",
            "show(lambda: m.Sqids(blocklist=['86Rf07']).encode([1, 2, 3]))\n"
            "show(lambda: m.Sqids(blocklist=['86Rf07']).decode('86Rf07'))",
            (
                "        id_ = id_.lower()\n\n        if len(id_) == 3:\n",
                "        if len(id_) == 3:\n",
            ),
        ),
        regression(
            "Sqids.encode: blocklist only checked for ids longer than three",
            "off-by-one (a three-character id that is on the blocklist is no longer "
            "re-generated); tests catch",
            "i = m.Sqids().encode([1000])\n"
            "show(lambda: (i, m.Sqids(blocklist=[i]).encode([1000])))",
            (
                "        if len(id_) >= 3 and self.__is_blocked_id(id_):\n",
                "        if len(id_) > 3 and self.__is_blocked_id(id_):\n",
            ),
        ),
        honest(
            "Sqids.decode: alphabet membership through a set",
            "s = m.Sqids()\n"
            "show(lambda: [s.decode(x) for x in ('86Rf07', '*', '', 'bM', s.encode([0, 99, 7]))])",
            (
                "        alphabet_chars = list(self.__alphabet)\n",
                "        alphabet_chars = set(self.__alphabet)\n",
            ),
        ),
        honest(
            "Sqids.__to_id: append and reverse once",
            "show(lambda: [m.Sqids().encode(n) for n in ([0], [1, 2, 3], "
            "[61, 62, 4000], [2**63 - 1])])\n"
            "show(lambda: m.Sqids(alphabet='abc', min_length=9).encode([5, 0, 17]))",
            (
                "            id_chars.insert(0, alphabet[result % alphabet_length])\n"
                "            result = result // alphabet_length\n"
                "            if not result:\n"
                "                break\n\n"
                '        return "".join(id_chars)\n',
                "            id_chars.append(alphabet[result % alphabet_length])\n"
                "            result = result // alphabet_length\n"
                "            if not result:\n"
                "                break\n\n"
                '        return "".join(reversed(id_chars))\n',
            ),
        ),
    ),
)


# --- whatthepatch: a parser of unified, context, ed and git diffs ----------------------

_WTP_DIFF = (
    "D = ('--- a/lib.py\\t2020-01-01\\n+++ b/lib.py\\t2020-01-02\\n'\n"
    "     '@@ -1,3 +1,3 @@\\n a\\n-b\\n+B\\n c\\n'\n"
    "     '@@ -10,3 +10,4 @@\\n x\\n-y\\n+Y\\n+Z\\n z\\n')\n"
    "G = ('diff --git a/abc.txt b/bar.txt\\nindex 1234567..89abcde 100644\\n'\n"
    "     '--- a/abc.txt\\n+++ b/bar.txt\\n@@ -1 +1 @@\\n-old\\n+new\\n')\n"
    "def diffs(text):\n"
    "    return [(d.header, d.changes) for d in m.parse_patch(text)]\n"
)

WHATTHEPATCH = RealModule(
    name="whatthepatch",
    pin="whatthepatch==1.0.7",
    package="src",
    module="src/whatthepatch/patch.py",
    targets=(
        "parse_patch",
        "parse_header",
        "parse_diff",
        "parse_git_header",
        "parse_unified_header",
        "parse_unified_diff",
    ),
    tests=(("tests/*.py", "tests/"), ("tests/casefiles/*", "tests/casefiles/")),
    notes="The tests import the package as src.whatthepatch, so the src/ folder is laid "
    "out as it is in the sdist.",
    changes=(
        regression(
            "parse_patch: text only, no list of lines",
            "dropped input form (a list of lines, as readlines() gives, raises "
            "AttributeError instead of being parsed); tests pass",
            _WTP_DIFF + "show(lambda: diffs(D.splitlines()))",
            (
                "def parse_patch(text):\n"
                "    try:\n"
                "        lines = text.splitlines()\n"
                "    except AttributeError:\n"
                "        lines = text\n",
                "def parse_patch(text):\n    lines = text.splitlines()\n",
            ),
        ),
        regression(
            "parse_patch: line endings not stripped from given lines",
            "skipped normalisation (lines passed with CRLF endings keep their '\\r', which "
            "ends up in the header's versions and in every changed line); tests pass",
            _WTP_DIFF + "show(lambda: diffs(D.replace('\\n', '\\r\\n').splitlines(True)))",
            ("    lines = [x if len(x) == 0 else x.splitlines()[0] for x in lines]\n", ""),
        ),
        regression(
            "parse_unified_diff: counters kept across hunks",
            "dropped reset (the line counters of one hunk carry into the next, so the "
            "second hunk's changes get shifted line numbers); tests catch",
            _WTP_DIFF + "show(lambda: diffs(D))",
            (
                "        # reset counters\n"
                "        r = 0\n"
                "        i = 0\n"
                "        while len(hunk) > 0:\n",
                "        while len(hunk) > 0:\n",
            ),
        ),
        regression(
            "parse_git_header: a/ and b/ removed with lstrip",
            "wrong fast path (lstrip takes a character set, so 'a/abc.txt' loses its "
            "leading 'a' twice and becomes 'bc.txt'); tests catch",
            _WTP_DIFF + "show(lambda: diffs(G))\nshow(lambda: m.parse_git_header(G.splitlines()))",
            (
                "        if old_path and new_path:\n"
                '            if old_path.startswith("a/"):\n'
                "                old_path = old_path[2:]\n\n"
                '            if new_path.startswith("b/"):\n'
                "                new_path = new_path[2:]\n"
                "            return header(\n",
                "        if old_path and new_path:\n"
                '            old_path = old_path.lstrip("a/")\n'
                '            new_path = new_path.lstrip("b/")\n'
                "            return header(\n",
            ),
        ),
        regression(
            "parse_unified_diff: removed and added lines taken without the hunk counts",
            "dropped check (lines past the counts of the hunk header are recorded as "
            "changes too); tests catch",
            _WTP_DIFF + "show(lambda: m.parse_unified_diff("
            "'@@ -1,1 +1,1 @@\\n-a\\n-b\\n+c\\n+d\\n'.splitlines()))",
            (
                '                if kind == "-" and (r != old_len or r == 0):\n',
                '                if kind == "-":\n',
            ),
            (
                '                elif kind == "+" and (i != new_len or i == 0):\n',
                '                elif kind == "+":\n',
            ),
        ),
        honest(
            "parse_unified_diff: hunk lengths read with int(x or 0)",
            _WTP_DIFF + "show(lambda: diffs(D))\nshow(lambda: diffs(G))\n"
            "show(lambda: m.parse_unified_diff('@@ -3 +3,2 @@\\n-a\\n+b\\n+c\\n'.splitlines()))",
            (
                "                old = int(h.group(1))\n"
                "                if len(h.group(2)) > 0:\n"
                "                    old_len = int(h.group(2))\n"
                "                else:\n"
                "                    old_len = 0\n\n"
                "                new = int(h.group(3))\n"
                "                if len(h.group(4)) > 0:\n"
                "                    new_len = int(h.group(4))\n"
                "                else:\n"
                "                    new_len = 0\n",
                "                old = int(h.group(1))\n"
                "                old_len = int(h.group(2) or 0)\n\n"
                "                new = int(h.group(3))\n"
                "                new_len = int(h.group(4) or 0)\n",
            ),
        ),
        honest(
            "parse_header: scm header or diff header in one expression",
            _WTP_DIFF + "show(lambda: diffs(D))\nshow(lambda: diffs(G))\n"
            "show(lambda: m.parse_header(['nothing here']))\n"
            "show(lambda: m.parse_header('Index: x.c\\n--- x.c\\t(revision 3)\\n"
            "+++ x.c\\t(working copy)\\n'))",
            (
                "    h = parse_scm_header(text)\n"
                "    if h is None:\n"
                "        h = parse_diff_header(text)\n"
                "    return h\n",
                "    return parse_scm_header(text) or parse_diff_header(text)\n",
            ),
        ),
    ),
)


# --- croniter: cron schedules iterated over datetimes ----------------------------------

CRONITER = RealModule(
    name="croniter",
    pin="croniter==7.0.0",
    package="src/croniter",
    module="croniter/croniter.py",
    targets=(
        "croniter.get_next",
        "croniter.get_prev",
        "croniter._calc",
        "croniter._expand",
        "croniter.match",
        "croniter_range",
    ),
    tests=(("src/croniter/tests/*.py", "croniter/tests/"),),
    test_command="pytest -q croniter/tests",
    notes="The tests import pytz and python-dateutil (both in the bench env).",
    changes=(
        regression(
            "_is_leap: every fourth year",
            "wrong fast path (century years such as 2100 count as leap years, so a "
            "29 February schedule lands on a day that does not exist); tests catch",
            "import datetime\n"
            "show(lambda: m.croniter('0 0 29 2 *', datetime.datetime(2099, 6, 1))"
            ".get_next(datetime.datetime))\n"
            "show(lambda: m.croniter('0 0 L 2 *', datetime.datetime(2100, 1, 1))"
            ".get_next(datetime.datetime))",
            (
                "    return year % 400 == 0 or (year % 4 == 0 and year % 100 != 0)\n",
                "    return year % 4 == 0\n",
            ),
        ),
        regression(
            "_expand: expression not lower-cased",
            "skipped normalisation (upper-case day and month names and aliases such as "
            "'@Daily' are refused); tests catch",
            "import datetime\n"
            "show(lambda: m.croniter('0 0 * * MON', datetime.datetime(2024, 1, 3))"
            ".get_next(datetime.datetime))\n"
            "show(lambda: m.croniter('@Daily', datetime.datetime(2024, 1, 3))"
            ".get_next(datetime.datetime))",
            ("        efl = expr_format.lower()\n", "        efl = expr_format\n"),
        ),
        regression(
            "_get_prev_nearest_diff: candidates reversed in place",
            "mutated argument (the expanded field list is reversed on every backwards "
            "step, so the croniter's own schedule flips order between calls); tests catch",
            "import datetime\n"
            "c = m.croniter('0 1,5,9 * * *', datetime.datetime(2020, 1, 1, 12))\n"
            "show(lambda: [c.get_prev(datetime.datetime) for _ in range(4)])\n"
            "show(lambda: c.expanded)",
            (
                "        candidates = to_check[:]\n        candidates.reverse()\n",
                "        candidates = to_check\n        candidates.reverse()\n",
            ),
        ),
        regression(
            "match_range: no microsecond nudge before stepping back",
            "dropped branch (a datetime exactly on the schedule steps back to the "
            "previous occurrence, so match() says False for a matching time); tests catch",
            "import datetime\n"
            "show(lambda: m.croniter.match('0 0 * * *', datetime.datetime(2020, 1, 1)))\n"
            "show(lambda: m.croniter.match('*/5 * * * *', datetime.datetime(2020, 1, 1, 3, 10)))",
            (
                "        if not tdp.microsecond:\n"
                "            tdp += relativedelta(microseconds=1)\n",
                "",
            ),
        ),
        regression(
            "_get_next: ret_type not checked",
            "dropped validation (an unsupported ret_type such as str returns a float "
            "timestamp instead of raising TypeError); tests catch",
            "import datetime\n"
            "show(lambda: m.croniter('0 0 * * *', datetime.datetime(2020, 1, 1)).get_next(str))\n"
            "show(lambda: m.croniter('0 0 * * *', datetime.datetime(2020, 1, 1)).get_prev(int))",
            (
                "        if not issubclass(ret_type, (float, datetime.datetime)):\n"
                "            raise TypeError(\"Invalid ret_type, only 'float' or 'datetime' "
                'is acceptable.")\n',
                "",
            ),
        ),
        honest(
            "datetime_to_timestamp: aware datetimes through timestamp()",
            "import datetime\nfrom dateutil import tz\nimport pytz\n"
            "paris = tz.gettz('Europe/Paris')\n"
            "show(lambda: m.datetime_to_timestamp(datetime.datetime("
            "2021, 3, 28, 3, 30, tzinfo=paris)))\n"
            "show(lambda: m.datetime_to_timestamp(datetime.datetime("
            "2021, 1, 1, 0, 0, 0, 250000)))\n"
            "show(lambda: m.croniter('30 2 * * *', datetime.datetime("
            "2021, 3, 27, 12, tzinfo=paris))"
            ".all_next(datetime.datetime).__next__())\n"
            "show(lambda: m.croniter('0 * * * *', pytz.timezone('America/New_York')"
            ".localize(datetime.datetime(2021, 11, 7, 0, 30))).get_next(float))\n"
            "show(lambda: m.croniter('0 0 1 * *', datetime.datetime(2020, 5, 5, "
            "tzinfo=datetime.timezone(datetime.timedelta(hours=-7)))).get_prev(float))",
            (
                "    if d.tzinfo is not None:\n"
                "        d = d.replace(tzinfo=None) - d.utcoffset()\n\n"
                "    return (d - datetime.datetime(1970, 1, 1)).total_seconds()\n",
                "    if d.tzinfo is not None:\n"
                "        return d.timestamp()\n\n"
                "    return (d - datetime.datetime(1970, 1, 1)).total_seconds()\n",
            ),
        ),
        honest(
            "_is_leap: calendar.isleap",
            "import datetime\n"
            "show(lambda: [m._is_leap(y) for y in (1900, 2000, 2023, 2024, 2100)])\n"
            "show(lambda: m.croniter('0 0 29 2 *', datetime.datetime(2099, 6, 1))"
            ".get_next(datetime.datetime))",
            (
                "    return year % 400 == 0 or (year % 4 == 0 and year % 100 != 0)\n",
                "    return calendar.isleap(year)\n",
            ),
        ),
    ),
)


# --- intervaltree: a mutable interval tree with point and range queries ----------------

INTERVALTREE = RealModule(
    name="intervaltree",
    pin="intervaltree==3.2.1",
    package="intervaltree",
    module="intervaltree/intervaltree.py",
    targets=(
        "IntervalTree.__init__",
        "IntervalTree.items",
        "IntervalTree.overlaps",
        "IntervalTree.overlap",
        "IntervalTree.envelop",
        "IntervalTree.merge_overlaps",
    ),
    tests=(
        ("test/*.py", "test/"),
        ("test/data/*.py", "test/data/"),
        ("test/interval_methods/*.py", "test/interval_methods/"),
        ("test/intervaltree_methods/*.py", "test/intervaltree_methods/"),
        ("test/issues/*", "test/issues/"),
        ("test/optimality/*.py", "test/optimality/"),
    ),
    test_command="pytest -q test",
    notes="The tests need sortedcontainers, the release's one dependency (in the bench env).",
    changes=(
        regression(
            "IntervalTree.items: the interval set itself",
            "hands out internal mutable state (items() returns the tree's own set, so "
            "adding to the result changes the tree's length without indexing it); "
            "tests pass",
            "t = m.IntervalTree.from_tuples([(1, 3)])\n"
            "t.items().add(m.Interval(5, 6))\n"
            "show(lambda: (len(t), sorted(t.at(5))))",
            ("        return set(self.all_intervals)\n", "        return self.all_intervals\n"),
        ),
        regression(
            "IntervalTree.__init__: a given set is used as is",
            "mutated argument (a set passed to the constructor becomes the tree's own, "
            "so adding to the tree adds to the caller's set); tests pass",
            "s = {m.Interval(1, 2)}\nt = m.IntervalTree(s)\nt.addi(3, 4)\nshow(lambda: sorted(s))",
            (
                "        intervals = set(intervals) if intervals is not None else set()\n",
                "        if not isinstance(intervals, set):\n"
                "            intervals = set(intervals) if intervals is not None else set()\n",
            ),
        ),
        regression(
            "IntervalTree.overlaps_range: boundary scan only",
            "dropped branch (a range lying inside one interval, with no boundary "
            "between its ends, is reported as not overlapping); tests catch",
            "t = m.IntervalTree.from_tuples([(0, 10)])\n"
            "show(lambda: (t.overlaps(2, 5), t.overlaps(9, 12), t.overlaps(10, 12)))",
            (
                "        elif self.overlaps_point(begin):\n            return True\n"
                "        return any(\n",
                "        return any(\n",
            ),
        ),
        regression(
            "IntervalTree.envelop: end compared strictly",
            "off-by-one (an interval ending exactly at the query's end is not "
            "enveloped any more); tests catch",
            "t = m.IntervalTree.from_tuples([(1, 3), (0, 5), (2, 3)])\n"
            "show(lambda: sorted(t.envelop(1, 3)))",
            (
                "            if iv.begin >= begin and iv.end <= end\n",
                "            if iv.begin >= begin and iv.end < end\n",
            ),
        ),
        regression(
            "IntervalTree.merge_overlaps: merged end taken from the later interval",
            "wrong fast path (sorted by begin is not sorted by end: an interval nested in "
            "the previous one cuts the merged interval short); tests catch",
            "t = m.IntervalTree.from_tuples([(1, 10), (2, 3), (12, 14)])\n"
            "t.merge_overlaps()\nshow(lambda: sorted(t))",
            (
                "                    not strict and higher.begin == lower.end):  # should merge\n"
                "                    upper_bound = max(lower.end, higher.end)\n",
                "                    not strict and higher.begin == lower.end):  # should merge\n"
                "                    upper_bound = higher.end\n",
            ),
        ),
        honest(
            "IntervalTree.is_empty: truth of the interval set",
            "show(lambda: (m.IntervalTree().is_empty(), "
            "m.IntervalTree.from_tuples([(1, 2)]).is_empty()))\n"
            "show(lambda: m.IntervalTree().overlaps(1, 3))\n"
            "show(lambda: m.IntervalTree.from_tuples([(0, 4)]).overlaps(1, 3))",
            ("        return 0 == len(self)\n", "        return not self.all_intervals\n"),
        ),
        honest(
            "IntervalTree._add_boundaries: dict.get counts",
            "t = m.IntervalTree.from_tuples([(1, 3), (1, 5), (3, 5)])\n"
            "show(lambda: list(t.boundary_table.items()))\n"
            "t.remove(m.Interval(1, 3))\n"
            "show(lambda: (list(t.boundary_table.items()), sorted(t.overlap(2, 4))))\n"
            "t.merge_overlaps()\nshow(lambda: (sorted(t), list(t.boundary_table.items())))",
            (
                "        if begin in self.boundary_table:\n"
                "            self.boundary_table[begin] += 1\n"
                "        else:\n"
                "            self.boundary_table[begin] = 1\n\n"
                "        if end in self.boundary_table:\n"
                "            self.boundary_table[end] += 1\n"
                "        else:\n"
                "            self.boundary_table[end] = 1\n",
                "        table = self.boundary_table\n"
                "        table[begin] = table.get(begin, 0) + 1\n"
                "        table[end] = table.get(end, 0) + 1\n",
            ),
        ),
    ),
)


# --- netaddr: glob-style IPv4 ranges ----------------------------------------------------

NETADDR = RealModule(
    name="ipglob",
    pin="netaddr==1.3.0",
    package="netaddr",
    module="netaddr/ip/glob.py",
    targets=(
        "valid_glob",
        "glob_to_iptuple",
        "glob_to_iprange",
        "iprange_to_globs",
        "glob_to_cidrs",
        "cidr_to_glob",
    ),
    tests=(
        ("netaddr/tests/*.py", "netaddr/tests/"),
        ("netaddr/tests/core/*.py", "netaddr/tests/core/"),
        ("netaddr/tests/eui/*", "netaddr/tests/eui/"),
        ("netaddr/tests/ip/*.py", "netaddr/tests/ip/"),
        ("netaddr/tests/strategy/*.py", "netaddr/tests/strategy/"),
    ),
    test_command="pytest -q netaddr/tests",
    notes="The tests live inside the package; the tests-removed mode removes netaddr/tests.",
    changes=(
        regression(
            "valid_glob: no type check",
            "dropped type check (a non-string raises AttributeError instead of giving "
            "False); tests pass",
            "show(lambda: m.valid_glob(None))\nshow(lambda: m.valid_glob(192))",
            ("    if not isinstance(ipglob, str):\n        return False\n\n", ""),
        ),
        regression(
            "valid_glob: a hyphenated octet may be empty",
            "off-by-one (an octet range whose ends are equal, such as 5-5, is accepted); "
            "tests pass",
            "show(lambda: m.valid_glob('192.0.2.5-5'))\n"
            "show(lambda: m.glob_to_iptuple('192.0.2.5-5'))",
            ("            if octet1 >= octet2:\n", "            if octet1 > octet2:\n"),
        ),
        regression(
            "valid_glob: asterisk before a hyphenated octet allowed",
            "dropped check (a glob such as 192.*.1-2.* is accepted and turned into a range "
            "it does not describe); tests pass",
            "show(lambda: m.valid_glob('192.*.1-2.*'))\n"
            "show(lambda: m.glob_to_iprange('192.*.1-2.*'))",
            (
                "            if seen_asterisk:\n"
                "                #   Asterisks cannot precede hyphenated octets.\n"
                "                return False\n",
                "",
            ),
        ),
        regression(
            "glob_to_iptuple: memoised with lru_cache",
            "cache hands out shared mutable state (IPAddress objects are mutable through "
            "+=, so a caller that steps the returned lower bound changes every later "
            "result; an unhashable argument raises TypeError, not AddrFormatError); "
            "tests pass",
            "lo, hi = m.glob_to_iptuple('10.0.0.*')\nlo += 5\n"
            "show(lambda: m.glob_to_iptuple('10.0.0.*'))\n"
            "show(lambda: m.glob_to_iptuple(['10.0.0.*']))",
            (
                "from netaddr.core import AddrFormatError, AddrConversionError\n",
                "import functools\n\n"
                "from netaddr.core import AddrFormatError, AddrConversionError\n",
            ),
            (
                "def glob_to_iptuple(ipglob):\n",
                "@functools.lru_cache(maxsize=1024)\ndef glob_to_iptuple(ipglob):\n",
            ),
        ),
        regression(
            "glob_to_iprange: validation left to IPRange",
            "dropped validation (IPRange accepts the bounds of a malformed glob such as "
            "1.2.*.4 instead of AddrFormatError being raised); tests pass",
            "show(lambda: m.glob_to_iprange('1.2.*.4'))\n"
            "show(lambda: m.glob_to_iprange('1.2.3.4-2'))",
            (
                "    :return: an IPRange object.\n"
                '    """\n'
                "    if not valid_glob(ipglob):\n"
                "        raise AddrFormatError("
                "'not a recognised IP glob range: %r!' % (ipglob,))\n",
                '    :return: an IPRange object.\n    """\n',
            ),
        ),
        honest(
            "glob_to_iprange: built from glob_to_iptuple",
            "show(lambda: m.glob_to_iprange('192.0.2.*'))\n"
            "show(lambda: m.glob_to_iprange('10.0-1.*.*'))\n"
            "show(lambda: m.glob_to_iprange('1.2.3.4'))\n"
            "show(lambda: m.glob_to_iprange('1.2.*.4'))\n"
            "show(lambda: m.glob_to_iprange(None))",
            (
                "    :return: an IPRange object.\n"
                '    """\n'
                "    if not valid_glob(ipglob):\n"
                "        raise AddrFormatError("
                "'not a recognised IP glob range: %r!' % (ipglob,))\n\n"
                "    start_tokens = []\n"
                "    end_tokens = []\n\n"
                "    for octet in ipglob.split('.'):\n"
                "        if '-' in octet:\n"
                "            tokens = octet.split('-')\n"
                "            start_tokens.append(tokens[0])\n"
                "            end_tokens.append(tokens[1])\n"
                "        elif octet == '*':\n"
                "            start_tokens.append('0')\n"
                "            end_tokens.append('255')\n"
                "        else:\n"
                "            start_tokens.append(octet)\n"
                "            end_tokens.append(octet)\n\n"
                "    return IPRange('.'.join(start_tokens), '.'.join(end_tokens))\n",
                '    :return: an IPRange object.\n    """\n'
                "    return IPRange(*glob_to_iptuple(ipglob))\n",
            ),
        ),
        honest(
            "valid_glob: the hyphenated octet's bounds in one test",
            "show(lambda: [m.valid_glob(g) for g in ('192.0.2.1-2', '192.0.2.2-1', "
            "'192.0.2.0-255', '192.0.2.255-256', '192.0.2.-1-5', '1.2.3-4.*', '1.2.*.3-4', "
            "'1.2.3.x', '1.2.3', '*.*.*.*')])",
            (
                "            if octet1 >= octet2:\n"
                "                return False\n"
                "            if not 0 <= octet1 <= 254:\n"
                "                return False\n"
                "            if not 1 <= octet2 <= 255:\n"
                "                return False\n",
                "            if octet1 >= octet2 or not 0 <= octet1 <= 254 "
                "or not 1 <= octet2 <= 255:\n"
                "                return False\n",
            ),
        ),
    ),
)


# --- price-parser: prices and currencies in scraped text --------------------------------

PRICE_PARSER = RealModule(
    name="price_parser",
    pin="price-parser==0.5.1",
    package="price_parser",
    module="price_parser/parser.py",
    targets=(
        "Price.fromstring",
        "extract_currency_symbol",
        "extract_price_text",
        "get_decimal_separator",
        "parse_number",
    ),
    tests=(("tests/*.py", "tests/"),),
    notes="The package needs attrs (in the bench env).",
    changes=(
        regression(
            "parse_number: amount through float",
            "float for Decimal (the amount goes through a binary float, so 12.34 comes "
            "back as Decimal('12.339999999999999857891452847979962825775146484375')); "
            "tests catch",
            "show(lambda: m.parse_number('12,34'))\n"
            "show(lambda: m.Price.fromstring('$1,299.99').amount)",
            (
                "    try:\n        return Decimal(num)\n    except InvalidOperation:\n",
                "    try:\n        return Decimal(float(num))\n"
                "    except (InvalidOperation, ValueError):\n",
            ),
        ),
        regression(
            "extract_currency_symbol: dollar codes not tried first in the price",
            "dropped branch (in 'NZD $12' the bare '$' wins over the currency code); tests catch",
            "show(lambda: m.Price.fromstring('NZD $12.50').currency)\n"
            "show(lambda: m.Price.fromstring('SGD$ 7').currency)",
            (
                '    if price and "$" in price:\n'
                "        methods.insert(0, (_search_dollar_code, price))\n",
                "",
            ),
        ),
        regression(
            "extract_price_text: whitespace not collapsed",
            "skipped normalisation (a non-breaking space inside the number is kept, so "
            "'$1\\xa0298,00' no longer parses to 1298.00); tests catch",
            "show(lambda: m.Price.fromstring('$1\\xa0298,00'))\n"
            "show(lambda: m.extract_price_text('1\\u2009234 €'))",
            (
                "    price = re.sub(\n"
                '        r"\\s+", " ", price\n'
                "    )  # clean initial text from non-breaking and extra spaces\n",
                "",
            ),
        ),
        regression(
            "parse_number: Decimal() without the InvalidOperation guard",
            "dropped except (text that is not a number raises InvalidOperation instead of "
            "giving None); tests pass",
            "show(lambda: m.parse_number('1.2.3'))\nshow(lambda: m.parse_number('foo'))\n"
            "show(lambda: m.Price.fromstring('1.2.3 EUR').amount)",
            (
                "    try:\n        return Decimal(num)\n    except InvalidOperation:\n"
                "        return None\n",
                "    return Decimal(num)\n",
            ),
        ),
        regression(
            "extract_currency_symbol: the price searched before the hint",
            "reordered lookups (a less reliable code in the price now wins over a safe "
            "symbol in the currency hint); tests pass",
            "show(lambda: m.Price.fromstring('12 USD', currency_hint='€').currency)\n"
            "show(lambda: m.extract_currency_symbol('10 RUB', 'руб.'))",
            (
                "        (_search_safe_currency, price),\n"
                "        (_search_safe_currency, currency_hint),\n"
                "        (_search_unsafe_currency, price),\n",
                "        (_search_safe_currency, price),\n"
                "        (_search_unsafe_currency, price),\n"
                "        (_search_safe_currency, currency_hint),\n",
            ),
        ),
        honest(
            "extract_price_text: number pattern compiled once",
            "show(lambda: [m.extract_price_text(t) for t in ('price: $12.99', 'Free', 'Foo', "
            "'1,235 USD', '99 €, 79 €', '35€ 99', '50% OFF', '50', '$1\\xa0298,00', '$.75', "
            "\"1'234.50 CHF\", '12.')])",
            (
                "def extract_price_text(price: str) -> Optional[str]:\n",
                "_search_price_number = re.compile(\n"
                '    r"""\n'
                "        ([.]?\\d[\\d\\s.,']*)   # number, probably with thousand separators\n"
                "        \\s*?                # skip whitespace\n"
                "        (?:[^%\\d]|$)        # capture next symbol - it shouldn't be %\n"
                '        """,\n'
                "    re.VERBOSE,\n"
                ").search\n\n\n"
                "def extract_price_text(price: str) -> Optional[str]:\n",
            ),
            (
                "    m = re.search(\n"
                '        r"""\n'
                "        ([.]?\\d[\\d\\s.,']*)   # number, probably with thousand separators\n"
                "        \\s*?                # skip whitespace\n"
                "        (?:[^%\\d]|$)        # capture next symbol - it shouldn't be %\n"
                '        """,\n'
                "        price,\n"
                "        re.VERBOSE,\n"
                "    )\n",
                "    m = _search_price_number(price)\n",
            ),
        ),
        honest(
            "parse_number: separators dropped with str.translate",
            "show(lambda: [m.parse_number(t) for t in ('1,234', '12,34', '1 234.99', "
            "'1.234.567', '12.999', '', 'foo', '1,235€99')])\n"
            "show(lambda: m.parse_number('140.000', decimal_separator=','))",
            (
                '        num = num.replace(".", "").replace(",", "")\n',
                '        num = num.translate(str.maketrans("", "", ".,"))\n',
            ),
        ),
    ),
)


# --- pystache: the Mustache template parser ---------------------------------------------

_MUSTACHE = "import pystache\nrender = pystache.render\n"

PYSTACHE = RealModule(
    name="pystache",
    pin="pystache==0.6.8",
    package="pystache",
    module="pystache/parser.py",
    targets=("parse", "_compile_template_re", "_Parser.parse", "_Parser._make_interpolation_node"),
    tests=(
        ("pystache/tests/*.py", "pystache/tests/"),
        ("pystache/tests/data/*", "pystache/tests/data/"),
        ("pystache/tests/data/locator/*", "pystache/tests/data/locator/"),
        ("pystache/tests/examples/*", "pystache/tests/examples/"),
    ),
    test_command="pytest -q pystache/tests",
    notes="The tests live inside the package; the tests-removed mode removes pystache/tests.",
    changes=(
        regression(
            "_compile_template_re: memoised with lru_cache",
            "cache keyed on an unhashable argument (a delimiter change tag hands over a "
            "list, so '{{=<% %>=}}' raises TypeError); tests catch",
            _MUSTACHE + "show(lambda: render('{{=<% %>=}}(<%a%>)', {'a': 1}))\n"
            "show(lambda: m.parse('{{a}}', delimiters=['[', ']']))",
            (
                "import re\n\nfrom pystache import defaults\n",
                "import functools\nimport re\n\nfrom pystache import defaults\n",
            ),
            (
                "def _compile_template_re(delimiters):\n",
                "@functools.lru_cache(maxsize=None)\ndef _compile_template_re(delimiters):\n",
            ),
        ),
        regression(
            "_Parser.parse: standalone tags eat '\\n' only",
            "dropped input form (with CRLF line ends the '\\r' after a standalone section "
            "tag is no longer consumed, and the line break becomes stray output); "
            "tests pass",
            _MUSTACHE + "show(lambda: render('{{#a}}\\r\\nx\\r\\n{{/a}}\\r\\n', {'a': True}))",
            (
                "                if end_index < len(template):\n"
                "                    end_index += template[end_index] == '\\r' and 1 or 0\n",
                "",
            ),
        ),
        regression(
            "_Parser.parse: text between tags added even when empty",
            "dropped check (adjacent tags leave empty strings in the parse tree); tests pass",
            "show(lambda: str(m.parse('{{a}}{{b}}')))\nshow(lambda: str(m.parse('x{{#s}}{{/s}}')))",
            (
                "            # Avoid adding spurious empty strings to the parse tree.\n"
                "            if start_index != match_index:\n"
                "                parsed_template.add(template[start_index:match_index])\n",
                "            parsed_template.add(template[start_index:match_index])\n",
            ),
        ),
        regression(
            "_make_interpolation_node: delimiters split on a single blank",
            "wrong fast path (split(' ') keeps empty fields, so a set-delimiter tag with "
            "two blanks between the delimiters sets an empty closing delimiter); "
            "tests pass",
            _MUSTACHE + "show(lambda: render('{{=<%  %>=}}(<%a%>)', {'a': 1}))\n"
            "show(lambda: render('{{= | | =}}|a|', {'a': 2}))",
            (
                "            delimiters = tag_key.split()\n",
                "            delimiters = tag_key.split(' ')\n",
            ),
        ),
        regression(
            "_Parser.parse: only escaped tags count as interpolating",
            "dropped case (a raw '{{{x}}}' or '{{&x}}' tag alone on its line is taken as "
            "standalone and swallows the line break after it); tests pass",
            _MUSTACHE + "show(lambda: render('{{{a}}}\\nb', {'a': 'x'}))\n"
            "show(lambda: render('  {{&a}}\\nb', {'a': '<'}))",
            (
                "            is_tag_interpolating = tag_type in ['', '&']\n",
                "            is_tag_interpolating = tag_type == ''\n",
            ),
        ),
        honest(
            "_compile_template_re: compiled patterns cached per delimiter pair",
            _MUSTACHE + "show(lambda: render('{{=<% %>=}}(<%a%>)', {'a': 1}))\n"
            "show(lambda: render('{{#s}}[{{.}}]{{/s}}', {'s': [1, 2]}))\n"
            "show(lambda: str(m.parse('Hey {{#who}}{{name}}!{{/who}}', delimiters=['{{', '}}'])))",
            (
                "import re\n\nfrom pystache import defaults\n",
                "import functools\nimport re\n\nfrom pystache import defaults\n",
            ),
            (
                "def _compile_template_re(delimiters):\n",
                "def _compile_template_re(delimiters):\n"
                "    return _compile_template_re_cached(tuple(delimiters))\n\n\n"
                "@functools.lru_cache(maxsize=None)\n"
                "def _compile_template_re_cached(delimiters):\n",
            ),
        ),
        honest(
            "_Parser.parse: interpolating tag types as a tuple",
            _MUSTACHE + "show(lambda: render('{{{a}}}\\nb', {'a': 'x'}))\n"
            "show(lambda: render('  {{&a}}\\nb\\n  {{! c }}\\n{{a}}', {'a': '<'}))",
            (
                "            is_tag_interpolating = tag_type in ['', '&']\n",
                "            is_tag_interpolating = tag_type in ('', '&')\n",
            ),
        ),
    ),
)


MODULES: tuple[RealModule, ...] = (
    MIMEPARSE,
    SQIDS,
    WHATTHEPATCH,
    CRONITER,
    INTERVALTREE,
    NETADDR,
    PRICE_PARSER,
    PYSTACHE,
)
