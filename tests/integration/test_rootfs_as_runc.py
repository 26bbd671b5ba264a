"""The root filesystem's set-up side by side with runc (when installed) on the
same config: --no-pivot, a container without a mount namespace, a read-only
/dev, the mode of a tmpfs, and the mounts and /dev of the default config."""
import ctypes
import errno
import os
import shutil
import stat
import struct

import pytest

from conftest import (ROOTFS, assert_nothing_left, assert_one_line_error, leftover_mounts,
                      tmpfs)

# /dev as the container sees it: each name's type, mode and device numbers,
# each link's target (busybox's stat and readlink).
DEV_LISTING = ("cd /dev && for f in * pts/* shm mqueue; do stat -c '%n %F %a %t:%T' $f; "
               "[ -L $f ] && echo \"$f -> $(readlink $f)\"; done; true")


def run_both(runtime, runc, make_bundle, script, *flags, **overrides):
    """`sh -c SCRIPT` run by pyrunc and by runc, each on its own bundle of
    the same config; returns the two outputs (each must succeed)."""
    outputs = []
    for run in (runtime, runc):
        b = make_bundle(["sh", "-c", script], **overrides)
        if run is runc:
            runc.ids.append(b.id)
        rc, out, err = run("run", *flags, "--bundle", b.path, b.id)
        assert rc == 0, f"{'runc' if run is runc else 'pyrunc'}: rc {rc}: {err}"
        outputs.append(out)
    return outputs


