"""A container's resource usage read from its cgroup, in the shape runc's
`events --stats` prints (runc's types.Stats JSON: field names, units, and
which fields are left out when zero).

Every read goes through the manager's CgroupFs, so unit tests run this on a
fake cgroupfs tree. A file that is missing (a controller not mounted, an
older kernel) reads as zero, as runc reads it.
"""
import posixpath

MAX_UINT64 = 2**64 - 1
USER_HZ = 100  # cpuacct.stat counts in clock ticks of 1/USER_HZ s


# --- reading files ---------------------------------------------------------------

def read_text(fs, directory, name):
    if directory is None:
        return ""
    try:
        return fs.read(posixpath.join(directory, name))
    except OSError:
        return ""


def read_int(fs, directory, name, max_value=0):
    """One number; "max" (v2's no limit) reads as max_value."""
    text = read_text(fs, directory, name).strip()
    if text == "max":
        return max_value
    try:
        return int(text)
    except ValueError:
        return 0


def read_ints(fs, directory, name):
    return [int(word) for word in read_text(fs, directory, name).split() if word.isdigit()]


def read_keyed(fs, directory, name):
    """ "key value" lines (memory.stat, cpu.stat, memory.events) -> dict."""
    out = {}
    for line in read_text(fs, directory, name).splitlines():
        key, _, value = line.partition(" ")
        try:
            out[key] = int(value.strip())
        except ValueError:
            continue
    return out


def parse_cpu_list(text):
    """cpuset's "0-3,7" -> [0, 1, 2, 3, 7]."""
    out = []
    for part in text.strip().split(","):
        first, _, last = part.partition("-")
        if first.isdigit() and (not last or last.isdigit()):
            out.extend(range(int(first), int(last or first) + 1))
    return out


def dropping_zeros(mapping, keep=()):
    """Go's omitempty: zero numbers and empty lists left out, except keep."""
    return {k: v for k, v in mapping.items() if k in keep or v not in (0, [], None)}


# --- parts both versions share -----------------------------------------------------

def empty_stats():
    return {"cpu": {"usage": {"kernel": 0, "user": 0}, "throttling": {}},
            "cpuset": cpuset_stats(None, None), "memory": {}, "pids": {}, "blkio": {},
            "hugetlb": {}, "intel_rdt": {}, "network_interfaces": None}


def throttling(stat, time_scale):
    return dropping_zeros({"periods": stat.get("nr_periods", 0),
                           "throttledPeriods": stat.get("nr_throttled", 0),
                           "throttledTime": stat.get(
                               "throttled_time", stat.get("throttled_usec", 0)) * time_scale})


def memory_entry(usage, max_usage, failcnt, limit):
    entry = {"limit": limit, "usage": usage, "max": max_usage, "failcnt": failcnt}
    return dropping_zeros(entry, keep=("limit", "failcnt"))


def pids_stats(fs, directory):
    return dropping_zeros({"current": read_int(fs, directory, "pids.current"),
                           "limit": read_int(fs, directory, "pids.max")})


def cpuset_stats(fs, directory):
    def num(name):
        return read_int(fs, directory, f"cpuset.{name}") if fs else 0
    out = dropping_zeros({
        "cpus": parse_cpu_list(read_text(fs, directory, "cpuset.cpus")) if fs else [],
        "cpu_exclusive": num("cpu_exclusive"),
        "mems": parse_cpu_list(read_text(fs, directory, "cpuset.mems")) if fs else [],
    }, keep=("cpu_exclusive",))
    for name in ("mem_hardwall", "mem_exclusive", "memory_migrate", "memory_spread_page",
                 "memory_spread_slab", "memory_pressure", "sched_load_balance",
                 "sched_relax_domain_level"):
        out[name] = num(name)
    return out


