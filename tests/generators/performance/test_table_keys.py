"""Table keys: a parameter the code looks up in a table takes the table's keys.

Dispatch tables (converters per language, factors per unit, formats per name) hold
one code path per key, and random text reaches none of them: a regression in the
converter of one key is seen only when that key is passed.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from guarded import Guarded

from pytest_autoimprove.generators.performance.facts import read_facts
from pytest_autoimprove.generators.performance.resolve import resolve_all

SPELL = '''
def _english(n):
    return {1: "one", 2: "two", 3: "three"}.get(n, str(n))


def _french(n):
    return {1: "un", 2: "deux", 3: "trois"}.get(n, str(n))


def _german(n):
    return {1: "eins", 2: "zwei", 3: "drei"}.get(n, str(n))


CONVERTERS = {"en": _english, "fr": _french, "de": _german}
STYLES = frozenset({"plain", "upper", "title"})


def spell(n, lang="en", style="plain"):
    """The word for ``n`` in ``lang``."""
    if style not in STYLES:
        raise ValueError(style)
    word = CONVERTERS[lang](n)
    if style == "upper":
        return word.upper()
    return word.title() if style == "title" else word


class Speller:
    ALIASES = {"english": "en", "french": "fr"}

    def code(self, name):
        return self.ALIASES.get(name, name)
'''


def test_the_tables_a_function_looks_a_parameter_up_in() -> None:
    facts = read_facts(textwrap.dedent(SPELL), "spell")
    assert facts.keyed["spell"] == {"style": ["STYLES"], "lang": ["CONVERTERS"]}
    assert facts.keyed["Speller.code"] == {"name": ["Speller.ALIASES"]}
    assert "_english" not in facts.keyed  # ``{...}.get(n)``: a literal, no table name


def test_a_regression_behind_one_key_is_caught_and_an_honest_rewrite_passes(
    guarded: Callable[[str, str], Guarded],
) -> None:
    spell = guarded("spell", SPELL)
    guard = spell.guard_text()
    assert "# a key of CONVERTERS; guards changed-behaviour" in guard
    assert "kwargs={'lang': 'de'}, returns='drei'" in guard
    assert "# a key of STYLES; guards changed-behaviour" in guard
    # Keys join the combinations of edge values: a key other than the first with an
    # odd value of another parameter.
    pairwise = [line for line in guard.splitlines() if "Case('pairwise-" in line]
    assert any("'lang': 'fr'" in line for line in pairwise), pairwise
    # German's three spelled like English's: only lang='de' shows it.
    proc = spell.run_with('3: "drei"', '3: "three"')
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "key-lang" in proc.stdout, proc.stdout[-2000:]
    # Title case dropped: only style='title' shows it.
    proc = spell.run_with('word.title() if style == "title" else word', "word")
    assert proc.returncode == 1, proc.stdout[-2000:]
    # A faster test for the common style: same behaviour.
    spell.assert_passes(
        "    if style not in STYLES:\n        raise ValueError(style)\n",
        '    if style != "plain" and style not in STYLES:\n        raise ValueError(style)\n',
    )


def test_a_table_name_that_raises_when_read_loses_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A module __getattr__ (or a class property) may raise anything: the resolver reads
    # the other tables and resolves the annotations all the same.
    (tmp_path / "odd.py").write_text(
        textwrap.dedent(
            """
            UNITS = {"m": 1, "km": 1000}

            def __getattr__(name):
                raise RuntimeError(name)

            def scale(n: int, unit="m"):
                return n * UNITS[unit] * LAZY[unit]
            """
        ),
        encoding="utf-8",
    )
    request = {
        "sys_path": [str(tmp_path)],
        "modules": [
            {
                "name": "odd",
                "targets": [{"qualname": "scale", "params": [("n", "int")]}],
                "table_names": ["LAZY", "UNITS"],
            }
        ],
    }
    monkeypatch.setattr(sys, "path", list(sys.path))  # the resolver prepends to it
    # ``odd`` is forgotten after the test: recorded as absent here, imported below.
    monkeypatch.setitem(sys.modules, "odd", None)
    del sys.modules["odd"]
    record = resolve_all(request)["modules"]["odd"]
    assert record["error"] is None
    assert record["keys"] == {"UNITS": ["m", "km"]}
    assert record["params"]["scale"]["n"].name == "int"


_NAMES = [f"Country {i:02d}" for i in range(20)]
COUNTRIES = f'''
RECORDS = {[(name, name[-2:], name) for name in _NAMES]!r}
# Two countries go by a shorter name too, which only the second index holds.
RECORDS[3] = ("Bolivia, Plurinational State of", "BO", "Bolivia")
RECORDS[18] = ("Taiwan, Province of China", "TW", "Taiwan")


def _index(field):
    return {{record[field].upper(): record for record in RECORDS}}


_by_name = _index(0)
_by_code = _index(1)
_by_short_name = _index(2)


def lookup(key, default=None):
    """The record a name or a two-digit code names."""
    k = key.upper()
    if len(k) == 2:
        return _by_code.get(k, default)
    if k in _by_name:
        return _by_name[k]
    return _by_short_name.get(k, default)
'''


def test_a_local_computed_from_the_parameter_is_looked_up_for_it() -> None:
    facts = read_facts(textwrap.dedent(COUNTRIES), "countries")
    assert sorted(facts.keyed["lookup"]["key"]) == ["_by_code", "_by_name", "_by_short_name"]


def test_keys_only_one_index_holds_reach_the_lookup_a_rewrite_drops(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # iso3166's get: `k = key.upper()`, then the name index, then the apolitical-name
    # index, whose keys are the name index's but for a few ('TAIWAN'): a spread of keys
    # over 20 records never picked those, so dropping that index went unseen.
    countries = guarded("countries", COUNTRIES)
    assert "'TAIWAN'" in countries.guard_text()
    countries.assert_caught("    return _by_short_name.get(k, default)\n", "    return default\n")
