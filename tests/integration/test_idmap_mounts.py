"""Id-mapped bind mounts (runtime-spec config.md: mounts[].uidMappings and
gidMappings, the idmap and ridmap options), as runc 1.2+ makes them.

A mount's mapping is a user namespace's: {containerID, hostID, size} maps
the ids stored on the filesystem (containerID) to the ids processes see
(hostID), both ways: a file stored as 1000 is seen as 0 through a mapping
1000 -> 0, and a file root makes there is stored as 1000. Without mappings
of its own an idmap/ridmap mount takes the container's user namespace's.
runc 1.1 (Debian 12's) has no id-mapped mounts to compare with: these tests
assert the behaviour itself, on files of the tests' own.
"""
import os
import subprocess

import pytest

from conftest import assert_nothing_left, assert_one_line_error, bind

USERNS_MAPPING = [{"containerID": 0, "hostID": 100000, "size": 65536}]


def overflow_id():
    """What the kernel shows for an id with no mapping (65534 unless changed)."""
    with open("/proc/sys/kernel/overflowuid") as f:
        return int(f.read())


def mapped(mount, uid_mappings, gid_mappings=None):
    return dict(mount, uidMappings=uid_mappings, gidMappings=gid_mappings or uid_mappings)


def one(container_id, host_id, size=1):
    return [{"containerID": container_id, "hostID": host_id, "size": size}]


def user_namespace(default_spec):
    """linux overrides for a new user namespace with USERNS_MAPPING."""
    return {"namespaces": default_spec["linux"]["namespaces"] + [{"type": "user"}],
            "uidMappings": USERNS_MAPPING, "gidMappings": USERNS_MAPPING}


def owners(out):
    """`stat -c '%n %u %g'` lines -> {name: (uid, gid)}."""
    found = {}
    for line in out.splitlines():
        name, uid, gid = line.rsplit(" ", 2)
        found[name] = (int(uid), int(gid))
    return found


def run_sh(runtime, make_bundle, script, **overrides):
    b = make_bundle(["sh", "-c", script], **overrides)
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, f"rc {rc}; stdout {out!r}; stderr {err!r}"
    return out


@pytest.fixture
def source(tmp_path):
    """A directory to bind: itself and `theirs` stored as uid/gid 1000,
    `roots` as 0."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "theirs").write_text("1000's\n")
    (src / "roots").write_text("root's\n")
    for path in (src, src / "theirs"):
        os.chown(path, 1000, 1000)
    return src


@pytest.fixture
def source_with_submount(tmp_path):
    """A directory stored as root's with a tmpfs of the test's own mounted on
    `sub` (tmpfs can be id-mapped): `top` and `sub/inner` are root's."""
    src = tmp_path / "tree"
    (src / "sub").mkdir(parents=True)
    (src / "top").write_text("top\n")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(src / "sub")],
                   check=True)
    try:
        (src / "sub" / "inner").write_text("inner\n")
        yield src
    finally:
        subprocess.run(["umount", str(src / "sub")], check=True)


def test_a_mapping_without_a_user_namespace_both_ways(runtime, make_bundle, source):
    """1000 -> 0: files stored as 1000 are root's inside, a file root makes
    is stored as 1000, and ids outside the mapping show as the overflow id."""
    script = ("cd /root && touch made && stat -c '%n %u %g' theirs roots made . && "
              "grep ' /root ' /proc/self/mountinfo | cut -d' ' -f6")
    out = run_sh(runtime, make_bundle, script,
                 extra_mounts=[mapped(bind(source, "/root"), one(1000, 0))])
    *stats, options = out.splitlines()
    nobody = overflow_id()
    assert owners("\n".join(stats)) == {"theirs": (0, 0), "roots": (nobody, nobody),
                                        "made": (0, 0), ".": (0, 0)}
    assert "idmapped" in options.split(","), options
    made = os.stat(source / "made")
    assert (made.st_uid, made.st_gid) == (1000, 1000)
    assert os.stat(source / "theirs").st_uid == 1000  # the files themselves are unchanged


