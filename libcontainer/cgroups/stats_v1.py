"""Stats of a cgroup v1 container, one directory per hierarchy (see stats.py)."""
from .stats import (USER_HZ, blkio_entries, cpuset_stats, dropping_zeros, empty_stats,
                    hugetlb_sizes, memory_entry, pids_stats, read_int, read_ints, read_keyed,
                    read_text, throttling)


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
