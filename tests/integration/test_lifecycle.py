"""create / start / state / kill / delete / list through the pyrunc CLI."""
import json
import os
import subprocess
import time

import pytest

from conftest import (CGROUP_PARENT, TIMEOUT, assert_nothing_left, assert_one_line_error, bind,
                      container_cgroup_dirs,
                      process_start_time)

# Stays alive until TERM (pid 1 of a pid namespace gets only the signals it
# has a handler for, so it must trap TERM for a plain `kill` to stop it).
TRAP_TERM = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"]


def wait_for(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def cgroup_dirs_of(record):
    cg = record["cgroup"]
    if cg["version"] == 2:
        return [cg["dir"]]
    return [h["dir"] for h in cg["hierarchies"]]


def test_create_state_then_start_runs_the_process(runtime, make_bundle, host_dir):
    b = make_bundle(["sh", "-c", "touch /root/marker; exec sleep 30"],
                    extra_mounts=[bind(host_dir, "/root")])
    runtime.ok("create", "--bundle", b.path, b.id)

    state = runtime.state(b.id)
    assert state["id"] == b.id
    assert state["status"] == "created"
    assert state["bundle"] == str(b.path)
    assert state["ociVersion"]
    pid = state["pid"]
    assert pid > 0 and process_start_time(pid) is not None, "init is not alive"
    time.sleep(0.3)
    assert not (host_dir / "marker").exists(), "process.args ran before start"

    runtime.ok("start", b.id)
    assert wait_for(lambda: (host_dir / "marker").exists()), "process.args did not run"
    state = runtime.state(b.id)
    assert state["status"] == "running"
    assert state["pid"] == pid, "start must exec in the init, not a new process"


def test_start_of_a_quick_process_ends_stopped(runtime, make_bundle, host_dir):
    b = make_bundle(["sh", "-c", "echo done > /root/result"], extra_mounts=[bind(host_dir, "/root")])
    runtime.ok("create", "--bundle", b.path, b.id)
    runtime.ok("start", b.id)
    runtime.wait_status(b.id, "stopped")
    assert (host_dir / "result").read_text() == "done\n"
    assert runtime.state(b.id)["pid"] == 0


def test_second_start_fails(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("create", "--bundle", b.path, b.id)
    runtime.ok("start", b.id)
    rc, out, err = runtime("start", b.id)
    assert_one_line_error(rc, out, err, b.id)
    assert runtime.state(b.id)["status"] == "running"


@pytest.mark.parametrize("signal_args", [[], ["TERM"], ["KILL"], ["SIGKILL"], ["9"]],
                         ids=["default", "TERM", "KILL", "SIGKILL", "9"])
def test_kill_stops_the_container(runtime, make_bundle, signal_args):
    b = make_bundle(TRAP_TERM)
    runtime.ok("create", "--bundle", b.path, b.id)
    runtime.ok("start", b.id)
    runtime.wait_status(b.id, "running")
    pid = runtime.state(b.id)["pid"]
    runtime.ok("kill", b.id, *signal_args)
    runtime.wait_status(b.id, "stopped")
    assert process_start_time(pid) is None


def test_kill_a_created_container(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("create", "--bundle", b.path, b.id)
    runtime.ok("kill", b.id, "KILL")
    runtime.wait_status(b.id, "stopped")


def test_kill_a_stopped_container_fails(runtime, make_bundle):
    b = make_bundle(["true"])
    runtime.ok("create", "--bundle", b.path, b.id)
    runtime.ok("start", b.id)
    runtime.wait_status(b.id, "stopped")
    rc, out, err = runtime("kill", b.id, "KILL")
    assert_one_line_error(rc, out, err)


def test_delete_removes_state_dir_and_cgroups(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("create", "--bundle", b.path, b.id)
    runtime.ok("start", b.id)
    dirs = cgroup_dirs_of(runtime.state_record(b.id))
    assert dirs and all(os.path.isdir(d) for d in dirs)
    assert all(d.endswith(f"{CGROUP_PARENT}/{b.id}") for d in dirs), dirs
    runtime.ok("kill", b.id, "KILL")
    runtime.wait_status(b.id, "stopped")
    runtime.ok("delete", b.id)
    assert not os.path.exists(runtime.state_dir(b.id))
    assert [d for d in dirs if os.path.exists(d)] == []
    rc, out, err = runtime("state", b.id)
    assert_one_line_error(rc, out, err, b.id)


def test_delete_with_the_default_cgroup_path(runtime, make_bundle):
    b = make_bundle(["sleep", "30"], linux={"cgroupsPath": None})
    runtime.ok("create", "--bundle", b.path, b.id)
    dirs = cgroup_dirs_of(runtime.state_record(b.id))
    assert all(d.endswith(f"/pyrunc/{b.id}") for d in dirs), dirs
    assert sorted(dirs) == sorted(container_cgroup_dirs(b.id))
    runtime.ok("delete", "--force", b.id)
    assert not os.path.exists(runtime.state_dir(b.id))
    assert container_cgroup_dirs(b.id) == []


def test_delete_of_a_running_container_needs_force(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("create", "--bundle", b.path, b.id)
    runtime.ok("start", b.id)
    pid = runtime.state(b.id)["pid"]
    rc, out, err = runtime("delete", b.id)
    assert_one_line_error(rc, out, err, b.id)
    assert runtime.state(b.id)["status"] == "running"
    runtime.ok("delete", "--force", b.id)
    assert process_start_time(pid) is None
    assert not os.path.exists(runtime.state_dir(b.id))
    assert container_cgroup_dirs(b.id) == []


def test_delete_of_a_created_container(runtime, make_bundle, host_dir):
    """A created container deleted (with --force) never runs its process."""
    b = make_bundle(["touch", "/root/marker"], extra_mounts=[bind(host_dir, "/root")])
    runtime.ok("create", "--bundle", b.path, b.id)
    pid = runtime.state(b.id)["pid"]
    runtime.ok("delete", "--force", b.id)
    assert process_start_time(pid) is None
    assert not (host_dir / "marker").exists()
    assert container_cgroup_dirs(b.id) == []


def test_list_formats(runtime, make_bundle, tmp_path):
    root = str(tmp_path / "pyrunc-test-listroot")  # a root of our own: only our containers
    a, c = make_bundle(["sleep", "30"]), make_bundle(["sleep", "30"])
    try:
        runtime.ok("create", "--bundle", a.path, a.id, root=root)
        runtime.ok("create", "--bundle", c.path, c.id, root=root)
        runtime.ok("start", c.id, root=root)

        table = runtime.ok("list", root=root).splitlines()
        assert table[0].split()[:4] == ["ID", "PID", "STATUS", "BUNDLE"]
        rows = {line.split()[0]: line.split() for line in table[1:]}
        assert set(rows) == {a.id, c.id}
        assert rows[a.id][2] == "created" and rows[c.id][2] == "running"
        assert rows[a.id][3] == str(a.path)

        listed = {s["id"]: s for s in json.loads(runtime.ok("list", "--format", "json", root=root))}
        assert set(listed) == {a.id, c.id}
        assert listed[a.id]["status"] == "created"
        assert listed[c.id]["status"] == "running"
        assert listed[c.id]["pid"] > 0
        assert listed[a.id]["bundle"] == str(a.path)

        assert sorted(runtime.ok("list", "-q", root=root).split()) == sorted([a.id, c.id])
    finally:
        for b in (a, c):
            runtime("delete", "--force", b.id, root=root)
    assert os.listdir(root) == []
    assert runtime.ok("list", "-q", root=root) == ""


def freezer_state(pid):
    for line in open(f"/proc/{pid}/cgroup"):
        _, names, path = line.rstrip("\n").split(":", 2)
        if "freezer" in names.split(","):
            with open(f"/sys/fs/cgroup/freezer{path}/freezer.state") as f:
                return f.read().strip()
    with open(f"/sys/fs/cgroup/unified{path}/cgroup.freeze") as f:  # pragma: no cover
        return {"1": "FROZEN", "0": "THAWED"}[f.read().strip()]


def test_pause_and_resume(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    pid = runtime.state(b.id)["pid"]
    runtime.ok("pause", b.id)
    assert runtime.state(b.id)["status"] == "paused"
    assert freezer_state(pid) == "FROZEN"
    runtime.ok("resume", b.id)
    assert runtime.state(b.id)["status"] == "running"
    assert freezer_state(pid) == "THAWED"


def test_ps_lists_the_containers_processes(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    pid = runtime.state(b.id)["pid"]
    assert json.loads(runtime.ok("ps", "--format", "json", b.id)) == [pid]


def test_kill_all_signals_every_process(runtime, make_bundle):
    b = make_bundle(["sh", "-c", "sleep 30 & sleep 30 & wait"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    record = runtime.state_record(b.id)
    procs = f"{cgroup_dirs_of(record)[0]}/cgroup.procs"
    assert wait_for(lambda: len(open(procs).read().split()) == 3)
    runtime.ok("kill", "--all", b.id, "KILL")
    assert wait_for(lambda: open(procs).read().split() == [])
    runtime.wait_status(b.id, "stopped")


def test_delete_after_the_init_died_outside_pyrunc(runtime, make_bundle):
    import signal
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    dirs = cgroup_dirs_of(runtime.state_record(b.id))
    os.kill(runtime.state(b.id)["pid"], signal.SIGKILL)
    runtime.wait_status(b.id, "stopped")
    runtime.ok("delete", b.id)
    assert not os.path.exists(runtime.state_dir(b.id))
    assert [d for d in dirs if os.path.exists(d)] == []


def test_delete_of_a_created_container_without_force(runtime, make_bundle):
    """runc deletes a created (never started) container without --force."""
    b = make_bundle(["sleep", "30"])
    runtime.ok("create", "--bundle", b.path, b.id)
    pid = runtime.state(b.id)["pid"]
    runtime.ok("delete", b.id)
    assert process_start_time(pid) is None
    assert not os.path.exists(runtime.state_dir(b.id))
    assert container_cgroup_dirs(b.id) == []


def test_relative_root_path_is_taken_from_the_bundle(runtime, make_bundle, rootfs, monkeypatch,
                                                     tmp_path):
    import shutil
    b = make_bundle(["echo", "relative root"], root={"path": "rootfs"})
    shutil.copytree(rootfs, b.path / "rootfs", symlinks=True)
    monkeypatch.chdir(tmp_path)  # not the bundle
    assert runtime("run", "--bundle", b.path, b.id) == (0, "relative root\n", "")


def test_a_config_without_process_creates_but_cannot_start(runtime, make_bundle):
    """process is optional in a config (runtime-spec config.md): create
    succeeds, start is an error that changes nothing, delete cleans up."""
    b = make_bundle(["true"], process=None)
    runtime.ok("create", "--bundle", b.path, b.id)
    assert runtime.state(b.id)["status"] == "created"
    rc, out, err = runtime("start", b.id)
    assert_one_line_error(rc, out, err, "has no process to start")
    assert runtime.state(b.id)["status"] == "created"
    runtime.ok("delete", b.id)
    assert_nothing_left(runtime, b.id)


def test_run_of_a_config_without_process_fails_as_start_does(runtime, make_bundle):
    b = make_bundle(["true"], process=None)
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "has no process to start")
    assert_nothing_left(runtime, b.id)


def test_delete_force_undoes_a_create_killed_at_any_moment(runtime, make_bundle):
    """pyrunc create SIGKILLed a little later each try (bounded), counted
    from when its state dir appears: delete --force then leaves no state
    dir, cgroup dir, mount or process."""
    for delay_ms in (0, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 10, 13, 16, 20, 30):
        b = make_bundle(["true"])
        runtime.track(b.id)
        proc = subprocess.Popen(runtime.argv("create", "--bundle", b.path, b.id),
                                env=runtime.env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + TIMEOUT
        while not os.path.isdir(runtime.state_dir(b.id)) and proc.poll() is None:
            assert time.monotonic() < deadline, "create never made its state dir"
        time.sleep(delay_ms / 1000)
        proc.kill()
        proc.wait()
        rc, out, err = runtime("delete", "--force", b.id)
        assert rc == 0, (delay_ms, err)
        assert_nothing_left(runtime, b.id)