def test_uid_and_gid_mappings_apply_each_to_its_own(runtime, make_bundle, source):
    out = run_sh(runtime, make_bundle, "stat -c '%n %u %g' /root/theirs",
                 extra_mounts=[mapped(bind(source, "/root"), one(1000, 5), one(1000, 7))])
    assert owners(out) == {"/root/theirs": (5, 7)}


def test_each_mapping_its_own_and_the_same_one_shared(runtime, make_bundle, source):
    """The init makes one user namespace per distinct mapping: the same uid
    map with another gid map is another; a mapping asked for again is reused."""
    first, second = (one(1000, 5), one(1000, 7)), (one(1000, 5), one(1000, 8))
    out = run_sh(runtime, make_bundle, "stat -c '%n %u %g' /root/theirs /tmp/theirs /etc/theirs",
                 extra_mounts=[mapped(bind(source, "/root"), *first),
                               mapped(bind(source, "/tmp"), *second),
                               mapped(bind(source, "/etc"), *first)])
    assert owners(out) == {"/root/theirs": (5, 7), "/tmp/theirs": (5, 8),
                           "/etc/theirs": (5, 7)}


def test_root_cannot_write_where_its_id_has_no_mapping(runtime, make_bundle, tmp_path):
    """runc's test: through 0 -> 100000 root's files are 100000's, and uid 0
    itself is stored as nothing, so its new file is refused (EOVERFLOW)."""
    (tmp_path / "file").write_text("x\n")
    os.chmod(tmp_path, 0o777)
    b = make_bundle(["sh", "-c", "stat -c '%u %g' /root/file; touch /root/new"],
                    extra_mounts=[mapped(bind(tmp_path, "/root"), USERNS_MAPPING)])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert (rc, out) == (1, "100000 100000\n"), err
    assert "Value too large" in err, err
    assert not (tmp_path / "new").exists()


def test_idmap_takes_the_containers_user_namespace_mapping(runtime, make_bundle,
                                                          default_spec, source):
    """In a user namespace 0 -> 100000 the host's root files are unmapped
    (the overflow id) through a plain bind, and root's own through `idmap`."""
    os.chown(source, 0, 0)
    script = ("id -u; touch /root/made; "
              "stat -c '%n %u %g' /root/roots /root/made /tmp/roots /root/theirs")
    out = run_sh(runtime, make_bundle, script, linux=user_namespace(default_spec),
                 extra_mounts=[bind(source, "/root", "idmap"), bind(source, "/tmp")])
    uid, *stats = out.splitlines()
    nobody = overflow_id()
    assert uid == "0"
    assert owners("\n".join(stats)) == {
        "/root/roots": (0, 0), "/root/made": (0, 0), "/tmp/roots": (nobody, nobody),
        "/root/theirs": (1000, 1000)}
    made = os.stat(source / "made")
    assert (made.st_uid, made.st_gid) == (0, 0)  # the container's root stores as root


def test_the_mounts_own_mapping_wins_over_the_user_namespaces(runtime, make_bundle,
                                                             default_spec, source):
    """As runc: the mount's mapping is the mount's, whatever the container's
    user namespace maps: stored 1000 -> host 100007, uid 7 in the container."""
    out = run_sh(runtime, make_bundle, "stat -c '%n %u %g' /root/theirs",
                 linux=user_namespace(default_spec),
                 extra_mounts=[mapped(bind(source, "/root", "idmap"), one(1000, 100007))])
    assert owners(out) == {"/root/theirs": (7, 7)}


def test_ridmap_maps_the_submounts_idmap_only_the_top(runtime, make_bundle, default_spec,
                                                      source_with_submount):
    src = source_with_submount
    script = "stat -c '%n %u' /root/top /root/sub/inner /tmp/top /tmp/sub/inner"
    out = run_sh(runtime, make_bundle, script, linux=user_namespace(default_spec),
                 extra_mounts=[bind(src, "/root", "ridmap"), bind(src, "/tmp", "idmap")])
    nobody = overflow_id()
    uids = dict(line.rsplit(" ", 1) for line in out.splitlines())
    assert uids == {"/root/top": "0", "/root/sub/inner": "0",
                    "/tmp/top": "0", "/tmp/sub/inner": str(nobody)}


