"""The config schema checked by jsonschema itself: `pyrunc validate` and the
tests' oracle for the compiled checker that `create` uses (compiled_schema.py).

jsonschema costs about 95 ms to import, so only this module imports it, and
the validator is built once per process and kept in a module global.
"""
from libcontainer.config.validate import Problem, _format_path, _join, type_message, wording

_VALIDATOR = None  # compiled jsonschema validator, built on first use


def _validator():
    global _VALIDATOR
    if _VALIDATOR is None:
        import json

        import jsonschema

        from libcontainer.config.validate import schema_file

        with open(schema_file("config-schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
        _VALIDATOR = jsonschema.Draft202012Validator(schema)
    return _VALIDATOR


def _missing_property(error) -> str:
    """The child a `required` error is about (jsonschema gives one error per missing key)."""
    names = [n for n in error.validator_value if isinstance(n, str)]
    for name in names:
        if error.message.startswith(repr(name)):
            return name
    absent = [n for n in names if isinstance(error.instance, dict) and n not in error.instance]
    return absent[0] if absent else names[0]


def _branch_problem(error) -> Problem:
    """anyOf/oneOf failed: speak about the closest branch, not "is not valid under any"."""
    from jsonschema.exceptions import best_match

    # A branch rejecting the value's very type is the least specific complaint.
    def is_wrong_type(e):
        return e.validator == "type" and not e.relative_path

    wrong_type = [e for e in error.context if is_wrong_type(e)]
    closer = [e for e in error.context if not is_wrong_type(e)]
    if closer:
        return _problem_from_error(best_match(closer))
    kinds = []
    for e in wrong_type:
        expected = e.validator_value
        kinds += [k for k in (expected if isinstance(expected, list) else [expected]) if k not in kinds]
    return Problem(_format_path(error.absolute_path), type_message(kinds))


def _problem_from_error(error) -> Problem:
    if error.context:
        return _branch_problem(error)
    path = _format_path(error.absolute_path)
    if error.validator == "required":
        return Problem(_join(path, _missing_property(error)), "is required")
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    if custom and error.validator == "pattern":
        return Problem(path, custom.format(value=error.instance))
    return Problem(path, wording(error.validator, error.validator_value) or error.message)


def problems(spec, validator=None) -> list:
    """Every schema problem in spec, unsorted (validate sorts them); `validator`,
    a jsonschema validator for another schema, serves the tests."""
    return [_problem_from_error(e) for e in (validator or _validator()).iter_errors(spec)]
