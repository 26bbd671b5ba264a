"""tmpcopyup (a runc mount option podman uses): a tmpfs mounted over a
directory of the rootfs starts with a copy of what that directory held."""
import os
import stat


def copy_tree(source, target):
    """Copy source's entries into target (an existing, empty directory),
    keeping modes, owners and symlinks as they are; target gets source's
    mode and owner too."""
    info = os.lstat(source)
    for entry in os.scandir(source):
        _copy_entry(entry.path, os.path.join(target, entry.name))
    _own(target, info)


def _copy_entry(source, target):
    info = os.lstat(source)
    if stat.S_ISDIR(info.st_mode):
        os.mkdir(target)
        copy_tree(source, target)
        return
    if stat.S_ISLNK(info.st_mode):
        os.symlink(os.readlink(source), target)
    elif stat.S_ISREG(info.st_mode):
        _copy_file(source, target)
    else:  # fifos, sockets, device nodes: the same node again
        os.mknod(target, info.st_mode, info.st_rdev)
    _own(target, info)


def _copy_file(source, target):
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    with open(source, "rb") as src, open(os.open(target, flags, 0o600), "wb") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)


def _own(path, info):
    os.chown(path, info.st_uid, info.st_gid, follow_symlinks=False)
    if not stat.S_ISLNK(info.st_mode):
        os.chmod(path, stat.S_IMODE(info.st_mode))
