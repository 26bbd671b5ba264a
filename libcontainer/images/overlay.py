"""The overlay mount of a container's root: the image's layers read-only
below, the container's own upper dir on top.

Mounted in pyrunc's (the host's) mount namespace on the bundle's rootfs
dir before create, so that the container's init pivots into it as into any
root.path; unmounted by delete. ctypes: the mount happens once per
run-image, so loading it costs nothing on any other command's path."""
import ctypes
import os

from libcontainer import errors

_MNT_DETACH = 2
_EINVAL = 22
# The mount data (the lower dirs' list) must fit in a page.
_MAX_OPTIONS = 4095
_libc = None


def _call(name, *args):
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    if getattr(_libc, name)(*args) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def mount(target, lower_dirs, upper, work):
    """lower_dirs: bottom first, as an image lists its layers."""
    # redirect_dir and metacopy off: the upper dir must be a plain diff that
    # commit can turn into a layer tar (renamed dirs copied up whole).
    options = ",".join([
        "lowerdir=" + ":".join(_escaped(d) for d in reversed(lower_dirs)),
        "upperdir=" + _escaped(upper), "workdir=" + _escaped(work),
        "redirect_dir=off", "metacopy=off", "index=off"])
    if len(options) > _MAX_OPTIONS:
        raise errors.PyruncError(
            f"overlay: {len(lower_dirs)} layers are too many for one mount (the options "
            f"need {len(options)} bytes, the kernel takes {_MAX_OPTIONS})")
    try:
        _call("mount", b"overlay", target.encode(), b"overlay", ctypes.c_ulong(0),
              options.encode())
    except OSError as exc:
        hint = " (does the kernel have overlayfs?)" if exc.errno == _EINVAL else ""
        raise errors.PyruncError(f"overlay mount on {target}: {exc.strerror}{hint}") from None


def unmount(target):
    """Detach the overlay if one is mounted at target."""
    if not os.path.ismount(target):
        return
    try:
        _call("umount2", target.encode(), ctypes.c_int(_MNT_DETACH))
    except OSError as exc:
        raise errors.PyruncError(f"unmounting {target}: {exc.strerror}") from None


def _escaped(path):
    """overlayfs splits its options on ',' and lower dirs on ':'."""
    return path.replace("\\", "\\\\").replace(",", "\\,").replace(":", "\\:")
