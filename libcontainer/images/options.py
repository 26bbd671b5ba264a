"""The flags of `run-image`, checked and turned into pieces of a config.

Every check names its flag and runs before anything is made, so a bad flag
leaves nothing behind. Pure functions: unit-tested without root."""
import os

from libcontainer import errors

_SIZE_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_CPU_PERIOD = 100000  # microseconds, the kernel's default CFS period


def _bad(flag, value, why):
    return errors.PyruncError(f"{flag} {value}: {why}")


def memory_bytes(text, flag="-m"):
    """100m, 1g, 512k, 1048576 (bytes); docker's suffixes, any case."""
    lowered = text.strip().lower()
    number = lowered.rstrip("bkmgt")
    unit = lowered[len(number):]
    if unit.endswith("b") and len(unit) == 2:
        unit = unit[0]  # 100mb
    if not number.isdigit() or unit not in _SIZE_UNITS:
        raise _bad(flag, text, "not a size (a whole number with an optional b, k, m, g or t)")
    size = int(number) * _SIZE_UNITS[unit]
    if size < 1 << 20:
        raise _bad(flag, text, "too small: a container needs at least 1m")
    return size


def cpu_quota(text, flag="--cpus"):
    """--cpus 1.5 -> a CFS quota of 1.5 periods."""
    try:
        cpus = float(text)
    except ValueError:
        raise _bad(flag, text, "not a number of CPUs (e.g. 0.5 or 2)") from None
    available = os.cpu_count() or 1
    if not 0.01 <= cpus <= available:
        raise _bad(flag, text, f"must be between 0.01 and the {available} CPUs this machine has")
    return {"quota": round(cpus * _CPU_PERIOD), "period": _CPU_PERIOD}


def cpu_shares(value, flag="--cpu-shares"):
    if not 2 <= value <= 262144:
        raise _bad(flag, value, "must be between 2 and 262144")
    return value


def cpuset(text, flag="--cpuset-cpus"):
    """0-2,4: each CPU must exist on this machine."""
    available = os.cpu_count() or 1
    for part in text.split(","):
        low, dash, high = part.partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise _bad(flag, text, "not a CPU list (e.g. 0 or 0-2,4)")
        if dash and int(high) < int(low):
            raise _bad(flag, text, f"{part}: the range runs backwards")
        if int(high if dash else low) >= available:
            raise _bad(flag, text, f"CPU {high if dash else low} does not exist "
                                   f"(this machine has 0-{available - 1})")
    return text


def volume(text, flag="-v"):
    """SRC:DST[:ro|rw] -> a bind mount; SRC must exist."""
    parts = text.split(":")
    mode = parts.pop() if len(parts) == 3 else "rw"
    if len(parts) != 2 or mode not in ("ro", "rw") or not all(parts):
        raise _bad(flag, text, "must be SRC:DST or SRC:DST:ro")
    source, destination = os.path.abspath(parts[0]), parts[1]
    if not os.path.exists(source):
        raise _bad(flag, text, f"the source {source} does not exist")
    if not destination.startswith("/"):
        raise _bad(flag, text, "the destination must be an absolute path in the container")
    options = ["rbind"] + (["ro"] if mode == "ro" else [])
    return {"destination": destination, "type": "bind", "source": source, "options": options}


def env_entry(text, flag="-e"):
    """K=V, or K alone for our own value of K (as docker does)."""
    key, has_value, value = text.partition("=")
    if not key or any(c in key for c in " \0"):
        raise _bad(flag, text, "must be KEY=VALUE")
    if not has_value:
        if key not in os.environ:
            raise _bad(flag, text, "no =VALUE, and pyrunc's environment has no such variable")
        value = os.environ[key]
    return f"{key}={value}"


def port(text, flag="-p"):
    """HOST:CTR[/tcp|/udp] -> {"host": N, "container": N, "protocol": "tcp"}."""
    spec, _, protocol = text.partition("/")
    protocol = protocol or "tcp"
    host, colon, inside = spec.partition(":")
    if protocol not in ("tcp", "udp") or not colon:
        raise _bad(flag, text, "must be HOST:CONTAINER or HOST:CONTAINER/udp")
    numbers = []
    for value in (host, inside):
        if not value.isdigit() or not 1 <= int(value) <= 65535:
            raise _bad(flag, text, f"{value!r} is not a port (1-65535)")
        numbers.append(int(value))
    return {"host": numbers[0], "container": numbers[1], "protocol": protocol}


def resources(memory=None, cpus=None, shares=None, cpus_set=None):
    """linux.resources from the limit flags (None: not given)."""
    out = {}
    if memory is not None:
        out["memory"] = {"limit": memory_bytes(memory)}
    cpu = {}
    if cpus is not None:
        cpu.update(cpu_quota(cpus))
    if shares:
        cpu["shares"] = cpu_shares(shares)
    if cpus_set is not None:
        cpu["cpus"] = cpuset(cpus_set)
    if cpu:
        out["cpu"] = cpu
    return out
