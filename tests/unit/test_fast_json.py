"""fast_json.loads is json.loads: the same values, the same errors and messages."""
import codecs
import json
import math

import pytest

from libcontainer.config import fast_json

SAMPLES = [
    b'{"a": 1}', b'  {"a": [1, 2.5, -3e2, true, false, null]}\n', b'{"s": "\\u00e9\\n\\ud83d\\ude00"}',
    b'{"big": 123456789012345678901234567890, "neg": -0, "f": 1.0}', b'{"n": NaN, "i": -Infinity}',
    b'[]', b'"text"', b'7', b' \t\r\n{}\r\n ', '{"é": "ü"}'.encode(), b'{"a": 1, "a": 2}',
    # errors: json's messages must come through unchanged
    b'', b'   ', b'{', b'{"a": 1,}', b'{"a": 1} x', b'{"a": 1}{}', b"{'a': 1}", b'{"a": tru}',
    b'{"a": "\x01"}', b'{"a": "\\x"}', b'\xff\xfe', b'{"a": "\xff"}', b'{"a": "\xed\xa0\x80"}',
    codecs.BOM_UTF8 + b'{"a": 1}', '{"a": 1}'.encode("utf-16"), '{"a": 1}'.encode("utf-16-le"),
    '{"a": 1}'.encode("utf-32"), '{"a": 1}'.encode("utf-32-be"), b'\x00{}', b'{\x00}',
    b'[' * 100000 + b']' * 100000, b'{"a": 1}\x00', b'\x0c{}',
]


def outcome(function, raw):
    try:
        return "value", repr(function(raw))  # repr: NaN != NaN, but its repr is equal
    except Exception as exc:  # noqa: BLE001 - comparing what each raises
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("raw", SAMPLES, ids=range(len(SAMPLES)))
def test_same_as_json_loads(raw):
    assert outcome(fast_json.loads, raw) == outcome(json.loads, raw)


def test_samples_cover_both_outcomes():
    kinds = [outcome(json.loads, raw)[0] for raw in SAMPLES]
    assert kinds.count("value") >= 10 and len(kinds) - kinds.count("value") >= 15


def test_constants_are_json_constants():
    value = fast_json.loads(b'[NaN, Infinity, -Infinity]')
    assert math.isnan(value[0]) and value[1:] == [math.inf, -math.inf]
