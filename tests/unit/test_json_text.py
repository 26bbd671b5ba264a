"""json_text writes what the json module would, for the documents pyrunc prints."""
import json

import pytest

from libcontainer import json_text

SAMPLES = [
    {"ociVersion": "1.2.0", "id": "c1", "status": "running", "pid": 42, "bundle": "/b",
     "annotations": {"k\"ey": "v\\al\nue", "ünï": "cødé"}, "owner": ""},
    [], {}, [{"a": [1, 2, {"b": None}], "c": True, "d": False}], "plain", 0, -7, None,
]


@pytest.mark.parametrize("value", SAMPLES)
@pytest.mark.parametrize("indent", [None, 2])
def test_same_as_the_json_module(value, indent):
    text = json_text.dumps(value, indent=indent)
    assert json.loads(text) == value
    separators = (",", ":") if indent is None else (",", ": ")  # compact, as runc's
    assert text == json.dumps(value, indent=indent, separators=separators)


def test_refuses_what_it_cannot_write():
    with pytest.raises(TypeError):
        json_text.dumps({"x": 1.5j})
