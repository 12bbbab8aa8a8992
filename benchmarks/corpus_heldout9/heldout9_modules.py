"""The ninth held-out corpus: eight more pinned PyPI releases nobody tuned against.

Same format and machinery as ``corpus_real/real_modules.py`` (its dataclasses are
imported, not copied) and the eight earlier held-out corpora: each entry pins a release
that ``guard_strength.py --corpus heldout9`` downloads as an sdist, names the module an
optimizing agent would be pointed at, the functions improve.md would name, and changes
written as exact text replacements of the pinned source.

Why a ninth held-out corpus: the first eight have been read while deciding what to
build next, so their kill rates drift towards an upper bound. This one was written in
one sitting by a helper session that did not read the generators, their tests,
``docs/generators.md``, nor the changes of the other corpora (their data format only),
and did not look at which regressions the generators catch. The regressions are written
as an agent chasing speed makes them, not as a test writer who knows the tool. Keep it
that way: do not tune a generator against these modules.

The modules cover a parser of a text format built from module functions that a decoder
class strings together (hjson's decoder), a parser of unified diffs into list
subclasses with counting properties (unidiff's ``PatchSet``), a units formatter whose
classes convert, pick a best prefix and parse strings (bitmath), an immutable data
structure of nested node lists (pyrsistent's pure-Python ``pvector``), a codec of bytes
(bencode.py's encoder and decoder), a validator of configuration values reached through
``Validator.check`` (configobj's ``validate``), the inline tokenizer of a Markdown
renderer (mistune's ``InlineParser``) and a natural-language date and time parser
(parsedatetime's ``Calendar``).

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


# --- hjson: a human JSON parser, module functions strung together by HjsonDecoder ----

#: Witness helper: decode with a fresh decoder, the error's message on failure.
_HJ = _MSG + "def d(text):\n    return msg(lambda: m.HjsonDecoder().decode(text))\n"

HJSON = RealModule(
    name="hjson",
    pin="hjson==3.1.0",
    package="hjson",
    module="hjson/decoder.py",
    targets=(
        "HjsonDecoder.decode",
        "HjsonDecoder.raw_decode",
        "scanstring",
        "mlscanstring",
        "scantfnns",
        "scanKeyName",
        "getNext",
        "getEol",
    ),
    tests=(("hjson/tests/*.py", "hjson/tests/"),),
    test_command="pytest -q hjson/tests --ignore=hjson/tests/test_hjson.py",
    notes="hjson/tests/test_hjson.py is left out: it reads hjson/tests/assets/, which the "
    "sdist does not ship, so it fails on the baseline.",
    changes=(
        regression(
            "scantfnns: every integral float becomes an int",
            "dropped bound (a quoteless 1e20 is read as the int 10**20 instead of the "
            "float 1e+20: only values below 1e10 are turned into ints); tests pass",
            _HJ + "show(lambda: d('a: 1e20'))\nshow(lambda: d('a: 2.0e3\\nb: -1e12'))",
            (
                "                    if int(res) == res and abs(res)<1e10: res = int(res)\n",
                "                    if int(res) == res: res = int(res)\n",
            ),
        ),
        regression(
            "scanstring: the surrogate-pair join dropped",
            "dropped input form (an escaped surrogate pair, \\ud83d\\ude00, stays two "
            "lone surrogates instead of one character); tests catch",
            _HJ + "show(lambda: [len(v) for v in d('a: \"\\\\ud83d\\\\ude00\"').values()])",
            (
                "            # Check for surrogate pair on UCS-4 systems\n"
                "            # Note that this will join high/low surrogate pairs\n"
                "            # but will also pass unpaired surrogates through\n"
                "            if (_maxunicode > 65535 and\n"
                "                uni & 0xfc00 == 0xd800 and\n"
                "                s[end:end + 2] == '\\\\u'):\n"
                "                esc2 = s[end + 2:end + 6]\n"
                "                escX = esc2[1:2]\n"
                "                if len(esc2) == 4 and not (escX == 'x' or escX == 'X'):\n"
                "                    try:\n"
                "                        uni2 = int(esc2, 16)\n"
                "                    except ValueError:\n"
                "                        raise HjsonDecodeError(msg, s, end)\n"
                "                    if uni2 & 0xfc00 == 0xdc00:\n"
                "                        uni = 0x10000 + (((uni - 0xd800) << 10) |\n"
                "                                         (uni2 - 0xdc00))\n"
                "                        end += 6\n",
                "",
            ),
        ),
        regression(
            "getEol: str.find of the newline instead of the character loop",
            "skipped input form (a comment ended by a lone carriage return runs on to the "
            "next newline and swallows the keys after it); tests pass",
            _HJ + "show(lambda: d('# c\\rb: 2\\rc: 3'))\nshow(lambda: d('a: 1 // x\\r\\nb: 2'))",
            (
                "    # skip until eol\n\n"
                "    while 1:\n"
                "        ch = s[end:end + 1]\n"
                "        if ch == '\\r' or ch == '\\n' or ch == '':\n"
                "            return end\n"
                "        end += 1\n",
                "    # skip until eol\n"
                "    eol = s.find('\\n', end)\n"
                "    return len(s) if eol < 0 else eol\n",
            ),
        ),
        regression(
            "scanKeyName: the whitespace-inside-a-key check dropped",
            "dropped check (a key name with a space inside, a b: 1, is accepted as 'a b' "
            "instead of raising HjsonDecodeError); tests pass",
            _HJ + "show(lambda: d('a b: 1'))\nshow(lambda: d('ab  : 1'))",
            (
                '                if space != end - 1: raise HjsonDecodeError("Found whitespace '
                'in your key name (use quotes to include)", s, space)\n',
                "",
            ),
        ),
        regression(
            "mlscanstring: the last end of line removed by rstrip",
            "wrong normalisation (every trailing newline of a multiline string is removed, "
            "not only the last one); tests pass",
            _HJ + "show(lambda: d(\"a:\\n  '''\\n  x\\n\\n\\n  '''\"))\n"
            "show(lambda: d(\"a:\\n  '''\\n  x\\n  '''\"))",
            (
                "                if string and string[-1] == '\\n':\n"
                "                    string = string[:-1] # remove last EOL\n",
                "                string = string.rstrip('\\n') # remove last EOL\n",
            ),
        ),
        regression(
            "decode: the bytes decoding dropped",
            "dropped input form (bytes raise TypeError instead of being decoded as UTF-8); "
            "tests catch",
            _HJ + "show(lambda: d(b'a: 1'))\nshow(lambda: d('a: 1'.encode('utf-8')))",
            (
                "        if _PY3 and isinstance(s, binary_type):\n"
                "            s = s.decode(self.encoding)\n"
                "        obj, end = self.raw_decode(s)\n",
                "        obj, end = self.raw_decode(s)\n",
            ),
        ),
        honest(
            "getEol: str.find of both line ends",
            _HJ + "for t in ['# c\\rb: 2', 'a: 1 # x\\nb: 2', 'a: 1 // x\\r\\nb: 2', "
            "'a: 1 # end', '# only', 'a: [1, # c\\n 2]']:\n"
            "    show(lambda: d(t))",
            (
                "    # skip until eol\n\n"
                "    while 1:\n"
                "        ch = s[end:end + 1]\n"
                "        if ch == '\\r' or ch == '\\n' or ch == '':\n"
                "            return end\n"
                "        end += 1\n",
                "    # skip until eol\n"
                "    cr = s.find('\\r', end)\n"
                "    lf = s.find('\\n', end)\n"
                "    if cr < 0:\n"
                "        return len(s) if lf < 0 else lf\n"
                "    return cr if lf < 0 or cr < lf else lf\n",
            ),
        ),
        honest(
            "scantfnns: the unused match end dropped",
            _HJ + "for t in ['a: 12', 'a: -1.5e3', 'a: 1e20', 'a: null', 'a: true x', "
            "'a: 3 # c', 'a: [1, 2.5, false]', 'a: 0x10']:\n"
            "    show(lambda: d(t))",
            (
                "            m = None\n            mend = end\n            if next: mend -= 1\n\n",
                "            m = None\n\n",
            ),
        ),
    ),
)


# --- unidiff: unified diffs parsed into list subclasses with counting properties -----

#: A diff of one file with one hunk, as text.
_UD = "D = '--- a/f.txt\\n+++ b/f.txt\\n@@ -1,2 +1,2 @@\\n x\\n-a\\n+b\\n'\n"

UNIDIFF = RealModule(
    name="unidiff",
    pin="unidiff==0.7.5",
    package="unidiff",
    module="unidiff/patch.py",
    targets=(
        "PatchSet.from_string",
        "PatchSet._parse",
        "PatchedFile._parse_hunk",
        "PatchedFile.path",
        "PatchedFile.is_removed_file",
        "Hunk.__init__",
        "Hunk.added",
        "Hunk.removed",
    ),
    tests=(("tests/*.py", "tests/"), ("tests/samples/*", "tests/samples/")),
    test_command="pytest -q tests",
    changes=(
        regression(
            "Hunk: a missing length read as 0",
            "dropped None default (a hunk header without lengths, @@ -1 +1 @@, means one "
            "line each; read as 0 the hunk is refused as longer than expected); tests catch",
            _MSG + "show(lambda: msg(lambda: [(h.source_length, h.target_length) for h in "
            "m.PatchSet('--- a/f\\n+++ b/f\\n@@ -1 +1 @@\\n-x\\n+y\\n')[0]]))",
            (
                "        if src_len is None:\n"
                "            src_len = 1\n"
                "        if tgt_len is None:\n"
                "            tgt_len = 1\n"
                "        self.source_start = int(src_start)\n"
                "        self.source_length = int(src_len)\n"
                "        self.target_start = int(tgt_start)\n"
                "        self.target_length = int(tgt_len)\n",
                "        self.source_start = int(src_start)\n"
                "        self.source_length = int(src_len or 0)\n"
                "        self.target_start = int(tgt_start)\n"
                "        self.target_length = int(tgt_len or 0)\n",
            ),
        ),
        regression(
            "PatchedFile.path: any one-letter folder taken for a prefix",
            "wrong fast path (a path in a one-letter folder, c/f.txt, loses its folder; only "
            "a/ and b/ are git's prefixes); tests pass",
            "show(lambda: m.PatchSet('--- c/f.txt\\n+++ c/f.txt\\n@@ -1 +1 @@\\n-x\\n+y\\n')"
            "[0].path)\n"
            "show(lambda: m.PatchSet('--- a/f.txt\\n+++ b/f.txt\\n@@ -1 +1 @@\\n-x\\n+y\\n')"
            "[0].path)",
            (
                "        if filepath.startswith('a/') or filepath.startswith('b/'):\n",
                "        if filepath[1:2] == '/':\n",
            ),
        ),
        regression(
            "Hunk.added: the count kept after the first call",
            "stale cache (a line appended to the hunk afterwards is not counted; the "
            "comment says it is recounted to allow for hunk modifications); tests pass",
            _UD + "h = m.PatchSet(D)[0][0]\nshow(lambda: h.added)\n"
            "h.append(m.Line('z\\n', line_type='+'))\nshow(lambda: h.added)",
            (
                "        # re-calculate each time to allow for hunk modifications\n"
                "        # (which should mean metadata_only switch wasn't used)\n"
                "        return sum(1 for line in self if line.is_added)\n",
                "        self._added = sum(1 for line in self if line.is_added)\n"
                "        return self._added\n",
            ),
        ),
        regression(
            "_parse_hunk: the longer-than-expected check dropped",
            "dropped check (a hunk with more removed lines than its header says is accepted "
            "instead of raising UnidiffParseError); tests catch",
            _MSG + "show(lambda: msg(lambda: [str(h) for h in m.PatchSet("
            "'--- a/f\\n+++ b/f\\n@@ -1,1 +1,2 @@\\n-a\\n-b\\n+c\\n+d\\n')[0]]))",
            (
                "            # stop parsing if we got past expected number of lines\n"
                "            if (source_line_no > expected_source_end or\n"
                "                    target_line_no > expected_target_end):\n"
                "                raise UnidiffParseError('Hunk is longer than expected')\n\n",
                "",
            ),
        ),
        regression(
            "is_removed_file: decided by the hunk header alone",
            "dropped branch (a git diff deleting an empty file has no hunk, so "
            "'deleted file mode' no longer marks it removed); tests catch",
            "p = m.PatchSet('diff --git a/e b/e\\ndeleted file mode 100644\\n"
            "index e69de29..0000000\\n')\n"
            "show(lambda: [(f.path, f.is_removed_file, f.is_modified_file) for f in p])\n"
            "show(lambda: len(p.removed_files))",
            (
                "        if self.target_file == DEV_NULL:\n"
                "            return True\n"
                "        return (len(self) == 1 and self[0].target_start == 0 and\n",
                "        return (len(self) == 1 and self[0].target_start == 0 and\n",
            ),
        ),
        honest(
            "Hunk.removed: the line type compared inline",
            _UD + "p = m.PatchSet(D + '--- a/g\\n+++ b/g\\n@@ -1,3 +1,1 @@\\n-p\\n-q\\n r\\n')\n"
            "show(lambda: [[(h.added, h.removed) for h in f] for f in p])\n"
            "show(lambda: (p.added, p.removed))\n"
            "show(lambda: [(h.added, h.removed) for h in m.PatchSet(D, metadata_only=True)[0]])",
            (
                "        # re-calculate each time to allow for hunk modifications\n"
                "        # (which should mean metadata_only switch wasn't used)\n"
                "        return sum(1 for line in self if line.is_removed)\n",
                "        # re-calculate each time to allow for hunk modifications\n"
                "        # (which should mean metadata_only switch wasn't used)\n"
                "        return sum(1 for line in self if line.line_type == LINE_TYPE_REMOVED)\n",
            ),
        ),
        honest(
            "PatchedFile.path: one startswith with a tuple",
            "for src, tgt in [('a/f', 'b/f'), ('c/f', 'c/f'), ('/dev/null', 'b/n'), "
            "('a/o', '/dev/null'), ('a/x', 'b/y'), ('f', 'f')]:\n"
            "    show(lambda: m.PatchSet('--- %s\\n+++ %s\\n@@ -1 +1 @@\\n-x\\n+y\\n' % "
            "(src, tgt))[0].path)",
            (
                "        if filepath.startswith('a/') or filepath.startswith('b/'):\n",
                "        if filepath.startswith(('a/', 'b/')):\n",
            ),
        ),
    ),
)


# --- bitmath: units of bits and bytes, converted, best-prefixed and parsed -----------

BITMATH = RealModule(
    name="bitmath",
    pin="bitmath==1.3.3.1",
    package="bitmath",
    module="bitmath/__init__.py",
    targets=(
        "parse_string",
        "parse_string_unsafe",
        "best_prefix",
        "Bitmath.best_prefix",
        "Bitmath.format",
        "Bitmath.unit",
        "Bitmath.__init__",
    ),
    tests=(("tests/*.py", "tests/"), ("tests/file_sizes/*", "tests/file_sizes/")),
    test_command="pytest -q tests --ignore=tests/test_argparse_type.py "
    '--ignore=tests/test_progressbar.py --ignore=tests/test_query_device_capacity.py -k "not '
    'listdir"',
    notes="test_argparse_type.py and test_progressbar.py import progressbar, "
    "test_query_device_capacity.py imports mock: neither is a dependency of the release, "
    "so they fail on the baseline without them and are left out; so are the listdir tests, "
    "which walk a tree of symbolic links (tests/listdir_symlinks/) that copying files "
    "cannot lay out.",
    changes=(
        regression(
            "best_prefix: the Bit case compared without abs()",
            "dropped sign (every negative size becomes a number of bits instead of its best "
            "byte prefix); tests catch",
            "show(lambda: m.Byte(-2048).best_prefix())\nshow(lambda: m.best_prefix(-3000000))",
            ("        if abs(self) < Byte(1):\n", "        if self < Byte(1):\n"),
        ),
        regression(
            "best_prefix: the largest prefix only beyond the table",
            "off-by-one (a size from 1024**6 bytes to 1024**7, or 1000**8 to 1000**9, "
            "leaves no prefix chosen and raises UnboundLocalError instead of using EiB or "
            "YB); tests catch",
            "show(lambda: m.Byte(2 ** 61).best_prefix())\n"
            "show(lambda: m.Byte(10 ** 25).best_prefix(system=m.SI))\n"
            "show(lambda: m.Byte(2 ** 75).best_prefix())",
            ("        elif _index >= len(_STEPS):\n", "        elif _index > len(_STEPS):\n"),
        ),
        regression(
            "parse_string: a compiled pattern instead of the isalpha scan",
            "dropped input form (a signed value, -5 MiB or +2 kB, is refused by the "
            "digits-only pattern); tests pass",
            _MSG + "show(lambda: msg(lambda: m.parse_string('-5 MiB')))\n"
            "show(lambda: msg(lambda: m.parse_string('+2kB')))\n"
            "show(lambda: msg(lambda: m.parse_string('1.5 GiB')))",
            ("import platform\n", "import platform\nimport re\n"),
            (
                "def parse_string(s):\n",
                "_PARSE_STRING_RE = re.compile(r'\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(.*)$', "
                "re.DOTALL)\n\n\ndef parse_string(s):\n",
            ),
            (
                "    # get the index of the first alphabetic character\n"
                "    try:\n"
                "        index = list([i.isalpha() for i in s]).index(True)\n"
                "    except ValueError:\n"
                "        # If there's no alphabetic characters we won't be able to .index(True)\n"
                "        raise ValueError(\"No unit detected, can not parse string '%s' into "
                'a bitmath object" % s)\n\n'
                "    # split the string into the value and the unit\n"
                "    val, unit = s[:index], s[index:]\n",
                "    match = _PARSE_STRING_RE.match(s)\n"
                "    if match is None or not match.group(2):\n"
                "        raise ValueError(\"No unit detected, can not parse string '%s' into "
                'a bitmath object" % s)\n'
                "    val, unit = match.groups()\n",
            ),
        ),
        regression(
            "parse_string_unsafe: the NIST unit no longer capitalised",
            "skipped normalisation (a lower-case unit read as NIST, 4k, becomes 'kiB' and "
            "raises KeyError instead of giving KiB(4.0)); tests catch",
            "show(lambda: m.parse_string_unsafe('4k', system=m.NIST))\n"
            "show(lambda: m.parse_string_unsafe('4 mb', system=m.NIST))",
            (
                "            unit = capitalize_first(unit)\n"
                "            # Insert an 'i' char after the first letter\n",
                "            # Insert an 'i' char after the first letter\n",
            ),
        ),
        regression(
            "Bitmath.unit: format_plural bound as a default argument",
            "hoisted constant (the plural flag is read once at import, so the "
            "format(plural=True) context manager no longer pluralises); tests catch",
            "with m.format(plural=True):\n"
            "    show(lambda: str(m.Byte(3)))\n"
            "    show(lambda: m.KiB(2).unit)\n"
            "show(lambda: str(m.Byte(3)))",
            ("    def unit(self):\n", "    def unit(self, _plural=format_plural):\n"),
            (
                "        global format_plural\n\n        if self.prefix_value == 1:\n",
                "        if self.prefix_value == 1:\n",
            ),
            ("        elif format_plural:\n", "        elif _plural:\n"),
        ),
        regression(
            "_to_prefix_value: a multiplication by the unit's reciprocal",
            "float precision (the reciprocal of 1000 is inexact: 9 bytes in kB is "
            "0.009000000000000001 instead of 0.009); tests pass",
            "show(lambda: m.Byte(9).to_kB())\nshow(lambda: m.Byte(5).to_MB().value)\n"
            "show(lambda: m.KiB(3).to_MiB())",
            (
                "        self._unit_value = self._base ** self._power\n",
                "        self._unit_value = self._base ** self._power\n"
                "        self._inv_unit_value = 1.0 / self._unit_value\n",
            ),
            (
                "        return value / float(self._unit_value)\n",
                "        return value * self._inv_unit_value\n",
            ),
        ),
        honest(
            "parse_string: a loop to the first letter instead of a list of flags",
            _MSG + "for s in ['5 MiB', '-5MiB', '1.5 GiB', '7b', '7B', '12', '3 XB', "
            "'2.0kb', ' 4 KiB']:\n"
            "    show(lambda: msg(lambda: m.parse_string(s)))",
            (
                "    try:\n"
                "        index = list([i.isalpha() for i in s]).index(True)\n"
                "    except ValueError:\n"
                "        # If there's no alphabetic characters we won't be able to .index(True)\n"
                "        raise ValueError(\"No unit detected, can not parse string '%s' into "
                'a bitmath object" % s)\n',
                "    for index, char in enumerate(s):\n"
                "        if char.isalpha():\n"
                "            break\n"
                "    else:\n"
                "        raise ValueError(\"No unit detected, can not parse string '%s' into "
                'a bitmath object" % s)\n',
            ),
        ),
        honest(
            "Bitmath.system: a dict lookup of the base",
            "for x in [m.KiB(1), m.kB(1), m.Byte(3), m.Bit(9), m.Gb(2)]:\n"
            "    show(lambda: (x.system, x.format('{value} {unit} {system}')))\n"
            "x = m.KiB(1)\nx._base = 3\nshow(lambda: x.system)",
            (
                "        if self._base == 2:\n"
                '            return "NIST"\n'
                "        elif self._base == 10:\n"
                '            return "SI"\n'
                "        else:\n",
                "        name = _SYSTEM_NAMES.get(self._base)\n"
                "        if name is not None:\n"
                "            return name\n"
                "        else:\n",
            ),
            (
                "#: Pluralization behavior\n",
                '_SYSTEM_NAMES = {2: "NIST", 10: "SI"}\n\n#: Pluralization behavior\n',
            ),
        ),
    ),
)


MODULES: tuple[RealModule, ...] = (
    HJSON,
    UNIDIFF,
    BITMATH,
)
