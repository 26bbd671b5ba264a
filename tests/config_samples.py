"""Sample configs shared by the unit and integration tests, and the upstream
runtime-spec schema (Debian's golang-github-opencontainers-specs-dev) as an oracle."""
import json
import os

UPSTREAM_SCHEMA_DIR = "/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema"


def runc_default_config():
    """The shape `runc spec` writes (checked against runc 1.x output)."""
    nosuid_noexec_nodev = ["nosuid", "noexec", "nodev"]
    caps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
    return {
        "ociVersion": "1.0.2-dev",
        "process": {
            "terminal": True,
            "user": {"uid": 0, "gid": 0},
            "args": ["sh"],
            "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "TERM=xterm"],
            "cwd": "/",
            "capabilities": {k: list(caps) for k in ("bounding", "effective", "permitted", "ambient")},
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
            "noNewPrivileges": True,
        },
        "root": {"path": "rootfs", "readonly": True},
        "hostname": "runc",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
             "options": nosuid_noexec_nodev + ["mode=1777", "size=65536k"]},
            {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
             "options": list(nosuid_noexec_nodev)},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs",
             "options": nosuid_noexec_nodev + ["ro"]},
            {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
             "options": nosuid_noexec_nodev + ["relatime", "ro"]},
        ],
        "linux": {
            "resources": {"devices": [{"allow": False, "access": "rwm"}]},
            "namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")],
            "maskedPaths": ["/proc/acpi", "/proc/kcore", "/proc/keys", "/sys/firmware"],
            "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys"],
        },
    }


def rich_config():
    """A valid config that exercises most optional sections, plus extension keys."""
    spec = runc_default_config()
    spec["org.example.extension"] = {"anything": [1, 2]}
    spec["annotations"] = {"com.example.key": "value"}
    spec["process"]["consoleSize"] = {"height": 24, "width": 80}
    spec["process"]["user"].update(umask=0o22, additionalGids=[5, 10])
    spec["process"]["oomScoreAdj"] = -500
    spec["hooks"] = {
        "prestart": [{"path": "/usr/bin/true", "args": ["true"], "timeout": 5}],
        "poststop": [{"path": "/bin/echo", "env": ["A=b"]}],
    }
    linux = spec["linux"]
    linux["namespaces"].append({"type": "user"})
    linux["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    linux["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    linux["devices"] = [{"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229,
                         "fileMode": 0o666, "uid": 0, "gid": 0}]
    linux["sysctl"] = {"net.ipv4.ip_forward": "1", "kernel.shmmax": "65536"}
    linux["cgroupsPath"] = "/pyrunc/test"
    linux["rootfsPropagation"] = "private"
    linux["resources"].update(
        memory={"limit": -1, "reservation": 1 << 20, "swap": -1, "swappiness": 10},
        cpu={"shares": 1024, "quota": 50000, "period": 100000, "cpus": "0-1"},
        pids={"limit": 100},
        hugepageLimits=[{"pageSize": "2MB", "limit": 0}],
        unified={"memory.high": "max"},
    )
    linux["seccomp"] = {
        "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
        "architectures": ["SCMP_ARCH_X86_64"],
        "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                     {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                      "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}],
    }
    return spec


def with_change(change):
    """runc_default_config() modified by `change(spec)`."""
    spec = runc_default_config()
    change(spec)
    return spec


def upstream_validator():
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT4

    def retrieve(uri):
        # The upstream files refer to each other by relative name ("defs.json").
        with open(os.path.join(UPSTREAM_SCHEMA_DIR, os.path.basename(uri.split("#")[0]))) as f:
            return DRAFT4.create_resource(json.load(f))

    with open(os.path.join(UPSTREAM_SCHEMA_DIR, "config-schema.json")) as f:
        root = json.load(f)
    root["id"] = f"file://{UPSTREAM_SCHEMA_DIR}/config-schema.json"  # base for relative $refs
    return jsonschema.Draft4Validator(root, registry=Registry(retrieve=retrieve))


def oracle_samples():
    """(name, spec) pairs; none uses a spec feature newer than the upstream copy installed."""
    rich = rich_config()
    rich["linux"]["namespaces"] = [n for n in rich["linux"]["namespaces"] if n["type"] != "user"]
    return [
        ("runc default", runc_default_config()),
        ("rich", rich_config()),
        ("minimal", {"ociVersion": "1.0.0"}),
        ("memory -1 and pids", rich),
    ] + [(name, with_change(change)) for name, change in ORACLE_CHANGES]


def _set(*path_and_value):
    """A change setting spec[path...] = value (the last argument)."""
    *path, key, value = path_and_value

    def change(spec):
        for step in path:
            spec = spec[step]
        spec[key] = value
    return change


# (name, change to a runc-style config): each one that the upstream schema
# rejects, ours must reject too, and the reverse.
ORACLE_CHANGES = [
    ("extension keys", _set("process", "x-vendor", 1)),
    ("no ociVersion", lambda s: s.pop("ociVersion")),
    ("args not array", _set("process", "args", "sh")),
    ("bad namespace", lambda s: s["linux"]["namespaces"].append({"type": "net"})),
    ("no cwd", lambda s: s["process"].pop("cwd")),
    ("hook timeout 0", _set("hooks", {"poststop": [{"path": "/x", "timeout": 0}]})),
    ("hook without path", _set("hooks", {"prestart": [{}]})),
    ("lowercase rlimit", _set("process", "rlimits", 0, "type", "nofile")),
    ("negative uid", _set("process", "user", "uid", -1)),
    ("seccomp no defaultAction", _set("linux", "seccomp", {})),
    ("device type x", _set("linux", "devices", [{"type": "x", "path": "/dev/x"}])),
    ("mount no destination", lambda s: s["mounts"].append({"source": "/a"})),
    ("annotation not string", _set("annotations", {"a": 1})),
    ("memory limit string", _set("linux", "resources", "memory", {"limit": "1G"})),
    ("bad propagation", _set("linux", "rootfsPropagation", "x")),
    ("mapping without size", _set("linux", "uidMappings", [{"containerID": 0, "hostID": 0}])),
    ("hugepage size lowercase", _set("linux", "resources", "hugepageLimits",
                                     [{"pageSize": "2mb", "limit": 1}])),
    ("syscall without names", _set("linux", "seccomp", {
        "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ALLOW"}]})),
]
