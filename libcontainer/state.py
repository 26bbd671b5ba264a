"""The state store: one directory per container under the state root.

<root>/<id>/state.marshal  what create recorded (pid, bundle, config, cgroup, ...)
<root>/<id>/exec.fifo      exists from create until start: the init blocks on it

The record is private to pyrunc (`pyrunc state` prints the spec's JSON), so it
is kept in marshal form: reading and writing it needs no json import, which
with the re and enum modules it pulls in costs ~4 ms on every command.
"""
import marshal
import os

from libcontainer import errors, flock

DEFAULT_ROOT = "/run/pyrunc"


def default_root():
    """/run/pyrunc; for an unprivileged caller $XDG_RUNTIME_DIR/pyrunc, as
    runc (_nsexec/launcher.c says the same)."""
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
    if os.geteuid() != 0 and runtime_dir:
        return os.path.join(runtime_dir, "pyrunc")
    return DEFAULT_ROOT
STATE_FILE = "state.marshal"
FIFO_NAME = "exec.fifo"
# Letters, digits and _.+- starting with a letter or digit: never a path.
# (A set, not a regex: importing re costs ~5 ms on every command.)
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")


def check_id(container_id):
    if not container_id:
        raise errors.PyruncError("container id: must not be empty")
    if not (set(container_id) <= _ID_CHARS and container_id[0].isascii()
            and container_id[0].isalnum()):
        raise errors.PyruncError(
            f"container id {container_id!r}: may contain only letters, digits and _.+- "
            "and must start with a letter or digit")
    if len(container_id) > 1024:
        raise errors.PyruncError("container id: longer than 1024 characters")


class StateStore:
    def __init__(self, root=None):
        self.root = os.path.abspath(root or default_root())

    def path(self, container_id, *names):
        return os.path.join(self.root, container_id, *names)

    def make_dir(self, container_id):
        """Claim the ID: an exclusive mkdir, so two creates can't both win."""
        check_id(container_id)
        os.makedirs(self.root, mode=0o711, exist_ok=True)
        try:
            os.mkdir(self.path(container_id), 0o711)
        except FileExistsError:
            raise errors.PyruncError(f"container {container_id} already exists") from None

    def load(self, container_id):
        check_id(container_id)
        try:
            with open(self.path(container_id, STATE_FILE), "rb") as f:
                return marshal.load(f)
        except FileNotFoundError:
            raise errors.ContainerNotFound(f"container {container_id} does not exist") from None
        except (ValueError, EOFError, TypeError):
            raise errors.PyruncError(f"container {container_id}: state file is corrupt") from None

    def save(self, container_id, record):
        """Write the record atomically (rename), so readers never see half of it."""
        tmp = self.path(container_id, STATE_FILE + ".tmp")
        with open(tmp, "wb") as f:
            marshal.dump(record, f)
        os.rename(tmp, self.path(container_id, STATE_FILE))

    def remove(self, container_id):
        directory = self.path(container_id)
        for name in os.listdir(directory) if os.path.isdir(directory) else ():
            os.unlink(os.path.join(directory, name))
        try:
            os.rmdir(directory)
        except FileNotFoundError:
            pass

    def ids(self):
        try:
            names = sorted(os.listdir(self.root))
        except FileNotFoundError:
            return []
        return [n for n in names if os.path.isfile(os.path.join(self.root, n, STATE_FILE))]

    def lock(self, container_id):
        """An exclusive lock on the container's directory (start, delete, exec)."""
        try:
            fd = os.open(self.path(container_id), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            raise errors.ContainerNotFound(f"container {container_id} does not exist") from None
        return flock.lock_fd(fd)


def process_start_time(pid):
    """Field 22 of /proc/PID/stat: tells a live init from a reused pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat[stat.rindex(b")") + 2:].split()
    if fields[0] == b"Z":  # a zombie has exited; only its parent's wait is missing
        return None
    return int(fields[19])


def is_same_process(pid, start_time):
    return pid > 0 and start_time is not None and process_start_time(pid) == start_time
