"""Agent-like regressions and behaviour-preserving optimizations of the corpus.

Each mutation is an exact source replacement in one file of one project. ``honest``
mutations are optimizations that keep behaviour (a guard failing on them is a false
alarm); the others are regressions a speed- or memory-chasing agent is likely to make
(a guard failing on them is a kill). ``LATENT`` names baseline functions that crash
on an ordinary edge input: a good generator reports them before the first experiment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutation:
    project: str
    path: str
    name: str
    risk: str
    old: str
    new: str
    honest: bool = False


T = "src/textkit/text.py"
N = "src/numkit/stats.py"
S = "storekit/records.py"

MUTATIONS: tuple[Mutation, ...] = (
    # --- textkit ----------------------------------------------------------------------
    Mutation(
        "textkit",
        T,
        "slugify drops the None check",
        "dropped-none-check",
        '    if text is None:\n        return ""\n    return sep',
        "    return sep",
    ),
    Mutation(
        "textkit",
        T,
        "slugify ASCII-only regex",
        "unicode-fast-path",
        "sep.join(_WORD.findall(text.lower()))",
        'sep.join(re.findall(r"[a-z0-9_]+", text.lower()))',
    ),
    Mutation(
        "textkit",
        T,
        "escape_query escapes quotes only",
        "special-characters",
        "    out = []\n    for ch in term:",
        "    if term.isalnum():\n        return term\n    return term.replace('\"', '\\\\\"')\n"
        "    out = []\n    for ch in term:",
    ),
    Mutation(
        "textkit",
        T,
        "word_counts order from a set",
        "hash-order-output",
        "    return counts\n",
        "    return {w: counts[w] for w in set(counts)}\n",
    ),
    Mutation(
        "textkit",
        T,
        "truncate drops the width check",
        "changed-exceptions",
        '    if width < 0:\n        raise ValueError("width must be >= 0")\n',
        "",
    ),
    Mutation(
        "textkit",
        T,
        "truncate off by one",
        "changed-behaviour",
        "    if len(text) <= width:",
        "    if len(text) < width:",
    ),
    Mutation(
        "textkit",
        T,
        "unique_tokens via set",
        "hash-order-output",
        "    seen = []\n    for token in tokens:\n        if token not in seen:\n"
        "            seen.append(token)\n    return seen",
        "    return list(set(tokens))",
    ),
    Mutation(
        "textkit",
        T,
        "truncate removed",
        "removed-feature",
        "def truncate(text, width,",
        "def _truncate(text, width,",
    ),
    Mutation(
        "textkit",
        T,
        "slugify compiled join (honest)",
        "",
        "    return sep.join(_WORD.findall(text.lower()))",
        "    words = _WORD.findall(text.lower())\n    return sep.join(words)",
        honest=True,
    ),
    Mutation(
        "textkit",
        T,
        "escape_query with a translate table (honest)",
        "",
        "    out = []\n    for ch in term:\n        if ch in _SPECIAL:\n"
        '            out.append("\\\\" + ch)\n        else:\n            out.append(ch)\n'
        '    return "".join(out)',
        '    return term.translate(_TABLE)\n\n\n_TABLE = {ord(c): "\\\\" + c for c in _SPECIAL}',
        honest=True,
    ),
    Mutation(
        "textkit",
        T,
        "unique_tokens via dict.fromkeys (honest)",
        "",
        "    seen = []\n    for token in tokens:\n        if token not in seen:\n"
        "            seen.append(token)\n    return seen",
        "    return list(dict.fromkeys(tokens))",
        honest=True,
    ),
    Mutation(
        "textkit",
        T,
        "word_counts with Counter (honest)",
        "",
        "    counts = {}\n    for word in _WORD.findall(text.lower()):\n"
        "        counts[word] = counts.get(word, 0) + 1\n    return counts",
        "    from collections import Counter\n\n"
        "    return dict(Counter(_WORD.findall(text.lower())))",
        honest=True,
    ),
    # --- numkit -----------------------------------------------------------------------
    Mutation(
        "numkit",
        N,
        "mean lets ZeroDivisionError escape",
        "changed-exceptions",
        '    if not values:\n        raise ValueError("mean of an empty list")\n',
        "",
    ),
    Mutation(
        "numkit",
        N,
        "mean with fsum",
        "changed-floats",
        "    return sum(values) / len(values)",
        "    return math.fsum(values) / len(values)",
    ),
    Mutation(
        "numkit",
        N,
        "normalize in place",
        "argument-mutation",
        "    out = []\n    for v in values:\n        out.append(v / total if total else 0.0)\n"
        "    return out",
        "    for i, v in enumerate(values):\n        values[i] = v / total if total else 0.0\n"
        "    return values",
    ),
    Mutation(
        "numkit",
        N,
        "normalize multiplies by the inverse",
        "changed-floats",
        "        out.append(v / total if total else 0.0)",
        "        out.append(v * (1.0 / total) if total else 0.0)",
    ),
    Mutation(
        "numkit",
        N,
        "clamp branch fast path",
        "nan-and-infinity",
        "    return max(lo, min(x, hi))",
        "    return lo if x < lo else hi if x > hi else x",
    ),
    Mutation(
        "numkit",
        N,
        "percentile sorts in place",
        "argument-mutation",
        "    ordered = sorted(values)",
        "    values.sort()\n    ordered = values",
    ),
    Mutation(
        "numkit",
        N,
        "moving_average running sum",
        "changed-floats",
        "    out = []\n    for i in range(len(values) - window + 1):\n"
        "        chunk = values[i : i + window]\n        out.append(sum(chunk) / window)\n"
        "    return out",
        "    out = []\n    run = sum(values[:window])\n"
        "    for i in range(len(values) - window + 1):\n"
        "        if i:\n            run += values[i + window - 1] - values[i - 1]\n"
        "        out.append(run / window)\n    return out",
    ),
    Mutation(
        "numkit",
        N,
        "format_price fast path breaks negatives",
        "negative-numbers",
        '    sign = "-" if cents < 0 else ""\n    whole, rest = divmod(abs(cents), 100)\n',
        '    sign = ""\n    whole, rest = divmod(cents, 100)\n',
    ),
    Mutation(
        "numkit",
        N,
        "mean with a loop (honest)",
        "",
        "    return sum(values) / len(values)",
        "    total = 0\n    for v in values:\n        total += v\n    return total / len(values)",
        honest=True,
    ),
    Mutation(
        "numkit",
        N,
        "normalize as a comprehension (honest)",
        "",
        "    out = []\n    for v in values:\n        out.append(v / total if total else 0.0)\n"
        "    return out",
        "    if not total:\n        return [0.0] * len(values)\n"
        "    return [v / total for v in values]",
        honest=True,
    ),
    Mutation(
        "numkit",
        N,
        "format_price with f-string math (honest)",
        "",
        '    sign = "-" if cents < 0 else ""\n    whole, rest = divmod(abs(cents), 100)\n'
        '    return f"{sign}${whole}.{rest:02d}"',
        "    a = -cents if cents < 0 else cents\n"
        "    return f\"{'-' if cents < 0 else ''}${a // 100}.{a % 100:02d}\"",
        honest=True,
    ),
    # --- storekit ---------------------------------------------------------------------
    Mutation(
        "storekit",
        S,
        "parse_record cached with lru_cache",
        "shared-mutable-result",
        "def parse_record(line):",
        "import functools\n\n\n@functools.lru_cache(maxsize=None)\ndef parse_record(line):",
    ),
    Mutation(
        "storekit",
        S,
        "parse_record drops the empty check",
        "dropped-none-check",
        "    if not line:\n        return {}\n",
        "",
    ),
    Mutation(
        "storekit",
        S,
        "merge_settings updates base in place",
        "argument-mutation",
        "    merged = dict(base)",
        "    merged = base",
    ),
    Mutation(
        "storekit",
        S,
        "PriceTable keeps the caller's dict",
        "aliased-internal-state",
        "        self._prices = dict(prices)",
        "        self._prices = prices",
    ),
    Mutation(
        "storekit",
        S,
        "as_dict returns the internal dict",
        "aliased-internal-state",
        "        return dict(self._prices)",
        "        return self._prices",
    ),
    Mutation(
        "storekit",
        S,
        "skus caches its list",
        "shared-mutable-result",
        "        return sorted(self._prices)",
        "        if not hasattr(self, '_skus'):\n            self._skus = sorted(self._prices)\n"
        "        return self._skus",
    ),
    Mutation(
        "storekit",
        S,
        "total narrows KeyError to None",
        "changed-exceptions",
        "        return sum(self._prices[s] for s in skus)",
        "        return sum(self._prices.get(s, 0) for s in skus)",
    ),
    Mutation(
        "storekit",
        S,
        "merge_settings with unpacking (honest)",
        "",
        "    merged = dict(base)\n    for key, value in override.items():\n"
        "        merged[key] = value\n    return merged",
        "    return {**base, **override}",
        honest=True,
    ),
    Mutation(
        "storekit",
        S,
        "skus cached as a tuple, copied out (honest)",
        "",
        "        return sorted(self._prices)",
        "        if getattr(self, '_skus', None) is None:\n"
        "            self._skus = tuple(sorted(self._prices))\n        return list(self._skus)",
        honest=True,
    ),
    Mutation(
        "storekit",
        S,
        "parse_record with a comprehension (honest)",
        "",
        '    out = {}\n    for part in line.split(";"):\n        if not part.strip():\n'
        '            continue\n        key, _, value = part.partition("=")\n'
        "        out[key.strip()] = value.strip()\n    return out",
        '    pairs = (p.partition("=") for p in line.split(";") if p.strip())\n'
        "    return {k.strip(): v.strip() for k, _, v in pairs}",
        honest=True,
    ),
)

#: (project, module, function) that crash on an ordinary edge input in the baseline.
LATENT: tuple[tuple[str, str, str], ...] = (("textkit", "textkit.text", "first_word"),)
