"""tmpcopyup through a volume another container controls.

A victim mounts a shared volume at /data and a `tmpcopyup` tmpfs over it:
the runtime copies the volume's contents into the tmpfs, before pivot_root,
with the host's filesystem in reach. Meanwhile an attacker container that
shares the volume swaps its entries with symlinks to host files (and a real
directory with a symlink to a host directory), atomically and without
pause (exchanger.c). A copy that checks an entry, then opens it by path,
copies host contents in.

The "host" files are files of the test's temp dir; after each create the
test reads the victim's tmpfs (through /proc/PID/root) for their secret.
"""
import os
import stat

from conftest import bind
from security_support import RESULTS, results_mount, wait_for_file
from attack_tools import attack_tools, install_tools

__all__ = ["attack_tools"]  # the fixture, imported for pytest to find

TRIES = 30  # a try hits about one time in four today (creates fail or miss too)
RACE_SECONDS = 60  # the swapper's own limit, should the test die
SECRET = "secret-of-a-host-file"
FILES = 20  # in the swapped directory
SWAPPED_FILES = 5  # top-level files swapped with symlinks to a host file

# The attacker swaps, atomically and without pause, /vol/d (a directory)
# with /vol/d.swap (a symlink to the host directory, whose files have the
# same names), and each /vol/gN (a regular file) with /vol/gN.swap (a
# symlink to a host file).
SWAPPER = r"""
cd /vol
echo swapping > %(results)s/ready
exchanger %(results)s/stop %(limit)d d d.swap $(for g in g*[0-9]; do echo $g $g.swap; done)
echo "done $?" > %(results)s/finished
""" % {"limit": RACE_SECONDS, "results": RESULTS}


def make_volume(volume, host_dir):
    """The shared volume, and the host directory its symlinks point to."""
    (volume / "d").mkdir()
    for i in range(FILES):
        (volume / "d" / f"f{i:02}").write_text("volume data\n")
        (host_dir / f"f{i:02}").write_text(SECRET)
    os.symlink(host_dir, volume / "d.swap")
    for i in range(SWAPPED_FILES):
        (volume / f"g{i}").write_text("volume data\n")
        os.symlink(host_dir / "f00", volume / f"g{i}.swap")
    os.chmod(volume, 0o777)


def files_holding(top, text):
    """Regular files below top (symlinks not followed) whose content has text."""
    found = []
    for dirpath, dirnames, filenames in os.walk(top):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode):
                with open(path, errors="replace") as f:
                    if text in f.read():
                        found.append(os.path.relpath(path, top))
    return found


def test_tmpcopyup_never_copies_host_files(runtime, make_bundle, rootfs_copy, host_dir, tmp_path,
                                           attack_tools):
    volume, secrets = tmp_path / "volume", tmp_path / "host-dir"
    volume.mkdir()
    secrets.mkdir()
    make_volume(volume, secrets)
    install_tools(attack_tools, rootfs_copy)
    root = {"path": str(rootfs_copy), "readonly": False}
    swapper = make_bundle(["sh", "-c", SWAPPER], root=root, process={"env": ["PATH=/bin"]},
                          extra_mounts=[results_mount(host_dir), bind(volume, "/vol")])
    runtime.ok("run", "-d", "--bundle", swapper.path, swapper.id)
    copied, outcomes = [], []
    try:
        assert wait_for_file(host_dir / "ready") is not None, "the swapper did not start"
        for _ in range(TRIES):
            victim = make_bundle(["true"], root=root, extra_mounts=[
                bind(volume, "/data"),
                {"destination": "/data", "type": "tmpfs", "source": "tmpfs",
                 "options": ["rw", "nosuid", "nodev", "tmpcopyup"]}])
            rc, out, err = runtime("create", "--bundle", victim.path, victim.id)
            outcomes.append(rc)
            if rc == 0:
                pid = runtime.state(victim.id)["pid"]
                copied = files_holding(f"/proc/{pid}/root/data", SECRET)
                runtime.ok("delete", "--force", victim.id)
                if copied:
                    break
    finally:
        (host_dir / "stop").write_text("")
        finished = wait_for_file(host_dir / "finished")
    assert finished is not None, "the swapper did not stop"
    assert copied == [], \
        f"the victim's tmpfs holds host files' contents: {copied} (create exit codes {outcomes})"