def test_idmap_with_a_joined_user_namespace_takes_its_mapping(runtime, make_bundle,
                                                              default_spec, source):
    """As runc: a container that joins a user namespace by path maps an
    `idmap` mount without mappings with that namespace's."""
    os.chown(source, 0, 0)
    first = make_bundle(["sleep", "30"], linux=user_namespace(default_spec))
    runtime.ok("run", "-d", "--bundle", first.path, first.id)
    userns = f"/proc/{runtime.state(first.id)['pid']}/ns/user"
    namespaces = default_spec["linux"]["namespaces"] + [{"type": "user", "path": userns}]
    out = run_sh(runtime, make_bundle, "cat /proc/self/uid_map; stat -c '%u %g' /root/roots",
                 linux={"namespaces": namespaces},
                 extra_mounts=[bind(source, "/root", "idmap")])
    assert out.split() == ["0", "100000", "65536", "0", "0"]


def test_mount_mappings_must_be_on_a_bind(runtime, make_bundle, default_spec):
    index = len(default_spec["mounts"])
    b = make_bundle(["true"], extra_mounts=[{"destination": "/tmp", "type": "tmpfs",
                                             "source": "tmpfs", "options": ["ridmap"]}])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err,
                          f"mounts[{index}].options: ridmap is only supported on bind mounts")
    assert_nothing_left(runtime, b.id)


@pytest.mark.parametrize("mapping, message", [
    ({"uidMappings": one(0, 1000)}, "].gidMappings: is required with uidMappings"),
    ({}, "].options: idmap needs uidMappings and gidMappings on the mount, or a user namespace"),
])
def test_incomplete_mappings_are_refused(runtime, make_bundle, default_spec, source, mapping,
                                         message):
    index = len(default_spec["mounts"])
    b = make_bundle(["true"], extra_mounts=[dict(bind(source, "/root", "idmap"), **mapping)])
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, f"mounts[{index}{message}")
    assert_nothing_left(runtime, b.id)


def test_a_mapping_the_kernel_would_refuse_is_named_up_front(runtime, make_bundle,
                                                             default_spec, source):
    """Overlapping ranges, which the kernel refuses when the map is written:
    validation names the range before anything starts."""
    index = len(default_spec["mounts"])
    overlapping = one(0, 1000, 10) + one(5, 2000, 10)
    b = make_bundle(["true"], extra_mounts=[mapped(bind(source, "/root"), overlapping)])
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, f"mounts[{index}].gidMappings[1].containerID: "
                          "overlaps an earlier range")
    assert_nothing_left(runtime, b.id)


@pytest.fixture
def tree_with_ramfs(tmp_path):
    """A directory with a ramfs submount: ramfs cannot be id-mapped."""
    src = tmp_path / "tree"
    (src / "sub").mkdir(parents=True)
    subprocess.run(["mount", "-t", "ramfs", "ramfs", str(src / "sub")], check=True)
    try:
        yield src
    finally:
        subprocess.run(["umount", str(src / "sub")], check=True)


def test_ridmap_over_a_filesystem_that_cannot_be_mapped_fails_whole(runtime, make_bundle,
                                                                    default_spec,
                                                                    tree_with_ramfs):
    b = make_bundle(["true"], linux=user_namespace(default_spec),
                    extra_mounts=[bind(tree_with_ramfs, "/root", "ridmap")])
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "id-mapping the mount (does its filesystem support "
                                        "idmapped mounts?): Invalid argument")
    assert_nothing_left(runtime, b.id)
    # idmap maps the top only: the ramfs under it is left as it is.
    out = run_sh(runtime, make_bundle, "grep ' /root' /proc/self/mountinfo | cut -d' ' -f5,6",
                 linux=user_namespace(default_spec),
                 extra_mounts=[bind(tree_with_ramfs, "/root", "idmap")])
    points = dict(line.split(" ") for line in out.splitlines())
    assert "idmapped" in points["/root"].split(",") and "idmapped" not in points["/root/sub"]