def blkio_entries(text, ops=None):
    """ "MAJ:MIN Op value" lines -> runc's entries; ops maps v2 keys to ops."""
    entries = []
    for line in text.splitlines():
        words = line.split()
        if not words or ":" not in words[0]:
            continue  # "Total N"
        major, _, minor = words[0].partition(":")
        pairs = ([(words[1], words[2])] if ops is None and len(words) == 3
                 else [tuple(w.split("=", 1)) for w in words[1:] if "=" in w])
        for op, value in pairs:
            if ops is not None:
                op = ops.get(op)
            if op and value.isdigit():
                entries.append(dropping_zeros({"major": int(major), "minor": int(minor),
                                               "op": op, "value": int(value)}))
    return entries


# --- cgroup v1 ------------------------------------------------------------------------

def v1_stats(fs, dir_of):
    """dir_of(controller) -> the container's directory in that hierarchy, or None."""
    stats = empty_stats()
    stats["cpu"] = v1_cpu(fs, dir_of("cpuacct"), dir_of("cpu"))
    if dir_of("cpuset"):
        stats["cpuset"] = cpuset_stats(fs, dir_of("cpuset"))
    if dir_of("memory"):
        stats["memory"] = v1_memory(fs, dir_of("memory"))
    if dir_of("pids"):
        stats["pids"] = pids_stats(fs, dir_of("pids"))
    if dir_of("blkio"):
        stats["blkio"] = v1_blkio(fs, dir_of("blkio"))
    if dir_of("hugetlb"):
        stats["hugetlb"] = v1_hugetlb(fs, dir_of("hugetlb"))
    return stats


def v1_cpu(fs, cpuacct, cpu):
    ticks = read_keyed(fs, cpuacct, "cpuacct.stat")
    tick_ns = 10**9 // USER_HZ
    usage = dropping_zeros({
        "total": read_int(fs, cpuacct, "cpuacct.usage"),
        "percpu": read_ints(fs, cpuacct, "cpuacct.usage_percpu"),
        "percpu_kernel": read_ints(fs, cpuacct, "cpuacct.usage_percpu_sys"),
        "percpu_user": read_ints(fs, cpuacct, "cpuacct.usage_percpu_user"),
        "kernel": ticks.get("system", 0) * tick_ns,
        "user": ticks.get("user", 0) * tick_ns,
    }, keep=("kernel", "user"))
    return {"usage": usage, "throttling": throttling(read_keyed(fs, cpu, "cpu.stat"), 1)}


def v1_memory(fs, directory):
    raw = read_keyed(fs, directory, "memory.stat")

    def entry(prefix):
        def num(name):
            return read_int(fs, directory, f"{prefix}.{name}")
        return memory_entry(num("usage_in_bytes"), num("max_usage_in_bytes"), num("failcnt"),
                            num("limit_in_bytes"))
    memory = dropping_zeros({"cache": raw.get("cache", 0)})
    memory.update({"usage": entry("memory"), "swap": entry("memory.memsw"),
                   "kernel": entry("memory.kmem"), "kernelTCP": entry("memory.kmem.tcp")})
    if raw:
        memory["raw"] = raw
    return memory


# runc's list names, and the v1 files they come from (the CFQ ones first; BFQ's
# and the throttle policy's as they stand in when those are empty).
_V1_BLKIO = (
    ("ioServiceBytesRecursive", "io_service_bytes_recursive"),
    ("ioServicedRecursive", "io_serviced_recursive"),
    ("ioQueuedRecursive", "io_queued_recursive"),
    ("ioServiceTimeRecursive", "io_service_time_recursive"),
    ("ioWaitTimeRecursive", "io_wait_time_recursive"),
    ("ioMergedRecursive", "io_merged_recursive"),
    ("ioTimeRecursive", "time_recursive"),
    ("sectorsRecursive", "sectors_recursive"),
)


def v1_blkio(fs, directory):
    for prefix, names in (("blkio.", _V1_BLKIO), ("blkio.bfq.", _V1_BLKIO[:2]),
                          ("blkio.throttle.", _V1_BLKIO[:2])):
        found = {key: blkio_entries(read_text(fs, directory, prefix + name))
                 for key, name in names}
        if found.get("ioServicedRecursive"):
            return dropping_zeros(found)
    return {}


