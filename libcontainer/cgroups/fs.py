"""The filesystem boundary of the cgroup layer.

Every read, write, mkdir and rmdir the managers do goes through a CgroupFs, so
unit tests can hand in a double that behaves like cgroupfs (control files appear
with mkdir and vanish with rmdir) on top of a plain directory tree.
"""

import os

from libcontainer import small_files


class CgroupFs:
    """Plain os calls against a mounted cgroup filesystem."""

    def read(self, path: str) -> str:
        return small_files.read_text(path)

    def write(self, path: str, data: str) -> None:
        # No O_CREAT: a control file that is not there means the controller is
        # missing, and creating a regular file would hide that.
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC)
        try:
            os.write(fd, data.encode())
        finally:
            os.close(fd)

    def exists(self, path: str) -> bool:
        return os.path.exists(path)

    def isdir(self, path: str) -> bool:
        return os.path.isdir(path)

    def mkdir(self, path: str) -> None:
        os.mkdir(path, 0o755)

    def rmdir(self, path: str) -> None:
        os.rmdir(path)

    def attach_device_program(self, directory: str, program: bytes) -> None:
        """Make `program` (cgroup v2 device rules as eBPF) the only device
        program of the cgroup at directory."""
        from libcontainer import syscalls
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            syscalls.replace_device_program(fd, program)
        finally:
            os.close(fd)

    def listdir(self, path: str) -> list:
        return os.listdir(path)

    def subdirs(self, path: str) -> list:
        """Names of the child cgroups (directories) of path."""
        with os.scandir(path) as entries:
            return [e.name for e in entries if e.is_dir(follow_symlinks=False)]


REAL_FS = CgroupFs()
