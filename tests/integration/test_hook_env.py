"""Each hook's environment, side by side with runc on the same config: a
hook with `env` gets exactly that (an empty list: nothing); without, the
environment of what runs it: the runtime's own for prestart, createRuntime,
poststart and poststop (each command's: create's, start's, delete's), and
process.env for createContainer and startContainer, which the container's
init runs (startContainer's with the HOME the process gets)."""
import json
import os
import subprocess
import tempfile
import time

import pytest

from conftest import RUNC, TIMEOUT, bind

HOST_KINDS = ("prestart", "createRuntime", "createContainer", "poststart", "poststop")
PROCESS_ENV = ["PATH=/bin:/usr/bin", "INNER=1", "DUP=a", "DUP=b", "EMPTY="]
# No LANG: pyrunc's Python coerces a C locale (LC_CTYPE), runc's Go does not.
CALLER_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}


def dumping_hook(kind, directory, env):
    """A hook that saves its environment as it was exec'd, in directory."""
    if kind == "startContainer":  # in the container: busybox only, its sh execs cat
        hook = {"path": "/bin/sh", "args": ["sh", "-c", f"cat /proc/$$/environ > {directory}/{kind}"]}
    else:
        hook = {"path": "/usr/bin/python3", "args": [
            "python3", "-I", "-c", "import shutil, sys; shutil.copy('/proc/self/environ', sys.argv[1])",
            f"{directory}/{kind}"]}
    if env is not None:
        hook["env"] = env
    return hook


def hooks_config(host_dir, env):
    hooks = {kind: [dumping_hook(kind, host_dir, env)] for kind in HOST_KINDS}
    hooks["startContainer"] = [dumping_hook("startContainer", "/root", env)]
    return hooks


def lifecycle(call, cid, bundle):
    """create, start, delete, each with its own mark in the caller's env;
    call(env, *args) -> (rc, out, err)."""
    for step, args in (("create", ["create", "--bundle", bundle, cid]), ("start", ["start", cid])):
        rc, _, err = call(dict(CALLER_ENV, PYRUNC_TEST_STEP=step), *args)
        assert rc == 0, f"{step}: {err}"
    deadline = time.monotonic() + TIMEOUT
    while json.loads(call(CALLER_ENV, "state", cid)[1])["status"] != "stopped":
        assert time.monotonic() < deadline, f"{cid} did not stop"
        time.sleep(0.05)
    rc, _, err = call(dict(CALLER_ENV, PYRUNC_TEST_STEP="delete"), "delete", cid)
    assert rc == 0, err


def dumps(directory):
    out = {}
    for kind in HOST_KINDS + ("startContainer",):
        raw = (directory / kind).read_bytes()
        out[kind] = dict(item.split("=", 1) for item in raw.decode().split("\0") if item)
    return out


def runc_call(runc):
    """Like Runc's, with the caller's environment given. Files, not pipes:
    the container's init would hold a pipe open after `create`."""
    def call(env, *args):
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.run([RUNC, "--root", runc.root, *map(str, args)], env=env,
                                  stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                  timeout=TIMEOUT)
            out.seek(0)
            err.seek(0)
            return proc.returncode, out.read().decode(), err.read().decode()
    return call


def run_both(runtime, runc, make_bundle, tmp_path_factory, env):
    seen = []
    for name, call in (("pyrunc", lambda e, *a: runtime(*a, env=e)), ("runc", runc_call(runc))):
        out = tmp_path_factory.mktemp(f"pyrunc-test-hooks-{name}")
        os.chmod(out, 0o777)
        b = make_bundle(["true"], hooks=hooks_config(out, env),
                        process={"env": PROCESS_ENV}, extra_mounts=[bind(out, "/root")])  # a dir the shared rootfs has
        if name == "runc":
            runc.ids.append(b.id)
        lifecycle(call, b.id, b.path)
        seen.append(dumps(out))
    return seen


def test_without_env_each_hook_inherits_as_with_runc(runtime, runc, make_bundle,
                                                     tmp_path_factory):
    mine, theirs = run_both(runtime, runc, make_bundle, tmp_path_factory, None)
    # runc 1.1 runs poststart hooks in `create`, before the process runs
    # (1.2 moved them to `start`, where runtime.md has them and pyrunc runs
    # them): the same rule, the environment of the command running them.
    assert theirs["poststart"].pop("PYRUNC_TEST_STEP") in ("create", "start")
    assert mine["poststart"].pop("PYRUNC_TEST_STEP") == "start"
    assert mine == theirs
    for kind, step in (("prestart", "create"), ("createRuntime", "create"),
                       ("poststop", "delete")):
        assert mine[kind] == dict(CALLER_ENV, PYRUNC_TEST_STEP=step), kind
    assert mine["createContainer"] == {"PATH": "/bin:/usr/bin", "INNER": "1", "DUP": "b",
                                       "EMPTY": ""}
    assert mine["startContainer"]["HOME"] == "/root"
    assert mine["startContainer"]["INNER"] == "1"
    assert "PYRUNC_TEST_STEP" not in mine["startContainer"]


@pytest.mark.parametrize("env", [["ONLY=this"], []], ids=["explicit", "empty"])
def test_an_explicit_env_is_all_a_hook_gets_as_with_runc(runtime, runc, make_bundle,
                                                         tmp_path_factory, env):
    mine, theirs = run_both(runtime, runc, make_bundle, tmp_path_factory, env)
    assert mine == theirs
    for kind in HOST_KINDS:
        assert mine[kind] == dict(item.split("=", 1) for item in env), kind
