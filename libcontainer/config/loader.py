"""Load a bundle's config (config.json or config.yaml) and validate it.

Schema validation needs jsonschema (~95 ms to import) and YAML needs PyYAML
(~22 ms): too much for every `create`. A config that passed once is remembered
by the digest of its bytes (and of our schema), together with its parsed form
in marshal format, so the next create of the same bundle costs a hash and a
marshal.load: not even the json module (with re and enum, ~4 ms) is imported.
The cheap semantic checks (they look at the filesystem) run every time.
"""
import marshal
import os

try:  # the builtin module: hashlib would first load OpenSSL (~4 ms)
    from _sha256 import sha256
except ImportError:
    from hashlib import sha256

from libcontainer import errors
from libcontainer.config import validate

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
        import json
        try:
            spec = json.loads(raw)
        except ValueError as exc:
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
    with open(path, "rb") as f:
        raw = f.read()
    cache = ValidatedCache()
    key = cache.key(raw)
    spec = cache.get(key)
    if spec is None:
        spec = parse(raw, path)
        raise_for(validate.schema_problems(spec), os.path.basename(path))
        cache.put(key, spec)
    raise_for(validate.semantic_problems(spec, bundle), os.path.basename(path))
    return spec


class ValidatedCache:
    """Digest of (schema, config bytes) -> the parsed, schema-valid config.

    Entries are never invalidated: the key changes with the config or schema."""

    def __init__(self, directory=None):
        self.directory = directory or os.environ.get("PYRUNC_CACHE_DIR") or _default_dir()

    def key(self, raw):
        # The schema by its bytes (~30 KB, a fraction of a millisecond): the
        # same schema installed in two places shares the cache entries.
        digest = sha256()
        with open(validate.schema_file("config-schema.json"), "rb") as f:
            digest.update(f.read())
        digest.update(b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def get(self, key):
        try:
            with open(os.path.join(self.directory, key), "rb") as f:
                return marshal.load(f)
        except (OSError, ValueError, EOFError, TypeError):
            return None

    def put(self, key, spec):
        """Best effort: a cache we can't write only costs speed."""
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            tmp = os.path.join(self.directory, f".{key}.{os.getpid()}")
            with open(tmp, "wb") as f:
                marshal.dump(spec, f)
            os.rename(tmp, os.path.join(self.directory, key))
        except OSError:
            pass


def _default_dir():
    if os.geteuid() == 0:
        return "/var/cache/pyrunc/validated"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "pyrunc", "validated")
