"""For create, run and exec the C front (_nsexec/early.c) starts pyrunc-init
and a keeper of the cgroup-migration lock before Python starts: Python takes
them over and reaps them, so nothing of pyrunc's outlives the command but
the container's own processes, and their variables reach neither hooks nor
containers."""
import json
import subprocess
import sys

from conftest import TIMEOUT

# Runs a command as a child subreaper: whatever the command leaves behind
# (running or a zombie) becomes our child, and is listed.
AS_SUBREAPER = r"""
import ctypes, json, os, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
rc = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL).returncode
time.sleep(0.5)  # a keeper that nobody stopped goes after 300 ms
left = []
for name in os.listdir("/proc"):
    try:
        with open(f"/proc/{name}/stat") as f:
            stat = f.read()
    except (OSError, ValueError):
        continue
    if int(stat[stat.rindex(")") + 2:].split()[1]) == os.getpid():
        left.append(int(name))
print(json.dumps({"rc": rc, "left": left}))
"""


def left_behind(runtime, *args):
    """(exit status of pyrunc ARGS, pids of the processes it left behind)."""
    done = subprocess.run([sys.executable, "-c", AS_SUBREAPER, *runtime.argv(*args)],
                          env=runtime.env, capture_output=True, text=True, timeout=TIMEOUT)
    result = json.loads(done.stdout)
    return result["rc"], result["left"]


def test_a_failed_create_leaves_no_process(runtime, make_bundle):
    b = make_bundle(["true"], ociVersion="not a version")
    rc, left = left_behind(runtime, "create", "--bundle", b.path, b.id)
    assert rc != 0
    assert left == []


def test_create_leaves_only_the_containers_init(runtime, make_bundle):
    b = make_bundle(["sleep", "30"])
    rc, left = left_behind(runtime, "create", "--bundle", b.path, b.id)
    assert rc == 0
    assert left == [runtime.state(b.id)["pid"]]
    runtime.ok("delete", "--force", b.id)


def test_run_and_exec_leave_no_process(runtime, make_bundle):
    b = make_bundle(["true"])
    assert left_behind(runtime, "run", "--bundle", b.path, b.id) == (0, [])
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "--detach", "--bundle", b.path, b.id)
    assert left_behind(runtime, "exec", b.id, "true") == (0, [])
    assert left_behind(runtime, "exec", b.id, "no-such-program")[1] == []
    runtime.ok("delete", "--force", b.id)


def test_failed_exec_leaves_no_process(runtime):
    rc, left = left_behind(runtime, "exec", "no-such-container", "true")
    assert rc != 0
    assert left == []


def test_hooks_and_the_container_see_no_helper_variables(runtime, make_bundle, tmp_path):
    dump = tmp_path / "hook-env"
    hook = {"path": "/bin/sh", "args": ["sh", "-c", f"env > {dump}"]}  # no env: pyrunc's
    b = make_bundle(["env"], hooks={"createRuntime": [hook]})
    out = runtime.ok("run", "--bundle", b.path, b.id)
    hook_env = dump.read_text()
    assert "PATH=" in hook_env  # it did inherit pyrunc's environment
    assert "PATH=" in out
    for seen in (hook_env, out):
        assert "_PYRUNC" not in seen
