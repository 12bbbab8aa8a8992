"""The eleventh held-out corpus: eight more pinned PyPI releases nobody tuned against.

Same format and machinery as ``corpus_real/real_modules.py`` (its dataclasses are
imported, not copied) and the ten earlier held-out corpora: each entry pins a release
that ``guard_strength.py --corpus heldout11`` downloads as an sdist, names the module an
optimizing agent would be pointed at, the functions improve.md would name, and changes
written as exact text replacements of the pinned source.

Why an eleventh held-out corpus: the first ten have been read while deciding what to
build next, so their kill rates drift towards an upper bound. This one was written in
one sitting by a helper session that did not read the generators, their tests,
``docs/generators.md``, nor the changes of the other corpora (their data format only),
and did not look at which regressions the generators catch. The regressions are written
as an agent chasing speed makes them, not as a test writer who knows the tool. Keep it
that way: do not tune a generator against these modules.

The modules cover a subtitle parser whose block classes recognise cues, comments and
styles in lines of text (webvtt-py's ``vtt``), a float subclass that formats and parses
SI and IEC prefixes through a format-spec grammar (prefixed), an indexed priority queue
on a binary heap (pqdict), a binary decoder of typed and counted containers driven by a
marker table (py-ubjson's ``decoder``), an ISO week class built on a namedtuple
(isoweek), shortcode and Unicode emoji conversion over a tokenizer (emoji's ``core``),
path globbing, getting and setting in nested data (dpath's ``segments``) and a multiset
with set arithmetic over multiplicities (multiset).

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


# --- webvtt-py: a WebVTT parser of cue, comment and style blocks -----------------------

_VTT_DOC = (
    "doc = ['WEBVTT', '', 'NOTE  first note ', '', 'intro', '00:01.000 --> 00:02.000', "
    "'Hello', '', 'NOTE second', '', '01:00:03.000 --> 01:00:04.500', 'World']\n"
    "def cues(lines):\n"
    "    out = m.parse(lines)\n"
    "    return ([(c.identifier, c.start, c.end, c.text, c.comments) for c in out.captions], "
    "out.header_comments, out.footer_comments)\n"
)

WEBVTT = RealModule(
    name="webvtt",
    pin="webvtt-py==0.5.1",
    package="webvtt",
    module="webvtt/vtt.py",
    targets=(
        "parse",
        "parse_items",
        "parse_item",
        "WebVTTCueBlock.is_valid",
        "WebVTTCueBlock.from_lines",
        "WebVTTCommentBlock.from_lines",
        "to_str",
    ),
    tests=(("tests/*.py", "tests/"), ("tests/samples/*", "tests/samples/")),
    changes=(
        regression(
            "WebVTTCueBlock: timings without an hours field only",
            "dropped input form (the optional hours part of the start time is gone from "
            "the timing pattern, so a cue starting at 01:00:03.000 is not a cue); "
            "tests catch",
            _VTT_DOC + "show(lambda: cues(doc))",
            (
                "        r'\\s*((?:\\d+:)?\\d{2}:\\d{2}.\\d{3})\\s*-->",
                "        r'\\s*(\\d{2}:\\d{2}.\\d{3})\\s*-->",
            ),
        ),
        regression(
            "WebVTTCueBlock.is_valid: a cue must start with its timing line",
            "dropped branch (a cue with an identifier line before its timing is no longer "
            "recognised and is skipped); tests catch",
            _VTT_DOC + "show(lambda: cues(doc))",
            (
                '              "-->" not in lines[1]\n'
                "              ) or\n"
                "            (\n"
                "              len(lines) >= 3 and\n"
                '              "-->" not in lines[0] and\n'
                "              re.match(cls.CUE_TIMINGS_PATTERN, lines[1]) and\n"
                '              "-->" not in lines[2]\n'
                "              )\n",
                '              "-->" not in lines[1]\n              )\n',
            ),
        ),
        regression(
            "WebVTTStyleBlock.is_valid: timing lines allowed in a style",
            "dropped check (a STYLE block whose second line is a cue timing is taken as a "
            "style instead of being skipped); tests catch",
            "show(lambda: [s.text for s in m.parse(['WEBVTT', '', 'STYLE', "
            "'00:01.000 --> 00:02.000']).styles])",
            (
                "                not any(line.strip() == '' or '-->' in line for line in lines)\n",
                "                not any(line.strip() == '' for line in lines)\n",
            ),
        ),
        regression(
            "WebVTTCommentBlock.from_lines: comment text not stripped",
            "skipped normalisation (a comment keeps the blanks around its text); tests pass",
            _VTT_DOC + "show(lambda: cues(doc))",
            (
                "        match = cls.COMMENT_PATTERN.match('\\n'.join(lines))\n"
                "        return cls(text=match.group(1).strip() if match else '')\n",
                "        match = cls.COMMENT_PATTERN.match('\\n'.join(lines))\n"
                "        return cls(text=match.group(1) if match else '')\n",
            ),
        ),
        regression(
            "parse_items: pending comments not reset after an item",
            "dropped reset (each caption also gets the comments of the captions before it, "
            "and they reappear as footer comments); tests catch",
            _VTT_DOC + "show(lambda: cues(doc))",
            (
                "            item.comments = [comment.text for comment in comments]\n"
                "            comments = []\n",
                "            item.comments = [comment.text for comment in comments]\n",
            ),
        ),
        honest(
            "is_valid_content: compare the first six characters",
            _VTT_DOC + "show(lambda: cues(doc))\nshow(lambda: m.is_valid_content(['WEBVTT - x']))\n"
            "show(lambda: m.is_valid_content(['WEBVT']))\nshow(lambda: m.is_valid_content([]))",
            (
                "    return bool(lines and lines[0].startswith('WEBVTT'))\n",
                "    return bool(lines) and lines[0][:6] == 'WEBVTT'\n",
            ),
        ),
        honest(
            "ParserOutput.from_data: one pass over the items",
            _VTT_DOC + "show(lambda: cues(doc))",
            (
                "        items = data.get('items', [])\n"
                "        return cls(\n"
                "            captions=[it for it in items if isinstance(it, Caption)],\n"
                "            styles=[it for it in items if isinstance(it, Style)],\n",
                "        captions = []\n"
                "        styles = []\n"
                "        for it in data.get('items', []):\n"
                "            if isinstance(it, Caption):\n"
                "                captions.append(it)\n"
                "            elif isinstance(it, Style):\n"
                "                styles.append(it)\n"
                "        return cls(\n"
                "            captions=captions,\n"
                "            styles=styles,\n",
            ),
        ),
    ),
)


# --- prefixed: a float subclass that formats and parses SI and IEC prefixes -----------

PREFIXED = RealModule(
    name="prefixed",
    pin="prefixed==0.9.0",
    package="prefixed",
    module="prefixed/__init__.py",
    targets=("Float.__new__", "Float.__format__", "_convert", "Float.__repr__", "Float.__str__"),
    tests=(("tests/*.py", "tests/"),),
    changes=(
        regression(
            "_convert: prefix chosen from the signed value",
            "dropped sign (abs() is skipped, so a negative value never reaches a prefix: "
            "-2000 formats as '-2000.00' instead of '-2.00k'); tests catch",
            "show(lambda: format(m.Float(-2000), "
            "'.2h'))\nshow(lambda: format(m.Float(2000), '.2h'))",
            ("    absolute_value = abs(value)\n", "    absolute_value = value\n"),
        ),
        regression(
            "Float.__new__: IEC strings not read",
            "dropped input form (a string with an IEC prefix such as '2Ki' is looked up in "
            "the SI table and refused); tests catch",
            "show(lambda: m.Float('2Ki'))\nshow(lambda: m.Float('2k'))",
            (
                "                if prefix[-1] == 'i':\n"
                "                    magnitude = IEC_MAGNITUDE.get(prefix[0])\n"
                "                elif",
                "                if",
            ),
        ),
        regression(
            "Float.__format__: '#' flag ignored for significant digits",
            "dropped branch (trailing zeros are always stripped, so the alternate form no "
            "longer keeps them: '#.3H' of 1000 gives '1k', not '1.00k'); tests catch",
            "show(lambda: format(m.Float(1000), "
            "'#.3H'))\nshow(lambda: format(m.Float(1000), '.3H'))",
            (
                "            if precision and not spec['alt']:\n",
                "            if precision:\n",
            ),
        ),
        regression(
            "_convert: margin ignored",
            "dropped input form (the %margin field of the format spec no longer moves the "
            "prefix thresholds); tests catch",
            "show(lambda: format(m.Float(950), "
            "'%-5.2h'))\nshow(lambda: format(m.Float(950), '.2h'))",
            (
                "    margin = 1.0 if spec['margin'] is None else "
                "(100.0 + float(spec['margin'])) / 100.0\n",
                "    margin = 1.0\n",
            ),
        ),
        regression(
            "_convert: nothing below the smallest prefix",
            "skipped special case (values below 1e-30 no longer use the smallest prefix "
            "and format as plain zeros); tests catch",
            "show(lambda: format(m.Float(1e-33), "
            "'.2h'))\nshow(lambda: format(m.Float(2e-30), '.2h'))",
            (
                "    if prefixes is SI_SMALL and 0 < absolute_value < SI_SMALLEST * margin:\n"
                "        magnitude = SI_SMALLEST\n"
                "    else:\n"
                "        magnitude = 0\n",
                "    magnitude = 0\n",
            ),
        ),
        honest(
            "Float.__repr__: float's repr called directly",
            "show(lambda: repr(m.Float(2.5)))\nshow(lambda: repr(m.Float('3k')))",
            (
                "        return 'Float(%s)' % super(Float, self).__repr__()\n",
                "        return 'Float(%s)' % float.__repr__(self)\n",
            ),
        ),
        honest(
            "Float.__str__: float's repr",
            "show(lambda: str(m.Float(0.1)))\nshow(lambda: str(m.Float(1e300)))\n"
            "show(lambda: str(m.Float('nan')))",
            ("        return str(float(self))\n", "        return float.__repr__(self)\n"),
        ),
    ),
)


# --- pqdict: an indexed priority queue on a binary heap -------------------------------

PQDICT = RealModule(
    name="pqdict",
    pin="pqdict==1.4.0",
    package="pqdict",
    module="pqdict/__init__.py",
    targets=(
        "pqdict.__setitem__",
        "pqdict.pop",
        "pqdict.top",
        "pqdict.copy",
        "pqdict.pushpopitem",
        "pqdict.replace_key",
        "heaprepair",
    ),
    tests=(("tests/*.py", "tests/"),),
    changes=(
        regression(
            "heaprepair: only swims up",
            "dropped branch (an item whose priority got worse is not sunk, so the top of "
            "the queue is wrong after the update); tests catch",
            "pq = m.pqdict({'a': 1, 'b': 2, 'c': 3})\npq['a'] = 10\n"
            "show(lambda: [pq.pop() for _ in range(3)])",
            (
                "        _swim(heap, position, precedes, pos)\n    elif child_pos < len(heap):\n",
                "        _swim(heap, position, precedes, pos)\n    elif False:\n",
            ),
        ),
        regression(
            "pqdict.copy: heap list shared",
            "returns a shared mutable (the copy holds the same heap list, so popping from "
            "the copy empties the original); tests catch",
            "pq = m.pqdict({'a': 1, 'b': 2})\nc = pq.copy()\nc.pop()\nshow(lambda: len(pq))",
            ("        other._heap = self._heap[:]\n", "        other._heap = self._heap\n"),
        ),
        regression(
            "pqdict.__init__: reverse ignored",
            "dropped branch (reverse=True no longer flips the ordering to a max-queue); "
            "tests catch",
            "show(lambda: m.pqdict({'a': 1, 'b': 2}, reverse=True).top())",
            (
                "            if precedes == lt:\n          "
                "      precedes = gt\n            else:\n",
                "            if precedes != lt:\n",
            ),
        ),
        regression(
            "heappushpop: no empty check",
            "dropped empty check (pushpopitem on an empty queue indexes heap[0] and raises "
            "IndexError instead of handing the item back); tests pass",
            "show(lambda: m.pqdict().pushpopitem('a', 1))\n"
            "show(lambda: m.pqdict({'b': 0}).pushpopitem('a', 1))",
            (
                "    if heap and precedes(heap[0].prio, node.prio):\n",
                "    if precedes(heap[0].prio, node.prio):\n",
            ),
        ),
        regression(
            "pqdict.replace_key: target key not checked",
            "dropped check (replacing a key by one already queued no longer raises "
            "KeyError; the two entries end up sharing one slot); tests catch",
            "pq = m.pqdict({'a': 1, 'b': 2})\n"
            "show(lambda: pq.replace_key('a', 'b'))\nshow(lambda: (len(pq), sorted(pq.items())))",
            (
                "        if new_key in self._position:\n"
                '            raise KeyError(f"{new_key} is already in the queue")\n'
                "        pos = self._position.pop(key)",
                "        pos = self._position.pop(key)",
            ),
        ),
        honest(
            "pqdict.__iter__: yield from a generator",
            "pq = m.pqdict({'a': 3, 'b': 1, 'c': 2})\nshow(lambda: list(pq))\n"
            "show(lambda: sorted(iter(pq)))",
            (
                "        for node in self._heap:\n            yield node.key\n",
                "        yield from (node.key for node in self._heap)\n",
            ),
        ),
        honest(
            "pqdict.__repr__: join a generator",
            "show(lambda: repr(m.pqdict({'a': 3, 'b': 1})))\nshow(lambda: repr(m.pqdict()))",
            (
                '        things = ", ".join([f"{node.key}: '
                '{node.value}" for node in self._heap])\n',
                '        things = ", ".join(f"{node.key}: {node.value}" for node in self._heap)\n',
            ),
        ),
    ),
)


# --- py-ubjson: a UBJSON decoder of typed and counted containers ----------------------

UBJSON = RealModule(
    name="ubjson",
    pin="py-ubjson==0.16.1",
    package="ubjson",
    module="ubjson/decoder.py",
    targets=(
        "loadb",
        "load",
        "__decode_array",
        "__decode_object",
        "__decode_string",
        "__get_container_params",
    ),
    tests=(("test/test.py", "test/test.py"),),
    test_command="pytest -q test/test.py",
    notes="The C extension is not built in the laid-out project, so ubjson falls back to "
    "this pure-Python decoder and the tests of the extension skip themselves.",
    changes=(
        regression(
            "__decode_string: no short-read check",
            "dropped check (a string shorter than its declared length is returned "
            "truncated instead of raising DecoderException); tests catch",
            "show(lambda: m.loadb(b'SU\\x05ab'))\nshow(lambda: m.loadb(b'[SU\\x03abc]'))",
            (
                "    raw = fp_read(length)\n"
                "    if len(raw) < length:\n"
                "        raise DecoderException('String too short')\n"
                "    try:\n"
                "        return raw.decode('utf-8')\n"
                "    except UnicodeError as ex:\n"
                "        raise_from(DecoderException('Failed to decode string'), ex)\n",
                "    raw = fp_read(length)\n"
                "    try:\n"
                "        return raw.decode('utf-8')\n"
                "    except UnicodeError as ex:\n"
                "        raise_from(DecoderException('Failed to decode string'), ex)\n",
            ),
        ),
        regression(
            "__decode_int_non_negative: negative lengths accepted",
            "dropped check (a negative count or length is used as is: a string of length "
            "-1 reads the rest of the input); tests catch",
            "show(lambda: m.loadb(b'Si\\xffab'))\nshow(lambda: m.loadb(b'[#i\\xff'))",
            (
                "    if value < 0:\n"
                "        raise DecoderException('Negative count/length unexpected')\n",
                "",
            ),
        ),
        regression(
            "__decode_char: no missing-byte check",
            "dropped empty check (a char marker at the end of the input decodes to '' "
            "instead of raising DecoderException); tests catch",
            "show(lambda: m.loadb(b'C'))\nshow(lambda: m.loadb(b'[C'))",
            (
                "    if not raw:\n        raise DecoderException('Char missing')\n",
                "",
            ),
        ),
        regression(
            "__decode_array: uint8 arrays always become bytes",
            "dropped input form (no_bytes=True is ignored in the array decoder, so a typed "
            "uint8 array still comes back as bytes, not a list); tests catch",
            "show(lambda: m.loadb(b'[$U#U\\x02\\x01\\x02', no_bytes=True))\n"
            "show(lambda: m.loadb(b'[$U#U\\x02\\x01\\x02'))",
            (
                "    if type_ == TYPE_UINT8 and not no_bytes:\n",
                "    if type_ == TYPE_UINT8:\n",
            ),
        ),
        regression(
            "__decode_object: typed no-data objects ignore object_pairs_hook",
            "dropped branch (an object typed as null or bool with a count no longer goes "
            "through object_pairs_hook: it raises TypeError when one is given); tests catch",
            "show(lambda: m.loadb(b'{$Z#U\\x02U\\x01aU\\x01b', object_pairs_hook=list))\n"
            "show(lambda: m.loadb(b'{$Z#U\\x02U\\x01aU\\x01b'))",
            (
                "        if has_pairs_hook:\n"
                "            for _ in range(count):\n"
                "                obj.append((__decode_object_key(fp_read, fp_read(1), "
                "intern_object_keys), value))\n"
                "            return object_pairs_hook(obj)\n"
                "\n",
                "",
            ),
        ),
        honest(
            "loadb: no context manager around the buffer",
            "show(lambda: m.loadb(b'{U\\x01aSU\\x02hi}'))\nshow(lambda: m.loadb(b'SU\\x05ab'))\n"
            "show(lambda: m.loadb(b'[$U#U\\x02\\x01\\x02', no_bytes=True))",
            (
                "    with BytesIO(chars) as fp:\n"
                "        return load(fp, no_bytes=no_bytes, object_hook=object_hook, "
                "object_pairs_hook=object_pairs_hook,\n"
                "                    intern_object_keys=intern_object_keys)\n",
                "    return load(BytesIO(chars), no_bytes=no_bytes, object_hook=object_hook,\n"
                "                object_pairs_hook=object_pairs_hook, "
                "intern_object_keys=intern_object_keys)\n",
            ),
        ),
        honest(
            "__decode_object_key: decode once",
            "show(lambda: m.loadb(b'{U\\x01aSU\\x02hiU\\x02bcT}', intern_object_keys=True))\n"
            "show(lambda: m.loadb(b'{U\\x01\\xffT}'))\nshow(lambda: m.loadb(b'{U\\x05aT}'))",
            (
                "        return intern_unicode(raw.decode('utf-8')) if intern_object_keys "
                "else raw.decode('utf-8')\n",
                "        text = raw.decode('utf-8')\n"
                "        return intern_unicode(text) if intern_object_keys else text\n",
            ),
        ),
    ),
)


# --- isoweek: an ISO week as a namedtuple with date arithmetic ------------------------

ISOWEEK = RealModule(
    name="isoweek",
    pin="isoweek==1.3.3",
    package="isoweek.py",
    module="isoweek.py",
    targets=(
        "Week.fromstring",
        "Week.day",
        "Week.days",
        "Week.toordinal",
        "Week.__add__",
        "Week.__sub__",
        "Week.weeks_of_year",
        "Week.last_week_of_year",
    ),
    tests=(("test_isoweek.py", "test_isoweek.py"),),
    test_command="pytest -q test_isoweek.py",
    changes=(
        regression(
            "Week.fromstring: only the compact form",
            "dropped input form ('2011-W08' is refused; only '2011W08' parses); tests catch",
            "show(lambda: m.Week.fromstring('2011-W08'))\n"
            "show(lambda: m.Week.fromstring('2011W08'))",
            (
                "        elif isinstance(isostring, basestring) and len(isostring) == 8 and "
                "isostring[4:6] == '-W':\n"
                "           return cls(int(isostring[0:4]), int(isostring[6:8]))\n",
                "",
            ),
        ),
        regression(
            "Week.__new__: week 53 taken as given",
            "off-by-one in a range (week 53 is no longer normalised, so Week(2011, 53) "
            "exists although 2011 has 52 weeks); tests catch",
            "show(lambda: m.Week(2011, 53))\nshow(lambda: m.Week(2011, 53).monday())",
            ("        if week < 1 or week > 52:\n", "        if week < 1 or week > 53:\n"),
        ),
        regression(
            "Week.__sub__: timedelta no longer subtracted",
            "dropped input form (Week - timedelta takes the week-difference path and "
            "raises AttributeError); tests catch",
            "import datetime\nshow(lambda: m.Week(2011, 10) - datetime.timedelta(weeks=3))",
            (
                "        if isinstance(other, (int, long, timedelta)):\n",
                "        if isinstance(other, (int, long)):\n",
            ),
        ),
        regression(
            "Week.days: memoised list",
            "added cache that returns a shared mutable (days() is cached per week and "
            "hands every caller the same list, so one caller's change shows in the "
            "next); tests pass",
            "w = m.Week(2011, 1)\nd = w.days()\nd.append(None)\nshow(lambda: len(w.days()))",
            (
                "    def days(self):\n",
                "    @__import__('functools').lru_cache(maxsize=None)\n    def days(self):\n",
            ),
        ),
        regression(
            "Week.replace: truthiness instead of None checks",
            "dropped None check (replace uses 'or', so an explicit week=0 or year=0 is "
            "ignored instead of applied); tests pass",
            "show(lambda: m.Week(2011, 10).replace(week=0))\n"
            "show(lambda: m.Week(2011, 10).replace(year=0))",
            (
                "        return self.__class__(self.year if year is None else year,\n"
                "                              self.week if week is None else week)\n",
                "        return self.__class__(year or self.year, week or self.week)\n",
            ),
        ),
        honest(
            "Week.days: one timedelta added in a loop",
            "show(lambda: m.Week(2011, 1).days())\nshow(lambda: m.Week(9999, 52).days())\n"
            "show(lambda: m.Week(1, 1).days())",
            (
                "        monday = self.day(0)\n"
                "        return [monday + timedelta(days=i) for i in range(7)]\n",
                "        day = self.day(0)\n"
                "        one = timedelta(days=1)\n"
                "        out = [day]\n"
                "        for _ in range(6):\n"
                "            day += one\n"
                "            out.append(day)\n"
                "        return out\n",
            ),
        ),
        honest(
            "Week.__str__: explicit fields",
            "show(lambda: str(m.Week(2011, 8)))\nshow(lambda: m.Week(5, 52).isoformat())",
            (
                "        return '%04dW%02d' % self\n",
                "        return '%04dW%02d' % (self.year, self.week)\n",
            ),
        ),
    ),
)


# --- emoji: shortcode and Unicode emoji conversion -----------------------------------

EMOJI = RealModule(
    name="emoji",
    pin="emoji==2.14.0",
    package="emoji",
    module="emoji/core.py",
    targets=("emojize", "demojize", "replace_emoji", "emoji_list", "emoji_count", "version"),
    tests=(("tests/*.py", "tests/"), ("utils/testutils.py", "tests/testutils.py")),
    test_command="pytest -q tests/test_core.py",
    notes="The tests import a helper from the sdist's utils/ folder, laid out beside them "
    "in tests/. Only tests/test_core.py runs: the language-data tests take minutes.",
    changes=(
        regression(
            "emojize: existing variation selector kept",
            "skipped normalisation (an emoji stored with a variation selector gets a second "
            "one appended for variant=...); tests catch",
            "show(lambda: ascii(m.emojize(':red_heart:', variant='text_type')))\n"
            "show(lambda: ascii(m.emojize(':red_heart:', variant='emoji_type')))",
            (
                "        if emj[-1] == '\\ufe0e' or emj[-1] == '\\ufe0f':\n"
                "            # Remove an existing variant\n"
                "            emj = emj[0:-1]\n",
                "",
            ),
        ),
        regression(
            "demojize: aliases not used",
            "dropped branch (language='alias' gives the English name instead of the alias); "
            "tests catch",
            "show(lambda: m.demojize('\\U0001f44d', language='alias'))",
            (
                "            if _use_aliases and 'alias' in emoji_match.data:\n",
                "            if False:\n",
            ),
        ),
        regression(
            "emojize: unknown names removed",
            "skipped special case (a name that is not an emoji is replaced by '' instead of "
            "being left in the text); tests catch",
            "show(lambda: m.emojize('a :not_an_emoji_name: b :thumbs_up:'))",
            (
                "        if emj is None:\n            return match.group(1)\n",
                "        if emj is None:\n            return ''\n",
            ),
        ),
        regression(
            "demojize: version 0 treated as no version",
            "dropped None check (version is tested for truth, so version=0 keeps every "
            "emoji instead of removing them all); tests pass",
            "show(lambda: m.demojize('a \\U0001f44d', version=0))",
            (
                "        if version is not None and emoji_match.data['E'] > version:\n",
                "        if version and emoji_match.data['E'] > version:\n",
            ),
        ),
        regression(
            "emoji_count: count code points found in the table",
            "wrong fast path (counting characters that are emoji on their own splits a "
            "ZWJ sequence such as a family into its members); tests catch",
            "show(lambda: m.emoji_count('\\U0001f468\\u200d\\U0001f469\\u200d\\U0001f467'))\n"
            "show(lambda: m.emoji_count('a \\U0001f44d'))",
            (
                "    return len(emoji_list(string))\n",
                "    data = unicode_codes.EMOJI_DATA\n"
                "    return sum(1 for char in string if char in data)\n",
            ),
        ),
        honest(
            "emoji_count: one return expression",
            "show(lambda: m.emoji_count('\\U0001f600 \\U0001f44d \\U0001f600'))\n"
            "show(lambda: m.emoji_count('\\U0001f600 \\U0001f44d \\U0001f600', unique=True))",
            (
                "    if unique:\n"
                "        return len(distinct_emoji_list(string))\n"
                "    return len(emoji_list(string))\n",
                "    return len(distinct_emoji_list(string)) "
                "if unique else len(emoji_list(string))\n",
            ),
        ),
        honest(
            "is_emoji: membership in a local binding",
            "show(lambda: (m.is_emoji('\\U0001f44d'), m.is_emoji('a'), m.is_emoji('')))",
            (
                "    return string in unicode_codes.EMOJI_DATA\n",
                "    data = unicode_codes.EMOJI_DATA\n    return string in data\n",
            ),
        ),
    ),
)


# --- dpath: globbing, getting and setting paths in nested data ------------------------

DPATH = RealModule(
    name="dpath",
    pin="dpath==2.2.0",
    package="dpath",
    module="dpath/segments.py",
    targets=("get", "has", "match", "set", "view", "walk", "extend", "leaf"),
    tests=(
        ("tests/__init__.py", "tests/"),
        ("tests/test_broken_afilter.py", "tests/"),
        ("tests/test_new.py", "tests/"),
        ("tests/test_path_get.py", "tests/"),
        ("tests/test_paths.py", "tests/"),
        ("tests/test_search.py", "tests/"),
        ("tests/test_segments.py", "tests/"),
        ("tests/test_set.py", "tests/"),
        ("tests/test_unicode.py", "tests/"),
    ),
    notes="Five released test files import nose2, which is not installed; they are left "
    "out (test_delete, test_get_values, test_merge, test_path_paths, test_types). "
    "test_segments runs Hypothesis properties, so the suite takes about a minute.",
    changes=(
        regression(
            "get: decimal strings not used as list indices",
            "dropped input form (a path segment '1' no longer indexes a list); tests pass",
            "show(lambda: m.get({'a': [10, 20]}, ('a', '1')))\n"
            "show(lambda: m.get({'a': [10, 20]}, ('a', 1)))",
            (
                "        if isinstance(current, Sequence) and isinstance(segment, str) and "
                "segment.isdecimal():\n"
                "            segment = int(segment)\n"
                "\n"
                "        current = current[segment]\n",
                "        current = current[segment]\n",
            ),
        ),
        regression(
            "match: star-star expands to one star too few",
            "off-by-one in a range (a '**' glob no longer matches a path one segment "
            "longer than itself); tests catch",
            "show(lambda: m.match(('a', 'b', 'c'), ('a', '**')))\n"
            "show(lambda: m.match(('a', 'b'), ('a', '**')))",
            (
                "            more_stars = (STAR,) * (path_len - glob_len + 1)\n",
                "            more_stars = (STAR,) * (path_len - glob_len)\n",
            ),
        ),
        regression(
            "view: matched values not copied",
            "returns a shared mutable (the view holds the matched values themselves, so "
            "changing the view changes the source); tests pass",
            "d = {'a': {'b': [1]}, 'c': 2}\nv = m.view(d, ('a',))\nv['a']['b'].append(2)\n"
            "show(lambda: d)",
            (
                "                set(result, segments, deepcopy(value), "
                "hints=types(obj, segments))\n",
                "                set(result, segments, value, hints=types(obj, segments))\n",
            ),
        ),
        regression(
            "has: only KeyError means missing",
            "narrowed except (a list index past the end or a leaf in the path now raises "
            "instead of returning False); tests catch",
            "show(lambda: m.has({'a': [1]}, ('a', 5)))\nshow(lambda: m.has({'a': 1}, ('a', 'b')))\n"
            "show(lambda: m.has({'a': 1}, ('b',)))",
            (
                "        return True\n    except:\n        return False\n",
                "        return True\n    except KeyError:\n        return False\n",
            ),
        ),
        regression(
            "extend: one element short",
            "off-by-one in a range (a list is extended to index elements, not index + 1, "
            "so setting one past the end raises IndexError); tests catch",
            "show(lambda: m.set({'a': []}, ('a', 0), 'x'))\n"
            "show(lambda: m.set({'a': [1]}, ('a', 3), 'x'))",
            (
                "        extra = (index + 1) - len(thing)\n",
                "        extra = index - len(thing)\n",
            ),
        ),
        honest(
            "expand: prefixes by range",
            "show(lambda: list(m.expand(('a', 'b', 'c'))))\nshow(lambda: list(m.expand([])))\n"
            "show(lambda: m.types({'a': [1]}, ('a', 0)))",
            (
                "    index = 0\n"
                "    for _ in segments:\n"
                "        index += 1\n"
                "        yield segments[:index]\n",
                "    for index in range(1, len(segments) + 1):\n        yield segments[:index]\n",
            ),
        ),
        honest(
            "leaf: leaf types as a module constant",
            "show(lambda: [m.leaf(x) for x in (b'', 's', 1, 1.5, True, None, [], {})])\n"
            "show(lambda: list(m.walk({'a': {'b': b'x'}, 'c': [1]})))",
            (
                "    leaves = (bytes, str, int, float, bool, type(None))\n\n"
                "    return isinstance(thing, leaves)\n",
                "    return isinstance(thing, _LEAVES)\n\n\n"
                "_LEAVES = (bytes, str, int, float, bool, type(None))\n",
            ),
        ),
    ),
)


# --- multiset: a bag of elements with multiplicities and set arithmetic --------------

MULTISET = RealModule(
    name="multiset",
    pin="multiset==3.2.0",
    package="multiset",
    module="multiset/__init__.py",
    targets=(
        "BaseMultiset.__init__",
        "BaseMultiset.difference",
        "BaseMultiset.intersection",
        "BaseMultiset.times",
        "BaseMultiset._issubset",
        "BaseMultiset._as_mapping",
    ),
    tests=(("tests/*.py", "tests/"),),
    changes=(
        regression(
            "BaseMultiset.__init__: zero counts of a dict kept",
            "dropped check (a dict with a zero or negative count now puts that element in "
            "the multiset); tests pass",
            "show(lambda: sorted(m.Multiset({'a': 0, 'b': 2}).items()))\n"
            "show(lambda: 'a' in m.Multiset({'a': 0, 'b': 2}))",
            (
                "                elif isinstance(iterable, dict):\n"
                "                    for element, multiplicity in iterable.items():\n"
                "                        if multiplicity > 0:\n"
                "                            _elements[element] = multiplicity\n"
                "                            _total += multiplicity\n",
                "                elif isinstance(iterable, dict):\n"
                "                    for element, multiplicity in iterable.items():\n"
                "                        _elements[element] = multiplicity\n"
                "                        _total += multiplicity\n",
            ),
        ),
        regression(
            "BaseMultiset.difference: emptied elements kept",
            "off-by-one in a bound (an element whose count drops to exactly zero stays in "
            "the result with multiplicity 0); tests pass",
            "show(lambda: 'a' in (m.Multiset('aab') - m.Multiset('aa')))\n"
            "show(lambda: sorted((m.Multiset('aab') - m.Multiset('aa')).items()))",
            (
                "        result = self.__copy__()\n"
                "        _elements = result._elements\n"
                "        _total = result._total\n"
                "        for other in map(self._as_multiset, others):\n"
                "            for element, multiplicity in other.items():\n"
                "                if element in _elements:\n"
                "                    old_multiplicity = _elements[element]\n"
                "                    new_multiplicity = old_multiplicity - multiplicity\n"
                "                    if new_multiplicity > 0:\n",
                "        result = self.__copy__()\n"
                "        _elements = result._elements\n"
                "        _total = result._total\n"
                "        for other in map(self._as_multiset, others):\n"
                "            for element, multiplicity in other.items():\n"
                "                if element in _elements:\n"
                "                    old_multiplicity = _elements[element]\n"
                "                    new_multiplicity = old_multiplicity - multiplicity\n"
                "                    if new_multiplicity >= 0:\n",
            ),
        ),
        regression(
            "BaseMultiset.intersection: works on self",
            "mutates its argument (the copy is skipped, so a.intersection(b) also shrinks "
            "a); tests catch",
            "a = m.Multiset('aab')\nr = a.intersection('a')\nshow(lambda: sorted(a.items()))",
            (
                "        result = self.__copy__()\n"
                "        _elements = result._elements\n"
                "        _total = result._total\n"
                "        for other in map(self._as_mapping, others):\n"
                "            for element, multiplicity in list(_elements.items()):\n",
                "        result = self\n"
                "        _elements = result._elements\n"
                "        _total = result._total\n"
                "        for other in map(self._as_mapping, others):\n"
                "            for element, multiplicity in list(_elements.items()):\n",
            ),
        ),
        regression(
            "BaseMultiset.times: no special case for zero",
            "skipped special case (times(0) multiplies every count by zero and keeps the "
            "elements with multiplicity 0 instead of returning an empty multiset); "
            "tests pass",
            "show(lambda: sorted((m.Multiset('ab') * 0).items()))\n"
            "show(lambda: 'a' in m.Multiset('ab') * 0)",
            (
                "        if factor == 0:\n            return "
                "self.__class__()\n        if factor < 0:\n",
                "        if factor < 0:\n",
            ),
        ),
        regression(
            "BaseMultiset._issubset: strictness ignored for equal sizes",
            "dropped check (a multiset is a strict subset of an equal one: a < a is True); "
            "tests catch",
            "show(lambda: m.Multiset('ab') < m.Multiset('ab'))\n"
            "show(lambda: m.Multiset('ab') < m.Multiset('abc'))",
            ("        if self_len == other_len and strict:\n            return False\n", ""),
        ),
        honest(
            "BaseMultiset.times: multiply from the items",
            "show(lambda: sorted((m.Multiset('aab') * 3).items()))\n"
            "show(lambda: len(m.Multiset('aab') * 3))",
            (
                "        result = self.__copy__()\n"
                "        _elements = result._elements\n"
                "        for element in _elements:\n"
                "            _elements[element] *= factor\n",
                "        result = self.__copy__()\n"
                "        _elements = result._elements\n"
                "        for element, multiplicity in _elements.items():\n"
                "            _elements[element] = multiplicity * factor\n",
            ),
        ),
        honest(
            "BaseMultiset._as_mapping: count with dict.get",
            "show(lambda: sorted(m.Multiset('abca').intersection('aab').items()))\n"
            "show(lambda: m.Multiset._as_mapping(['x', 'y', 'x']))",
            (
                "            if element in mapping:\n"
                "                mapping[element] += 1\n"
                "            else:\n"
                "                mapping[element] = 1\n",
                "            mapping[element] = mapping.get(element, 0) + 1\n",
            ),
        ),
    ),
)


MODULES: tuple[RealModule, ...] = (
    WEBVTT,
    PREFIXED,
    PQDICT,
    UBJSON,
    ISOWEEK,
    EMOJI,
    DPATH,
    MULTISET,
)
