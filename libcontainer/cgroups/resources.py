"""linux.resources -> cgroup control file writes, as two tables (v1 and v2).

Each Rule names the v1 controller whose hierarchy holds its files and a render
function that turns the OCI resources object into Writes. A resource that is
not set renders nothing, so its controller is never needed. New resources
(blockIO, hugepages, devices, rdma) are rows like the others; a row may render
many writes (one per device, page size, ...).
"""

from libcontainer.errors import PyruncError

FIELD_PREFIX = "linux.resources"


class Write:
    """One value for one control file, and the OCI field it came from.

    fallback: the Write to do instead when this file does not exist (the
    kernel offers one of two files, e.g. blkio.bfq.weight or blkio.weight);
    optional: when no file exists, warn and go on instead of failing, as runc
    does for the same field."""

    __slots__ = ("field", "file", "value", "fallback", "optional")

    def __init__(self, field: str, file: str, value: str, fallback=None, optional=False):
        self.field, self.file, self.value = field, file, value
        self.fallback, self.optional = fallback, optional

    def __repr__(self):
        return f"Write({self.field!r}, {self.file!r}, {self.value!r})"

    def __eq__(self, other):
        return isinstance(other, Write) and (
            (self.field, self.file, self.value) == (other.field, other.file, other.value))


class Rule:
    __slots__ = ("controller", "render")

    def __init__(self, controller: str, render):
        self.controller, self.render = controller, render


def field_name(section: str, key: str) -> str:
    return f"{FIELD_PREFIX}.{section}.{key}"


def lookup(resources: dict, section: str, key: str):
    return (resources.get(section) or {}).get(key)


def is_unset(value) -> bool:
    # runc treats 0 / "" like absent for these knobs (a 0 limit is never meant).
    return value is None or value == 0 or value == ""


