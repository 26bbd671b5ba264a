"""`pyrunc update`: new resource limits for a running (or paused) container.

The changes are a partial linux.resources object, from runc's flags or from
a JSON file (`-r FILE`, `-r -` for stdin: what containerd sends for `docker
update`). As in runc, a value of 0 (or "") means "leave as it is". They are
merged into the stored config, the merged resources are written to the
cgroup, and only when that worked is the stored config replaced; when a
write fails the old limits are written back and the error is reported.
"""
import json

from libcontainer import diagnostics, errors

# Fields runc's update takes, besides "unified" (merged file by file); anything
# else in a -r file is ignored, as runc ignores it (containerd sends the whole
# resources object, devices included).
UPDATABLE = {
    "memory": ("limit", "reservation", "swap", "kernel", "kernelTCP"),
    "cpu": ("shares", "quota", "period", "realtimeRuntime", "realtimePeriod", "cpus", "mems"),
    "blockIO": ("weight",),
    "pids": ("limit",),
}

# flag dest -> (section, key, parser)
_SIZE, _UNSIGNED, _SIGNED, _TEXT = "size", "unsigned", "signed", "text"
FLAG_FIELDS = {
    "memory": ("memory", "limit", _SIZE),
    "memory_reservation": ("memory", "reservation", _SIZE),
    "memory_swap": ("memory", "swap", _SIZE),
    "cpu_share": ("cpu", "shares", _UNSIGNED),
    "cpu_period": ("cpu", "period", _UNSIGNED),
    "cpu_quota": ("cpu", "quota", _SIGNED),
    "cpu_rt_period": ("cpu", "realtimePeriod", _UNSIGNED),
    "cpu_rt_runtime": ("cpu", "realtimeRuntime", _SIGNED),
    "cpuset_cpus": ("cpu", "cpus", _TEXT),
    "cpuset_mems": ("cpu", "mems", _TEXT),
    "blkio_weight": ("blockIO", "weight", _UNSIGNED),
    "pids_limit": ("pids", "limit", _SIGNED),
}
_RDT_FLAGS = ("l3_cache_schema", "mem_bw_schema")
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


def flag_name(dest):
    return "--" + dest.replace("_", "-")


def parse_size(flag, text):
    """Bytes from "1024", "100m", "1.5g", "130 MiB" (binary units, the
    grammar runc and docker read sizes with); "-1" is "no limit"."""
    import re
    text = text.strip()
    if text == "-1":
        return -1
    match = re.fullmatch(r"(\d+(?:\.\d+)?) ?([kmgtp])?i?b?", text, re.IGNORECASE)
    if match is None:
        raise errors.PyruncError(f"{flag}: {text!r} is not a size (like 1024, 100m or 1.5g)")
    number, unit = match.groups()
    return int(float(number) * _UNITS[(unit or "").lower()])


def _parse_number(flag, text, signed):
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or (not signed and value < 0):
        kind = "an integer" if signed else "a non-negative integer"
        raise errors.PyruncError(f"{flag}: {text!r} is not {kind}")
    return value


def _parse_flag(dest, kind, text):
    flag = flag_name(dest)
    if kind == _SIZE:
        return parse_size(flag, text)
    if kind == _TEXT:
        return text
    return _parse_number(flag, text, signed=(kind == _SIGNED))


def changes_from_flags(args):
    """The partial resources object the flags ask for (None: not given)."""
    for dest in _RDT_FLAGS:
        if getattr(args, dest, None) is not None:
            raise errors.PyruncError(f"{flag_name(dest)}: Intel RDT is not supported by pyrunc")
    changes = {}
    for dest, (section, key, kind) in FLAG_FIELDS.items():
        text = getattr(args, dest, None)
        if text is not None:
            changes.setdefault(section, {})[key] = _parse_flag(dest, kind, text)
    return changes


def read_resources_file(path, stdin=None):
    """The resources object in a -r file ("-": stdin)."""
    import sys
    where = "standard input" if path == "-" else path
    try:
        if path == "-":
            data = json.load(stdin or sys.stdin)
        else:
            with open(path) as f:
                data = json.load(f)
    except OSError as exc:
        raise errors.PyruncError(f"--resources {where}: {exc.strerror}") from None
    except ValueError as exc:
        raise errors.PyruncError(f"--resources {where}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise errors.PyruncError(f"--resources {where}: must be a JSON object "
                                 "(linux.resources)")
    return data


def merged(resources, changes):
    """resources with the updatable fields of changes that are set (not 0/"",
    runc's "unchanged") put over it; a new dict, resources is left as it is."""
    out = {name: dict(value) if isinstance(value, dict) else value
           for name, value in (resources or {}).items()}
    for section, keys in UPDATABLE.items():
        given = changes.get(section)
        if given is None:
            continue
        if not isinstance(given, dict):
            raise errors.PyruncError(f"linux.resources.{section}: must be an object")
        for key in keys:
            value = given.get(key)
            if value is not None and value != 0 and value != "":
                out.setdefault(section, {})[key] = value
    unified = changes.get("unified")
    if unified:
        # cgroup v2 files by name, each replacing its old value (runc 1.1 does).
        if not isinstance(unified, dict):
            raise errors.PyruncError("linux.resources.unified: must be an object")
        out["unified"] = dict(out.get("unified") or {}, **unified)
    return out


def _without_devices(resources):
    # The device rules are set at create and update cannot change them:
    # rewriting them would deny every device for a moment (v1 starts a rule
    # list with "deny all").
    return {k: v for k, v in resources.items() if k != "devices"}


def update(container, changes):
    """Apply changes to the container's cgroup, then store them in its config."""
    store = container.store
    with store.lock(container.id):
        record = store.load(container.id)  # fresh: another update may have run
        status = container.status()
        if status == "stopped":
            raise errors.InvalidState(f"container {container.id} is not running")
        linux = record["config"].setdefault("linux", {})
        old = linux.get("resources") or {}
        new = merged(old, changes)
        manager = container.cgroup()
        diagnostics.debug(f"update {container.id}: resources {new}")
        try:
            manager.apply(_without_devices(new))
        except errors.PyruncError:
            _restore(manager, old)
            raise
        linux["resources"] = new
        store.save(container.id, record)
        container.record = record


def _restore(manager, old):
    try:
        manager.apply(_without_devices(old))
    except errors.PyruncError as exc:
        diagnostics.warning(f"update failed, and setting the old limits back failed too "
                            f"({exc}): the cgroup and the stored config may differ")
