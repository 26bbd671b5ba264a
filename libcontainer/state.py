"""The state store: one directory per container under the state root.

<root>/<id>/state.marshal  what create recorded (pid, bundle, config, cgroup, ...)
<root>/<id>/exec.fifo      exists from create until start: the init blocks on it

The record is private to pyrunc (`pyrunc state` prints the spec's JSON), so it
is kept in marshal form: reading and writing it needs no json import, which
with the re and enum modules it pulls in costs ~4 ms on every command.
"""
import marshal
import os

from libcontainer import errors, flock, small_files

DEFAULT_ROOT = "/run/pyrunc"


def default_root():
    """/run/pyrunc; for an unprivileged caller $XDG_RUNTIME_DIR/pyrunc, as
    runc (_nsexec/launcher.c says the same)."""
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
    if os.geteuid() != 0 and runtime_dir:
        return os.path.join(runtime_dir, "pyrunc")
    return DEFAULT_ROOT
STATE_FILE = "state.marshal"
OLD_FILE = STATE_FILE + ".old"  # the previous record, for an instant during save()
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
            return marshal.loads(self._read_record(container_id))
        except FileNotFoundError:
            raise errors.ContainerNotFound(f"container {container_id} does not exist") from None
        except (ValueError, EOFError, TypeError):
            raise errors.PyruncError(f"container {container_id}: state file is corrupt") from None

    def _read_record(self, container_id):
        """The record, or while save() swaps it its previous version: save()
        moves the old one aside before the new one takes its name, so a
        reader that finds neither name read while the swap went on."""
        current, previous = (self.path(container_id, name) for name in (STATE_FILE, OLD_FILE))
        for path in (current, previous):
            try:
                return small_files.read_bytes(path)
            except FileNotFoundError:
                pass
        return small_files.read_bytes(current)

    def save(self, container_id, record):
        """Write the record atomically: readers see the old one or the new
        one, whole. Not by renaming over the old file: on ext4 that makes
        the kernel write the new file's data out first (auto_da_alloc;
        measured 0.3-1.3 ms on this host's /run), where renames to free
        names cost microseconds."""
        current = self.path(container_id, STATE_FILE)
        tmp, previous = current + ".tmp", self.path(container_id, OLD_FILE)
        small_files.write_new(tmp, marshal.dumps(record))
        try:
            os.rename(current, previous)
        except FileNotFoundError:
            previous = None  # the first record
        os.rename(tmp, current)
        if previous:
            os.unlink(previous)

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
        return [n for n in names if any(os.path.isfile(os.path.join(self.root, n, name))
                                        for name in (STATE_FILE, OLD_FILE))]

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
        stat = small_files.read_bytes(f"/proc/{pid}/stat")
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat[stat.rindex(b")") + 2:].split()
    if fields[0] == b"Z":  # a zombie has exited; only its parent's wait is missing
        return None
    return int(fields[19])


def is_same_process(pid, start_time):
    return pid > 0 and start_time is not None and process_start_time(pid) == start_time
