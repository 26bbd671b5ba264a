"""Load a bundle's config (config.json or config.yaml) and validate it.

Every create reads a config it has never seen (engines write one per
container), so the path is kept cheap without remembering anything: JSON is
parsed by fast_json (json's own C scanner, without importing json and re), the
schema is checked by the compiled checker (validate.schema_problems: plain
Python generated from the schema, no jsonschema), and the semantic checks run
as always. Nothing is written anywhere. YAML needs PyYAML (~22 ms), only for
config.yaml bundles.
"""
import os

from libcontainer import errors, small_files
from libcontainer.config import fast_json, validate

CONFIG_NAMES = ("config.json", "config.yaml", "config.yml")


def find_config(bundle):
    if not os.path.isdir(bundle):
        raise errors.ConfigError(f"bundle {bundle}: no such directory")
    for name in CONFIG_NAMES:
        path = os.path.join(bundle, name)
        if os.path.isfile(path):
            return path
    raise errors.ConfigError(f"bundle {bundle}: has no config.json or config.yaml")


def parse(raw, path):
    """bytes -> dict, with a one-line error naming the file."""
    name = os.path.basename(path)
    if name.endswith((".yaml", ".yml")):
        import yaml
        try:
            spec = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise errors.ConfigError(f"{name}: invalid YAML: {_one_line(exc)}") from None
    else:
        try:
            spec = fast_json.loads(raw)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
            raise errors.ConfigError(f"{name}: invalid JSON: {exc}") from None
    if not isinstance(spec, dict):
        raise errors.ConfigError(f"{name}: must hold an object at the top level")
    return spec


def _one_line(exc):
    return " ".join(str(exc).split())


def raise_for(problems, name):
    if problems:
        more = len(problems) - 1
        suffix = f" (and {more} more; `pyrunc validate` lists all)" if more else ""
        raise errors.ConfigError(f"{name}: {problems[0]}{suffix}")


def load_bundle(bundle):
    """The validated spec of a bundle; raises ConfigError naming the field."""
    bundle = os.path.abspath(bundle)
    path = find_config(bundle)
    spec = parse(small_files.read_bytes(path), path)
    name = os.path.basename(path)
    raise_for(validate.schema_problems(spec), name)
    raise_for(validate.semantic_problems(spec, bundle), name)
    return spec
