"""What the v1 and v2 managers share: the Manager interface and the careful
file, directory and signal helpers both drivers use."""

import errno
import os
import posixpath
import _signal as signal  # the C module: signal.py would import enum (~5 ms)
import time

from libcontainer.errors import PyruncError

# Sleeps between rmdir attempts while the last processes exit (about 1 s).
RMDIR_BACKOFF = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.3)
FREEZE_TIMEOUT = 2.0


def not_available(write) -> PyruncError:
    return PyruncError(f"{write.field}: cgroup file {write.file} is not available")


def write_one(fs, write, path: str) -> None:
    try:
        fs.write(path, write.value)
    except FileNotFoundError:
        raise not_available(write) from None
    except OSError as e:
        raise PyruncError(
            f"{write.field}: cannot set {write.file} to {write.value!r}: {e.strerror}") from None


def write_all(fs, targets) -> None:
    """Write each (Write, path); writes the kernel refuses get one more try at
    the end, because some limits depend on others in either direction (v1
    memory.limit_in_bytes may not exceed memory.memsw.limit_in_bytes)."""
    refused = []
    for write, path in targets:
        write, path = _existing(fs, write, path)
        if write is None:
            continue
        try:
            fs.write(path, write.value)
        except FileNotFoundError:
            raise not_available(write) from None
        except OSError:
            refused.append((write, path))
    for write, path in refused:
        write_one(fs, write, path)


def _existing(fs, write, path):
    """The Write (and path) to do: the first of write and its fallbacks whose
    file exists; (None, None) for an optional one that has none (logged)."""
    tried = [write.file]
    while write.fallback is not None and not fs.exists(path):
        write = write.fallback
        path = posixpath.join(posixpath.dirname(path), write.file)
        tried.append(write.file)
    if write.optional and not fs.exists(path):
        from libcontainer import diagnostics
        diagnostics.warning(f"{write.field}: not applied: no cgroup file "
                            f"{' or '.join(tried)}")
        return None, None
    return write, path


def read_pids(fs, procs_file: str) -> list:
    try:
        text = fs.read(procs_file)
    except FileNotFoundError:
        return []
    return [int(line) for line in text.split() if line.isdigit() and int(line) > 0]


def subtree(fs, top: str) -> list:
    """top and every cgroup below it, parents before children."""
    out = [top]
    try:
        names = sorted(fs.subdirs(top))
    except FileNotFoundError:
        return out
    for name in names:
        out.extend(subtree(fs, posixpath.join(top, name)))
    return out


def pids_in_subtree(fs, top: str) -> list:
    pids = set()
    for d in subtree(fs, top):
        pids.update(read_pids(fs, posixpath.join(d, "cgroup.procs")))
    return sorted(pids)


def rmdir_retrying(fs, path: str) -> None:
    """rmdir a cgroup, waiting a little while it is busy with dying tasks."""
    for delay in RMDIR_BACKOFF + (None,):
        busy = _busy_after_rmdir(fs, path)
        if busy is None:
            return
        if delay is None:
            raise PyruncError(f"cannot remove cgroup {path}: {busy.strerror}")
        time.sleep(delay)


def _busy_after_rmdir(fs, path: str):
    """rmdir path: None once it is gone, or the error of a cgroup still busy
    (tasks in it, or cgroups below it); any other failure is raised."""
    try:
        fs.rmdir(path)
    except FileNotFoundError:
        pass
    except OSError as e:
        if e.errno in (errno.EBUSY, errno.ENOTEMPTY):
            return e
        raise PyruncError(f"cannot remove cgroup {path}: {e.strerror}") from None
    return None


def remove_tree(fs, top: str) -> None:
    """Remove top and the cgroups the container made below it, deepest first.
    Most have none: one rmdir, and the listing only when that is refused."""
    if _busy_after_rmdir(fs, top) is None:
        return
    for d in reversed(subtree(fs, top)):
        rmdir_retrying(fs, d)


