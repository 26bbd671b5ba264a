"""Stats of a cgroup v2 container, one directory (see stats.py): v2's files
mapped onto runc's v1-shaped fields (usec to ns, memory+swap as v1's memsw)."""
from .stats import (MAX_UINT64, blkio_entries, dropping_zeros, empty_stats, hugetlb_sizes,
                    memory_entry, pids_stats, read_int, read_keyed, read_text, throttling)


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
