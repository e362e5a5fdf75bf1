"""The demo data files (devtools/demo/data/*.yaml): YAML's implicit types must not change
what the loaders get (an unquoted NO, Norway, would be read as false)."""

from datetime import date

import pytest
from django_countries import countries

from devtools.demo import data

NAMES = sorted(path.stem for path in data.DATA_DIR.glob("*.yaml"))
COUNTRY_KEYS = {"country", "country_developed", "countries_deployed"}


def _values(node, key=None):
    """(key, value) of every scalar in `node`, with the key of the mapping it sits in."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _values(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value, key)
    else:
        yield key, node


def test_every_data_file_is_loaded_once():
    assert NAMES == ["advisors", "calls", "events", "legal", "matchmaking", "technologies", "translations"]
    for name in NAMES:
        assert data.load(name) is data.load(name)


@pytest.mark.parametrize("name", NAMES)
def test_country_codes_are_codes_and_values_are_plain(name):
    for key, value in _values(data.load(name)):
        assert value is None or isinstance(value, str | int | bool | date), (key, value)
        if key in COUNTRY_KEYS:
            assert isinstance(value, str) and value in countries, (key, value)
