"""Start the kernel's wait for cgroup migrations early, off the critical path.

Moving a process between cgroups takes a lock whose first writer waits for an
RCU grace period (~10-20 ms here) while the lock switches to its slow mode;
writers that follow within a grace period or so pay nothing. create and exec
move their child into the container's cgroup once it exists, and would pay
that wait then, with the child waiting. So, as they start, a thread moves
pyrunc into the cgroup it already is in (a migration that changes nothing):
the wait runs while the main thread reads and checks the config, and the real
move later finds the lock warm. Best effort: any failure is ignored.

The lock cools down again about one grace period after its last writer, so
one warm-up is not enough: the installed `pyrunc` (_nsexec/launcher.c) does
one before Python starts, and create and exec one more as they begin, which
keeps it warm until their own move (a single early one measured ~15 ms
slower per create).
"""
import _thread
import os

_started = False


def start():
    """Once per process: the command line starts it first thing, the library
    calls of create and exec again (a no-op then)."""
    global _started
    if _started:
        return
    _started = True
    try:
        _thread.start_new_thread(_migrate_self, ())
    except RuntimeError:
        pass


def _migrate_self():
    try:
        with open("/proc/self/cgroup") as f:
            line = f.readline().rstrip("\n")
        _number, controllers, path = line.split(":", 2)
        name = controllers.replace("name=", "")  # "" on cgroup v2
        base = os.path.join("/sys/fs/cgroup", name) if name else "/sys/fs/cgroup"
        fd = os.open(os.path.join(base, path.lstrip("/"), "cgroup.procs"), os.O_WRONLY)
        try:
            os.write(fd, str(os.getpid()).encode())
        finally:
            os.close(fd)
    except (OSError, ValueError):
        pass
