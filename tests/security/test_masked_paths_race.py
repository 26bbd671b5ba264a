"""CVE-2025-31133 class: maskedPaths through a /dev another container controls.

Two containers share /dev (a host directory bound there in both). While the
second is created, the first swaps /dev/null for a symlink to a /proc file
and back, over and over (exchanger.c: atomic swaps, no pause). A runtime that masks by bind-mounting "/dev/null"
by path follows the symlink: masked paths become that /proc file, writable.

Nothing here can change the host: the symlink's target is
/proc/sys/kernel/domainname, a sysctl of the victim's own UTS namespace
(the config has one), /proc/sys is read-only there (readonlyPaths), and the
victim writes only through a masked path that is that very file.
"""
from conftest import bind
from security_support import (RESULTS, exchanger, install_exchanger, results_mount,
                              wait_for_file)

__all__ = ["exchanger"]  # the fixture, imported for pytest to find

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
# masked directory unwritable. A masked file that turned out to be the
# target sysctl is written to, as an attacker would, to show it took.
CHECK = r"""
target=$(stat -L -c %d:%i "$TARGET")
for p in $MASKED; do
    [ -e "$p" ] || continue
    if [ -d "$p" ]; then
        touch "$p/.probe" 2>/dev/null && echo "writable masked directory $p"
        continue
    fi
    kind=$(stat -L -c '%F %t:%T' "$p")
    [ "$kind" = "character special file 1:3" ] && continue
    echo "masked $p is a $kind"
    if [ "$(stat -L -c %d:%i "$p")" = "$target" ] && printf pwned 2>/dev/null > "$p"; then
        echo "wrote through $p: domainname is now $(cat "$TARGET")"
    fi
done
echo end
"""


def read_sysctl(path):
    with open(path) as f:
        return f.read()


def shared_dev_mounts(default_spec, shared_dev):
    """The default mounts with /dev a bind of shared_dev (in the same place:
    /dev/pts and the rest go on top of it)."""
    return [bind(shared_dev, "/dev") if m["destination"] == "/dev" else m
            for m in default_spec["mounts"]]


def test_masked_paths_stay_masked_while_dev_null_is_swapped(runtime, make_bundle, default_spec,
                                                            host_dir, tmp_path, rootfs_copy,
                                                            exchanger):
    linux = default_spec["linux"]
    assert {"type": "uts"} in linux["namespaces"], "the victim needs its own UTS namespace"
    assert "/proc/sys" in linux["readonlyPaths"]
    host_domainname = read_sysctl(TARGET)
    shared_dev = tmp_path / "shared-dev"
    shared_dev.mkdir()
    mounts = shared_dev_mounts(default_spec, shared_dev)
    env = ["PATH=/bin", f"TARGET={TARGET}", "MASKED=" + " ".join(linux["maskedPaths"])]
    install_exchanger(exchanger, rootfs_copy)
    racer = make_bundle(["sh", "-c", RACER], mounts=mounts, process={"env": env},
                        root={"path": str(rootfs_copy), "readonly": False},
                        extra_mounts=[results_mount(host_dir)])
    runtime.ok("run", "-d", "--bundle", racer.path, racer.id)
    outcomes = []
    try:
        assert wait_for_file(host_dir / "ready") is not None, "the racer did not start"
        for _ in range(TRIES):
            victim = make_bundle(["sh", "-c", CHECK], mounts=mounts, process={"env": env})
            rc, out, err = runtime("run", "--bundle", victim.path, victim.id)
            outcomes.append((rc, out.strip() or err.strip())); print(outcomes[-1])
            if rc == 0 and out.strip() != "end":
                break
    finally:
        (host_dir / "stop").write_text("")
        finished = wait_for_file(host_dir / "finished")
    assert finished is not None, "the racer did not stop"
    assert read_sysctl(TARGET) == host_domainname, "the host's domainname changed"
    broken = [out for rc, out in outcomes if rc == 0 and out != "end"]
    assert broken == [], f"masked paths were not masked in a victim: {broken}"
