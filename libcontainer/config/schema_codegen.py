"""Build time: compile schemas/config-schema.json into plain Python
(libcontainer/config/compiled_schema.py), so that `create` validates a config
without importing jsonschema (~95 ms) or re (~5 ms).

    python -m libcontainer.config.schema_codegen          # rewrite the module
    python -m libcontainer.config.schema_codegen --check  # exit 1 if it is stale

The generated checks mean what jsonschema's Draft 2020-12 validator means for
the keywords below, and word each problem with validate.py's own wording, so
`create` and `pyrunc validate` (which keeps jsonschema) give the same verdicts
and messages; tests compare the two. A keyword outside this list stops the
generator rather than being silently ignored.
"""
import json
import os
import pprint
import sys

from libcontainer.config import regex_to_dfa, validate

# Keywords that annotate and never reject.
_ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "default",
                "examples", "x-message", "$defs"}
_SUPPORTED = {"type", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum",
              "exclusiveMaximum", "minItems", "maxItems", "minLength", "maxLength",
              "required", "properties", "additionalProperties", "items", "$ref"}

# A Python test per JSON type, as jsonschema's draft 2020-12 type checker decides
# (for the values JSON and YAML parsers make; integral floats are integers).
_TYPE_TESTS = {
    "object": "isinstance(v, dict)",
    "array": "isinstance(v, list)",
    "string": "isinstance(v, str)",
    "boolean": "isinstance(v, bool)",
    "null": "v is None",
    "number": "(isinstance(v, (int, float)) and not isinstance(v, bool))",
    "integer": "((isinstance(v, int) and not isinstance(v, bool))"
               " or (isinstance(v, float) and v.is_integer()))",
}
_NUMBER = _TYPE_TESTS["number"]
# keyword -> (the test for a value it applies to, the comparison that fails it)
_BOUNDS = {
    "minimum": (_NUMBER, "v < {}"), "maximum": (_NUMBER, "v > {}"),
    "exclusiveMinimum": (_NUMBER, "v <= {}"), "exclusiveMaximum": (_NUMBER, "v >= {}"),
    "minItems": ("isinstance(v, list)", "len(v) < {}"),
    "maxItems": ("isinstance(v, list)", "len(v) > {}"),
    "minLength": ("isinstance(v, str)", "len(v) < {}"),
    "maxLength": ("isinstance(v, str)", "len(v) > {}"),
}

HEADER = '''\
"""GENERATED from schemas/config-schema.json by libcontainer/config/schema_codegen.py:
do not edit. Regenerate with `python -m libcontainer.config.schema_codegen`
(tests/unit/test_compiled_schema.py fails while this file is stale).

problems(spec) -> [(where, message)], where None is the top level and
(where, key) a step down, formatted only when there is a problem.
"""
from libcontainer.config.dfa import search as _search


def problems(spec):
    out = []
    {root}(spec, None, out)
    return out
'''


class UnsupportedSchema(ValueError):
    pass


