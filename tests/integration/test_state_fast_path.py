"""`pyrunc state` answered by the C front (_nsexec/launcher.c) from
state.fast prints exactly what the Python command line prints, in every
status; anything it cannot answer goes to Python."""
import json
import os
import subprocess
import sys
import time

from conftest import TIMEOUT, assert_nothing_left, python_record_unreadable

PYTHON_CLI = [sys.executable, "-I", "-c", "from runtime.main import main; main()"]


def both(runtime, *args):
    """(C front's result, Python's result) for the same command line."""
    results = []
    for argv in (runtime.argv(*args), PYTHON_CLI + runtime.argv(*args)[1:]):
        done = subprocess.run(argv, env=runtime.env, capture_output=True, text=True,
                              timeout=TIMEOUT)
        results.append((done.returncode, done.stdout, done.stderr))
    return results


def test_state_is_the_same_in_every_status(runtime, make_bundle):
    b = make_bundle(["sleep", "30"], annotations={"org.example/x": "a \"quoted\" \u00e9",
                                                  "@@STATUS@@": "-424242"})
    runtime.ok("create", "--bundle", b.path, b.id)
    assert os.path.exists(runtime.state_dir(b.id) + "/state.fast")
    seen = []
    for step in (None, "start", "pause", "resume", "kill"):
        if step == "kill":
            runtime.ok("kill", b.id, "KILL")
            deadline = time.monotonic() + TIMEOUT
            while runtime.state(b.id)["status"] != "stopped":
                assert time.monotonic() < deadline, "the init did not stop"
                time.sleep(0.02)
        elif step:
            runtime.ok(step, b.id)
        fast, python = both(runtime, "state", b.id)
        assert fast == python
        seen.append(fast[1].split('"status": "')[1].split('"')[0])
    assert seen == ["created", "running", "paused", "running", "stopped"]


def test_unknown_container_and_odd_command_lines_go_to_python(runtime):
    fast, python = both(runtime, "state", "no-such-container")
    assert fast == python and fast[0] != 0 and "no-such-container" in fast[2]
    fast, python = both(runtime, "state", "../escape")
    assert fast == python and fast[0] != 0
    fast, python = both(runtime, "--debug", "state", "no-such-container")
    assert fast[0] == python[0] != 0


def test_the_answer_really_comes_from_the_c_front(runtime, make_bundle):
    """With the Python side's record unreadable, only the C front can answer."""
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    expected = both(runtime, "state", b.id)[1]
    with python_record_unreadable(runtime, b.id):
        fast, python = both(runtime, "state", b.id)
        assert fast == expected
        assert python[0] != 0 and "corrupt" in python[2]


def test_kill_of_a_live_container_by_the_c_front(runtime, make_bundle):
    """kill ID [SIGNAL] needs no Python: with the record unreadable it still
    signals the init; what it cannot do (a stopped container) goes to Python."""
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    pid = runtime.state(b.id)["pid"]
    with python_record_unreadable(runtime, b.id):
        rc, out, err = runtime("kill", b.id, "SIGKILL")
        assert (rc, out, err) == (0, "", "")
        deadline = time.monotonic() + TIMEOUT
        while os.path.exists(f"/proc/{pid}") and _state_letter(pid) != "Z":
            assert time.monotonic() < deadline, "the init did not die"
            time.sleep(0.02)
    fast, python = both(runtime, "kill", b.id, "KILL")
    assert fast == python and fast[0] != 0  # not running: Python's error, from both


