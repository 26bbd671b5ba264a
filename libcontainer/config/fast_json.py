"""JSON bytes -> Python values without importing the json module.

`import json` brings in re and enum: about 5 ms of a cold `create`. json.loads
itself runs the C scanner of the _json extension; this module runs the same
scanner, set up with json.loads' defaults, so a successful parse gives what
json.loads gives. Anything else (a syntax error, a BOM, UTF-16 or UTF-32 text,
invalid UTF-8) is handed to json.loads itself, so errors, their messages and
the encodings accepted are exactly json's.
"""
from _json import make_scanner

_WHITESPACE = " \t\n\r"  # what json.decoder skips around the value


class _JsonLoadsDefaults:
    """The attributes the C scanner reads: json.JSONDecoder()'s defaults."""
    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"),
                      "NaN": float("nan")}.__getitem__
    memo = {}


_scan = make_scanner(_JsonLoadsDefaults())


def loads(raw: bytes):
    """json.loads(raw), raising what it raises."""
    try:
        return _plain_utf8(raw)
    except Exception:  # noqa: BLE001 - any trouble: let json itself decide and word it
        import json
        return json.loads(raw)


def _plain_utf8(raw):
    # json.detect_encoding picks UTF-8 unless a BOM or a NUL byte among the
    # first two says otherwise: leave those to json.
    if raw[:1] in (b"\xef", b"\xfe", b"\xff") or b"\x00" in raw[:2]:
        raise ValueError("not plain UTF-8")
    text = raw.decode("utf-8")
    value, end = _scan(text, len(text) - len(text.lstrip(_WHITESPACE)))
    if text[end:].strip(_WHITESPACE):
        raise ValueError("extra data")
    return value
