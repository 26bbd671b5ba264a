"""Parent side of starting a process inside the container's namespaces.

Spawns pyrunc-init (C, _nsexec/executor.c) from a sealed memfd copy, so the
executable a container could reach through /proc/PID/exe cannot be written
(CVE-2019-5736); hands it the plan; writes the user namespace's id maps and
puts it into the cgroup while it works; and returns the channel to it.
Used both for a container's init and for `exec`.
"""
import fcntl
import os
import sys
import _signal as signal  # the C module: signal.py would import enum (~5 ms)

import _nsexec

from libcontainer import early, errors
from libcontainer.channel import Channel, socketpair
from libcontainer.plan import encode, passes_fds

_SEALS = fcntl.F_SEAL_SEAL | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE
_init_image = None
MFD_EXEC = 0x10  # memfd_create(2); not in Python 3.11's os


class Launched:
    """A child that got through the namespace set-up: its pid and its channel."""

    def __init__(self, pid, channel):
        self.pid = pid
        self.channel = channel


def sealed_init():
    """A sealed memfd holding pyrunc-init: nothing can write it, not even
    through /proc/PID/exe of a process that runs it."""
    global _init_image
    if _init_image is None:
        with open(_nsexec.init_path(), "rb") as f:
            _init_image = f.read()
    flags = os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING
    try:  # executable even under vm.memfd_noexec (Linux 6.3+; older ones refuse the flag)
        fd = os.memfd_create("pyrunc-init", flags | MFD_EXEC)
    except OSError:
        fd = os.memfd_create("pyrunc-init", flags)
    try:
        os.write(fd, _init_image)
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, _SEALS)
    except BaseException:
        os.close(fd)
        raise
    return fd


def spawn(ops, on_stage1=None, on_child=None, meanwhile=None):
    """Start pyrunc-init on the plan `ops`. The process it forks is our child
    (CLONE_PARENT), so we can wait for it.

    Callbacks, each overlapping work of the child's: meanwhile() as soon as
    the plan is sent, while the init enters its namespaces (the cgroup);
    on_stage1(pid) while the init waits in its new user namespace (the plan
    has OP_USERNS_SYNC): id maps; on_child(pid) once the final process
    exists. If one fails, the child is taken down and collected before the
    error is raised."""
    ours, intermediate = _started_init()
    channel = Channel(ours, passes_fds=passes_fds(ops))
    try:
        try:
            channel.send(b"P", encode(ops))
        except (BrokenPipeError, ConnectionResetError):
            raise errors.PyruncError(
                f"pyrunc-init exited before it read its plan ({_exit_status(intermediate)})"
            ) from None
        failure = _call(meanwhile)
        if any(op.name == "OP_USERNS_SYNC" for op in ops):
            stage1_pid = expect(channel, "stage1")["pid"]
            failure = failure or _call(on_stage1, stage1_pid)
            if failure is not None:
                raise failure  # the id maps: their error, not the child's after it
            channel.send(b"G")
        pid = expect(channel, "child")["pid"]
    except BaseException:
        kill_and_reap(intermediate)
        channel.close()
        raise
    _reap(intermediate)
    failure = failure or _call(on_child, pid)
    if failure is not None:
        kill_and_reap(pid)
        channel.close()
        raise failure
    return Launched(pid, channel)


def _started_init():
    """(our end of its socket, pid) of a pyrunc-init waiting for its plan:
    the one the C front started before Python (early.py), else a new one."""
    started = early.take(early.INIT)
    if started:
        return started
    ours, theirs = socketpair()
    os.set_inheritable(theirs, True)
    image = sealed_init()
    try:
        pid = os.posix_spawn(f"/proc/self/fd/{image}", ["pyrunc-init"],
                             {"_PYRUNC_INITPIPE": str(theirs)})
    finally:
        os.close(image)
        os.close(theirs)
    return ours, pid


