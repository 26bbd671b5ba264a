"""linux.resources as the host's cgroup files and the container's /sys/fs/cgroup show them."""
import os
from pathlib import Path

import pytest

from conftest import CGROUP_MOUNT, CGROUP_PARENT, assert_nothing_left, assert_one_line_error

MIB = 1024 * 1024
RESOURCES = {"memory": {"limit": 64 * MIB}, "cpu": {"shares": 512, "cpus": "0"},
             "pids": {"limit": 32}}


def read(path):
    with open(path) as f:
        return f.read().strip()


def proc_cgroup(pid):
    """/proc/PID/cgroup as {controller: path} (v2's line under "")."""
    found = {}
    with open(f"/proc/{pid}/cgroup") as f:
        for line in f:
            _, names, path = line.rstrip("\n").split(":", 2)
            for name in names.split(",") if names else [""]:
                found[name] = path
    return found


def v1_dirs(record):
    """{controller: host dir} from pyrunc's state.json "cgroup" record."""
    dirs = {}
    for h in record["cgroup"]["hierarchies"]:
        for c in h["controllers"]:
            dirs[c] = h["dir"]
    return dirs


@pytest.fixture
def limited(runtime, make_bundle):
    """A running container with RESOURCES; yields (bundle, pid, state.json record)."""
    b = make_bundle(["sleep", "30"], linux={"resources": RESOURCES})
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    pid = runtime.state(b.id)["pid"]
    return b, pid, runtime.state_record(b.id)


def test_limits_in_the_host_cgroup_files(limited):
    b, pid, record = limited
    if record["cgroup"]["version"] == 2:
        d = record["cgroup"]["dir"]
        assert d.endswith(f"{CGROUP_PARENT}/{b.id}")
        assert read(f"{d}/memory.max") == str(64 * MIB)
        assert read(f"{d}/cpuset.cpus") == "0"
        assert read(f"{d}/pids.max") == "32"
        assert str(pid) in read(f"{d}/cgroup.procs").split()
        return
    dirs = v1_dirs(record)
    for d in dirs.values():
        assert d.endswith(f"{CGROUP_PARENT}/{b.id}"), d
        assert str(pid) in read(f"{d}/cgroup.procs").split(), d
    assert read(f"{dirs['memory']}/memory.limit_in_bytes") == str(64 * MIB)
    assert read(f"{dirs['cpu']}/cpu.shares") == "512"
    assert read(f"{dirs['cpuset']}/cpuset.cpus") == "0"
    assert read(f"{dirs['pids']}/pids.max") == "32"


def test_proc_pid_cgroup_names_the_containers_cgroup(limited):
    b, pid, record = limited
    paths = proc_cgroup(pid)
    if record["cgroup"]["version"] == 2:
        assert paths[""] == f"{CGROUP_PARENT}/{b.id}"
        return
    for controller in ("memory", "cpu", "cpuset", "pids", "freezer", "devices"):
        assert paths[controller] == f"{CGROUP_PARENT}/{b.id}", (controller, paths)


def test_limits_seen_inside_the_container(runtime, make_bundle):
    b = make_bundle(["sh", "-c",
                     "cd /sys/fs/cgroup; "
                     "if [ -d memory ]; then "
                     "cat memory/memory.limit_in_bytes cpu/cpu.shares cpuset/cpuset.cpus "
                     "pids/pids.max; "
                     "else cat memory.max cpu.weight cpuset.cpus pids.max; fi; "
                     "grep -c . memory/cgroup.procs 2>/dev/null || grep -c . cgroup.procs"],
                    linux={"resources": RESOURCES})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    lines = out.split()
    if os.path.isdir("/sys/fs/cgroup/memory"):
        assert lines[:4] == [str(64 * MIB), "512", "0", "32"]
    else:
        assert lines[0] == str(64 * MIB) and lines[2:4] == ["0", "32"]
    # the container's own cgroup: only its processes (sh, grep; cat is gone)
    assert 1 <= int(lines[4]) <= 3, out


def test_container_cgroupfs_is_read_only(runtime, make_bundle):
    b = make_bundle(["sh", "-c", "echo 1 > /sys/fs/cgroup/pids/pids.max || "
                                 "echo 1 > /sys/fs/cgroup/pids.max"],
                    linux={"resources": RESOURCES})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc != 0
    assert "Read-only file system" in err, err


def test_memory_limit_is_enforced(runtime, make_bundle):
    """A process that outgrows memory.limit is OOM-killed: the run ends with 137."""
    b = make_bundle(["sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived"],
                    linux={"resources": {"memory": {"limit": 16 * MIB, "swap": 16 * MIB}}})
    rc, out, err = runtime("run", "--bundle", b.path, b.id, timeout=60)
    assert "survived" not in out
    assert rc != 0


