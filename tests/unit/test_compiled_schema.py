"""The compiled schema checker (create's) against jsonschema (pyrunc validate's):
same problems, same paths, same words, on our schema and on synthetic ones;
and the generated module is what the generator makes of today's schema."""
import copy
import datetime
import json
import random
import re

import jsonschema
import pytest

from libcontainer.config import dfa, regex_to_dfa, schema_codegen
from libcontainer.config.validate import (
    reference_schema_problems, schema_file, schema_problems,
)
from config_samples import oracle_samples, rich_config, runc_default_config


def test_compiled_module_is_up_to_date_with_the_schema():
    with open(schema_file("config-schema.json"), encoding="utf-8") as f:
        expected = schema_codegen.generate(json.load(f))
    with open(schema_codegen.output_path(), encoding="utf-8") as f:
        assert f.read() == expected, "run: python -m libcontainer.config.schema_codegen"


def test_generation_is_deterministic():
    with open(schema_file("config-schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    assert schema_codegen.generate(schema) == schema_codegen.generate(copy.deepcopy(schema))


# --- random values and mutations --------------------------------------------

SCALARS = [0, 1, -1, 7, 2**31, 2**32, 2**63, -2**63 - 1, 2**64, 1.0, 1.5, -0.0, 1e30,
           float("inf"), float("nan"), True, False, None, "", "x", "CAP_KILL", "CAP_x",
           "CAP_KILL\n", "RLIMIT_NOFILE", "RLIMIT_nofile", "1.2.0", "1.2.0\n", "1.2",
           "1.0.0-rc.1+b", "2MB", "0MB", "rwm", "rx", "MB:1", "MB:\n", "private",
           "SCMP_ACT_ALLOW", "pid", "c", "/abs", "é",
           # what YAML (config.yaml) may also give
           datetime.date(2026, 12, 1), b"bytes", {1: "int key", None: "null key"}]


def random_value(rnd, depth=0):
    roll = rnd.random()
    if depth > 2 or roll < 0.7:
        return copy.deepcopy(rnd.choice(SCALARS))  # a copy: later mutations may change it
    if roll < 0.85:
        return [random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))]
    return {rnd.choice(["type", "path", "x", "limit", "names"]): random_value(rnd, depth + 1)
            for _ in range(rnd.randint(0, 3))}


def containers(value, found):
    """Every dict and list inside value (value included)."""
    if isinstance(value, (dict, list)):
        found.append(value)
        for child in (value.values() if isinstance(value, dict) else value):
            containers(child, found)
    return found


def mutate(spec, rnd):
    """One random change: replace, delete or add a member, or graft a subtree elsewhere."""
    places = containers(spec, [])
    target = rnd.choice(places)
    keys = list(target) if isinstance(target, dict) else list(range(len(target)))
    action = rnd.random()
    if keys and action < 0.45:
        graft = rnd.choice(places) if rnd.random() < 0.2 else random_value(rnd)
        target[rnd.choice(keys)] = copy.deepcopy(graft)
    elif keys and action < 0.65:
        del target[rnd.choice(keys)]
    elif isinstance(target, dict):
        target[rnd.choice(["x", "ociVersion", "type", "limit", "path", "uid"])] = random_value(rnd)
    else:
        target.append(random_value(rnd))


def test_compiled_and_jsonschema_agree_on_the_samples():
    for name, spec in oracle_samples():
        assert schema_problems(spec) == reference_schema_problems(spec), name


def test_compiled_and_jsonschema_agree_on_mutated_configs():
    rnd = random.Random(20261201)
    bases = [rich_config(), runc_default_config()]
    rejected = 0
    for _ in range(1500):
        spec = copy.deepcopy(rnd.choice(bases))
        for _ in range(rnd.randint(1, 3)):
            mutate(spec, rnd)
        expected = reference_schema_problems(spec)
        assert schema_problems(spec) == expected, spec
        rejected += bool(expected)
    assert 300 < rejected < 1450  # both verdicts well represented


# --- every keyword the generator supports, on a synthetic schema -------------

