"""CVE-2025-52565 class: an image whose /dev/console is a symlink.

With process.terminal and no /dev tmpfs (the image's own /dev is used), the
runtime bind-mounts the pty onto /dev/console. If it follows the image's
symlink there, the pty is mounted over whatever the image points it at: a
file of the rootfs, a /proc file (a mount that maskedPaths/readonlyPaths
then do not cover) or, resolved naively, a host file.

Acceptable outcomes: create fails with a clear one-line error, or the pty
is mounted nowhere but /dev/console (and /dev/pts), and the file the symlink
names is untouched, on the host and in the rootfs.
"""
import os

import pytest

from conftest import assert_nothing_left, assert_one_line_error
from security_support import console_server, host_file, mounts_of, without_mount

__all__ = ["console_server"]  # the fixture, imported for pytest to find

VICTIM_TEXT = "a file the pty must not be mounted over"
PROC_FILE = "/proc/sys/kernel/core_pattern"  # only looked at, never written


def link_targets(rootfs, host_victim):
    """Where each case points /dev/console: (symlink text, the path it names
    inside the container, or None where that is nowhere)."""
    return {
        "in-rootfs": ("/etc/victim", "/etc/victim"),
        "relative-climbing-out": (os.path.relpath(host_victim, rootfs / "dev"), None),
        "absolute-host-path": (str(host_victim), str(host_victim)),
        "proc-file": (PROC_FILE, PROC_FILE),
    }


def read(path):
    with open(path) as f:
        return f.read()


@pytest.mark.parametrize("case", ["in-rootfs", "relative-climbing-out", "absolute-host-path",
                                  "proc-file"])
def test_pty_is_never_mounted_over_the_console_symlinks_target(
        case, runtime, make_bundle, default_spec, rootfs_copy, console_server, tmp_path):
    victims = [host_file(tmp_path, "host-victim", VICTIM_TEXT),
               host_file(rootfs_copy / "etc", "victim", VICTIM_TEXT)]
    proc_file_before = read(PROC_FILE)
    text, inside = link_targets(rootfs_copy, victims[0])[case]
    console = rootfs_copy / "dev" / "console"
    if console.exists() or console.is_symlink():
        console.unlink()
    os.symlink(text, console)
    b = make_bundle(["true"], mounts=without_mount(default_spec["mounts"], "/dev"),
                    root={"path": str(rootfs_copy), "readonly": False},
                    process={"terminal": True})
    rc, out, err = runtime("create", "--console-socket", console_server, "--bundle", b.path, b.id)
    assert [read(v) for v in victims] == [VICTIM_TEXT] * 2, "a victim file changed"
    assert read(PROC_FILE) == proc_file_before, f"the host's {PROC_FILE} changed"
    if rc != 0:
        assert_one_line_error(rc, out, err)
        assert "console" in err or "terminal" in err, f"the error does not say why: {err!r}"
        assert_nothing_left(runtime, b.id)
        return
    pid = runtime.state(b.id)["pid"]
    ptys = [where for where, kind in mounts_of(pid) if kind == "devpts"]
    stray = [where for where in ptys if where not in ("/dev/pts", "/dev/console")]
    assert stray == [], f"/dev/console -> {text}: the pty is mounted on {stray}"
    assert inside is None or all(where != inside for where, _ in mounts_of(pid)), \
        f"/dev/console -> {text}: something is mounted on {inside}"
