"""OCI mount options -> mount attributes, propagation and filesystem options."""
from libcontainer.plan.mounts import (ATIME, MS_REC, NOATIME, NODEV, NOEXEC, NOSUID,
                                      PROPAGATION, RDONLY, MountOptions)


def test_flags_and_filesystem_options_are_split():
    options = MountOptions(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"])
    assert options.set == NOSUID | NOEXEC
    assert options.clear == 0
    assert options.data == ["newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]


def test_later_options_win():
    assert MountOptions(["ro", "rw"]).set & RDONLY == 0
    assert MountOptions(["ro", "rw"]).clear & RDONLY
    assert MountOptions(["rw", "ro"]).set & RDONLY
    assert not MountOptions(["rw", "ro"]).clear & RDONLY


def test_bind_and_recursive_propagation():
    options = MountOptions(["rbind", "ro", "rprivate"])
    assert options.bind and options.rbind
    assert options.set == RDONLY
    assert options.propagation == PROPAGATION["private"] | MS_REC
    assert options.data == []


def test_recursive_attributes_apply_to_submounts():
    options = MountOptions(["rro", "rnosuid", "nodev", "rnoatime"])
    assert options.rec_set == RDONLY | NOSUID | NOATIME
    assert options.rec_clear == ATIME
    assert options.set == NODEV


def test_no_options():
    options = MountOptions(None)
    assert (options.set, options.clear, options.propagation, options.data) == (0, 0, 0, [])


def test_runtime_options_are_taken_not_passed_on():
    options = MountOptions(["rw", "tmpcopyup", "idmap", "mode=755"])
    assert options.idmap == "idmap"
    assert options.copy_up
    assert options.data == ["mode=755"]
    assert not MountOptions(["tmpcopyup", "notmpcopyup"]).copy_up


def test_idmap_and_ridmap_the_last_one_wins():
    assert MountOptions(["rbind"]).idmap is None
    assert MountOptions(["idmap", "ridmap"]).idmap == "ridmap"
    assert MountOptions(["ridmap", "idmap", "ro"]).idmap == "idmap"
    assert MountOptions(["ridmap"]).data == []


def test_superblock_options_go_to_the_filesystem():
    options = MountOptions(["sync", "remount", "silent", "nodev"])
    assert options.data == ["sync"]
    assert options.set == NODEV