SYNTHETIC = {
    "type": "object",
    "required": ["a", "b"],
    "properties": {
        "a": {"type": ["integer", "null"], "minimum": 0, "exclusiveMaximum": 10},
        "b": {"type": "number", "exclusiveMinimum": -1.5, "maximum": 2.5},
        "c": {"type": "string", "minLength": 2, "maxLength": 4, "pattern": "b+"},
        "d": {"type": "array", "minItems": 2, "maxItems": 3, "items": {"$ref": "#/$defs/leaf"}},
        "e": {"enum": ["x", "y"]},
        "f": {"minLength": 1, "minItems": 3},
        "g": {"type": "boolean"},
        "h": {"type": "object", "properties": {"k": {"type": "string"}},
              "additionalProperties": {"type": "integer"}},
        "i": {"$ref": "#/$defs/leaf", "required": ["z"], "description": "ignored"},
        "j": {"type": "integer", "pattern": "^a$"},
        "k": {"pattern": "^[^\\n]*x$"},
        "l": {"$ref": "#/$defs/tree"},
    },
    "additionalProperties": {"maxItems": 1},
    "$defs": {"tree": {"type": "object", "properties": {"child": {"$ref": "#/$defs/tree"},
                                                        "v": {"type": "integer"}}},
              "leaf": {"type": "object", "required": ["n"],
                       "properties": {"n": {"type": "string", "pattern": "^[a-c]x?$",
                                            "x-message": "bad {value!r}"}}}},
}
SYNTHETIC_VALUES = SCALARS + ["bb", "abbb", "bbbbbb", "a", "a\n", "ax", "cx\n", "xx",
                              "y", {"n": "a"}, {"n": "d"}, {"n": "b", "z": 1},
                              [{"n": "a"}, {"n": "ax"}], [{}, {"n": 1}, 3, 4],
                              {"k": "s", "m": 1, "o": "s"}, [1], [1, 2],
                              {"child": {"child": {"v": "deep", "child": 3}}, "v": 1}]


def test_compiled_and_jsonschema_agree_on_every_supported_keyword():
    namespace = {}
    exec(compile(schema_codegen.generate(SYNTHETIC), "<synthetic>", "exec"), namespace)
    reference = jsonschema.Draft202012Validator(SYNTHETIC)
    rnd = random.Random(7)
    seen_messages, seen_paths = set(), set()
    for _ in range(3000):
        keys = rnd.sample("abcdefghijklz", rnd.randint(0, 6))
        instance = {key: copy.deepcopy(rnd.choice(SYNTHETIC_VALUES)) for key in keys}
        if rnd.random() < 0.05:
            instance = rnd.choice(SYNTHETIC_VALUES)
        expected = reference_schema_problems(instance, reference)
        assert schema_problems(instance, namespace["problems"]) == expected, instance
        seen_messages.update(p.message for p in expected)
        seen_paths.update(p.path for p in expected)
    # Every kind of complaint came up, or agreeing would prove little.
    kinds = ["is required", "must be an integer or null", "must be a number", "must be >= 0",
             "must be < 10", "must be > -1.5", "must be <= 2.5", "must not be empty",
             "must be at most 4 characters long", "must match b+", "must match ^a$",
             "must have at least 2 items", "must have at least 3 items",
             "must have at most 3 items", "must have at most 1 items", "must be one of: x, y",
             "must be a boolean", "must be an object", "bad 'd'", "must match ^[^\\n]*x$"]
    assert [k for k in kinds if k not in seen_messages] == []
    assert "l.child.child.v" in seen_paths  # a schema referring to itself, two levels down


@pytest.mark.parametrize("schema", [
    {"anyOf": [{"type": "string"}]},
    {"properties": {"a": {"not": {}}}},
    {"additionalProperties": False},
    {"$ref": "other.json#/x"},
    {"$ref": "#/$defs/missing"},
    {"type": "thing"},
    {"enum": [1, 2]},
    {"pattern": "\\d+"},
    {"items": [{"type": "string"}]},
    {"properties": {"a": True}},
    {"minimum": "1"},
])
def test_generator_refuses_what_it_cannot_compile(schema):
    with pytest.raises(schema_codegen.UnsupportedSchema):
        schema_codegen.generate(schema)


# --- patterns: the DFA means what re.search means ---------------------------

def our_patterns():
    with open(schema_file("config-schema.json"), encoding="utf-8") as f:
        text = f.read()
    return [json.loads(f'"{p}"') for p in re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', text)]


@pytest.mark.parametrize("pattern", our_patterns() + [
    "ab", "a|b", "^(ab|c)*d?$", "x{2,3}y", "x{2}", "x{2,}z$", "[]a]", "[^a-c]+$", "a.b",
    "(?:ab){2}$", "^$", "", "\\$$", "a\\\\$", "[a-]x", "[-a]", "(a|)b", "a+?b", "^\\.\\n?$",
])
def test_pattern_dfa_matches_like_re_search(pattern):
    table = regex_to_dfa.compile_pattern(pattern)
    alphabet = sorted(set(pattern.replace("\\", "")) | set("abcxyz019.-+_$\\\n]é"))
    rnd = random.Random(pattern)
    for _ in range(2000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        assert dfa.search(table, text) == bool(re.search(pattern, text)), text


def test_the_schema_has_patterns_to_check():
    assert len(our_patterns()) >= 5


@pytest.mark.parametrize("pattern", ["\\d+", "a(?=b)", "^a|b", "a{", "(a", "a)", "[a",
                                     "\\bx", "a^b", "a$b", "[[a]"])
def test_unsupported_patterns_are_refused(pattern):
    with pytest.raises(regex_to_dfa.UnsupportedPattern):
        regex_to_dfa.compile_pattern(pattern)
