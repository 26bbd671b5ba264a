"""Validation of an OCI runtime-spec v1.x config (config.json / config.yaml).

Two layers, both reporting `Problem`s that name the exact JSON path at fault:

* schema_problems(): the shapes and types of our own schemas/config-schema.json,
  checked by compiled_schema.py, plain Python generated from the schema by
  schema_codegen.py (create's path: no jsonschema, no re). reference_schema_problems()
  checks the same with jsonschema (reference_schema.py: `pyrunc validate`, and
  the tests' oracle); both word each problem from _MESSAGES below
  ("process.args: must be an array", "ociVersion: is required").
* semantic_problems(): rules that cross fields or touch the bundle and that a
  schema cannot say: duplicate namespaces, id mappings versus the user
  namespace, sysctls versus namespaces, absolute paths, the rootfs directory,
  known capability and rlimit names, id-mapped mounts.

Nothing heavy is imported at module level: every `create` imports this module.
"""

import os

from libcontainer.rlimits import RLIMITS
# Plain classes and no typing/dataclasses/collections imports (~15 ms), nor
# `from __future__ import annotations` (its module, 0.1 ms): every `create`
# imports this module. Annotations stay within what Python 3.9 evaluates.


class Problem:
    """One validation problem: where (dotted JSON path, "" for the root) and what."""

    __slots__ = ("path", "message")

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message

    def __eq__(self, other):
        return isinstance(other, Problem) and (self.path, self.message) == (other.path, other.message)

    def __hash__(self):
        return hash((self.path, self.message))

    def __repr__(self):
        return f"Problem({self.path!r}, {self.message!r})"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


# ---------------------------------------------------------------------------
# paths and ordering

def _join(path: str, key: object) -> str:
    """Extend a dotted path by one step: a list index or an object key."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _format_path(steps) -> str:
    path = ""
    for step in steps:
        path = _join(path, step)
    return path


def _as_json(value) -> str:
    import json  # error path only

    return json.dumps(value)


def _sort_key(problem: Problem) -> tuple:
    # Zero-pad indices so that mounts[10] sorts after mounts[2].
    import re  # only when there are problems to sort: re costs ~5 ms to import

    padded = re.sub(r"\[(\d+)\]", lambda m: "[%012d]" % int(m.group(1)), problem.path)
    return (padded, problem.message)


def _sorted(found) -> list:
    return sorted(set(found), key=_sort_key)


# ---------------------------------------------------------------------------
# schema layer

_TYPE_WORDS = {
    "array": "an array", "object": "an object", "string": "a string",
    "integer": "an integer", "number": "a number", "boolean": "a boolean",
    "null": "null",
}


def schema_file(name: str) -> str:
    """Find a schema whether installed (libcontainer/schemas/) or in the source tree (schemas/)."""
    here = os.path.dirname(os.path.abspath(__file__))
    installed = os.path.join(here, os.pardir, "schemas", name)
    source_tree = os.path.join(here, os.pardir, os.pardir, "schemas", name)
    for candidate in (installed, source_tree):
        if os.path.isfile(candidate):
            return os.path.normpath(candidate)
    raise FileNotFoundError(f"schema {name} not found next to {here}")


def type_message(expected) -> str:
    kinds = expected if isinstance(expected, list) else [expected]
    return "must be " + " or ".join(_TYPE_WORDS.get(k, k) for k in kinds)


def _count_message(expected, empty_text: str, unit: str) -> str:
    return empty_text if expected == 1 else f"must have at least {expected} {unit}"


# Keyword -> wording, shared by both schema checkers (the compiled one gets
# its messages from here at generation time).
_MESSAGES = {
    "type": type_message,
    "enum": lambda v: "must be one of: " + ", ".join(str(x) for x in v),
    "const": lambda v: f"must be {_as_json(v)}",
    "pattern": lambda v: f"must match {v}",
    "minItems": lambda v: _count_message(v, "must not be empty", "items"),
    "maxItems": lambda v: f"must have at most {v} items",
    "minLength": lambda v: _count_message(v, "must not be empty", "characters"),
    "maxLength": lambda v: f"must be at most {v} characters long",
    "minimum": lambda v: f"must be >= {v}",
    "maximum": lambda v: f"must be <= {v}",
    "exclusiveMinimum": lambda v: f"must be > {v}",
    "exclusiveMaximum": lambda v: f"must be < {v}",
}


def wording(keyword: str, value):
    """How a failed `keyword: value` is said; None for keywords without a wording."""
    word = _MESSAGES.get(keyword)
    return word(value) if word else None


def _where_to_path(where) -> str:
    """The compiled checker's (parent, key) chain -> a dotted path."""
    steps = []
    while where is not None:
        where, key = where
        if key is not None:  # a YAML null key: jsonschema's paths leave it out too
            steps.append(key)
    return _format_path(reversed(steps))


