"""Rootless: an unprivileged user (nobody, through setpriv) runs a container
from `pyrunc spec --rootless`: root of a user namespace mapping only its own
uid, no cgroup, the host's /sys bound in."""
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import TIMEOUT, assert_one_line_error, new_id

NOBODY = 65534


@pytest.fixture
def as_nobody(pyrunc_exe, pyrunc_env, rootfs):
    """(run(*args), bundle dir, state root): pyrunc as nobody, on a bundle and
    a state root of its own (pytest's tmp dirs are root's alone); every
    container it made is deleted afterwards."""
    tmp_path = Path(tempfile.mkdtemp(prefix="pyrunc-test-rootless-"))
    tmp_path.chmod(0o755)
    state, bundle = tmp_path / "state", tmp_path / "bundle"
    for d in (state, bundle):
        d.mkdir()
        shutil.chown(d, NOBODY, NOBODY)
    env = dict(pyrunc_env, HOME=str(tmp_path))
    env.pop("XDG_RUNTIME_DIR", None)

    def run(*args, cwd=None):
        argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                pyrunc_exe, "--root", str(state), *map(str, args)]
        # Files, not pipes: a detached container keeps its stdio open.
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            rc = subprocess.run(argv, env=env, cwd=cwd, stdout=out, stderr=err,
                                timeout=TIMEOUT, stdin=subprocess.DEVNULL).returncode
            out.seek(0)
            err.seek(0)
            return rc, out.read().decode(), err.read().decode()

    yield run, bundle, state
    for cid in os.listdir(state):
        run("delete", "--force", cid)
    left = os.listdir(state)
    shutil.rmtree(tmp_path)
    assert left == [], "a rootless container was left behind"


def rootless_bundle(run, bundle, rootfs, args, **changes):
    (bundle / "config.json").unlink(missing_ok=True)  # spec will not overwrite it
    rc, _, err = run("spec", "--rootless", cwd=bundle)
    assert rc == 0, err
    config = json.loads((bundle / "config.json").read_text())
    config["root"]["path"] = str(rootfs)
    config["process"].update(args=args, terminal=False)
    for key, value in changes.items():
        config[key].update(value)
    (bundle / "config.json").write_text(json.dumps(config))
    return config


def test_spec_rootless_is_runcs(as_nobody, rootfs):
    run, bundle, _ = as_nobody
    config = rootless_bundle(run, bundle, rootfs, ["true"])
    linux = config["linux"]
    assert [ns["type"] for ns in linux["namespaces"]] == ["pid", "ipc", "uts", "mount", "user"]
    assert linux["uidMappings"] == [{"containerID": 0, "hostID": NOBODY, "size": 1}]
    assert "resources" not in linux
    sysfs = next(m for m in config["mounts"] if m["destination"] == "/sys")
    assert (sysfs["source"], "rbind" in sysfs["options"]) == ("/sys", True)


def test_rootless_run_exec_state_delete(as_nobody, rootfs):
    run, bundle, _ = as_nobody
    rootless_bundle(run, bundle, rootfs, ["sh", "-c", "id -u; cat /proc/self/uid_map"])
    cid = new_id()
    rc, out, err = run("run", "--bundle", bundle, cid)
    assert rc == 0, err
    uid, mapping = out.splitlines()
    assert uid == "0" and mapping.split() == ["0", str(NOBODY), "1"]
    rootless_bundle(run, bundle, rootfs, ["sleep", "30"])
    cid = new_id()
    rc, out, err = run("run", "-d", "--bundle", bundle, cid)
    assert rc == 0, err
    rc, out, err = run("exec", cid, "sh", "-c", "echo from-exec; id -u")
    assert (rc, out) == (0, "from-exec\n0\n"), err
    rc, out, err = run("state", cid)
    state = json.loads(out)
    assert state["status"] == "running"
    with open(f"/proc/{state['pid']}/status") as f:
        assert f"Uid:\t{NOBODY}" in f.read()
    assert run("delete", "--force", cid)[0] == 0


def test_rootless_limits_are_refused_not_ignored(as_nobody, rootfs):
    run, bundle, _ = as_nobody
    rootless_bundle(run, bundle, rootfs, ["true"],
                    linux={"resources": {"memory": {"limit": 64 << 20}}})
    cid = new_id()
    rc, out, err = run("run", "--bundle", bundle, cid)
    assert_one_line_error(rc, out, err, "linux.resources.memory", "unprivileged")


def test_rootless_id_mapped_mounts_are_refused(as_nobody, rootfs):
    """As runc: the mapping is set in the host's user namespace, which an
    unprivileged caller has no rights in."""
    run, bundle, state = as_nobody
    config = rootless_bundle(run, bundle, rootfs, ["true"])
    index = len(config["mounts"])
    config["mounts"].append({"destination": "/tmp", "type": "bind", "source": str(bundle),
                             "options": ["rbind", "idmap"]})
    (bundle / "config.json").write_text(json.dumps(config))
    cid = new_id()
    rc, out, err = run("run", "--bundle", bundle, cid)
    assert_one_line_error(rc, out, err, f"mounts[{index}]: id-mapped mounts are not supported "
                                        "for rootless containers")
    assert os.listdir(state) == []
