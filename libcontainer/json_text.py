"""JSON text for the small documents pyrunc prints (state, list, hook state).

Not the json module: importing it pulls in re and enum (~4 ms), on the path
of `pyrunc state`, which engines call again and again. The string escaping
is the json module's own C function; the rest covers what these documents
hold: dicts with string keys, lists, strings, ints, bools and None. Without
indent the text is compact (no spaces), like runc's.
"""
from _json import encode_basestring_ascii as _string


def dumps(value, indent=None):
    return "".join(_parts(value, indent, 0))


def _parts(value, indent, depth):
    if isinstance(value, str):
        yield _string(value)
    elif value is None or isinstance(value, bool):
        yield {None: "null", True: "true", False: "false"}[value]
    elif isinstance(value, int):
        yield str(value)
    elif isinstance(value, dict):
        # Compact without indent, as Go's encoding/json (runc) writes it.
        colon = ":" if indent is None else ": "
        yield from _container("{", "}", [(_string(str(k)) + colon, v) for k, v in value.items()],
                              indent, depth)
    elif isinstance(value, (list, tuple)):
        yield from _container("[", "]", [("", v) for v in value], indent, depth)
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _container(opening, closing, items, indent, depth):
    if not items:
        yield opening + closing
        return
    inner = "\n" + " " * (indent * (depth + 1)) if indent is not None else ""
    yield opening
    for i, (prefix, item) in enumerate(items):
        yield ("," if i else "") + inner + prefix
        yield from _parts(item, indent, depth + 1)
    yield ("\n" + " " * (indent * depth) if indent is not None else "") + closing