def schema_problems(spec, checker=None) -> list:
    """Check `spec` against schemas/config-schema.json with the compiled checker
    (compiled_schema.problems, or `checker` generated from another schema):
    no jsonschema import, for the path of every create."""
    if checker is None:
        from libcontainer.config.compiled_schema import problems as checker
    found = checker(spec)
    return _sorted(Problem(_where_to_path(w), m) for w, m in found) if found else []


def reference_schema_problems(spec, validator=None) -> list:
    """The same check by jsonschema itself: `pyrunc validate`, and the tests'
    oracle (`validator`: a jsonschema validator of another schema)."""
    from libcontainer.config import reference_schema

    return _sorted(reference_schema.problems(spec, validator))


# ---------------------------------------------------------------------------
# semantic layer: every helper tolerates wrong types by skipping them, because
# this may run on a spec that failed the schema.

KNOWN_RLIMITS = frozenset(RLIMITS)

_HOOK_KINDS = ("prestart", "createRuntime", "createContainer", "startContainer",
               "poststart", "poststop")
_ARTICLE = {"network": "a", "ipc": "an", "uts": "a"}


def _obj(value) -> dict:
    return value if isinstance(value, dict) else {}


def _arr(value) -> list:
    return value if isinstance(value, list) else []


def _enumerate_objects(value):
    """(index, item) for the dict items of a list; anything else is skipped."""
    for index, item in enumerate(_arr(value)):
        if isinstance(item, dict):
            yield index, item


def _namespaces(spec: dict) -> dict:
    """type -> first entry of linux.namespaces (new or joined)."""
    found = {}
    for _, entry in _enumerate_objects(_obj(spec.get("linux")).get("namespaces")):
        if isinstance(entry.get("type"), str):
            found.setdefault(entry["type"], entry)
    return found


def _not_absolute(path, where: str):
    if isinstance(path, str) and not os.path.isabs(path):
        yield Problem(where, "must be an absolute path")


def _check_namespaces(spec: dict):
    seen = set()
    for index, entry in _enumerate_objects(_obj(spec.get("linux")).get("namespaces")):
        where = f"linux.namespaces[{index}]"
        kind = entry.get("type")
        if isinstance(kind, str) and kind in seen:
            yield Problem(where + ".type", f"namespace '{kind}' is listed more than once")
        seen.add(kind if isinstance(kind, str) else None)
        if entry.get("path"):  # "" means "create a new one", as in runc
            yield from _not_absolute(entry["path"], where + ".path")


def _check_id_mappings(spec: dict):
    linux = _obj(spec.get("linux"))
    user_ns = _namespaces(spec).get("user")
    for key in ("uidMappings", "gidMappings"):
        given = bool(_arr(linux.get(key)))
        if user_ns is None and given:
            yield Problem(f"linux.{key}", "needs a user namespace")
        elif user_ns is not None and not user_ns.get("path") and not given:
            # A joined user namespace already has its maps; a new one has none.
            yield Problem(f"linux.{key}", "is required with a new user namespace")
    places = [("linux", linux)] + [(f"mounts[{index}]", mount)
                                   for index, mount in _enumerate_objects(spec.get("mounts"))]
    for where, holder in places:
        for key in ("uidMappings", "gidMappings"):
            yield from _mapping_problems(f"{where}.{key}", _arr(holder.get(key)))