@pytest.mark.parametrize("limit, forks_fail", [(4, True), (64, False)])
def test_pids_limit_is_enforced(runtime, make_bundle, limit, forks_fail):
    b = make_bundle(["sh", "-c", "for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait; echo all-ran"],
                    linux={"resources": {"pids": {"limit": limit}}})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    if forks_fail:
        assert rc != 0 and "all-ran" not in out, (rc, out, err)
        assert "Resource temporarily unavailable" in err, err
    else:
        assert (rc, out, err) == (0, "all-ran\n", "")


def test_default_cgroup_is_below_the_callers_own(runtime, make_bundle):
    b = make_bundle(["sleep", "30"], linux={"cgroupsPath": None})
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    pid = runtime.state(b.id)["pid"]
    mine, theirs = proc_cgroup(os.getpid()), proc_cgroup(pid)
    for controller, path in theirs.items():
        if controller == "" and path == mine.get(""):
            continue  # the controller-less v2 mount of a v1 host is not managed
        own = mine[controller].rstrip("/")
        assert path == f"{own}/pyrunc/{b.id}", (controller, path, own)


def test_device_rules_are_enforced_on_v1(runtime, make_bundle):
    """Deny all, allow one extra device: the allow-list is what the cgroup
    shows, and a device outside it cannot be opened even by root with MKNOD."""
    if not os.path.isdir("/sys/fs/cgroup/devices"):
        pytest.skip("device rules are applied on cgroup v1 only (v2 needs eBPF)")
    rules = [{"allow": False, "access": "rwm"},
             {"allow": True, "type": "c", "major": 1, "minor": 11, "access": "rw"}]  # kmsg
    caps = ["CAP_MKNOD", "CAP_DAC_OVERRIDE"]
    script = ("cat /sys/fs/cgroup/devices/devices.list; mknod /dev/mem2 c 1 1; "
              "head -c1 /dev/mem2 >/dev/null 2>&1 && echo mem-open || echo mem-denied; "
              "head -c1 /dev/null && echo null-ok")
    b = make_bundle(["sh", "-c", script],
                    process={"capabilities": {k: caps for k in ("bounding", "effective",
                                                                 "permitted")}},
                    linux={"resources": {"devices": rules}})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    lines = out.splitlines()
    assert "c 1:11 rw" in lines and "c 1:3 rwm" in lines
    assert "a *:* rwm" not in lines
    assert "mem-denied" in lines and "null-ok" in lines


def test_cgroup_namespace_makes_the_container_cgroup_its_root(runtime, make_bundle,
                                                              default_spec):
    namespaces = default_spec["linux"]["namespaces"] + [{"type": "cgroup"}]
    script = "cut -d: -f3 /proc/self/cgroup | sort -u; cat /sys/fs/cgroup/pids/pids.max"
    b = make_bundle(["sh", "-c", script],
                    linux={"namespaces": namespaces, "resources": {"pids": {"limit": 77}}})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    assert out.split() == ["/", "77"]


def test_a_frozen_cgroup_is_refused(runtime, make_bundle):
    """runc refuses to start a container in a frozen cgroup: its first process
    would freeze and `run` hang."""
    b = make_bundle(["true"])
    freezer = Path(CGROUP_MOUNT) / "freezer" / b.config["linux"]["cgroupsPath"].lstrip("/")
    freezer.mkdir(parents=True)
    try:
        (freezer / "freezer.state").write_text("FROZEN")
        rc, out, err = runtime("run", "--bundle", b.path, b.id)
        assert_one_line_error(rc, out, err, "frozen")
        assert_nothing_left(runtime, b.id)
    finally:
        if freezer.exists():
            (freezer / "freezer.state").write_text("THAWED")
            freezer.rmdir()


def test_block_io_throttle_and_burst_in_the_host_cgroup(runtime, make_bundle):
    """Per-device blkio limits on a real block device (the first the kernel
    lists), and the cpu burst, as the v1 files on the host show them."""
    major, minor = _first_block_device()
    resources = {"blockIO": {"throttleReadBpsDevice": [
                     {"major": major, "minor": minor, "rate": 2097152}],
                     "throttleWriteIOPSDevice": [{"major": major, "minor": minor, "rate": 99}]},
                 "cpu": {"burst": 1000, "quota": 50000, "period": 100000}}
    b = make_bundle(["sleep", "30"], linux={"resources": resources})
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    dirs = v1_dirs(runtime.state_record(b.id))
    assert read(f"{dirs['blkio']}/blkio.throttle.read_bps_device") == f"{major}:{minor} 2097152"
    assert read(f"{dirs['blkio']}/blkio.throttle.write_iops_device") == f"{major}:{minor} 99"
    assert read(f"{dirs['cpu']}/cpu.cfs_burst_us") == "1000"


def _first_block_device():
    with open("/proc/partitions") as f:
        major, minor = f.readlines()[2].split()[:2]  # after the header and a blank line
    return int(major), int(minor)