class _Generator:
    def __init__(self, schema):
        self.root = schema
        self.functions = {}   # canonical JSON of a subschema -> function name
        self.defs = {}        # $ref -> function name
        self.chunks = []      # source of constants and functions, in order
        self.constants = 0

    def constant(self, value):
        """A module-level name for value (sets written sorted: the output must not
        depend on string hashing)."""
        self.constants += 1
        name = f"_C{self.constants}"
        if isinstance(value, frozenset):
            text = f"frozenset({pprint.pformat(tuple(sorted(value)), width=86)})"
        else:
            text = _dfa_source(value)
        self.chunks.append(f"\n{name} = {text}\n")
        return name

    def function_for(self, schema, where):
        """The name of the function checking `schema` (generated on first use)."""
        if not isinstance(schema, dict):
            raise UnsupportedSchema(f"{where}: a schema must be an object")
        if set(schema) - _ANNOTATIONS == {"$ref"}:
            return self.ref_function(schema["$ref"], where)
        key = json.dumps(schema, sort_keys=True)
        if key not in self.functions:
            self.functions[key] = name = f"_s{len(self.functions) + 1}"
            self.emit_function(name, schema, where)
        return self.functions[key]

    def ref_function(self, ref, where):
        prefix = "#/$defs/"
        definition = ref[len(prefix):]
        if not ref.startswith(prefix) or definition not in self.root.get("$defs", {}):
            raise UnsupportedSchema(f"{where}: only local #/$defs/ references: {ref}")
        if ref not in self.defs:
            name = "_def_" + "".join(c if c.isalnum() else "_" for c in definition)
            if name in self.defs.values():  # two names that differ only in punctuation
                name += f"_{len(self.defs)}"
            self.defs[ref] = name
            self.emit_function(name, self.root["$defs"][definition], ref)
        return self.defs[ref]

    def emit_function(self, name, schema, where):
        # The name is registered before the body is made: a schema may refer to itself.
        lines = "".join(f"    {line}\n" for line in self.body(schema, where))
        self.chunks.append(f"\n\ndef {name}(v, at, out):  # {where}\n{lines}")

    def body(self, schema, where):
        unknown = sorted(k for k in schema if k not in _SUPPORTED | _ANNOTATIONS
                         and not k.startswith("x-"))
        if unknown:
            raise UnsupportedSchema(f"{where}: unsupported keywords {unknown}")
        lines = self.value_checks(schema, where)
        lines += self.object_checks(schema, where)
        lines += self.item_checks(schema, where)
        if "$ref" in schema:
            lines.append(f"{self.ref_function(schema['$ref'], where)}(v, at, out)")
        return lines or ["pass"]

    def value_checks(self, schema, where):
        """type, enum, pattern and the bounds: checks on the value itself."""
        lines = []
        if "type" in schema:
            kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not all(k in _TYPE_TESTS for k in kinds):
                raise UnsupportedSchema(f"{where}: unknown type {schema['type']}")
            test = " or ".join(_TYPE_TESTS[k] for k in kinds)
            lines += _report(f"not ({test})", validate.wording("type", schema["type"]))
        if "enum" in schema:
            values = schema["enum"]
            if not all(isinstance(x, str) for x in values):
                raise UnsupportedSchema(f"{where}: enum values must be strings")
            lines += _report(f"not (isinstance(v, str) and v in {self.constant(frozenset(values))})",
                             validate.wording("enum", values))
        if "pattern" in schema:
            lines += self.pattern_check(schema, where)
        for keyword, (applies, fails) in _BOUNDS.items():
            if keyword in schema:
                limit = schema[keyword]
                if not isinstance(limit, (int, float)) or isinstance(limit, bool):
                    raise UnsupportedSchema(f"{where}: {keyword} must be a number")
                lines += _report(f"{applies} and {fails.format(repr(limit))}",
                                 validate.wording(keyword, limit))
        return lines

    def pattern_check(self, schema, where):
        pattern = schema["pattern"]
        try:
            table = self.constant(regex_to_dfa.compile_pattern(pattern))
        except regex_to_dfa.UnsupportedPattern as exc:
            raise UnsupportedSchema(f"{where}: {exc}") from None
        condition = f"isinstance(v, str) and not _search({table}, v)"
        custom = schema.get("x-message")
        if custom:  # worded by the schema, about the value (validate.py does the same)
            return [f"if {condition}:", f"    out.append((at, {custom!r}.format(value=v)))"]
        return _report(condition, validate.wording("pattern", pattern))

    def object_checks(self, schema, where):
        if not {"required", "properties", "additionalProperties"} & set(schema):
            return []
        lines = []
        for name in schema.get("required", []):
            lines += [f"if {name!r} not in v:", f"    out.append(((at, {name!r}), 'is required'))"]
        properties = schema.get("properties", {})
        for name, subschema in properties.items():
            check = self.function_for(subschema, f"{where}.{name}")
            lines += [f"if {name!r} in v:", f"    {check}(v[{name!r}], (at, {name!r}), out)"]
        if "additionalProperties" in schema:
            check = self.function_for(schema["additionalProperties"], f"{where}.*")
            known = self.constant(frozenset(properties))
            lines += ["for key, item in v.items():",
                      f"    if key not in {known}:", f"        {check}(item, (at, key), out)"]
        return ["if isinstance(v, dict):"] + ["    " + line for line in lines]

    def item_checks(self, schema, where):
        if "items" not in schema:
            return []
        check = self.function_for(schema["items"], f"{where}[]")
        return ["if isinstance(v, list):", "    for index, item in enumerate(v):",
                f"        {check}(item, (at, index), out)"]


def _dfa_source(dfa):
    """A DFA table (regex_to_dfa.compile_pattern) as source, a state per line."""
    states, anchored_end = dfa
    lines = ["(("] + [f"    {state!r}," for state in states] + [f"), {anchored_end})"]
    return "\n".join(lines)


def _report(condition, message):
    return [f"if {condition}:", f"    out.append((at, {message!r}))"]


def generate(schema):
    """The source of compiled_schema.py for `schema` (a parsed JSON Schema)."""
    generator = _Generator(schema)
    root = generator.function_for(schema, "(top level)")
    return HEADER.format(root=root) + "\n" + "".join(generator.chunks)


def output_path():
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "compiled_schema.py")


def main(argv):
    with open(validate.schema_file("config-schema.json"), encoding="utf-8") as f:
        source = generate(json.load(f))
    path = output_path()
    if "--check" in argv:
        with open(path, encoding="utf-8") as f:
            current = f.read() == source
        print(f"{path}: {'up to date' if current else 'STALE: regenerate it'}")
        return 0 if current else 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(source)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
