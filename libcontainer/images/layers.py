"""Layers: an image layer's tar unpacked into a directory overlayfs can use
as a lower dir (tree_tar.py writes such a directory back as a tar).

The two whiteout forms (image-spec layer.md "Whiteouts", overlayfs.rst):

    in a layer tar                 in an overlay dir
    dir/.wh.NAME   (any file)      dir/NAME: a character device 0/0
    dir/.wh..wh..opq               dir has the xattr trusted.overlay.opaque = "y"

Unpacking trusts nothing in the tar: a name with "..", or one that would
pass through a symlink, is refused, so a layer cannot write outside its dir.
"""
import os
import stat

from libcontainer import errors

WHITEOUT_PREFIX = ".wh."
OPAQUE_MARKER = ".wh..wh..opq"
OPAQUE_XATTR = "trusted.overlay.opaque"
_PAX_XATTR = "SCHILY.xattr."
_COPY_CHUNK = 1 << 20


class LayerError(errors.PyruncError):
    """A layer tar that cannot be unpacked safely."""


def apply_tar(tar, dest, what):
    """Unpack every member of the open TarFile into the empty dir dest;
    `what` names the layer in errors."""
    dirs = []
    for member in tar:
        name = _clean_name(member.name, what)
        if name is None:
            continue  # the layer's root itself
        parent, base = os.path.split(name)
        parent_path = _parent(dest, parent, what, member.name)
        if base == OPAQUE_MARKER:
            os.setxattr(parent_path, OPAQUE_XATTR, b"y")
        elif base.startswith(WHITEOUT_PREFIX + WHITEOUT_PREFIX):
            continue  # aufs's own metadata (.wh..wh.plnk, ...): not part of the tree
        elif base.startswith(WHITEOUT_PREFIX):
            target = os.path.join(parent_path, base[len(WHITEOUT_PREFIX):])
            _clear(target)
            os.mknod(target, stat.S_IFCHR | 0o000, os.makedev(0, 0))
        else:
            path = os.path.join(parent_path, base)
            if _make(tar, member, path, dest, what):
                dirs.append((path, member))
    # Directories last and deepest first: a read-only dir must not block
    # its contents, and writing inside a dir changes its mtime.
    for path, member in reversed(dirs):
        # A later entry may have put something else there (a symlink out of
        # the layer, say): chmod would follow it.
        if stat.S_ISDIR(os.lstat(path).st_mode):
            _set_attributes(path, member)


def _clean_name(name, what):
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise LayerError(f"{what}: {name!r} leaves the layer")
    return "/".join(parts) or None


def _parent(dest, parent, what, name):
    """dest/parent as real directories (made if missing, never a symlink)."""
    path = dest
    for part in parent.split("/") if parent else ():
        path = os.path.join(path, part)
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            os.mkdir(path, 0o755)
            continue
        if not stat.S_ISDIR(mode):
            raise LayerError(f"{what}: {name!r} is below {part!r}, which is not a directory")
    return path


def _clear(path):
    """Remove what is at path, if anything: a later entry replaces it."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        from libcontainer.images.store import remove_tree
        remove_tree(path)
    else:
        os.unlink(path)


def _make(tar, member, path, dest, what):
    """Create one entry; True for a directory (its attributes come last)."""
    if member.isdir():
        try:
            if stat.S_ISDIR(os.lstat(path).st_mode):
                return True
        except FileNotFoundError:
            pass
        _clear(path)
        os.mkdir(path, 0o700)
        return True
    _clear(path)
    if member.isreg():
        _write_file(tar, member, path)
    elif member.issym():
        os.symlink(member.linkname, path)
    elif member.islnk():
        target = _clean_name(member.linkname, what)
        if target is None:
            raise LayerError(f"{what}: hard link {member.name!r} to the layer's root")
        source = os.path.join(_parent(dest, os.path.dirname(target), what, member.name),
                              os.path.basename(target))
        try:
            os.link(source, path, follow_symlinks=False)
        except FileNotFoundError:
            raise LayerError(f"{what}: hard link {member.name!r}: its target "
                             f"{member.linkname!r} is not in this layer") from None
        return False  # it shares the inode, and so the attributes, of its target
    elif member.ischr() or member.isblk():
        kind = stat.S_IFCHR if member.ischr() else stat.S_IFBLK
        os.mknod(path, kind | 0o600, os.makedev(member.devmajor, member.devminor))
    elif member.isfifo():
        os.mkfifo(path, 0o600)
    else:
        raise LayerError(f"{what}: {member.name!r} has an unknown type {member.type!r}")
    _set_attributes(path, member)
    return False


def _write_file(tar, member, path):
    source = tar.extractfile(member)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o600)
    with os.fdopen(fd, "wb") as out:
        while True:
            chunk = source.read(_COPY_CHUNK)
            if not chunk:
                break
            out.write(chunk)


def _set_attributes(path, member):
    """Owner, then mode (chown clears set-id bits), xattrs, times."""
    os.chown(path, member.uid, member.gid, follow_symlinks=False)
    if not member.issym():
        os.chmod(path, stat.S_IMODE(member.mode))
    for key, value in member.pax_headers.items():
        if key.startswith(_PAX_XATTR):
            try:
                os.setxattr(path, key[len(_PAX_XATTR):], value.encode("utf-8", "surrogateescape"),
                            follow_symlinks=False)
            except OSError:
                pass  # a filesystem without that namespace: the file is still usable
    os.utime(path, (member.mtime, member.mtime), follow_symlinks=False)
