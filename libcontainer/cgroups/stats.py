"""A container's resource usage read from its cgroup, in the shape runc's
`events --stats` prints (runc's types.Stats JSON: field names, units, and
which fields are left out when zero). This module holds the readers and
the parts both versions share; stats_v1 and stats_v2 the drivers' own.

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


def hugetlb_sizes(fs, directory, suffix):
    """Page sizes ("2MB") that have hugetlb.<size>.<suffix> files."""
    try:
        names = fs.listdir(directory)
    except OSError:
        return []
    return sorted(n[len("hugetlb."):-len(suffix) - 1] for n in names
                  if n.startswith("hugetlb.") and n.endswith("." + suffix))