ID_LIMIT = 2**32 - 1  # ids are u32, and (u32)-1 is no id
MAX_MAPPINGS = 340  # user_namespaces(7): lines of a uid_map or gid_map


def _mapping_problems(field: str, entries: list):
    """What the kernel would refuse when the map is written, named here
    instead: an empty range, one past the last id, ranges that overlap."""
    if len(entries) > MAX_MAPPINGS:
        yield Problem(field, f"more than {MAX_MAPPINGS} ranges")
    ranges = {"containerID": [], "hostID": []}
    for index, entry in enumerate(entries):
        size = _obj(entry).get("size")
        if not isinstance(size, int):
            continue  # the schema says what is wrong with it
        if size < 1:
            yield Problem(f"{field}[{index}].size", "must be at least 1")
            continue
        for side, seen in ranges.items():
            start = _obj(entry).get(side)
            if not isinstance(start, int):
                continue
            if start + size > ID_LIMIT:
                yield Problem(f"{field}[{index}].{side}", f"{start} + size {size} is past the last id")
            elif any(start < end and other < start + size for other, end in seen):
                yield Problem(f"{field}[{index}].{side}", "overlaps an earlier range")
            seen.append((start, start + size))


# An id-mapped mount (idmap, ridmap) with no mappings of its own takes the
# container's user namespace's, as runc does; without one there are none.
IDMAP_NEEDS_MAPPINGS = "needs uidMappings and gidMappings on the mount, or a user namespace"
_IDMAP_OPTIONS = ("idmap", "ridmap")


def _check_idmap_mounts(spec: dict):
    """As runc: id mapping is for binds only, and a mount's uid and gid
    mappings come together; empty lists count as not given."""
    has_user_ns = "user" in _namespaces(spec)
    for index, mount in _enumerate_objects(spec.get("mounts")):
        where = f"mounts[{index}]"
        options = [o for o in _arr(mount.get("options")) if isinstance(o, str)]
        asked = [o for o in options if o in _IDMAP_OPTIONS]
        given = {key: bool(_arr(mount.get(key))) for key in ("uidMappings", "gidMappings")}
        if not asked and not any(given.values()):
            continue
        field = f"{where}.options" if asked else f"{where}.uidMappings"
        name = asked[-1] if asked else "id mapping"
        if mount.get("type") != "bind" and not {"bind", "rbind"} & set(options):
            yield Problem(field, f"{name} is only supported on bind mounts")
        elif given["uidMappings"] != given["gidMappings"]:
            have, lack = sorted(given, key=given.get, reverse=True)
            yield Problem(f"{where}.{lack}", f"is required with {have}")
        elif not given["uidMappings"] and not has_user_ns:
            yield Problem(field, f"{name} {IDMAP_NEEDS_MAPPINGS}")


def _check_uts_names(spec: dict):
    if "uts" in _namespaces(spec):
        return
    for key in ("hostname", "domainname"):
        if isinstance(spec.get(key), str) and spec[key]:
            yield Problem(key, "needs a uts namespace")


def _check_time_offsets(spec: dict):
    if _obj(_obj(spec.get("linux")).get("timeOffsets")) and "time" not in _namespaces(spec):
        yield Problem("linux.timeOffsets", "needs a time namespace")


def _check_memory_policy(spec: dict):
    policy = _obj(_obj(spec.get("linux")).get("memoryPolicy"))
    if policy and isinstance(policy.get("nodes", ""), str):
        from libcontainer import mempolicy
        for where, message in mempolicy.problems(policy):
            yield Problem(where, message)


