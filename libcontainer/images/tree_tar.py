"""A directory tree written as a layer tar: a layer dir for `image save`, a
container's upper dir for `commit` and `export --layer`, its merged root for
`export`. Overlay whiteouts become the image spec's (layers.py has the table).

A container's own files may be read while it runs, and it can swap any of
them for a symlink to a host file at any moment. So the tree is read only
through fds: os.fwalk opens each directory without following links and
checks it is the one it listed, and each file is opened O_NOFOLLOW below its
directory's fd and checked to be the file that was listed."""
import os
import stat
import tarfile

from libcontainer import errors
from libcontainer.images.layers import OPAQUE_MARKER, OPAQUE_XATTR, WHITEOUT_PREFIX

_PAX_XATTR = "SCHILY.xattr."
_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_TYPES = ((stat.S_ISDIR, tarfile.DIRTYPE), (stat.S_ISLNK, tarfile.SYMTYPE),
          (stat.S_ISCHR, tarfile.CHRTYPE), (stat.S_ISBLK, tarfile.BLKTYPE),
          (stat.S_ISFIFO, tarfile.FIFOTYPE), (stat.S_ISREG, tarfile.REGTYPE))


def write_tar(source, fileobj):
    """Write the tree at source into fileobj as a PAX tar; entries sorted,
    so the same tree gives the same bytes. Sockets are left out."""
    links = {}  # (dev, inode) -> the name a file with several links went in under
    with tarfile.open(fileobj=fileobj, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames, dirfd in os.fwalk(source, follow_symlinks=False):
            dirnames.sort()
            relative = os.path.relpath(dirpath, source)
            prefix = "" if relative == "." else relative + "/"
            if prefix and _xattr(dirfd, OPAQUE_XATTR) == b"y":
                tar.addfile(_marker(prefix + OPAQUE_MARKER, os.fstat(dirfd)))
            for name in sorted(dirnames + filenames):
                _add_entry(tar, dirfd, name, prefix + name, links)


def _add_entry(tar, dirfd, name, arcname, links):
    info = os.stat(name, dir_fd=dirfd, follow_symlinks=False)
    if stat.S_ISCHR(info.st_mode) and info.st_rdev == 0:
        head, tail = os.path.split(arcname)
        tar.addfile(_marker(os.path.join(head, WHITEOUT_PREFIX + tail), info))
        return
    kind = next((t for test, t in _TYPES if test(info.st_mode)), None)
    if kind is None:
        return  # a socket: no tar form
    member = _member(arcname, info, kind)
    if kind == tarfile.SYMTYPE:
        member.linkname = os.readlink(name, dir_fd=dirfd)
    elif kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
        member.devmajor, member.devminor = os.major(info.st_rdev), os.minor(info.st_rdev)
    elif kind == tarfile.REGTYPE and info.st_nlink > 1:
        first = links.setdefault((info.st_dev, info.st_ino), arcname)
        if first != arcname:
            member.type, member.linkname = tarfile.LNKTYPE, first
    if kind in (tarfile.REGTYPE, tarfile.DIRTYPE) and member.type != tarfile.LNKTYPE:
        _add_opened(tar, dirfd, name, info, member)
    else:
        tar.addfile(member)


def _member(arcname, info, kind):
    member = tarfile.TarInfo(arcname)
    member.type, member.mode = kind, stat.S_IMODE(info.st_mode)
    member.uid, member.gid, member.mtime = info.st_uid, info.st_gid, int(info.st_mtime)
    return member


def _add_opened(tar, dirfd, name, listed, member):
    """A file or directory, read through an fd that must be what was listed."""
    fd = os.open(name, _OPEN | (os.O_DIRECTORY if member.isdir() else 0), dir_fd=dirfd)
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (listed.st_dev, listed.st_ino):
            raise errors.PyruncError(f"{member.name}: replaced while it was being read")
        member.pax_headers = _xattrs(fd)
        if member.isdir():
            tar.addfile(member)
            return
        member.size = opened.st_size
        with os.fdopen(os.dup(fd), "rb") as f:
            tar.addfile(member, f)
    finally:
        os.close(fd)


def _marker(name, info):
    member = tarfile.TarInfo(name)
    member.mtime = int(info.st_mtime)
    member.mode = 0o644
    return member


def _xattr(fd, name):
    try:
        return os.getxattr(fd, name)
    except OSError:
        return None


def _xattrs(fd):
    """The entry's xattrs as PAX headers, less overlayfs's own bookkeeping."""
    try:
        names = os.listxattr(fd)
    except OSError:
        return {}
    found = {}
    for name in names:
        value = None if name.startswith("trusted.overlay.") else _xattr(fd, name)
        if value is not None:
            found[_PAX_XATTR + name] = value.decode("utf-8", "surrogateescape")
    return found