def mountinfo_fields(text, cgroup_detail=True):
    """Each mount as (mount point, its options, fs type, fs options): the ids
    differ from run to run. The cgroup mounts (their roots name the container)
    keep only their mount point unless cgroup_detail."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        dash = fields.index("-")
        point = fields[4]
        if point.startswith("/sys/fs/cgroup") and not cgroup_detail:
            mounts.append((point,))
            continue
        mounts.append((point, fields[5], fields[dash + 1], fields[dash + 3]))
    return mounts


def device_of(path):
    st = os.stat(path)
    return f"{os.major(st.st_dev)}:{os.minor(st.st_dev)}"


# --- --no-pivot --------------------------------------------------------------------------

def test_no_pivot_root_is_the_rootfs_and_the_host_out_of_reach(runtime, runc, make_bundle):
    script = ("cat /proc/self/mountinfo; echo --; ls -a /; echo --; ls -a /..; echo --; "
              "ls -a /../..; echo --; stat -c %i / /.. /../..")
    mine, theirs = run_both(runtime, runc, make_bundle, script, "--no-pivot")
    rootfs_names = sorted([".", "..", *os.listdir(ROOTFS)])
    host_root = (device_of("/"), "/")
    for out in (mine, theirs):
        mountinfo, *listings, inodes = out.split("--\n")
        # /, /.. and /../.. are all the rootfs: nothing of the host above it.
        assert [sorted(listing.split()) for listing in listings] == [rootfs_names] * 3
        assert inodes.split() == [str(os.stat(ROOTFS).st_ino)] * 3
        # The host's root is mounted nowhere the container can see.
        assert host_root not in [tuple(line.split()[2:4]) for line in mountinfo.splitlines()]
        assert mountinfo.split()[4] == "/"
    # The same mounts, in the same order, as with runc --no-pivot.
    assert ([m[0] for m in mountinfo_fields(mine.split("--\n")[0])]
            == [m[0] for m in mountinfo_fields(theirs.split("--\n")[0])])


SYS_STATMOUNT, SYS_LISTMOUNT, LSMT_ROOT = 457, 458, 2**64 - 1


def _listmount(libc, mount_id):
    ids = (ctypes.c_uint64 * 65536)()
    count = libc.syscall(SYS_LISTMOUNT, struct.pack("IIQQ", 24, 0, mount_id, 0), ids, 65536, 0)
    if count < 0:
        raise OSError(ctypes.get_errno(), "listmount")
    return list(ids[:count])


def _parent_mount(libc, mount_id):
    out = ctypes.create_string_buffer(4096)
    basic = 0x2  # STATMOUNT_MNT_BASIC: its parent's id at offset 48
    if libc.syscall(SYS_STATMOUNT, struct.pack("IIQQ", 24, 0, mount_id, basic), out, 4096, 0) < 0:
        raise OSError(ctypes.get_errno(), "statmount")
    return struct.unpack_from("Q", out.raw, 48)[0]


def mounts_of_namespace(pid):
    """How many mounts the mount namespace of pid holds, those out of its
    root's reach too (listmount(2), Linux 6.8); None without listmount."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # setns changes the whole process: a child of ours does it
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            with open(f"/proc/{pid}/ns/mnt") as ns:
                if libc.setns(ns.fileno(), 0x20000) < 0:
                    raise OSError(ctypes.get_errno(), "setns")
            top = _listmount(libc, LSMT_ROOT)[0]
            while _parent_mount(libc, top) not in (0, top):
                top = _parent_mount(libc, top)
            answer = str(len(_listmount(libc, top)) + 1)
        except OSError as exc:
            answer = "none" if exc.errno == errno.ENOSYS else f"error {exc}"
        os.write(writer, answer.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        answer = pipe.read()
    os.waitpid(child, 0)
    assert not answer.startswith("error"), answer
    return None if answer == "none" else int(answer)


def host_mount_points():
    with open("/proc/self/mountinfo") as f:
        return [line.split()[4] for line in f]


def test_no_pivot_detaches_every_host_mount_but_the_roots_ancestors(runtime, make_bundle):
    b = make_bundle(["sleep", "300"])
    runtime.ok("create", "--no-pivot", "--bundle", b.path, b.id)
    runtime.ok("start", b.id)
    assert runtime.ok("exec", b.id, "sh", "-c", "stat -c %i / /..").split() == \
        [str(os.stat(ROOTFS).st_ino)] * 2
    seen = len(runtime.ok("exec", b.id, "cat", "/proc/self/mountinfo").splitlines())
    total = mounts_of_namespace(runtime.state(b.id)["pid"])
    runtime.ok("delete", "--force", b.id)
    assert_nothing_left(runtime, b.id)
    if total is None:
        pytest.skip("listmount(2) (Linux 6.8) is needed to count the hidden mounts")
    # Out of the container's sight: only the mounts on the way to its root
    # (the host's /proc, /sys... are gone), and the namespace's own root.
    points = host_mount_points()
    ancestors = [p for p in points if p == "/" or str(ROOTFS).startswith(p.rstrip("/") + "/")]
    assert "/proc" in points and "/proc" not in ancestors
    assert total - seen <= len(ancestors) + 1, (total, seen, ancestors)


# --- no mount namespace -------------------------------------------------------------------

def without_mount_namespace(default_spec, rootfs_dir):
    """The overrides of a config with no mount namespace and nothing it would
    have to mount."""
    namespaces = [ns for ns in default_spec["linux"]["namespaces"] if ns["type"] != "mount"]
    return dict(mounts=None, root={"path": str(rootfs_dir), "readonly": False},
                linux={"namespaces": namespaces, "maskedPaths": None, "readonlyPaths": None})


def host_mounts_of(path):
    """Our mount table's lines naming path, and the line of "/" (its
    propagation: a container of the host's mount namespace must not change it)."""
    with open("/proc/self/mountinfo") as f:
        lines = f.read().splitlines()
    return leftover_mounts([str(path)]), [line for line in lines if line.split()[4] == "/"]


def test_without_a_mount_namespace_the_root_is_a_chroot_and_host_mounts_stay(
        runtime, make_bundle, default_spec, rootfs_copy):
    (rootfs_copy / "inside-only").write_text("in\n")
    before = host_mounts_of(rootfs_copy)
    b = make_bundle(["sleep", "300"], **without_mount_namespace(default_spec, rootfs_copy))
    runtime.ok("create", "--bundle", b.path, b.id)
    assert host_mounts_of(rootfs_copy) == before
    runtime.ok("start", b.id)
    pid = runtime.state(b.id)["pid"]
    assert os.readlink(f"/proc/{pid}/root") == str(rootfs_copy)
    assert os.stat(f"/proc/{pid}/ns/mnt").st_ino == os.stat("/proc/self/ns/mnt").st_ino
    # exec gets the same root (a chroot, as the init's), never the host's.
    out = runtime.ok("exec", b.id, "sh", "-c", "cat /inside-only; stat -c %i / /..")
    assert out.split() == ["in"] + [str(os.stat(rootfs_copy).st_ino)] * 2
    assert "null" in runtime.ok("exec", b.id, "ls", "/dev").split()  # made as runc makes them
    assert host_mounts_of(rootfs_copy) == before
    runtime.ok("delete", "--force", b.id)
    assert host_mounts_of(rootfs_copy) == before
    assert_nothing_left(runtime, b.id)


@pytest.mark.parametrize("field", ["mounts", "linux.maskedPaths", "linux.readonlyPaths",
                                   "linux.rootfsPropagation", "root.readonly",
                                   "process.terminal"])
def test_without_a_mount_namespace_what_would_mount_is_refused(
        runtime, make_bundle, default_spec, rootfs_copy, field):
    overrides = without_mount_namespace(default_spec, rootfs_copy)
    overrides["linux"]["rootfsPropagation"] = "slave" if field.endswith("Propagation") else None
    if field == "linux.maskedPaths":
        overrides["linux"]["maskedPaths"] = ["/proc/kcore"]
    elif field == "linux.readonlyPaths":
        overrides["linux"]["readonlyPaths"] = ["/proc/sys"]
    elif field == "mounts":
        overrides["mounts"] = [tmpfs("/tmp")]
    elif field == "root.readonly":
        overrides["root"]["readonly"] = True
    elif field == "process.terminal":
        overrides["process"] = {"terminal": True}
    b = make_bundle(["true"], **overrides)
    before = host_mounts_of(rootfs_copy)
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, f"{field}: needs a mount namespace")
    assert host_mounts_of(rootfs_copy) == before
    assert_nothing_left(runtime, b.id)


