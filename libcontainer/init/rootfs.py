"""Build the container's root: mounts, devices, pivot_root, masked/readonly paths."""
import os

from libcontainer import errors, syscalls as sc
from libcontainer.init import devices, mounts

_ROOT_PROPAGATION = {
    "private": sc.MS_PRIVATE, "rprivate": sc.MS_PRIVATE | sc.MS_REC,
    "slave": sc.MS_SLAVE, "rslave": sc.MS_SLAVE | sc.MS_REC,
    "shared": sc.MS_SHARED, "rshared": sc.MS_SHARED | sc.MS_REC,
    "unbindable": sc.MS_UNBINDABLE, "runbindable": sc.MS_UNBINDABLE | sc.MS_REC,
}


def prepare(spec, rootfs, bundle, in_userns, cgroups):
    """Everything done on host paths: returns the root's O_PATH fd for later
    steps. cgroups: what `cgroup` mounts show (a cgroupfs.ContainerCgroups)."""
    linux = spec.get("linux", {})
    # Nothing we mount may propagate back to the host.
    sc.mount(None, "/", None, sc.MS_REC | sc.MS_PRIVATE)
    # pivot_root needs the new root to be a mount point.
    sc.mount(rootfs, rootfs, None, sc.MS_BIND | sc.MS_REC)
    rootfd = os.open(rootfs, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    for index, entry in enumerate(spec.get("mounts", [])):
        mounts.mount_entry(rootfd, entry, bundle, index, cgroups)
    devices.create_devices(rootfd, linux.get("devices"), in_userns)
    return rootfd


def pivot(rootfs, propagation=None):
    """pivot_root into rootfs and detach the old root from under it."""
    os.chdir(rootfs)
    sc.pivot_root(".", ".")
    # The old root is now stacked under the new one at "."; let go of it
    # without its unmount reaching the host.
    sc.mount(None, ".", None, sc.MS_SLAVE | sc.MS_REC)
    sc.umount2(".", sc.MNT_DETACH)
    os.chdir("/")
    if propagation:
        sc.mount(None, "/", None, _ROOT_PROPAGATION[propagation])


def finish(spec):
    """After the pivot: masked and read-only paths, then a read-only root."""
    linux = spec.get("linux", {})
    for path in linux.get("maskedPaths", []):
        _mask(path)
    for path in linux.get("readonlyPaths", []):
        _make_readonly(path)
    if spec.get("root", {}).get("readonly"):
        _guard("root.readonly", "/", mounts.remount_readonly, "/")


def _mask(path):
    if not os.path.lexists(path):
        return
    if os.path.isdir(path) and not os.path.islink(path):
        _guard("linux.maskedPaths", path, sc.mount, "tmpfs", path, "tmpfs", sc.MS_RDONLY, "size=0k")
    else:
        _guard("linux.maskedPaths", path, sc.mount, "/dev/null", path, None, sc.MS_BIND)


def _make_readonly(path):
    if not os.path.lexists(path):
        return
    _guard("linux.readonlyPaths", path, sc.mount, path, path, None, sc.MS_BIND | sc.MS_REC)
    _guard("linux.readonlyPaths", path, mounts.remount_readonly, path)


def _guard(field, path, call, *args):
    try:
        call(*args)
    except OSError as exc:
        raise errors.PyruncError(f"{field}: {path}: {exc.strerror}") from None


def set_hostnames(spec):
    if "hostname" in spec:
        _guard("hostname", spec["hostname"], sc.sethostname, spec["hostname"])
    if "domainname" in spec:
        _guard("domainname", spec["domainname"], sc.setdomainname, spec["domainname"])


def apply_sysctl(sysctl):
    for key, value in (sysctl or {}).items():
        path = "/proc/sys/" + key.replace(".", "/")
        try:
            with open(path, "w") as f:
                f.write(str(value))
        except OSError as exc:
            raise errors.PyruncError(f"linux.sysctl.{key}: {exc.strerror}") from None
