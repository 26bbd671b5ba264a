"""The command line side by side with runc (when installed) on the same
bundles: exit codes, --version, features, help; state/list/ps JSON; kill 0;
update (cgroup files on the host); events; --log and --debug."""
import json
import os
import re
import subprocess
import tempfile
import time

import pytest

from conftest import (CGROUP_MOUNT, RUNC, TIMEOUT, Runc, assert_nothing_left,
                      assert_one_line_error)

needs_runc = pytest.mark.skipif(RUNC is None, reason="runc is not installed: nothing to compare")


def sleeping_pair(make_bundle, runtime, runc, **overrides):
    """The same config run by pyrunc and by runc, each with its own id and cgroup."""
    mine = make_bundle(["sleep", "300"], **overrides)
    theirs = make_bundle(["sleep", "300"], **overrides)
    runtime.ok("run", "-d", "--bundle", mine.path, mine.id)
    runc.ids.append(theirs.id)
    rc, out, err = runc("run", "-d", "--bundle", theirs.path, theirs.id)
    assert rc == 0, err
    return mine, theirs


def cgroup_dirs(pid):
    """{controller or "" (v2): host dir} of a process, from /proc/PID/cgroup."""
    dirs = {}
    with open(f"/proc/{pid}/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for name in controllers.split(",") if controllers else [""]:
                top = os.path.join(CGROUP_MOUNT, name) if name else CGROUP_MOUNT
                if name == "" and os.path.isdir(os.path.join(CGROUP_MOUNT, "unified")):
                    top = os.path.join(CGROUP_MOUNT, "unified")
                dirs[name] = top + path
    return dirs


def read_file(directory, name):
    with open(os.path.join(directory, name)) as f:
        return f.read().strip()


V1_UPDATED_FILES = [("memory", "memory.limit_in_bytes"), ("memory", "memory.memsw.limit_in_bytes"),
                    ("memory", "memory.soft_limit_in_bytes"), ("cpu", "cpu.shares"),
                    ("cpu", "cpu.cfs_period_us"), ("cpu", "cpu.cfs_quota_us"),
                    ("cpuset", "cpuset.cpus"), ("pids", "pids.max")]
V2_UPDATED_FILES = [("", "memory.max"), ("", "memory.swap.max"), ("", "memory.low"),
                    ("", "cpu.weight"), ("", "cpu.max"), ("", "cpuset.cpus"), ("", "pids.max")]


def limits(pid):
    dirs = cgroup_dirs(pid)
    files = V1_UPDATED_FILES if "memory" in dirs else V2_UPDATED_FILES
    return {name: read_file(dirs[ctrl], name) for ctrl, name in files}


# --- usage, help, version, features ------------------------------------------------------

USAGE_CASES = [
    [], ["help"], ["h"], ["help", "state"], ["state", "--help"], ["nosuch"], ["help", "nosuch"],
    ["state"], ["state", "a", "b"], ["kill"], ["list", "extra"], ["--nosuchflag", "list"],
    ["list", "--format", "xx"], ["events", "--interval", "abc", "x"], ["update"], ["events"],
    ["ps"], ["features", "extra"], ["pause"], ["delete"], ["start"],
]


@needs_runc
@pytest.mark.parametrize("argv", USAGE_CASES, ids=lambda a: " ".join(a) or "nothing")
def test_exit_status_of_usage_errors_and_help_as_runc(runtime, runc, argv):
    rc, out, err = runtime(*argv)
    runc_rc, _, _ = runc(*argv)
    assert rc == runc_rc, (argv, err)
    if rc == 0:
        assert "usage: pyrunc" in out and err == ""
    else:
        assert_one_line_error(rc, out, err)


def test_version_in_runcs_form(runtime):
    rc, out, err = runtime("--version")
    assert rc == 0 and err == ""
    lines = out.splitlines()
    assert re.fullmatch(r"pyrunc version \d+\.\d+\.\d+", lines[0])
    fields = dict(line.split(": ", 1) for line in lines[1:])
    assert re.fullmatch(r"1\.\d+\.\d+", fields["spec"])
    if RUNC:
        runc_lines = subprocess.run([RUNC, "--version"], capture_output=True, text=True).stdout
        assert re.match(r"runc version \S+\n", runc_lines) and "\nspec: " in runc_lines
    assert runtime("-v")[1] == out


def test_features_claims_nothing_runc_does_not_know(runtime):
    rc, out, err = runtime("features")
    assert rc == 0 and err == ""
    mine = json.loads(out)
    assert mine["ociVersionMin"] == "1.0.0"
    if RUNC is None:
        return
    theirs = json.loads(subprocess.run([RUNC, "features"], capture_output=True).stdout)
    assert mine["hooks"] == theirs["hooks"]
    # idmap and ridmap: runc recognises them since 1.2 but lists neither (it says
    # mountExtensions.idmap); features.md asks for every option recognised.
    assert set(mine["mountOptions"]) - {"idmap", "ridmap"} <= set(theirs["mountOptions"])
    assert mine["linux"]["capabilities"] == theirs["linux"]["capabilities"]
    assert set(theirs["linux"]["namespaces"]) <= set(mine["linux"]["namespaces"])
    assert mine["linux"]["seccomp"]["operators"] == theirs["linux"]["seccomp"]["operators"]
    assert set(mine["linux"]["seccomp"]["actions"]) <= set(theirs["linux"]["seccomp"]["actions"])


# --- state, list, ps, kill 0 -----------------------------------------------------------------

@needs_runc
def test_state_list_ps_and_kill_0_as_runc(runtime, runc, make_bundle):
    mine, theirs = sleeping_pair(make_bundle, runtime, runc)
    state = runtime.state(mine.id)
    runc_state = json.loads(runc("state", theirs.id)[1])
    assert list(state) == list(runc_state)  # no empty annotations, same order
    assert state["owner"] == runc_state["owner"] == ""

    listed = json.loads(runtime.ok("list", "--format", "json"))
    runc_listed = json.loads(runc("list", "--format", "json")[1])
    entry = next(e for e in listed if e["id"] == mine.id)
    assert list(entry) == list(runc_listed[0]) and entry["owner"] == runc_listed[0]["owner"]

    assert json.loads(runtime.ok("ps", "--format", "json", mine.id)) == [state["pid"]]
    assert json.loads(runc("ps", "--format", "json", theirs.id)[1]) == [runc_state["pid"]]
    # The table: the host's `ps` header and the container's rows, as runc's.
    table, runc_table = runtime.ok("ps", mine.id, "-o", "pid,comm"), runc("ps", theirs.id,
                                                                        "-o", "pid,comm")[1]
    assert table.split() == ["PID", "COMMAND", str(state["pid"]), "sleep"]
    assert runc_table.split() == ["PID", "COMMAND", str(runc_state["pid"]), "sleep"]
    rc, out, err = runtime("ps", mine.id, "--no-such-option")
    assert rc == 1 and out == "" and len(err.strip().splitlines()) == 1

    assert runtime("kill", mine.id, "0")[0] == runc("kill", theirs.id, "0")[0] == 0
    runtime.ok("kill", mine.id, "KILL")
    assert runc("kill", theirs.id, "KILL")[0] == 0
    runtime.wait_status(mine.id, "stopped")
    for _ in range(100):
        if json.loads(runc("state", theirs.id)[1])["status"] == "stopped":
            break
        time.sleep(0.05)
    # Stopped: kill 0 fails, and ps has no pids: null, as runc prints it.
    assert runtime("kill", mine.id, "0")[0] == runc("kill", theirs.id, "0")[0] == 1
    assert runtime.ok("ps", "--format", "json", mine.id) == "null\n"
    assert runc("ps", "--format", "json", theirs.id)[1] == "null\n"


def test_state_shows_annotations_when_there_are_some(runtime, make_bundle):
    b = make_bundle(["sleep", "300"], annotations={"org.example.k": "v"})
    runtime.ok("create", "--bundle", b.path, b.id)
    assert runtime.state(b.id)["annotations"] == {"org.example.k": "v"}


def test_an_empty_root_lists_as_runc(runtime, tmp_path):
    root = str(tmp_path / "pyrunc-test-emptyroot")
    assert runtime("list", "--format", "json", root=root)[1] == "null\n"
    table = runtime("list", root=root)[1]
    if RUNC:
        runc_root = str(tmp_path / "runc-emptyroot")
        runc_table = subprocess.run([RUNC, "--root", runc_root, "list"], capture_output=True,
                                    text=True).stdout
        assert table == runc_table
    assert table == "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n"


def test_list_table_columns_line_up(runtime, make_bundle, tmp_path):
    root = str(tmp_path / "pyrunc-test-listroot")
    b = make_bundle(["sleep", "300"])
    runtime.ok("create", "--bundle", b.path, b.id, root=root)
    try:
        header, row = runtime.ok("list", root=root).splitlines()
        starts = [m.start() for m in re.finditer(r"\S+", header)]
        assert [m.start() for m in re.finditer(r"\S+", row)] == starts
        pid = json.loads(runtime.ok("state", b.id, root=root))["pid"]
        assert row.split() == [b.id, str(pid), "created", str(b.path), row.split()[4], "root"]
    finally:
        runtime.ok("delete", "--force", b.id, root=root)


# --- update -------------------------------------------------------------------------------

UPDATE_FLAGS = ["--memory", "64m", "--memory-swap", "128m", "--memory-reservation", "32m",
                "--cpu-share", "512", "--cpu-period", "100000", "--cpu-quota", "20000",
                "--cpuset-cpus", "0", "--pids-limit", "20"]


@needs_runc
def test_update_writes_what_runc_writes(runtime, runc, make_bundle):
    mine, theirs = sleeping_pair(make_bundle, runtime, runc)
    pid, runc_pid = runtime.state(mine.id)["pid"], json.loads(runc("state", theirs.id)[1])["pid"]
    runtime.ok("update", *UPDATE_FLAGS, mine.id)
    assert runc("update", *UPDATE_FLAGS, theirs.id)[0] == 0
    assert limits(pid) == limits(runc_pid)
    assert limits(pid)["pids.max"] == "20"

    # -r - : what containerd sends for `docker update`, the whole object.
    resources = json.dumps({"memory": {"limit": 100 << 20, "swap": 128 << 20},
                            "cpu": {"shares": 256}, "pids": {"limit": 30},
                            "devices": [{"allow": False, "access": "rwm"}]})
    runtime.ok("update", "-r", "-", mine.id, input=resources)
    assert runc("update", "-r", "-", theirs.id, input=resources)[0] == 0
    assert limits(pid) == limits(runc_pid)
    stored = runtime.state_record(mine.id)["config"]["linux"]["resources"]
    assert stored["memory"]["limit"] == 100 << 20 and stored["pids"] == {"limit": 30}
    assert stored["cpu"]["quota"] == 20000  # what the update did not name is kept


@needs_runc
@pytest.mark.parametrize("flags", [["--memory", "abc"], ["--cpu-share", "-1"],
                                   ["--memory", "1k"], ["--cpuset-cpus", "99"]])
def test_refused_updates_fail_as_runc_and_change_nothing(runtime, runc, make_bundle, flags):
    mine, theirs = sleeping_pair(make_bundle, runtime, runc)
    pid = runtime.state(mine.id)["pid"]
    before = limits(pid)
    stored = runtime.state_record(mine.id)["config"]["linux"].get("resources")
    rc, out, err = runtime("update", *flags, mine.id)
    assert rc == runc("update", *flags, theirs.id)[0] == 1
    assert_one_line_error(rc, out, err, flags[0].lstrip("-").split("-")[0])
    assert limits(pid) == before
    assert runtime.state_record(mine.id)["config"]["linux"].get("resources") == stored


def test_update_from_a_file_and_errors(runtime, make_bundle, tmp_path):
    b = make_bundle(["sleep", "300"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    pid = runtime.state(b.id)["pid"]
    path = tmp_path / "resources.json"
    path.write_text(json.dumps({"pids": {"limit": 7}}))
    runtime.ok("update", "--resources", path, b.id)
    assert limits(pid)["pids.max"] == "7"
    for args, text in ((["-r", tmp_path / "absent"], "absent"),
                       (["--l3-cache-schema", "L3:0=f"], "--l3-cache-schema")):
        rc, out, err = runtime("update", *args, b.id)
        assert_one_line_error(rc, out, err, text)
    rc, out, err = runtime("update", "-r", "-", b.id, input="{bad")
    assert_one_line_error(rc, out, err, "not valid JSON")
    rc, out, err = runtime("update", "--pids-limit", "5", "nosuch-" + b.id)
    assert_one_line_error(rc, out, err, "does not exist")


# --- events --------------------------------------------------------------------------------

# Left out when zero (Go's omitempty): whether they show depends on usage.
OPTIONAL = {"cache", "usage", "max", "current", "total", "periods", "throttledPeriods",
            "throttledTime", "ioServiceBytesRecursive", "ioServicedRecursive"}


def shape(value, key=""):
    """The keys and types of a stats event, not its numbers, without the
    fields that come and go with usage."""
    if isinstance(value, dict):
        if key == "raw":
            return "dict"
        return {k: shape(v, k) for k, v in value.items()
                if k not in OPTIONAL or isinstance(v, dict)}
    if isinstance(value, list):
        return [shape(v) for v in value[:1]]
    return type(value).__name__


@needs_runc
def test_events_stats_have_runcs_shape(runtime, runc, make_bundle):
    limited = {"linux": {"resources": {"memory": {"limit": 64 << 20}, "pids": {"limit": 50}}}}
    mine, theirs = sleeping_pair(make_bundle, runtime, runc, **limited)
    rc, out, err = runtime("events", "--stats", mine.id)
    assert rc == 0 and err == "" and out.count("\n") == 1
    event = json.loads(out)
    runc_event = json.loads(runc("events", "--stats", theirs.id)[1])
    assert (event["type"], event["id"]) == ("stats", mine.id)
    assert shape(event) == shape(runc_event)
    assert event["data"]["pids"] == {"current": 1, "limit": 50}
    assert event["data"]["memory"]["usage"]["limit"] == 64 << 20


def test_events_stream_and_its_end(runtime, make_bundle):
    b = make_bundle(["sleep", "300"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    stream = runtime.background("events", "--interval", "100ms", b.id)
    try:
        wait_for_lines(stream.out, 2)
        runtime.ok("kill", b.id, "KILL")
        rc, out, err = stream.wait()  # ends by itself once the container stopped
    finally:
        stream.kill()
    assert rc == 0 and err == ""
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) >= 2 and {(e["type"], e["id"]) for e in lines} == {("stats", b.id)}


def wait_for_lines(out, count, wanted=None):
    """Until the file out holds count lines (of events of type wanted, if given)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        out.seek(0)
        lines = out.read().decode().splitlines()
        if len([line for line in lines if wanted is None or f'"type":"{wanted}"' in line]) >= count:
            return
        time.sleep(0.05)
    pytest.fail(f"events printed fewer than {count} {wanted or ''} lines in {TIMEOUT}s")


@pytest.mark.parametrize("runtime_name", ["pyrunc", "runc"])
def test_an_oom_kill_is_an_event(runtime, runc_or_none, make_bundle, runtime_name):
    run = runtime if runtime_name == "pyrunc" else runc_or_none
    if run is None:
        pytest.skip("runc is not installed: nothing to compare")
    memory = {"limit": 32 << 20, "swap": 32 << 20}
    b = make_bundle(["sleep", "300"], linux={"resources": {"memory": memory}})
    if run is not runtime:
        run.ids.append(b.id)
    assert run("run", "-d", "--bundle", b.path, b.id)[0] == 0
    argv = runtime.argv() if run is runtime else [RUNC, "--root", run.root]
    with tempfile.TemporaryFile() as out:
        stream = subprocess.Popen([*argv, "events", "--interval", "100ms", b.id],
                                  stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=subprocess.DEVNULL)
        try:
            wait_for_lines(out, 1)  # a stats line: it is watching
            rc, _, _ = run("exec", b.id, "dd", "if=/dev/zero", "of=/dev/null", "bs=64M",
                           "count=1")
            assert rc == 137  # SIGKILLed by the OOM killer
            wait_for_lines(out, 1, wanted="oom")
        finally:
            stream.kill()
            stream.wait()
        out.seek(0)
        lines = out.read().decode().splitlines()
    assert {"type": "oom", "id": b.id} in [json.loads(line) for line in lines]


@pytest.fixture
def runc_or_none():
    if RUNC is None:
        yield None
        return
    r = Runc()
    yield r
    r.cleanup()


def test_events_of_a_stopped_container_fail(runtime, make_bundle):
    b = make_bundle(["true"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    runtime.wait_status(b.id, "stopped")
    rc, out, err = runtime("events", "--stats", b.id)
    assert_one_line_error(rc, out, err, "is not running")
    rc, out, err = runtime("events", "--interval", "0", b.id)
    assert_one_line_error(rc, out, err, "--interval", "greater than 0")


# --- --log and --debug ------------------------------------------------------------------------

def test_the_log_file_is_written_always(runtime, tmp_path):
    log = tmp_path / "log.json"
    runtime.ok("--log", log, "--log-format", "json", "list")
    assert log.exists() and log.read_text() == ""
    runtime.ok("--debug", "--log", log, "--log-format", "json", "list")
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert entries and {e["level"] for e in entries} == {"debug"}
    assert all(set(e) == {"level", "msg", "time"} for e in entries)


def test_warnings_go_to_the_log_never_to_stderr(runtime, make_bundle, tmp_path):
    """Under the shims pyrunc's stderr is the container's: a warning there would
    show up in `docker logs`."""
    b = make_bundle(["sleep", "300"], linux={"intelRdt": {"closID": "pyrunc-test"}})
    log = tmp_path / "log.json"
    rc, out, err = runtime("--log", log, "--log-format", "json", "create", "--bundle", b.path,
                           b.id)
    runtime.track(b.id)
    assert rc == 0 and err == "" and out == ""
    warnings = [json.loads(line) for line in log.read_text().splitlines()]
    assert [w["msg"] for w in warnings if w["level"] == "warning"] == [
        "not applied yet: linux.intelRdt"]
    runtime.ok("delete", "--force", b.id)
    b2 = make_bundle(["true"], linux={"intelRdt": {"closID": "pyrunc-test"}})
    rc, out, err = runtime("run", "--bundle", b2.path, b2.id)
    assert (rc, out, err) == (0, "", "")  # without --log: nowhere, not on stderr
    assert_nothing_left(runtime, b2.id)


# --- exec failures, run --keep ----------------------------------------------------------------

EXEC_FAILURES = [["/nonexistent"], ["--apparmor", "unconfined-x", "@", "true"],
                 ["--process-label", "system_u:system_r:x:s0", "@", "true"],
                 ["--cwd", "/nonexistent", "@", "true"]]


def exec_argv(argv, cid):
    """argv with the container id where "@" stands, or first."""
    return [cid if a == "@" else a for a in argv] if "@" in argv else [cid, *argv]


@needs_runc
@pytest.mark.parametrize("argv", EXEC_FAILURES, ids=lambda a: " ".join(a))
def test_exec_failures_exit_255_as_runc(runtime, runc, make_bundle, argv):
    mine, theirs = sleeping_pair(make_bundle, runtime, runc)
    rc, out, err = runtime("exec", *exec_argv(argv, mine.id))
    runc_rc = runc("exec", *exec_argv(argv, theirs.id))[0]
    assert_one_line_error(rc, out, err)
    assert rc == runc_rc == 255


def test_exec_exit_statuses(runtime, make_bundle):
    b = make_bundle(["sleep", "300"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    assert runtime("exec", b.id, "sh", "-c", "exit 3")[0] == 3  # the process's own
    assert runtime("exec", "nosuch-" + b.id, "true")[0] == 255
    runtime.ok("pause", b.id)
    rc, out, err = runtime("exec", b.id, "true")
    assert_one_line_error(rc, out, err, "paused")
    assert rc == 255
    runtime.ok("resume", b.id)
    assert runtime("exec", b.id)[0] == 255  # no command: exec fails, as runc's
    assert runtime("exec")[0] == 1  # no container id: a usage error, as runc's


def test_run_keep_leaves_the_stopped_container(runtime, make_bundle):
    b = make_bundle(["sh", "-c", "exit 7"])
    rc, out, err = runtime("run", "--keep", "--no-subreaper", "--bundle", b.path, b.id)
    assert (rc, err) == (7, "")
    state = runtime.state(b.id)
    assert (state["status"], state["pid"]) == ("stopped", 0)
    runtime.ok("delete", b.id)
    assert_nothing_left(runtime, b.id)