def test_runc_too_refuses_masked_paths_without_a_mount_namespace(runc, make_bundle, default_spec):
    """runc 1.1 would mount `mounts` in the host's namespace and leave them
    there: only its refusal of maskedPaths is compared."""
    namespaces = [ns for ns in default_spec["linux"]["namespaces"] if ns["type"] != "mount"]
    b = make_bundle(["true"], linux={"namespaces": namespaces})
    runc.ids.append(b.id)
    rc, _, err = runc("run", "--bundle", b.path, b.id)
    assert rc != 0 and "MNT namespace" in err


# --- /dev read-only, tmpfs modes ------------------------------------------------------------

def test_dev_mounted_ro_has_its_devices_and_is_read_only_as_with_runc(runtime, runc, make_bundle,
                                                                      default_spec):
    mounts = [dict(m, options=m["options"] + ["ro"]) if m["destination"] == "/dev" else m
              for m in default_spec["mounts"]]
    script = (f"grep ' /dev' /proc/self/mountinfo; echo --; {DEV_LISTING}; echo --; "
              "touch /dev/x 2>&1; echo hi > /dev/null && echo written; true")
    mine, theirs = run_both(runtime, runc, make_bundle, script, mounts=mounts)
    mountinfo, listing, writes = mine.split("--\n")
    dev = [m for m in mountinfo_fields(mountinfo) if m[0] == "/dev"][0]
    assert "ro" in dev[1].split(",")
    assert "/dev/pts" in mountinfo and "null character special file 666 1:3" in listing
    assert "Read-only file system" in writes and "written" in writes
    runc_mountinfo, runc_listing, runc_writes = theirs.split("--\n")
    assert mountinfo_fields(mountinfo) == mountinfo_fields(runc_mountinfo)
    assert listing == runc_listing and writes == runc_writes


TMPFS_DIRS = {"data": 0o750, "sticky": 0o1733, "private": 0o700}


def test_tmpfs_without_mode_takes_the_covered_directorys_as_with_runc(
        runtime, runc, make_bundle, rootfs_copy, tmp_path):
    # Each runtime its own copy: a missing mount point is made in the rootfs.
    theirs_rootfs = tmp_path / "pyrunc-test-rootfs-runc"
    shutil.copytree(rootfs_copy, theirs_rootfs, symlinks=True)
    for root in (rootfs_copy, theirs_rootfs):
        for name, mode in TMPFS_DIRS.items():
            os.mkdir(root / name)
            os.chmod(root / name, mode)
            os.chown(root / name, 1000, 1000)
    mounts = [{"destination": f"/{name}", "type": "tmpfs", "source": "tmpfs",
               "options": ["nosuid", "size=1m"] + (["ro"] if name == "private" else [])}
              for name in [*TMPFS_DIRS, "new"]]
    script = ("stat -c '%n %a %u' /data /sticky /private /new; "
              "grep -E ' /(data|sticky|private|new) ' /proc/self/mountinfo")
    outputs = []
    for run, root in ((runtime, rootfs_copy), (runc, theirs_rootfs)):
        b = make_bundle(["sh", "-c", script], extra_mounts=mounts,
                        root={"path": str(root), "readonly": True})
        if run is runc:
            runc.ids.append(b.id)
        rc, out, err = run("run", "--bundle", b.path, b.id)
        assert rc == 0, err
        outputs.append(out)
    mine, theirs = outputs
    modes = mine.splitlines()[:4]
    assert modes == ["/data 750 0", "/sticky 1733 0", "/private 700 0", "/new 1777 0"]
    assert modes == theirs.splitlines()[:4]
    assert mountinfo_fields("\n".join(mine.splitlines()[4:])) == \
        mountinfo_fields("\n".join(theirs.splitlines()[4:]))


