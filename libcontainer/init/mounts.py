"""OCI `mounts` entries: option parsing and mounting into the rootfs."""
import os

from libcontainer import errors, syscalls as sc
from libcontainer.init import paths
from libcontainer.init.cgroupfs import ContainerCgroups, mount_cgroupfs

# option -> (flag, whether the option sets it)
_FLAG_OPTIONS = {
    "ro": (sc.MS_RDONLY, True), "rw": (sc.MS_RDONLY, False),
    "nosuid": (sc.MS_NOSUID, True), "suid": (sc.MS_NOSUID, False),
    "nodev": (sc.MS_NODEV, True), "dev": (sc.MS_NODEV, False),
    "noexec": (sc.MS_NOEXEC, True), "exec": (sc.MS_NOEXEC, False),
    "sync": (sc.MS_SYNCHRONOUS, True), "async": (sc.MS_SYNCHRONOUS, False),
    "dirsync": (sc.MS_DIRSYNC, True), "remount": (sc.MS_REMOUNT, True),
    "mand": (sc.MS_MANDLOCK, True), "nomand": (sc.MS_MANDLOCK, False),
    "noatime": (sc.MS_NOATIME, True), "atime": (sc.MS_NOATIME, False),
    "nodiratime": (sc.MS_NODIRATIME, True), "diratime": (sc.MS_NODIRATIME, False),
    "relatime": (sc.MS_RELATIME, True), "norelatime": (sc.MS_RELATIME, False),
    "strictatime": (sc.MS_STRICTATIME, True), "nostrictatime": (sc.MS_STRICTATIME, False),
    "lazytime": (sc.MS_LAZYTIME, True), "nolazytime": (sc.MS_LAZYTIME, False),
    "nosymfollow": (sc.MS_NOSYMFOLLOW, True), "symfollow": (sc.MS_NOSYMFOLLOW, False),
    "silent": (sc.MS_SILENT, True), "loud": (sc.MS_SILENT, False),
    "bind": (sc.MS_BIND, True), "rbind": (sc.MS_BIND | sc.MS_REC, True),
}
_PROPAGATION = {
    "private": sc.MS_PRIVATE, "rprivate": sc.MS_PRIVATE | sc.MS_REC,
    "shared": sc.MS_SHARED, "rshared": sc.MS_SHARED | sc.MS_REC,
    "slave": sc.MS_SLAVE, "rslave": sc.MS_SLAVE | sc.MS_REC,
    "unbindable": sc.MS_UNBINDABLE, "runbindable": sc.MS_UNBINDABLE | sc.MS_REC,
}
# Flags a bind mount only takes on a second, remounting call.
_REMOUNT_FLAGS = (sc.MS_RDONLY | sc.MS_NOSUID | sc.MS_NODEV | sc.MS_NOEXEC
                  | sc.MS_NOATIME | sc.MS_NODIRATIME | sc.MS_RELATIME | sc.MS_STRICTATIME)


# Options runtimes define beyond mount(2) that pyrunc does not do yet: the
# recursive attributes (mount_setattr) and id-mapped mounts. Passed to the
# kernel as data they would fail with a bare EINVAL, so they are named instead.
_NOT_YET = {"r" + name for name in ("ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec",
                                    "exec", "noatime", "atime", "nodiratime", "diratime",
                                    "relatime", "norelatime", "strictatime", "nostrictatime",
                                    "nosymfollow", "symfollow")} | {"idmap", "ridmap"}


class MountOptions:
    def __init__(self, options):
        self.flags, self.propagation, data = 0, [], []
        self.copy_up, self.not_yet = False, []
        for option in options or ():
            if option in _FLAG_OPTIONS:
                flag, sets = _FLAG_OPTIONS[option]
                self.flags = self.flags | flag if sets else self.flags & ~flag
            elif option in _PROPAGATION:
                self.propagation.append(_PROPAGATION[option])
            elif option in ("tmpcopyup", "notmpcopyup"):
                self.copy_up = option == "tmpcopyup"
            elif option in _NOT_YET:
                self.not_yet.append(option)
            else:
                data.append(option)
        self.data = ",".join(data) or None

    @property
    def is_bind(self):
        return bool(self.flags & sc.MS_BIND)


