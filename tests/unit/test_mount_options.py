"""OCI mount options -> mount(2) flags, propagation and data."""
from libcontainer import syscalls as sc
from libcontainer.init.mounts import MountOptions


def test_flags_and_data_split():
    options = MountOptions(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"])
    assert options.flags == sc.MS_NOSUID | sc.MS_NOEXEC
    assert options.data == "newinstance,ptmxmode=0666,mode=0620,gid=5"
    assert not options.is_bind


def test_later_options_win():
    assert MountOptions(["ro", "rw"]).flags & sc.MS_RDONLY == 0
    assert MountOptions(["rw", "ro"]).flags & sc.MS_RDONLY


def test_rbind_and_propagation():
    options = MountOptions(["rbind", "ro", "rprivate"])
    assert options.is_bind and options.flags & sc.MS_REC and options.flags & sc.MS_RDONLY
    assert options.propagation == [sc.MS_PRIVATE | sc.MS_REC]
    assert options.data is None


def test_no_options():
    options = MountOptions(None)
    assert (options.flags, options.propagation, options.data) == (0, [], None)


def test_runtime_extensions_are_not_passed_to_the_kernel():
    options = MountOptions(["rw", "tmpcopyup", "rro", "idmap", "mode=755"])
    assert options.copy_up and options.data == "mode=755"
    assert options.not_yet == ["rro", "idmap"]
    assert not MountOptions(["tmpcopyup", "notmpcopyup"]).copy_up