def remove_owned_parents(fs, mount_point: str, path: str, depth: int) -> None:
    """Remove up to depth now-empty ancestors of path that pyrunc made (the
    default "/pyrunc"); never the mount point or anything above it."""
    for _ in range(depth):
        path = posixpath.dirname(path)
        if not path.startswith(mount_point.rstrip("/") + "/"):
            return
        try:
            fs.rmdir(path)
        except OSError as e:
            if e.errno in (errno.EBUSY, errno.ENOTEMPTY, errno.ENOENT):
                return
            raise PyruncError(f"cannot remove cgroup {path}: {e.strerror}") from None


def mkdir_exist_ok(fs, path: str) -> bool:
    """-> True if this call made the directory."""
    try:
        fs.mkdir(path)
        return True
    except FileExistsError:
        return False  # another container sharing the cgroup, or a race with one
    except FileNotFoundError:
        raise  # the parent vanished: make_levels starts over
    except OSError as e:
        raise PyruncError(f"cannot create cgroup {path}: {e.strerror}") from None


def make_levels(fs, levels: list, on_level) -> None:
    """mkdir each level, calling on_level(level, made) after each; start over
    when a parent vanishes between two mkdirs (another container's delete
    removing a shared parent such as pyrunc/ once it emptied)."""
    for _ in range(5):
        try:
            for level in levels:
                on_level(level, mkdir_exist_ok(fs, level))
            return
        except FileNotFoundError:
            continue
    raise PyruncError(f"cannot create cgroup {levels[-1]}: a parent keeps disappearing")


def levels_below(mount_point: str, path: str) -> list:
    """Absolute dirs from the first level under mount_point down to path."""
    out, current = [], mount_point.rstrip("/")
    for part in path.strip("/").split("/"):
        current += "/" + part
        out.append(current)
    return out


def add_pid_to(fs, directory: str, pid: int) -> None:
    try:
        fs.write(posixpath.join(directory, "cgroup.procs"), str(pid))
    except OSError as e:
        raise PyruncError(f"cannot add pid {pid} to cgroup {directory}: {e.strerror}") from None


def signal_pids(pids, sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass  # exited meanwhile


def wait_until(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


class Manager:
    """One container's cgroup; see v1.V1Manager and v2.V2Manager."""

    version = 0

    def create(self) -> None:
        raise NotImplementedError

    def add_pid(self, pid: int) -> None:
        raise NotImplementedError

    def apply(self, resources: dict) -> None:
        raise NotImplementedError

    def pids(self) -> list:
        raise NotImplementedError

    def freeze(self) -> None:
        raise NotImplementedError

    def thaw(self) -> None:
        raise NotImplementedError

    def is_frozen(self) -> bool:
        raise NotImplementedError

    def has_freezer(self) -> bool:
        raise NotImplementedError

    def destroy(self) -> None:
        raise NotImplementedError

    def stats(self) -> dict:
        """Usage in runc's `events --stats` shape (see stats.py)."""
        raise NotImplementedError

    def oom_kills(self) -> int:
        """Processes the OOM killer has killed in the cgroup so far."""
        raise NotImplementedError

    def to_state(self) -> dict:
        raise NotImplementedError

    def path_for_cgroupns(self) -> str:
        raise NotImplementedError

    def kill_fast(self, sig: int) -> bool:
        """A driver's one-shot kill of the whole cgroup; False if it has none."""
        return False

    def kill_all(self, sig: int) -> None:
        """Signal every process in the container's cgroup."""
        if self.kill_fast(sig):
            return
        frozen_here = self._freeze_for_kill()
        try:
            signal_pids(self.pids(), sig)
        finally:
            if frozen_here or (sig == signal.SIGKILL and self._frozen_quietly()):
                self.thaw()  # frozen v1 tasks only die once thawed

    def _freeze_for_kill(self) -> bool:
        """Freeze so nothing forks away between listing and signalling.
        -> True if this call froze it (and so must thaw it)."""
        if not self.has_freezer() or self._frozen_quietly():
            return False
        try:
            self.freeze()
        except PyruncError:
            return False  # signal anyway; a best effort beats no kill
        return True

    def _frozen_quietly(self) -> bool:
        try:
            return self.has_freezer() and self.is_frozen()
        except (PyruncError, OSError):
            return False