def test_read_only_tmpcopyup_tmpfs_gets_its_copy_as_with_runc(runtime, runc, make_bundle):
    copied = {"destination": "/etc", "type": "tmpfs", "source": "tmpfs",
              "options": ["tmpcopyup", "ro", "nosuid"]}
    script = ("ls /etc; echo --; grep ' /etc ' /proc/self/mountinfo; echo --; "
              "stat -c %a /etc; touch /etc/x 2>&1; true")
    mine, theirs = run_both(runtime, runc, make_bundle, script, extra_mounts=[copied])
    listing, mountinfo, rest = mine.split("--\n")
    assert sorted(listing.split()) == sorted(os.listdir(ROOTFS / "etc"))
    assert "ro" in mountinfo_fields(mountinfo)[0][1].split(",")
    assert "Read-only file system" in rest
    runc_listing, runc_mountinfo, runc_rest = theirs.split("--\n")
    assert (listing, rest) == (runc_listing, runc_rest)
    assert mountinfo_fields(mountinfo) == mountinfo_fields(runc_mountinfo)


def test_tmpfs_with_mode_keeps_it(runtime, make_bundle, rootfs_copy):
    """runc 1.1.5 gave even these the covered directory's mode (its issue
    3911, fixed in 1.1.8): the mode asked for wins, as with runc since."""
    os.mkdir(rootfs_copy / "data")
    os.chmod(rootfs_copy / "data", 0o755)
    b = make_bundle(["stat", "-c", "%a", "/data"], root={"path": str(rootfs_copy)},
                    extra_mounts=[{"destination": "/data", "type": "tmpfs", "source": "tmpfs",
                                   "options": ["mode=0700"]}])
    assert runtime.ok("run", "--bundle", b.path, b.id) == "700\n"


# --- the default config's mounts and /dev --------------------------------------------------

USERNS_MAPPING = [{"containerID": 0, "hostID": 100000, "size": 65536}]


@pytest.mark.parametrize("userns", [False, True], ids=["", "user namespace"])
def test_default_mounts_in_runcs_order_and_dev_as_runcs(runtime, runc, make_bundle,
                                                        default_spec, userns):
    """In a user namespace the devices are the host's, bound: their order
    shows in mountinfo too."""
    linux = {}
    if userns:
        linux = {"namespaces": default_spec["linux"]["namespaces"] + [{"type": "user"}],
                 "uidMappings": USERNS_MAPPING, "gidMappings": USERNS_MAPPING}
    script = f"cat /proc/self/mountinfo; echo --; {DEV_LISTING}"
    mine, theirs = run_both(runtime, runc, make_bundle, script, linux=linux)
    mountinfo, listing = mine.split("--\n")
    runc_mountinfo, runc_listing = theirs.split("--\n")
    assert mountinfo_fields(mountinfo, False) == mountinfo_fields(runc_mountinfo, False)
    assert listing == runc_listing
    for name in ("null", "zero", "full", "random", "urandom", "tty"):
        assert f"{name} character special file 666" in listing
    for link, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"),
                         ("ptmx", "pts/ptmx")):
        assert f"{link} -> {target}" in listing


def test_dev_bound_from_the_host_is_left_as_it_is(runtime, make_bundle, default_spec, host_dir):
    """runc makes no devices in a bound /dev (the host's files): nor does pyrunc."""
    # The masks need a null device there; the rest is left to the host.
    os.mknod(host_dir / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    mounts = [m for m in default_spec["mounts"] if not m["destination"].startswith("/dev")]
    mounts.append({"destination": "/dev", "type": "bind", "source": str(host_dir),
                   "options": ["rbind"]})
    b = make_bundle(["ls", "/dev"], mounts=mounts)
    assert runtime.ok("run", "--bundle", b.path, b.id).split() == ["null"]
    assert os.listdir(host_dir) == ["null"]
