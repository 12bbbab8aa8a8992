"""Text of a well-known format, for a parameter or a target that names one.

``URL.__call__(value)``, ``validate_email(addr)``, ``parse_date(text)``, ``is_ipv4(s)``:
the name says what text the code is written for, and random text never is that text
(it is rejected at the first check, so every path past the check goes unexercised).
A parameter whose name, or whose function's or class's name, names a well-known
format gets valid strings of it as ordinary values (the variety a real caller sends:
an IPv6 host, a quoted local part, an internationalised domain, a leap day) and near
misses as edge values (a missing part, a doubled separator, an out-of-range field),
where a fast path accepts what the check rejected.

The strings are the format's, not the project's: a format guessed from a name only,
so they are ordinary inputs, never evidence for a finding (a crash on one is frozen
like any other answer), and the near misses are edges of no declared validity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pytest_autoimprove.generators.discover import Param, Target
from pytest_autoimprove.generators.performance.pools import Edge, Pool, Sample
from pytest_autoimprove.generators.performance.values import (
    Kind,
    edge_values,
    sample_values,
    strategy_source,
)

__all__ = ["NAMED_FORMATS", "NamedFormat", "named_format", "with_named_format"]


@dataclass(frozen=True)
class NamedFormat:
    """A well-known text format.

    :param words: identifier words that name it (``url``, ``href``).
    :param parts: beginnings of a longer word that name it (``email`` in ``emails``).
    :param valid: strings of the format, the most ordinary first.
    :param near: ``(near miss, how)``.
    :param strategy: Hypothesis source drawing more of it (beside ``valid``).
    """

    name: str
    words: frozenset[str]
    parts: tuple[str, ...]
    valid: tuple[str, ...]
    near: tuple[tuple[str, str], ...]
    strategy: str = ""


NAMED_FORMATS: tuple[NamedFormat, ...] = (
    NamedFormat(
        "email address",
        frozenset({"email", "mail", "addr_spec", "mailbox"}),
        ("email",),
        (
            "user@example.com",
            "first.last+tag@sub.example.org",
            "USER@EXAMPLE.COM",
            "user@localhost",
            '"john doe"@example.com',
            "user@[192.168.0.1]",
            "jos\u00e9@ex\u00e4mple.de",
            "a@b.co",
        ),
        (
            ("user@", "no domain"),
            ("@example.com", "no local part"),
            ("user@@example.com", "a doubled @"),
            ("user example.com", "no @"),
            ("user@example..com", "an empty domain label"),
            ("user@example.com.", "a final dot"),
            (" user@example.com", "a leading blank"),
        ),
        "st.emails()",
    ),
    NamedFormat(
        "URL",
        frozenset({"url", "uri", "href", "link", "website", "homepage", "endpoint"}),
        ("url",),
        (
            "https://example.com/path?q=1#top",
            "http://www.example.org",
            "HTTP://EXAMPLE.COM/Up",
            "ftp://user:pw@files.example.net:2121/a.txt",
            "https://sub.domain.co.uk:8443/a/b/",
            "http://localhost:8000/",
            "http://192.168.0.1/x",
            "https://[2001:db8::1]/",
            "https://xn--bcher-kva.example/",
            "https://\u4f8b\u3048.jp/\u30d1\u30b9",
        ),
        (
            ("example.com/path", "no scheme"),
            ("https://", "no host"),
            ("http://exa mple.com", "a blank in the host"),
            ("https//example.com", "no colon"),
            ("https://example", "no top-level domain"),
            ("http://256.1.1.1/", "an octet past 255"),
            ("mailto:user@example.com", "another scheme"),
        ),
    ),
    NamedFormat(
        "IP address",
        frozenset({"ip", "ipaddr", "ipv4", "ipv6", "ip_address", "address_ip"}),
        ("ipv4", "ipv6", "ipaddress"),
        (
            "192.168.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "10.0.0.254",
            "::1",
            "2001:db8::ff00:42:8329",
            "::ffff:192.0.2.1",
        ),
        (
            ("256.0.0.1", "an octet past 255"),
            ("1.2.3", "three octets"),
            ("01.2.3.4", "a leading zero"),
            ("1.2.3.4.5", "five octets"),
            (" 1.2.3.4", "a blank"),
            ("2001:db8:::1", "a tripled colon"),
        ),
        "st.ip_addresses().map(str)",
    ),
    NamedFormat(
        "UUID",
        frozenset({"uuid", "guid"}),
        ("uuid", "guid"),
        (
            "12345678-1234-5678-1234-567812345678",
            "12345678-1234-5678-1234-567812345678".upper(),
            "{12345678-1234-5678-1234-567812345678}",
            "urn:uuid:12345678-1234-5678-1234-567812345678",
            "12345678123456781234567812345678",
        ),
        (
            ("12345678-1234-5678-1234-56781234567", "a digit short"),
            ("g2345678-1234-5678-1234-567812345678", "a letter past f"),
        ),
        "st.uuids().map(str)",
    ),
    NamedFormat(
        "host name",
        frozenset({"hostname", "host", "domain", "fqdn", "netloc"}),
        ("hostname", "domain"),
        (
            "example.com",
            "sub.example.co.uk",
            "localhost",
            "xn--bcher-kva.example",
            "a-b.example",
            "EXAMPLE.COM",
            "example.com.",
        ),
        (
            ("-a.example", "a leading hyphen"),
            ("a..b", "an empty label"),
            ("a_b.example", "an underscore"),
            ("x" * 64 + ".com", "a label of 64 characters"),
        ),
    ),
    NamedFormat(
        "ISO date and time",
        frozenset({"datetime", "iso", "isoformat", "iso8601"}),
        ("datetime",),
        (
            "2024-02-29T12:34:56",
            "2024-02-29T12:34:56Z",
            "2024-02-29T12:34:56.123456+05:30",
            "2024-02-29 00:00:00",
            "1999-12-31T23:59:59-08:00",
        ),
        (
            ("2024-02-29T24:00:00", "hour 24"),
            ("2024-02-29T12:60:00", "minute 60"),
            ("2023-02-29T00:00:00", "no leap day that year"),
            ("2024-02-29T1:2:3", "short fields"),
        ),
        "st.datetimes().map(str)",
    ),
    NamedFormat(
        "ISO date",
        frozenset({"date", "birthday", "birthdate"}),
        ("date",),
        ("2024-02-29", "1999-12-31", "2000-01-01", "0001-01-01"),
        (
            ("2023-02-29", "no leap day that year"),
            ("2024-13-01", "month 13"),
            ("2024-2-9", "short fields"),
            ("20240229", "no separators"),
            ("2024/02/29", "slashes"),
        ),
        "st.dates().map(str)",
    ),
    NamedFormat(
        "version number",
        frozenset({"version", "semver"}),
        ("version",),
        ("1.2.3", "0.0.1", "1.0.0-alpha.1+build.5", "2.0.0rc1", "1.2", "10.20.30"),
        (
            ("01.2.3", "a leading zero"),
            ("1.2.3-", "an empty pre-release"),
            ("v1.2.3", "a v in front"),
            ("1..3", "an empty part"),
        ),
    ),
    NamedFormat(
        "file name or path",
        frozenset({"filename", "fname", "filepath", "pathname", "path", "abspath", "dirname"}),
        ("filename", "filepath"),
        (
            "report.txt",
            "dir/sub/archive.tar.gz",
            ".hidden",
            "/abs/path/to/file",
            "C:\\Users\\me\\file.txt",
            "\\\\server\\share\\file.txt",
            "name with spaces.txt",
            "\u00e9t\u00e9.txt",
            "CON",
            ".hidden ",
        ),
        (
            ("", "nothing"),
            ("name.txt ", "a trailing blank"),
            ("name.txt.", "a trailing dot"),
            (" name.txt", "a leading blank"),
            ("file<name>.txt", "a character Windows reserves"),
            ("a:b.txt", "a colon"),
            ("dir/", "a trailing separator"),
            ("file\x00name", "a NUL"),
            ("x" * 260, "past 255 characters"),
        ),
    ),
    NamedFormat(
        "JSON document",
        frozenset({"json"}),
        ("json",),
        (
            '{"a": [1, 2.5, null, true], "b": "x"}',
            "[]",
            '"text"',
            "1e3",
            '{"nested": {"k": [{}]}}',
            '"\\u00e9\\ud83d\\ude00"',
        ),
        (
            ("{'a': 1}", "single quotes"),
            ("[1,]", "a trailing comma"),
            ('{"a": 1', "no closing brace"),
            ("NaN", "not a number"),
        ),
    ),
)

#: The format named by each word.
_BY_WORD = {word: fmt for fmt in NAMED_FORMATS for word in fmt.words}
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def _words(identifier: str) -> list[str]:
    """``validate_email`` -> validate, email; ``IPv4Address`` -> ipv4, address."""
    words: list[str] = []
    for chunk in identifier.split("_"):
        parts = [p.lower() for p in _CAMEL.findall(chunk)]
        # A version digit belongs to the word before it (IPv4, Base64).
        for part in parts:
            if part.isdigit() and words:
                words[-1] += part
            else:
                words.append(part)
        if chunk:
            words.append(chunk.lower())
    return words


def _named_in(identifier: str) -> NamedFormat | None:
    for word in _words(identifier):
        if word in _BY_WORD:
            return _BY_WORD[word]
    # A part begins a word (`emails`, `filenames`, `FileNameValidator`), never ends
    # one: `validate` and `update` name no date.
    words = _words(identifier)
    return next(
        (f for f in NAMED_FORMATS if any(w.startswith(p) for w in words for p in f.parts)), None
    )


def named_format(target: Target, param: Param, text_params: Sequence[Param]) -> NamedFormat | None:
    """The format ``param``'s name names; else, for the first text parameter, the one
    its function's or class's name names (``URL.__call__(value)``, ``is_email(s)``)."""
    own = _named_in(param.name)
    if own is not None or not text_params or text_params[0].name != param.name:
        return own
    for part in reversed(target.qualname.split(".")):
        words = _words(part)
        if part.startswith("__") or not words or words[0] in _PRODUCERS:
            continue
        found = _named_in(part)
        if found is not None:
            return found
    return None


#: First words of a function that writes a format rather than reads it
#: (``to_json(obj)``, ``format_date(d)``): its parameter is no text of the format.
_PRODUCERS = frozenset(
    {"to", "as", "format", "dump", "dumps", "render", "serialize", "encode", "make", "build"}
    | {"generate", "random", "new", "create"}
)


def with_named_format(pool: Pool | None, kind: Kind, fmt: NamedFormat) -> Pool:
    """``pool`` (or the str pool of ``kind``) led by strings of ``fmt``."""
    if pool is None:
        text = Kind("str", optional=kind.optional, evidence=kind.evidence)
        pool = Pool(
            text,
            tuple(Sample(v) for v in sample_values(text)),
            tuple(Edge(v, r, False) for v, r in edge_values(text)),
            strategy_source(text),
        )
    note = f"a valid {fmt.name} (named by the code)"
    samples = tuple(Sample(v, "format", note) for v in fmt.valid)
    edges = tuple(
        Edge(v, "format-fast-path", False, f"{fmt.name} with {how}") for v, how in fmt.near
    )
    drawn = [f"st.sampled_from({list(fmt.valid)!r})"]
    drawn += [fmt.strategy] if fmt.strategy else []
    drawn += [pool.strategy] if pool.strategy else []
    return replace(
        pool,
        samples=samples + pool.samples,
        edges=edges + pool.edges,
        strategy=f"st.one_of({', '.join(drawn)})",
    )