def _exit_status(pid):
    """How the child pid ended, in words (left to be reaped)."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    except ChildProcessError:
        return "status unknown"
    if info.si_code != os.CLD_EXITED:
        return f"killed by signal {info.si_status}"
    return ("it could not be executed" if info.si_status == 127
            else f"exit status {info.si_status}")


def _call(callback, *args):
    """Run an optional callback; its exception is returned, not raised."""
    try:
        if callback:
            callback(*args)
    except BaseException as exc:
        return exc
    return None


def expect(channel, kind):
    """The next message, which must be `kind`; an error message is raised."""
    message = channel.recv()
    if message is None:
        raise errors.PyruncError("container init exited before it was ready")
    if message.get("type") == "error":
        raise errors.PyruncError(message["msg"])
    if message.get("type") != kind:
        raise errors.PyruncError(f"unexpected message from container init: {message}")
    return message


def raise_reported_error(channel):
    """Raise the error the init has sent, if it has (without waiting): a
    failure of ours may only follow from it (its process gone)."""
    while channel.has_pending():
        message = channel.recv()
        if message is None:
            return
        if message.get("type") == "error":
            raise errors.PyruncError(message["msg"])


def tell(channel, kind, payload=b""):
    """Send the child a frame. A child that died already is not reported
    here: serve() then reads why (its error message, or EOF)."""
    try:
        channel.send(kind, payload)
    except (BrokenPipeError, ConnectionResetError):
        pass


def serve(channel, console_socket=None, on_console=None, until="ready", handlers=None):
    """Answer the child's messages until one of type `until` arrives (None:
    until the channel closes, which is how an exec'd child says it exec'd,
    since the channel is close-on-exec). A pty master goes to on_console(fd),
    which keeps it, or else to the --console-socket; other messages go to
    handlers[type](message)."""
    while True:
        message = channel.recv()
        if message is None:
            if until is None:
                return
            raise errors.PyruncError("container init exited before it was ready")
        kind = message.get("type")
        if kind == "error":
            raise errors.PyruncError(message["msg"])
        if kind == until:
            return
        if handlers and kind in handlers:
            handlers[kind](message)
        elif kind == "console":
            fd = channel.take_fd()
            if on_console:
                on_console(fd)
            else:
                from libcontainer.console_socket import send_master
                send_master(console_socket, fd)
                os.close(fd)


def kill_and_reap(pid):
    """SIGKILL a child the launcher made (it is ours: CLONE_PARENT) and
    collect it, so a failed create or exec leaves no process, not even a zombie."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid)


def inherited_fds(preserve_fds):
    """The fds from 3 up that the container's process gets: the socket
    activation fds systemd gave us (LISTEN_FDS), then --preserve-fds more, as
    runc does. Returns (how many, env entries to add to the process)."""
    listen = 0
    if os.environ.get("LISTEN_PID") == str(os.getpid()):
        listen = int(os.environ.get("LISTEN_FDS", "0") or 0)
    count = listen + preserve_fds
    for fd in range(3, 3 + count):
        try:
            if _ours(fd):  # the caller's fd was not open: ours took its number
                raise OSError
            os.set_inheritable(fd, True)
        except OSError:
            raise errors.PyruncError(f"--preserve-fds: fd {fd} is not open") from None
    return count, ([f"LISTEN_FDS={listen}", "LISTEN_PID=1"] if listen else [])


def _ours(fd):
    """An fd pyrunc opened for itself: a helper's (early.py) or, when the
    command imports from it, the code pack's (runtime/code_pack.py)."""
    pack = sys.modules.get("runtime.code_pack")
    return early.owns(fd) or bool(pack and pack.owns(fd))


def _reap(pid):
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def write_id_maps(pid, uid_mappings, gid_mappings):
    """Write /proc/PID/{uid,gid}_map for a new user namespace. An
    unprivileged caller may map only its own ids, and for the gid only once
    setgroups is denied; other maps need the setuid newuidmap/newgidmap
    (with /etc/subuid, /etc/subgid), as with runc."""
    for name, mappings, own in (("uid_map", uid_mappings, os.geteuid()),
                                ("gid_map", gid_mappings, os.getegid())):
        field = "linux.uidMappings" if name == "uid_map" else "linux.gidMappings"
        if os.geteuid() == 0 or [(m["hostID"], m["size"]) for m in mappings] == [(own, 1)]:
            _write_map(pid, name, field, mappings)
        else:
            _new_id_map(pid, name, field, mappings)


def _write_map(pid, name, field, mappings):
    text = "".join(f"{m['containerID']} {m['hostID']} {m['size']}\n" for m in mappings)
    try:
        if name == "gid_map" and os.geteuid() != 0:
            with open(f"/proc/{pid}/setgroups", "w") as f:
                f.write("deny")
        with open(f"/proc/{pid}/{name}", "w") as f:
            f.write(text)
    except OSError as exc:
        raise errors.PyruncError(f"{field}: writing {name}: {exc.strerror}") from None


def _new_id_map(pid, name, field, mappings):
    import subprocess
    tool = "newuidmap" if name == "uid_map" else "newgidmap"
    argv = [tool, str(pid)] + [str(m[k]) for m in mappings
                               for k in ("containerID", "hostID", "size")]
    try:
        result = subprocess.run(argv, capture_output=True, text=True)
    except OSError as exc:
        raise errors.PyruncError(
            f"{field}: mapping more than the caller's own id needs {tool}: {exc.strerror} "
            "(apt-get install uidmap)") from None
    if result.returncode != 0:
        said = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        raise errors.PyruncError(f"{field}: {tool}: {said}")