def _check_process_basics(spec: dict):
    process = _obj(spec.get("process"))
    yield from _not_absolute(process.get("cwd"), "process.cwd")
    args = _arr(process.get("args"))
    if args and args[0] == "":
        yield Problem("process.args[0]", "must not be empty")
    for index, entry in enumerate(_arr(process.get("env"))):
        if isinstance(entry, str) and "=" not in entry:  # runc: "invalid environment variable"
            yield Problem(f"process.env[{index}]", f"{entry!r} is not NAME=VALUE")


def _check_rlimits(spec: dict):
    seen = set()
    for index, rlimit in _enumerate_objects(_obj(spec.get("process")).get("rlimits")):
        kind = rlimit.get("type")
        if not isinstance(kind, str):
            continue
        where = f"process.rlimits[{index}].type"
        if kind not in KNOWN_RLIMITS:
            yield Problem(where, f"unknown rlimit '{kind}'")
        elif kind in seen:
            yield Problem(where, f"rlimit '{kind}' is listed more than once")
        seen.add(kind)


def _sysctl_namespace(key: str):
    """The namespace that scopes a sysctl, or None when it is global to the host."""
    name = key.replace("/", ".")
    if name.startswith("net."):
        return "network"
    if name.startswith(("kernel.msg", "kernel.sem", "kernel.shm", "fs.mqueue.")):
        return "ipc"
    if name in ("kernel.hostname", "kernel.domainname"):
        return "uts"
    return None


def _check_sysctl(spec: dict):
    namespaces = _namespaces(spec)
    for key in _obj(_obj(spec.get("linux")).get("sysctl")):
        where = f"linux.sysctl.{key}"
        needed = _sysctl_namespace(key)
        if needed is None:
            # As runc: writing it inside the container would change the host.
            yield Problem(where, "is not namespaced: setting it would change the host")
        elif needed not in namespaces:
            yield Problem(where, f"needs {_ARTICLE[needed]} {needed} namespace")


def _check_absolute_paths(spec: dict):
    for index, mount in _enumerate_objects(spec.get("mounts")):
        yield from _not_absolute(mount.get("destination"), f"mounts[{index}].destination")
    for index, device in _enumerate_objects(_obj(spec.get("linux")).get("devices")):
        yield from _not_absolute(device.get("path"), f"linux.devices[{index}].path")
    hooks = _obj(spec.get("hooks"))
    for kind in _HOOK_KINDS:
        for index, hook in _enumerate_objects(hooks.get(kind)):
            # The spec extends execv(3): a hook's path MUST be absolute.
            yield from _not_absolute(hook.get("path"), f"hooks.{kind}[{index}].path")


def _check_root(spec: dict, bundle):
    if "root" not in spec:
        yield Problem("root", "is required")  # optional only on Windows
        return
    path = _obj(spec.get("root")).get("path")
    if bundle is None or not isinstance(path, str) or not path:
        return
    full = os.path.normpath(os.path.join(os.path.abspath(bundle), path))
    if not os.path.exists(full):
        yield Problem("root.path", f"no such directory: {full}")
    elif not os.path.isdir(full):
        yield Problem("root.path", f"not a directory: {full}")


_SEMANTIC_CHECKS = (
    _check_namespaces, _check_id_mappings, _check_uts_names, _check_time_offsets,
    _check_memory_policy, _check_process_basics, _check_rlimits, _check_sysctl,
    _check_absolute_paths, _check_idmap_mounts,
)


def semantic_problems(spec, bundle=None) -> list:
    """Cross-field and bundle checks; safe on malformed specs (wrong types are skipped)."""
    if not isinstance(spec, dict):
        return []
    found = [p for check in _SEMANTIC_CHECKS for p in check(spec)]
    found.extend(_check_root(spec, bundle))
    return _sorted(found)


def problems(spec, bundle=None) -> list:
    """All problems: the schema first (by jsonschema, the reference); the semantic
    rules only once the shapes are right."""
    found = reference_schema_problems(spec)
    return found if found else semantic_problems(spec, bundle)
