"""The cgroup layer against the host's real cgroup filesystems (root only).

Each test makes its own uniquely named cgroup and removes it in a finally
block; nothing else on the host is written to.
"""

import os
import signal
import subprocess
import uuid

import pytest

from libcontainer.cgroups import manager_for
from libcontainer.cgroups import mountinfo as mi
from libcontainer.errors import PyruncError

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root")

MIB = 1024 * 1024


def read(path):
    with open(path) as f:
        return f.read().strip()


def dirs_of(mgr):
    state = mgr.to_state()
    if state["version"] == 2:
        return [state["dir"]]
    return [h["dir"] for h in state["hierarchies"]]


def cleanup(mgr, proc):
    """Best effort, whatever state the test stopped in."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    try:
        mgr.thaw()
    except PyruncError:
        pass
    mgr.destroy()


@pytest.mark.skipif(not os.path.isdir("/sys/fs/cgroup/memory"), reason="no v1 memory hierarchy")
def test_v1_host_limits_pids_and_cleanup():
    mgr = manager_for(f"/pyrunc-test-{uuid.uuid4().hex[:12]}", "ignored")
    assert mgr.version == 1
    proc = subprocess.Popen(["sleep", "30"])
    try:
        mgr.create()
        mgr.apply({"memory": {"limit": 64 * MIB}, "cpu": {"shares": 512, "cpus": "0"},
                   "pids": {"limit": 20}})
        mgr.add_pid(proc.pid)
        dirs = {tuple(h["controllers"]): h["dir"] for h in mgr.to_state()["hierarchies"]}
        cpu_dir = next(d for c, d in dirs.items() if "cpu" in c)
        assert read(f"{dirs[('memory',)]}/memory.limit_in_bytes") == str(64 * MIB)
        assert read(f"{cpu_dir}/cpu.shares") == "512"
        assert read(f"{dirs[('cpuset',)]}/cpuset.cpus") == "0"
        assert read(f"{dirs[('pids',)]}/pids.max") == "20"
        for d in dirs.values():
            assert str(proc.pid) in read(f"{d}/cgroup.procs").split()
        assert mgr.pids() == [proc.pid]
        mgr.kill_all(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
        assert not mgr.is_frozen()
    finally:
        cleanup(mgr, proc)
    for d in dirs_of(mgr):
        assert not os.path.exists(d)


def host_cgroup2_mountinfo():
    """Only the cgroup2 lines of mountinfo, so detection picks the v2 driver
    even on a hybrid host; None when there is no cgroup2 mount."""
    with open("/proc/self/mountinfo") as f:
        lines = [line for line in f if (m := mi.parse_line(line)) and m.fstype == "cgroup2"]
    return "".join(lines) or None


@pytest.mark.skipif(host_cgroup2_mountinfo() is None, reason="no cgroup2 mount")
def test_v2_core_files_on_the_host():
    """cgroup.procs, cgroup.freeze/events and cgroup.kill of the real kernel."""
    mgr = manager_for(f"/pyrunc-test-{uuid.uuid4().hex[:12]}", "ignored",
                      mountinfo=host_cgroup2_mountinfo())
    assert mgr.version == 2
    proc = subprocess.Popen(["sleep", "30"])
    try:
        mgr.create()
        mgr.add_pid(proc.pid)
        assert mgr.pids() == [proc.pid]
        if not os.path.exists(f"{mgr.dir}/memory.max"):
            with pytest.raises(PyruncError, match=r"^linux\.resources\.memory\.limit: "
                                                  r"cgroup file memory\.max is not available"):
                mgr.apply({"memory": {"limit": 64 * MIB}})
        if mgr.has_freezer():
            mgr.freeze()
            assert mgr.is_frozen()
            mgr.thaw()
            assert not mgr.is_frozen()
        mgr.kill_all(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        cleanup(mgr, proc)
    assert not os.path.exists(mgr.dir)


@pytest.mark.skipif(host_cgroup2_mountinfo() is None, reason="no cgroup2 mount")
def test_v2_stats_from_the_real_kernel():
    """cpu.stat is in every v2 cgroup: a busy process shows up in the stats."""
    mgr = manager_for(f"/pyrunc-test-{uuid.uuid4().hex[:12]}", "ignored",
                      mountinfo=host_cgroup2_mountinfo())
    proc = subprocess.Popen(["sh", "-c", "read x"], stdin=subprocess.PIPE)
    try:
        mgr.create()
        mgr.add_pid(proc.pid)
        proc.stdin.write(b"x\n")  # sh wakes up, reads and exits: some CPU time here
        proc.stdin.close()
        proc.wait(timeout=10)
        stats = mgr.stats()
        assert stats["cpu"]["usage"]["total"] > 0
        assert stats["cpu"]["usage"]["total"] % 1000 == 0  # usec from the kernel, as ns
        assert stats["network_interfaces"] is None and mgr.oom_kills() == 0
    finally:
        cleanup(mgr, proc)
