"""Bootstrap lines for the _nsexec constructor."""
import os

from libcontainer import namespaces


def test_create_unshares_new_and_joins_paths_user_first_mount_last():
    lines = namespaces.bootstrap_for_create([
        {"type": "mount"}, {"type": "network", "path": "/var/run/netns/x"},
        {"type": "pid"}, {"type": "user", "path": "/proc/1/ns/user"}, {"type": "uts"},
    ])
    flags = int(lines[0].split()[1])
    assert flags == 0x20000000 | 0x04000000 | 0x00020000  # pid, uts, mount
    assert lines[1:] == ["join user /proc/1/ns/user", "join net /var/run/netns/x"]


def test_create_leaves_a_new_cgroup_namespace_to_the_init():
    lines = namespaces.bootstrap_for_create([{"type": "cgroup"}, {"type": "mount"}])
    assert lines == [f"flags {0x00020000}"]


def test_exec_joins_every_namespace_of_the_init_but_our_own_user_ns():
    pid = os.getpid()
    lines = namespaces.bootstrap_for_exec(
        [{"type": "user"}, {"type": "mount"}, {"type": "pid"}, {"type": "ipc"}], pid)
    # Our own user namespace: joining it would fail with EINVAL, so it is skipped.
    assert lines == ["flags 0", f"join ipc /proc/{pid}/ns/ipc",
                     f"join pid /proc/{pid}/ns/pid", f"join mnt /proc/{pid}/ns/mnt"]