def hugetlb_sizes(fs, directory, suffix):
    """Page sizes ("2MB") that have hugetlb.<size>.<suffix> files."""
    try:
        names = fs.listdir(directory)
    except OSError:
        return []
    return sorted(n[len("hugetlb."):-len(suffix) - 1] for n in names
                  if n.startswith("hugetlb.") and n.endswith("." + suffix))


def v1_hugetlb(fs, directory):
    out = {}
    for size in hugetlb_sizes(fs, directory, "usage_in_bytes"):
        def num(name, size=size):
            return read_int(fs, directory, f"hugetlb.{size}.{name}")
        out[size] = dropping_zeros({"usage": num("usage_in_bytes"),
                                    "max": num("max_usage_in_bytes"),
                                    "failcnt": num("failcnt")}, keep=("failcnt",))
    return out


def v1_oom_kills(fs, dir_of):
    """How many processes the OOM killer has killed in the container's cgroup."""
    return read_keyed(fs, dir_of("memory"), "memory.oom_control").get("oom_kill", 0)


# --- cgroup v2 ------------------------------------------------------------------------

def v2_stats(fs, directory):
    stats = empty_stats()
    cpu = read_keyed(fs, directory, "cpu.stat")
    stats["cpu"] = {
        "usage": dropping_zeros({"total": cpu.get("usage_usec", 0) * 1000,
                                 "kernel": cpu.get("system_usec", 0) * 1000,
                                 "user": cpu.get("user_usec", 0) * 1000},
                                keep=("kernel", "user")),
        "throttling": throttling(cpu, 1000),
    }
    stats["memory"] = v2_memory(fs, directory)
    stats["pids"] = pids_stats(fs, directory)
    ops = {"rbytes": "Read", "wbytes": "Write"}, {"rios": "Read", "wios": "Write"}
    io = read_text(fs, directory, "io.stat")
    stats["blkio"] = dropping_zeros({"ioServiceBytesRecursive": blkio_entries(io, ops[0]),
                                     "ioServicedRecursive": blkio_entries(io, ops[1])})
    stats["hugetlb"] = v2_hugetlb(fs, directory)
    return stats


def v2_memory(fs, directory):
    raw = read_keyed(fs, directory, "memory.stat")
    events = read_keyed(fs, directory, "memory.events")
    usage = read_int(fs, directory, "memory.current")
    limit = read_int(fs, directory, "memory.max", MAX_UINT64)
    swap_usage = read_int(fs, directory, "memory.swap.current")
    swap_limit = read_int(fs, directory, "memory.swap.max", MAX_UINT64)
    # As v1's memsw: swap counts memory plus swap.
    both = MAX_UINT64 if MAX_UINT64 in (limit, swap_limit) else limit + swap_limit
    memory = dropping_zeros({"cache": raw.get("file", 0)})
    memory["usage"] = memory_entry(usage, read_int(fs, directory, "memory.peak"),
                                   events.get("max", 0), limit)
    memory["swap"] = memory_entry(usage + swap_usage, 0, 0, both)
    memory["kernel"] = memory_entry(0, 0, 0, 0)
    memory["kernelTCP"] = memory_entry(0, 0, 0, 0)
    if raw:
        memory["raw"] = raw
    return memory


def v2_hugetlb(fs, directory):
    out = {}
    for size in hugetlb_sizes(fs, directory, "current"):
        events = read_keyed(fs, directory, f"hugetlb.{size}.events")
        out[size] = dropping_zeros({"usage": read_int(fs, directory, f"hugetlb.{size}.current"),
                                    "failcnt": events.get("max", 0)}, keep=("failcnt",))
    return out


def v2_oom_kills(fs, directory):
    return read_keyed(fs, directory, "memory.events").get("oom_kill", 0)