def mount_entry(rootfd, entry, bundle, index, cgroups=None):
    """Mount one `mounts[index]` entry inside the root open as rootfd;
    cgroups (a cgroupfs.ContainerCgroups) is what a `cgroup` mount shows."""
    field = f"mounts[{index}]"
    options = MountOptions(entry.get("options"))
    if options.not_yet:
        raise errors.PyruncError(
            f"{field}.options: {', '.join(options.not_yet)} not supported yet")
    kind = entry.get("type") or ("bind" if options.is_bind else None)
    source = entry.get("source") or kind or "none"
    if options.is_bind or kind == "bind":
        source = os.path.join(bundle, source)
        options.flags |= sc.MS_BIND
    try:
        if kind == "cgroup":
            mount_cgroupfs(rootfd, entry["destination"], options.flags,
                           cgroups or ContainerCgroups())
            return
        _make_target(rootfd, entry["destination"], source, options.flags & sc.MS_BIND)
        if options.copy_up and kind == "tmpfs":
            _mount_copying_up(rootfd, entry["destination"], source, options)
        else:
            _mount_at(rootfd, entry["destination"], source, kind, options)
    except OSError as exc:
        raise errors.PyruncError(
            f"{field}: mounting {source} on {entry['destination']}: {exc.strerror}") from None


def _mount_copying_up(rootfd, destination, source, options):
    """tmpcopyup: the new tmpfs gets a copy of the directory it covers."""
    from libcontainer.init import copyup  # imported already: see init.main
    covered = paths.open_in_root(rootfd, destination)  # stays on what the tmpfs hides
    try:
        _mount_at(rootfd, destination, source, "tmpfs", options)
        paths.at(rootfd, destination,
                 lambda target: copyup.copy_tree(paths.fd_path(covered), target))
    finally:
        os.close(covered)


def _make_target(rootfd, destination, source, is_bind):
    if is_bind and not os.path.isdir(source):
        if not os.path.exists(source):
            raise FileNotFoundError(2, "No such file or directory")
        os.close(paths.ensure_file(rootfd, destination))
    else:
        os.close(paths.ensure_dir(rootfd, destination))


def _mount_at(rootfd, destination, source, kind, options):
    def at(action):
        paths.at(rootfd, destination, action)
    flags = options.flags & ~sc.MS_REMOUNT
    if flags & sc.MS_BIND:
        at(lambda t: sc.mount(source, t, None, flags & (sc.MS_BIND | sc.MS_REC)))
        if flags & _REMOUNT_FLAGS:
            at(lambda t: sc.mount(None, t, None,
                                  (flags & _REMOUNT_FLAGS) | sc.MS_BIND | sc.MS_REMOUNT))
    else:
        try:
            at(lambda t: sc.mount(source, t, kind, flags, options.data))
        except PermissionError:
            if kind != "sysfs":
                raise
            # sysfs can't be mounted without owning the network namespace:
            # show the host's instead, read-only.
            at(lambda t: sc.mount("/sys", t, None, sc.MS_BIND | sc.MS_REC))
            at(lambda t: sc.mount(None, t, None,
                                  sc.MS_BIND | sc.MS_REMOUNT | sc.MS_RDONLY | flags))
    for propagation in options.propagation:
        at(lambda t: sc.mount(None, t, None, propagation))


def remount_readonly(path):
    """Make a mount read-only, keeping its other flags (else EPERM in a userns)."""
    keep = _statvfs_flags(path)
    sc.mount(None, path, None, keep | sc.MS_RDONLY | sc.MS_BIND | sc.MS_REMOUNT)


def _statvfs_flags(path):
    st = os.statvfs(path).f_flag
    table = ((os.ST_NOSUID, sc.MS_NOSUID), (os.ST_NODEV, sc.MS_NODEV),
             (os.ST_NOEXEC, sc.MS_NOEXEC), (os.ST_NOATIME, sc.MS_NOATIME),
             (os.ST_NODIRATIME, sc.MS_NODIRATIME), (os.ST_RELATIME, sc.MS_RELATIME))
    return sum(ms for st_flag, ms in table if st & st_flag)
