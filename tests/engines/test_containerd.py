"""containerd (`ctr run`, the io.containerd.runc.v2 shim) driving pyrunc
through --runc-binary, compared with runc through the same shim.

containerd gets its own config.toml, root, state dir and socket (see
engines.py); `ctr run` gets stdin from /dev/null, as it never closes it.
"""
import os
import shlex
import time
import uuid

import pytest

import engines
import image
import serving
from conftest import TEST_TAG

IMAGE = image.IMAGE
# As the container's own process 1, not a child of a shell.
STATUS = ("grep", "-E", "^(Sig(Ign|Blk|Cgt)|Cap|NoNewPrivs|Seccomp)", "/proc/self/status")


@pytest.fixture(scope="module")
def ctr(rootfs, pyrunc_exe):
    yield from serving.serve("containerd", lambda d, tag: engines.Containerd(d, pyrunc_exe, tag))


def new_name():
    return f"{TEST_TAG}-{uuid.uuid4().hex[:8]}"


def run(ctr, *options, command, runtime="pyrunc"):
    """`ctr run OPTIONS IMAGE NAME COMMAND` in a cgroup under the test's
    parent; returns (name, result)."""
    name = new_name()
    return name, ctr.run("--cgroup", ctr.cgroup(name), *options, IMAGE, name, *command,
                         runtime=runtime)


def detached(ctr, *options):
    """A running task, checked to be pyrunc's (its state dir under the
    --runc-root we gave): ctr drops --runc-binary and --runc-root when it
    makes task options of its own, as with --uidmap."""
    name, result = run(ctr, "-d", *options, command=("sleep", "1000"))
    assert result.rc == 0, result
    assert os.path.isdir(os.path.join(ctr.roots["pyrunc"], ctr.namespace, name)), \
        f"{name} does not run under pyrunc"
    return name


def task_pid(ctr, name):
    for line in ctr.ok("task", "ls").splitlines()[1:]:
        fields = line.split()
        if fields[0] == name:
            return int(fields[1])
    raise AssertionError(f"no task {name}")


def task_status(ctr, name):
    return next(line.split()[2] for line in ctr.ok("task", "ls").splitlines()[1:]
                if line.split()[0] == name)


def kill_and_delete(ctr, name):
    """SIGKILL the task, delete it; returns what `task delete` said."""
    ctr.ok("task", "kill", "-s", "SIGKILL", name)
    for _ in range(100):
        if task_status(ctr, name) == "STOPPED":
            break
        time.sleep(0.05)
    deleted = ctr("task", "delete", name)
    ctr.ok("container", "delete", name)
    return deleted


def test_run_rm_exit_code_and_output(ctr):
    name, result = run(ctr, "--rm", command=("sh", "-c", "echo out; echo err >&2; exit 3"))
    assert (result.rc, result.out) == (3, "out\n"), result
    assert result.err == "err\n", result
    assert name not in ctr.ok("container", "ls", "-q").split()
    assert engines.state_dirs(ctr.roots["pyrunc"]) == []
    assert engines.cgroup_parent_dirs(ctr.cgroup(name)) == []


def test_process_starts_as_under_runc(ctr):
    seen = {}
    for runtime in ("pyrunc", "runc"):
        _, result = run(ctr, "--rm", command=STATUS, runtime=runtime)
        assert result.rc == 0, (runtime, result)
        seen[runtime] = result.out
    clean = {"SigIgn:\t0000000000000000", "SigBlk:\t0000000000000000"}
    assert clean <= set(seen["pyrunc"].splitlines())
    assert seen["pyrunc"] == seen["runc"]


def test_seccomp_and_dropped_capabilities_as_under_runc(ctr):
    options = ("--seccomp", "--cap-drop", "CAP_CHOWN", "--cap-drop", "CAP_NET_RAW")
    seen = {}
    for runtime in ("pyrunc", "runc"):
        script = shlex.join(STATUS) + "; chown 1 /tmp"
        _, result = run(ctr, "--rm", *options, command=("sh", "-c", script), runtime=runtime)
        assert result.rc != 0 and "Operation not permitted" in result.err, (runtime, result)
        seen[runtime] = result.out
    assert "Seccomp:\t2" in seen["pyrunc"].splitlines()
    assert seen["pyrunc"] == seen["runc"]


def test_detached_exec_pause_ps_metrics_kill(ctr):
    name = detached(ctr, "--env", "FOO=bar")
    pid = task_pid(ctr, name)
    out = ctr.ok("task", "exec", "--fifo-dir", ctr.fifo_dir(), "--exec-id", "e1", "--cwd", "/tmp",
                 "--user", "1000", name, "sh", "-c", "echo $FOO; pwd; id -u")
    assert out == "bar\n/tmp\n1000\n"
    assert str(pid) in ctr.ok("task", "ps", name).split()
    ctr.ok("task", "pause", name)
    assert task_status(ctr, name) == "PAUSED"
    assert engines.frozen(pid)
    ctr.ok("task", "resume", name)
    assert task_status(ctr, name) == "RUNNING"
    metrics = dict(line.split(None, 1) for line in ctr.ok("task", "metrics", name).splitlines()
                   if line.startswith(("pids.", "memory.usage")))
    assert metrics["pids.current"].strip() == "1" and int(metrics["memory.usage_in_bytes"]) > 0
    deleted = kill_and_delete(ctr, name)
    assert "exit code 137" in deleted.err, deleted
    assert not os.path.exists(f"/proc/{pid}")
    assert engines.state_dirs(ctr.roots["pyrunc"]) == []


def test_memory_limit_and_cpus(ctr):
    name = detached(ctr, "--memory-limit", str(32 * 1024 * 1024), "--cpus", "0.5")
    pid = task_pid(ctr, name)
    assert engines.memory_limit(pid) == 32 * 1024 * 1024
    assert engines.cpu_quota_and_period(pid) == (50000, 100000)
    assert engines.host_cgroup_dir(pid, "memory").endswith(ctr.cgroup(name))
    kill_and_delete(ctr, name)