def _state_letter(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_start_by_the_c_front_and_its_errors_as_python_reports_them(runtime, make_bundle,
                                                                     rootfs_copy, tmp_path):
    b = make_bundle(["sh", "-c", "echo started"])
    runtime.ok("create", "--bundle", b.path, b.id)
    with python_record_unreadable(runtime, b.id):
        rc, out, err = runtime("start", b.id)
        assert (rc, err) == (0, "")
        assert not os.path.exists(os.path.join(runtime.state_dir(b.id), "exec.fifo"))
    # An exec failure after start, reported by the init through the fifo.
    (rootfs_copy / "notelf").write_text("not a program\n")
    os.chmod(rootfs_copy / "notelf", 0o755)
    bad = make_bundle(["/notelf"], root={"path": str(rootfs_copy)})
    runtime.ok("create", "--bundle", bad.path, bad.id)
    log = tmp_path / "log.json"
    rc, out, err = runtime("--log", log, "--log-format", "json", "start", bad.id)
    assert rc == 1 and err.startswith("pyrunc: process.args") and "Exec format error" in err
    line = json.loads(log.read_text().splitlines()[-1])
    assert line["level"] == "error" and line["msg"] == err[len("pyrunc: "):].strip()


def test_delete_of_a_stopped_container_by_the_c_front(runtime, make_bundle):
    b = make_bundle(["true"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    deadline = time.monotonic() + TIMEOUT
    while runtime.state(b.id)["status"] != "stopped":
        assert time.monotonic() < deadline, "the container did not stop"
        time.sleep(0.02)
    with python_record_unreadable(runtime, b.id):
        rc, out, err = runtime("delete", b.id)
    assert (rc, out, err) == (0, "", "")
    assert_nothing_left(runtime, b.id)


def test_delete_of_a_running_container_is_refused_as_python_does(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    fast, python = both(runtime, "delete", b.id)
    assert fast == python and fast[0] != 0 and "running" in fast[2]


def test_force_delete_of_a_stopped_container_and_start_beside_a_prestart_hook(runtime,
                                                                               make_bundle):
    """As under docker: a prestart hook (run at create) and `delete --force`
    of a container that has stopped; both done by the C front."""
    b = make_bundle(["true"], hooks={"prestart": [{"path": "/bin/true"}]})
    runtime.ok("create", "--bundle", b.path, b.id)
    with python_record_unreadable(runtime, b.id):
        assert runtime("start", b.id) == (0, "", "")
        deadline = time.monotonic() + TIMEOUT
        while both(runtime, "state", b.id)[0][1].count('"stopped"') == 0:
            assert time.monotonic() < deadline, "the container did not stop"
            time.sleep(0.02)
        assert runtime("delete", "--force", b.id) == (0, "", "")
    assert_nothing_left(runtime, b.id)
    running = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", running.path, running.id)
    assert runtime("delete", "--force", running.id)[0] == 0  # Python's: it kills first
    assert_nothing_left(runtime, running.id)


def test_a_foreground_run_writes_no_state_fast_and_python_answers(runtime, make_bundle):
    """run deletes its container itself: it skips state.fast (~0.15 ms);
    state and kill of it from elsewhere go to Python, and say the same."""
    b = make_bundle(["sleep", "30"])
    running = runtime.background("run", "--bundle", b.path, b.id)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not os.path.exists(os.path.join(runtime.state_dir(b.id), "state.marshal")):
            assert time.monotonic() < deadline, "run did not create its container"
            time.sleep(0.02)
        runtime.wait_status(b.id, "running")
        assert not os.path.exists(os.path.join(runtime.state_dir(b.id), "state.fast"))
        fast, python = both(runtime, "state", b.id)
        assert fast == python and json.loads(fast[1])["status"] == "running"
        runtime.ok("kill", b.id, "KILL")
    finally:
        rc, _, err = running.wait()
    assert (rc, err) == (137, "")
    assert not os.path.exists(runtime.state_dir(b.id))


def test_a_detached_run_writes_state_fast(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "--detach", "--bundle", b.path, b.id)
    assert os.path.exists(os.path.join(runtime.state_dir(b.id), "state.fast"))
    runtime.ok("delete", "--force", b.id)


def test_pause_and_resume_by_the_c_front_as_python_does_them(runtime, make_bundle):
    """The C front freezes and thaws a running container itself (its record
    unreadable to Python here); what it does not do, Python words as ever."""
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "--detach", "--bundle", b.path, b.id)
    with python_record_unreadable(runtime, b.id):
        runtime.ok("pause", b.id)
        assert json.loads(runtime.ok("state", b.id))["status"] == "paused"
    fast, python = both(runtime, "pause", b.id)
    assert fast == python and fast[0] != 0 and "it is paused" in fast[2]
    with python_record_unreadable(runtime, b.id):
        runtime.ok("resume", b.id)
        assert json.loads(runtime.ok("state", b.id))["status"] == "running"
    fast, python = both(runtime, "resume", b.id)
    assert fast == python and fast[0] != 0 and "it is running" in fast[2]
    runtime.ok("delete", "--force", b.id)


def test_ps_json_by_the_c_front_as_python_prints_it(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "--detach", "--bundle", b.path, b.id)
    runtime.ok("exec", "--detach", b.id, "sleep", "30")
    fast, python = both(runtime, "ps", "--format", "json", b.id)
    assert fast == python and len(json.loads(fast[1])) == 2
    with python_record_unreadable(runtime, b.id):
        assert runtime.ok("ps", "-f", "json", b.id) == fast[1]  # only the C front can
    runtime.ok("kill", b.id, "KILL")
    runtime.wait_status(b.id, "stopped")
    fast, python = both(runtime, "ps", "--format", "json", b.id)
    assert fast == python == (0, "null\n", "")
    runtime.ok("delete", b.id)
