"""`pyrunc exec`: a second process in a running container."""
import os
import time

import pytest

from conftest import assert_one_line_error, process_start_time


@pytest.fixture
def running(runtime, make_bundle):
    """A running container (`sleep 30`, env FOO=from-config); yields its id."""
    b = make_bundle(["sleep", "30"],
                    process={"env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "FOO=from-config"]})
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    return b.id


def test_exec_echo(runtime, running):
    assert runtime("exec", running, "echo", "hi") == (0, "hi\n", "")


def test_exec_exit_status_propagates(runtime, running):
    rc, out, err = runtime("exec", running, "sh", "-c", "exit 3")
    assert (rc, out, err) == (3, "", "")


def test_exec_stdin_and_stderr(runtime, running):
    rc, out, err = runtime("exec", running, "sh", "-c", "cat; echo oops >&2", input="piped\n")
    assert (rc, out, err) == (0, "piped\n", "oops\n")


def test_exec_sees_the_container_env_plus_e(runtime, running):
    out = runtime.ok("exec", "-e", "BAR=from-exec", running, "sh", "-c", 'echo "$FOO $BAR"')
    assert out == "from-config from-exec\n"


def test_exec_e_overrides(runtime, running):
    out = runtime.ok("exec", "--env", "FOO=changed", running, "sh", "-c", 'echo "$FOO"')
    assert out == "changed\n"


def test_exec_cwd(runtime, running):
    assert runtime.ok("exec", "--cwd", "/etc", running, "pwd") == "/etc\n"


def test_exec_default_cwd_is_the_containers(runtime, running):
    assert runtime.ok("exec", running, "pwd") == "/\n"


def test_exec_user(runtime, running):
    out = runtime.ok("exec", "-u", "1000:1000", running, "sh", "-c", "id -u; id -g")
    assert out.split() == ["1000", "1000"]


def test_exec_is_in_the_pid_namespace(runtime, running):
    out = runtime.ok("exec", running, "sh", "-c",
                     "echo $$; cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /proc | grep -E '^[0-9]+$'")
    lines = out.splitlines()
    own = int(lines[0])
    assert 1 < own < 100, "the exec'd shell's pid is not one of the container's namespace"
    assert lines[1].split() == ["sleep", "30"]
    pids = {int(p) for p in lines[2:]}
    assert 1 in pids and own in pids and len(pids) <= 4, pids


def test_exec_ps_lists_the_init_as_1(runtime, running):
    out = runtime.ok("exec", running, "ps", "-o", "pid,args")
    rows = [line.split(None, 1) for line in out.splitlines()[1:]]
    assert ["1", "sleep 30"] in rows, rows


def test_exec_joins_namespaces_and_cgroup(runtime, running, tmp_path):
    """Host side: the exec'd process shares the init's namespaces and cgroups."""
    pid_file = tmp_path / "exec.pid"
    runtime.ok("exec", "-d", "--pid-file", pid_file, running, "sleep", "30")
    pid = int(pid_file.read_text())
    runtime.track_pid(running, pid)
    init = runtime.state(running)["pid"]
    assert pid != init and process_start_time(pid) is not None
    for ns in ("pid", "mnt", "net", "ipc", "uts"):
        assert os.readlink(f"/proc/{pid}/ns/{ns}") == os.readlink(f"/proc/{init}/ns/{ns}"), ns
    with open(f"/proc/{pid}/cgroup") as f, open(f"/proc/{init}/cgroup") as g:
        assert f.read() == g.read()
    with open(f"/proc/{pid}/status") as f:
        nspid = [line.split()[1:] for line in f if line.startswith("NSpid:")][0]
    assert nspid[0] == str(pid) and int(nspid[1]) > 1
    assert os.readlink(f"/proc/{pid}/root") == "/"  # its root is the container's
    assert os.stat(f"/proc/{pid}/root/bin/busybox").st_ino == \
        os.stat(f"/proc/{init}/root/bin/busybox").st_ino


def test_delete_force_kills_exec_processes(runtime, running, tmp_path):
    pid_file = tmp_path / "exec.pid"
    runtime.ok("exec", "-d", "--pid-file", pid_file, running, "sleep", "30")
    pid = int(pid_file.read_text())
    runtime.track_pid(running, pid)
    runtime.ok("delete", "--force", running)
    deadline = time.monotonic() + 5
    while process_start_time(pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_start_time(pid) is None


def test_exec_missing_binary(runtime, running):
    rc, out, err = runtime("exec", running, "no-such-command")
    assert_one_line_error(rc, out, err, "no-such-command")
    assert runtime.state(running)["status"] == "running"


def test_exec_missing_absolute_path(runtime, running):
    rc, out, err = runtime("exec", running, "/bin/no-such-command")
    assert_one_line_error(rc, out, err, "/bin/no-such-command")


def test_exec_bad_cwd(runtime, running):
    rc, out, err = runtime("exec", "--cwd", "/no/such/dir", running, "true")
    assert_one_line_error(rc, out, err, "/no/such/dir")


def test_exec_into_a_stopped_container(runtime, make_bundle):
    b = make_bundle(["true"])
    runtime.ok("create", "--bundle", b.path, b.id)
    runtime.ok("start", b.id)
    runtime.wait_status(b.id, "stopped")
    rc, out, err = runtime("exec", b.id, "echo", "hi")
    assert_one_line_error(rc, out, err, b.id)
    assert "hi" not in out


def test_exec_into_an_unknown_container(runtime):
    cid = runtime.new_id()
    rc, out, err = runtime("exec", cid, "echo", "hi")
    assert_one_line_error(rc, out, err, cid)


def test_exec_process_json(runtime, running, tmp_path):
    import json
    spec = tmp_path / "process.json"
    spec.write_text(json.dumps({"args": ["sh", "-c", 'echo "$X $(pwd) $(id -u)"'],
                                "env": ["PATH=/bin", "X=from-json"], "cwd": "/etc",
                                "user": {"uid": 1000, "gid": 1000}}))
    assert runtime("exec", "--process", spec, running) == (0, "from-json /etc 1000\n", "")


def test_exec_cap_adds_a_capability(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    rc, out, err = runtime("exec", "--cap", "CAP_SYS_ADMIN", "--cap", "net_raw", b.id,
                           "grep", "CapEff", "/proc/self/status")
    assert rc == 0, err
    effective = int(out.split()[1], 16)
    assert effective & (1 << 21) and effective & (1 << 13)
    rc, out, err = runtime("exec", b.id, "grep", "CapEff", "/proc/self/status")
    assert not int(out.split()[1], 16) & (1 << 21)
    rc, out, err = runtime("exec", "--cap", "CAP_FLYING", b.id, "true")
    assert_one_line_error(rc, out, err, "--cap CAP_FLYING")


def test_exec_into_a_paused_container_needs_ignore_paused(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    runtime.ok("pause", b.id)
    rc, out, err = runtime("exec", b.id, "true")
    assert_one_line_error(rc, out, err, "paused")
    rc, out, err = runtime("exec", "-d", "--ignore-paused", b.id, "sleep", "1")
    assert rc == 0, err
    runtime.ok("resume", b.id)
