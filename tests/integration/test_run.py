"""`pyrunc run`: foreground exit status, stdio, detached runs, --pid-file."""
import os
import subprocess
import time

from conftest import process_start_time


def test_exit_status_propagates(runtime, make_bundle):
    b = make_bundle(["sh", "-c", "exit 7"])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert (rc, out, err) == (7, "", "")
    assert not os.path.exists(runtime.state_dir(b.id)), "foreground run must delete"


def test_exit_status_zero(runtime, make_bundle):
    b = make_bundle(["true"])
    assert runtime("run", "--bundle", b.path, b.id) == (0, "", "")


def test_init_killed_by_a_signal_gives_128_plus_n(runtime, make_bundle, default_spec):
    """Without a pid namespace the shell is not an init, so SIGKILL from
    itself kills it: the run's status is 128 + 9."""
    namespaces = [ns for ns in default_spec["linux"]["namespaces"] if ns["type"] != "pid"]
    b = make_bundle(["sh", "-c", "kill -9 $$; echo survived"], linux={"namespaces": namespaces})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 137, (rc, out, err)
    assert "survived" not in out


def test_pid1_ignores_its_own_sigkill(runtime, make_bundle):
    """In a pid namespace the init gets no signal it has no handler for,
    not even SIGKILL from inside: `kill -9 $$` is a no-op there."""
    b = make_bundle(["sh", "-c", "kill -9 $$; echo survived"])
    assert runtime("run", "--bundle", b.path, b.id) == (0, "survived\n", "")


