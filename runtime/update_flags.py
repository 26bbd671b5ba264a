"""`pyrunc update`'s flags and -r file -> the partial linux.resources object
libcontainer.update applies. Values are read as runc reads them (sizes with
binary units, "-1" for no limit); each error names its flag."""
import json

from libcontainer import errors

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