def require_int(field: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PyruncError(f"{field}: expected an integer, got {value!r}")
    return value


# --- value formats -----------------------------------------------------------

def as_int(field, value) -> str:
    return str(require_int(field, value))


def as_text(field, value) -> str:
    if not isinstance(value, str):
        raise PyruncError(f"{field}: expected a string, got {value!r}")
    return value


def minus_one_is_max(field, value) -> str:
    value = require_int(field, value)
    return "max" if value == -1 else str(value)


def pids_max(field, value) -> str:
    # The spec gives no meaning to 0 and runc writes "max" for it, like -1.
    value = require_int(field, value)
    return "max" if value <= 0 else str(value)


def swappiness(field, value) -> str:
    value = require_int(field, value)
    if not 0 <= value <= 100:
        raise PyruncError(f"{field}: {value} is out of range 0..100")
    return str(value)


def scalar(section, key, controller, file, fmt, zero_is_unset=True) -> Rule:
    """A rule for one OCI field that maps to one control file."""
    field = field_name(section, key)

    def render(resources):
        value = lookup(resources, section, key)
        if value is None or (zero_is_unset and is_unset(value)):
            return []
        return [Write(field, file, fmt(field, value))]

    return Rule(controller, render)


# --- v1 ------------------------------------------------------------------------

def oom_control(field, value) -> str:
    if not isinstance(value, bool):
        raise PyruncError(f"{field}: expected true or false, got {value!r}")
    return "1" if value else "0"


# What every container needs whatever its rules say (runc allows the same):
# mknod of anything, and the devices the runtime itself puts in /dev.
DEFAULT_DEVICE_RULES = [
    {"allow": True, "type": "c", "access": "m"}, {"allow": True, "type": "b", "access": "m"},
    {"allow": True, "type": "c", "major": 1, "minor": 3, "access": "rwm"},    # null
    {"allow": True, "type": "c", "major": 1, "minor": 5, "access": "rwm"},    # zero
    {"allow": True, "type": "c", "major": 1, "minor": 7, "access": "rwm"},    # full
    {"allow": True, "type": "c", "major": 1, "minor": 8, "access": "rwm"},    # random
    {"allow": True, "type": "c", "major": 1, "minor": 9, "access": "rwm"},    # urandom
    {"allow": True, "type": "c", "major": 5, "minor": 0, "access": "rwm"},    # tty
    {"allow": True, "type": "c", "major": 5, "minor": 1, "access": "rwm"},    # console
    {"allow": True, "type": "c", "major": 5, "minor": 2, "access": "rwm"},    # ptmx
    {"allow": True, "type": "c", "major": 136, "access": "rwm"},              # pts/*
]


def v1_devices(resources) -> list:
    """linux.resources.devices, in order (later rules win), then the defaults:
    devices.allow / devices.deny lines "TYPE MAJOR:MINOR ACCESS"."""
    rules = resources.get("devices") or []
    if not rules:
        return []
    writes = []
    for index, rule in enumerate(list(rules) + DEFAULT_DEVICE_RULES):
        field = (f"{FIELD_PREFIX}.devices[{index}]" if index < len(rules)
                 else f"{FIELD_PREFIX}.devices (pyrunc's defaults)")
        line = (f"{rule.get('type') or 'a'} {_device_number(field, rule.get('major'))}:"
                f"{_device_number(field, rule.get('minor'))} {rule.get('access') or 'rwm'}")
        writes.append(Write(field, "devices.allow" if rule.get("allow") else "devices.deny", line))
    return writes


def _device_number(field, number) -> str:
    return "*" if number is None or number == -1 else str(require_int(field, number))


def v1_net_prio(resources) -> list:
    """network.priorities: one "IFNAME PRIORITY" line per interface written
    to net_prio.ifpriomap (the kernel keeps the others as they were)."""
    writes = []
    for index, entry in enumerate(lookup(resources, "network", "priorities") or []):
        field = f"{FIELD_PREFIX}.network.priorities[{index}]"
        name = as_text(field + ".name", entry.get("name"))
        writes.append(Write(field, "net_prio.ifpriomap",
                            f"{name} {as_int(field + '.priority', entry.get('priority'))}"))
    return writes


def blkio_weight(resources, bfq_file, plain_file, convert) -> list:
    """blockIO.weight (10..1000): the BFQ scheduler's file takes it as it is;
    without BFQ, the plain file (v2's io.weight is 1..10000: converted).
    Neither file (no weight-aware scheduler): runc goes on, so does pyrunc,
    with a warning in the log."""
    field = field_name("blockIO", "weight")
    weight = lookup(resources, "blockIO", "weight")
    if is_unset(weight):
        return []
    weight = require_int(field, weight)
    if not 10 <= weight <= 1000:
        raise PyruncError(f"{field}: {weight} is out of range 10..1000")
    plain = Write(field, plain_file, str(convert(weight)), optional=True)
    return [Write(field, bfq_file, str(weight), fallback=plain, optional=True)]


def v1_blkio_weight(resources) -> list:
    return blkio_weight(resources, "blkio.bfq.weight", "blkio.weight", lambda w: w)


def v2_io_weight(resources) -> list:
    return blkio_weight(resources, "io.bfq.weight", "io.weight",
                        lambda w: 1 + (w - 10) * 9999 // 990)


# --- limits per block device, page size and rdma device (v1 and v2) -------------

_THROTTLES = (("throttleReadBpsDevice", "read_bps_device", "rbps"),
              ("throttleWriteBpsDevice", "write_bps_device", "wbps"),
              ("throttleReadIOPSDevice", "read_iops_device", "riops"),
              ("throttleWriteIOPSDevice", "write_iops_device", "wiops"))


def _block_devices(key):
    """(field, "MAJOR:MINOR", entry) for each entry of blockIO.KEY."""
    def entries(resources):
        for index, entry in enumerate((resources.get("blockIO") or {}).get(key) or []):
            field = f"{FIELD_PREFIX}.blockIO.{key}[{index}]"
            number = (f"{require_int(field + '.major', entry.get('major'))}:"
                      f"{require_int(field + '.minor', entry.get('minor'))}")
            yield field, number, entry
    return entries


def v1_blkio_devices(resources) -> list:
    writes = []
    for key, suffix, _ in _THROTTLES:
        writes += [Write(field, f"blkio.throttle.{suffix}", f"{number} {as_int(field, e['rate'])}")
                   for field, number, e in _block_devices(key)(resources)]
    writes += [Write(field, "blkio.weight_device", f"{number} {as_int(field, e['weight'])}")
               for field, number, e in _block_devices("weightDevice")(resources)
               if e.get("weight") is not None]
    return writes


def v2_io_devices(resources) -> list:
    """io.max takes each device's four limits on one line."""
    limits, fields = {}, {}
    for key, _, name in _THROTTLES:
        for field, number, entry in _block_devices(key)(resources):
            limits.setdefault(number, []).append(f"{name}={as_int(field, entry['rate'])}")
            fields.setdefault(number, field)
    writes = [Write(fields[n], "io.max", f"{n} {' '.join(v)}") for n, v in limits.items()]
    writes += [Write(field, "io.weight", f"{number} {as_int(field, e['weight'])}")
               for field, number, e in _block_devices("weightDevice")(resources)
               if e.get("weight") is not None]
    return writes


def hugetlb(file_pattern):
    """hugepageLimits: one file per page size ("2MB")."""
    def render(resources) -> list:
        writes = []
        for index, entry in enumerate(resources.get("hugepageLimits") or []):
            field = f"{FIELD_PREFIX}.hugepageLimits[{index}]"
            size = entry.get("pageSize")
            if not isinstance(size, str) or not size[:-2].isdigit() or size[-2:] not in ("KB", "MB", "GB"):
                raise PyruncError(f"{field}.pageSize: {size!r} is not a page size like 2MB")
            writes.append(Write(field, file_pattern % size, as_int(field, entry.get("limit"))))
        return writes
    return render


def rdma(resources) -> list:
    """rdma.max "DEVICE hca_handle=N hca_object=M" (the same on v1 and v2)."""
    writes = []
    for device, limits in (resources.get("rdma") or {}).items():
        field = f"{FIELD_PREFIX}.rdma.{device}"
        parts = [f"{name}={as_int(field + '.' + key, limits[key])}"
                 for key, name in (("hcaHandles", "hca_handle"), ("hcaObjects", "hca_object"))
                 if limits.get(key) is not None]
        if parts:
            writes.append(Write(field, "rdma.max", f"{device} {' '.join(parts)}"))
    return writes


def v2_no_realtime(resources) -> list:
    for key in ("realtimePeriod", "realtimeRuntime"):
        if not is_unset(lookup(resources, "cpu", key)):
            raise PyruncError(f"{field_name('cpu', key)}: cgroup v2 has no realtime CPU limits")
    return []


def reject_unified_v1(resources) -> list:
    if resources.get("unified"):
        raise PyruncError(f"{FIELD_PREFIX}.unified: needs cgroup v2, this host runs cgroup v1")
    return []


V1_RULES = (
    scalar("memory", "limit", "memory", "memory.limit_in_bytes", as_int),
    scalar("memory", "reservation", "memory", "memory.soft_limit_in_bytes", as_int),
    scalar("memory", "swap", "memory", "memory.memsw.limit_in_bytes", as_int),
    scalar("memory", "swappiness", "memory", "memory.swappiness", swappiness,
           zero_is_unset=False),
    scalar("memory", "kernelTCP", "memory", "memory.kmem.tcp.limit_in_bytes", as_int),
    scalar("memory", "disableOOMKiller", "memory", "memory.oom_control", oom_control),
    scalar("cpu", "shares", "cpu", "cpu.shares", as_int),
    # period before quota: a quota is checked against the period in force.
    scalar("cpu", "period", "cpu", "cpu.cfs_period_us", as_int),
    scalar("cpu", "quota", "cpu", "cpu.cfs_quota_us", as_int),
    # Likewise the realtime period before its runtime.
    scalar("cpu", "realtimePeriod", "cpu", "cpu.rt_period_us", as_int),
    scalar("cpu", "realtimeRuntime", "cpu", "cpu.rt_runtime_us", as_int),
    scalar("cpu", "cpus", "cpuset", "cpuset.cpus", as_text),
    scalar("cpu", "mems", "cpuset", "cpuset.mems", as_text),
    scalar("pids", "limit", "pids", "pids.max", pids_max, zero_is_unset=False),
    scalar("cpu", "burst", "cpu", "cpu.cfs_burst_us", as_int),
    scalar("cpu", "idle", "cpu", "cpu.idle", as_int),
    Rule("blkio", v1_blkio_weight),
    Rule("blkio", v1_blkio_devices),
    Rule("hugetlb", hugetlb("hugetlb.%s.limit_in_bytes")),
    Rule("rdma", rdma),
    Rule("devices", v1_devices),
    # No hierarchy mounted for them: an error, as with runc. v2 has no such
    # controllers: V2_RULES leave network out, as runc ignores it there.
    scalar("network", "classID", "net_cls", "net_cls.classid", as_int),
    Rule("net_prio", v1_net_prio),
    Rule("", reject_unified_v1),
)


# --- v2 ------------------------------------------------------------------------

def v2_swap_max(resources) -> list:
    """OCI swap is memory+swap; v2's memory.swap.max is the swap alone."""
    field = field_name("memory", "swap")
    swap = lookup(resources, "memory", "swap")
    if is_unset(swap):
        return []
    swap = require_int(field, swap)
    if swap == -1:
        return [Write(field, "memory.swap.max", "max")]
    limit = lookup(resources, "memory", "limit")
    if is_unset(limit) or limit == -1:
        raise PyruncError(f"{field}: a swap limit needs memory.limit set as well on cgroup v2")
    limit = require_int(field_name("memory", "limit"), limit)
    if swap < limit:
        raise PyruncError(f"{field}: {swap} (memory+swap) is less than memory.limit {limit}")
    return [Write(field, "memory.swap.max", str(swap - limit))]


def v2_cpu_weight(resources) -> list:
    field = field_name("cpu", "shares")
    shares = lookup(resources, "cpu", "shares")
    if is_unset(shares):
        return []
    # v1 clamps shares to 2..262144 itself; do the same so both agree.
    shares = min(max(require_int(field, shares), 2), 262144)
    weight = 1 + ((shares - 2) * 9999) // 262142
    return [Write(field, "cpu.weight", str(weight))]


def v2_cpu_max(resources) -> list:
    """cpu.max holds "$QUOTA $PERIOD" where the quota may be "max"."""
    quota = lookup(resources, "cpu", "quota")
    period = lookup(resources, "cpu", "period")
    if is_unset(quota) and is_unset(period):
        return []
    key = "period" if is_unset(quota) else "quota"
    field = field_name("cpu", key)
    value = "max" if is_unset(quota) else minus_one_is_max(field, quota)
    if not is_unset(period):
        value += " " + as_int(field_name("cpu", "period"), period)
    return [Write(field, "cpu.max", value)]


def v2_unified(resources) -> list:
    """linux.resources.unified: file name -> value, written as given."""
    writes = []
    for name, value in (resources.get("unified") or {}).items():
        field = f"{FIELD_PREFIX}.unified.{name}"
        if not name or "/" in name or name.startswith("."):
            raise PyruncError(f"{field}: not a cgroup file name")
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise PyruncError(f"{field}: expected a string, got {value!r}")
        writes.append(Write(field, name, str(value)))
    return writes


V2_RULES = (
    scalar("memory", "limit", "memory", "memory.max", minus_one_is_max),
    scalar("memory", "reservation", "memory", "memory.low", minus_one_is_max),
    Rule("memory", v2_swap_max),
    # memory.swappiness has no v2 file; like runc, it is ignored there.
    Rule("cpu", v2_cpu_weight),
    Rule("cpu", v2_cpu_max),
    Rule("cpu", v2_no_realtime),
    scalar("cpu", "burst", "cpu", "cpu.max.burst", as_int),
    scalar("cpu", "idle", "cpu", "cpu.idle", as_int),
    Rule("io", v2_io_weight),
    Rule("io", v2_io_devices),
    Rule("hugetlb", hugetlb("hugetlb.%s.max")),
    Rule("rdma", rdma),
    scalar("cpu", "cpus", "cpuset", "cpuset.cpus", as_text),
    scalar("cpu", "mems", "cpuset", "cpuset.mems", as_text),
    scalar("pids", "limit", "pids", "pids.max", pids_max, zero_is_unset=False),
    # Last, so an explicit unified value wins over a converted one.
    Rule("", v2_unified),
)


def render(rules, resources: dict) -> list:
    """-> [(rule.controller, Write)] for everything set in resources."""
    resources = resources or {}
    return [(rule.controller, w) for rule in rules for w in rule.render(resources)]
