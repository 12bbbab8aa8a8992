"""Durations such as ``1h 30m`` or ``90 sec``: the formats are compiled in a loop."""

import re

UNITS = {"h": 3600, "m": 60, "s": 1}
FORMATS = [
    r"(?P<h>\d+)\s*h(?:\s*(?P<m>\d+)\s*m)?",
    r"(?P<m>\d+)\s*m(?:in)?",
    r"(?P<s>\d+)\s*s(?:ec)?",
]
PATTERNS = [re.compile(r"\s*" + f + r"\s*$", re.IGNORECASE) for f in FORMATS]


def seconds(text):
    """Seconds in ``text``, or None when it is not a duration."""
    for pattern in PATTERNS:
        match = pattern.match(text)
        if match:
            return sum(UNITS[k] * int(v) for k, v in match.groupdict().items() if v)
    return None
