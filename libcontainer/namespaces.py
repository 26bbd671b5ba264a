"""Namespace names and flags."""

# OCI namespace type -> (name under /proc/PID/ns, clone flag)
NAMESPACES = {
    "user": ("user", 0x10000000),
    "pid": ("pid", 0x20000000),
    "network": ("net", 0x40000000),
    "ipc": ("ipc", 0x08000000),
    "uts": ("uts", 0x04000000),
    "mount": ("mnt", 0x00020000),
    "cgroup": ("cgroup", 0x02000000),
    "time": ("time", 0x00000080),
}

