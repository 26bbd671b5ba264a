"""What a review of the C container side found, each shown fixed from the
outside: a mount point that resolves into /proc, a device posing as ptmx,
a copy-up that runs out of room, a hook that does not read its state."""
import os
import time

from conftest import assert_nothing_left, assert_one_line_error


def test_a_symlink_into_proc_cannot_be_mounted_on(runtime, make_bundle, rootfs_copy, tmp_path):
    """runc refuses these too ("inside /proc"): bound there, a host file would
    take the init's oom score, or its fds, and `start` would not be needed."""
    source = tmp_path / "oomfile"
    source.write_text("original")
    os.symlink("/proc/self/oom_score_adj", rootfs_copy / "etc" / "oomlink")
    b = make_bundle(["true"], root={"path": str(rootfs_copy)},
                    process={"oomScoreAdj": 500},
                    extra_mounts=[{"destination": "/etc/oomlink", "type": "bind",
                                   "source": str(source), "options": ["bind"]}])
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "/etc/oomlink", "inside /proc")
    assert source.read_text() == "original"
    assert_nothing_left(runtime, b.id)


def test_exec_tty_uses_the_devpts_ptmx_not_the_containers_dev_ptmx(runtime, make_bundle):
    """A container with CAP_MKNOD may make /dev/ptmx any device: exec -t
    still gets a real pty from /dev/pts."""
    caps = ["CAP_MKNOD", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"]
    b = make_bundle(["sleep", "30"], process={"capabilities": {
        "bounding": caps, "effective": caps, "permitted": caps}})
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    runtime.ok("exec", b.id, "sh", "-c", "rm /dev/ptmx && mknod /dev/ptmx c 1 3")
    rc, out, err = runtime("exec", "-t", b.id, "sh", "-c", "tty")
    assert rc == 0, err
    assert out.strip().startswith("/dev/pts/"), out


def test_tmpcopyup_that_does_not_fit_fails(runtime, make_bundle, rootfs_copy):
    (rootfs_copy / "data").mkdir()
    (rootfs_copy / "data" / "big").write_bytes(b"x" * 200000)
    b = make_bundle(["true"], root={"path": str(rootfs_copy)}, extra_mounts=[
        {"destination": "/data", "type": "tmpfs", "options": ["tmpcopyup", "size=64k"]}])
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "tmpcopyup", "big", "No space left on device")
    assert_nothing_left(runtime, b.id)


def test_hook_timeout_holds_even_when_the_hook_does_not_read_its_state(runtime, make_bundle):
    """A state larger than a pipe (a big annotation) must not block the init
    before the hook's clock starts."""
    hooks = {"createContainer": [{"path": "/bin/sleep", "args": ["sleep", "10"], "timeout": 1}]}
    b = make_bundle(["true"], hooks=hooks, annotations={"big": "x" * 200000})
    started = time.monotonic()
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "hooks.createContainer[0]", "timed out after 1 s")
    assert time.monotonic() - started < 8
    assert_nothing_left(runtime, b.id)