def test_killed_from_the_host_gives_137(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    bg = runtime.background("run", "--bundle", b.path, b.id)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            rc, out, _ = runtime("state", b.id)
            if rc == 0 and '"running"' in out:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the foreground run never reached running")
        runtime.ok("kill", b.id, "KILL")
        rc, out, err = bg.wait()
    finally:
        bg.kill()
    assert rc == 137, (rc, out, err)
    assert not os.path.exists(runtime.state_dir(b.id))


def test_stdout_and_stderr_pass_through(runtime, make_bundle):
    b = make_bundle(["sh", "-c", "echo to-stdout; echo to-stderr >&2"])
    assert runtime("run", "--bundle", b.path, b.id) == (0, "to-stdout\n", "to-stderr\n")


def test_stdin_passes_through(runtime, make_bundle):
    b = make_bundle(["cat"])
    text = "first line\nsecond line\n"
    assert runtime("run", "--bundle", b.path, b.id, input=text) == (0, text, "")


def test_stdin_through_a_pipeline(runtime, make_bundle):
    b = make_bundle(["sh", "-c", "wc -l"])
    rc, out, err = runtime("run", "--bundle", b.path, b.id, input="a\nb\nc\n")
    assert (rc, out.strip(), err) == (0, "3", "")


def test_run_detached_returns_while_the_container_runs(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    started = time.monotonic()
    rc, out, err = runtime("run", "-d", "--bundle", b.path, b.id)
    assert (rc, err) == (0, ""), err
    assert time.monotonic() - started < 10
    state = runtime.state(b.id)
    assert state["status"] == "running"
    assert process_start_time(state["pid"]) is not None
    with open(f"/proc/{state['pid']}/cmdline", "rb") as f:
        assert f.read().split(b"\0")[0] == b"sleep"


def test_run_pid_file(runtime, make_bundle, tmp_path):
    b = make_bundle(["sleep", "30"])
    pid_file = tmp_path / "init.pid"
    runtime.ok("run", "-d", "--pid-file", pid_file, "--bundle", b.path, b.id)
    text = pid_file.read_text()
    assert text.strip().isdigit(), repr(text)
    assert int(text) == runtime.state(b.id)["pid"]


def test_a_foreground_run_writes_its_pid_file_once_the_process_runs(runtime, make_bundle,
                                                                    tmp_path):
    """As runc: the pid of the process, and none when it could not start
    (here a startContainer hook fails after the init is set up)."""
    pid_file = tmp_path / "init.pid"
    b = make_bundle(["sh", "-c", "echo $$"])
    rc, out, err = runtime("run", "--pid-file", pid_file, "--bundle", b.path, b.id)
    assert (rc, out, err) == (0, "1\n", "")
    assert int(pid_file.read_text()) > 1  # the host's pid of the container's pid 1
    pid_file.unlink()
    failing = {"startContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "exit 7"]}]}
    b = make_bundle(["true"], hooks=failing)
    rc, _, err = runtime("run", "--pid-file", pid_file, "--bundle", b.path, b.id)
    assert rc != 0 and "startContainer" in err
    assert not pid_file.exists()


def test_create_pid_file(runtime, make_bundle, tmp_path):
    b = make_bundle(["sleep", "30"])
    pid_file = tmp_path / "init.pid"
    runtime.ok("create", "--pid-file", pid_file, "--bundle", b.path, b.id)
    assert int(pid_file.read_text()) == runtime.state(b.id)["pid"]


def test_relative_bundle_and_pid_file(runtime, make_bundle, tmp_path, monkeypatch):
    """--bundle and --pid-file relative to the caller's cwd."""
    b = make_bundle(["sleep", "30"])
    monkeypatch.chdir(b.path)
    runtime.ok("run", "-d", "--pid-file", "init.pid", "--bundle", ".", b.id)
    state = runtime.state(b.id)
    assert state["bundle"] == str(b.path)
    assert int((b.path / "init.pid").read_text()) == state["pid"]


def test_signals_are_forwarded_to_the_container(runtime, make_bundle, host_dir):
    """SIGTERM to a foreground `pyrunc run` reaches the container's process."""
    import signal
    from conftest import bind
    b = make_bundle(["sh", "-c", "trap 'exit 3' TERM; touch /root/ready; "
                                 "while true; do sleep 0.1; done"],
                    extra_mounts=[bind(host_dir, "/root")])
    bg = runtime.background("run", "--bundle", b.path, b.id)
    try:
        deadline = time.monotonic() + 10
        while not (host_dir / "ready").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (host_dir / "ready").exists()
        bg.proc.send_signal(signal.SIGTERM)
        rc, out, err = bg.wait()
    finally:
        bg.kill()
    assert rc == 3, (rc, out, err)


def test_no_host_fds_leak_into_the_container(runtime, make_bundle):
    b = make_bundle(["ls", "/proc/self/fd"])
    r, w = os.pipe()  # an inheritable-looking fd in the caller: must not reach the container
    try:
        os.set_inheritable(w, True)
        rc, out, err = runtime("run", "--bundle", b.path, b.id, pass_fds=(w,))
    finally:
        os.close(r)
        os.close(w)
    assert rc == 0, err
    # 0-2, plus the one ls opened for the listing
    assert sorted(map(int, out.split())) in ([0, 1, 2], [0, 1, 2, 3]), out


def test_preserve_fds(runtime, make_bundle, tmp_path):
    data = tmp_path / "passed.txt"
    data.write_text("through fd 3\n")
    b = make_bundle(["sh", "-c", "cat <&3"])
    # a shell opens the file as fd 3 of pyrunc (not of this process: pytest's fds stay)
    argv = ["sh", "-c", 'exec "$@" 3< "$0"', str(data),
            *runtime.argv("run", "--preserve-fds", "1", "--bundle", b.path, b.id)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=20, env=runtime.env,
                          stdin=subprocess.DEVNULL)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "through fd 3\n", "")


def test_sysctl(runtime, make_bundle):
    b = make_bundle(["cat", "/proc/sys/net/ipv4/ip_forward", "/proc/sys/kernel/msgmax"],
                    linux={"sysctl": {"net.ipv4.ip_forward": "1", "kernel.msgmax": "4096"}})
    assert runtime("run", "--bundle", b.path, b.id) == (0, "1\n4096\n", "")
