"""Parent side of starting a process inside the container's namespaces.

Spawns the interpreter with the _nsexec constructor preloaded, hands it the
bootstrap message, writes the user namespace's id maps and puts it into the
cgroup while it waits, and returns a Channel to the Python side of the child.
Used both for a container's init and for `exec`.
"""
import os
import _signal as signal  # the C module: signal.py would import enum (~5 ms)
import sys

import _nsexec
from libcontainer import errors
from libcontainer.channel import Channel, socketpair
from libcontainer.console_socket import send_master

_BOOT = ("import sys; sys.path[:0] = {paths!r}; "
         "from libcontainer.init.main import main; main()")


class Launched:
    """A child that got through the constructor: its pid and its channel."""

    def __init__(self, pid, channel):
        self.pid = pid
        self.channel = channel


def _import_paths():
    # -I -S keeps the host's site-packages and PYTHON* variables out of the
    # init (and startup fast); it needs only pyrunc's own tree and cffi's backend.
    here = os.path.dirname(os.path.dirname(os.path.abspath(errors.__file__)))
    backend = _cffi_backend_dir()
    return [here] if backend == here else [here, backend]


def _cffi_backend_dir():
    """Where _cffi_backend is, found without importing it (~1 ms)."""
    for directory in sys.path:
        try:
            if any(n.startswith("_cffi_backend.") for n in os.listdir(directory or ".")):
                return directory
        except OSError:
            continue
    raise errors.PyruncError("cffi is not installed (its _cffi_backend module is missing)")


def spawn(bootstrap_lines, on_spawned=None, on_stage1=None, on_child=None):
    """Start the child: the constructor gets `bootstrap_lines`. The final
    process it makes is our child (CLONE_PARENT), so we can wait for it.

    Callbacks, each overlapping work of the child's: on_spawned() right
    after the interpreter is started (it loads meanwhile); on_stage1(pid)
    while the constructor waits, before it unshares anything but the user
    namespace (id maps); on_child(pid) once the final process exists, while
    its interpreter starts. If one fails, the child is taken down and
    collected before the error is raised."""
    bootstrap = _frame(bootstrap_lines + (["sync"] if on_stage1 else []))
    parent_sock, child_sock = socketpair()
    child_fd = child_sock.fileno()
    os.set_inheritable(child_fd, True)
    env = {"LD_PRELOAD": _nsexec.library_path(), "_PYRUNC_INITPIPE": str(child_fd)}
    # The interpreter itself, not a venv's link to it: a venv is of no use
    # to the init (its sys.path is set by _BOOT) and costs a pyvenv.cfg lookup.
    interpreter = os.path.realpath(sys.executable)
    argv = [interpreter, "-I", "-S", "-c", _BOOT.format(paths=_import_paths())]
    try:
        intermediate = os.posix_spawn(interpreter, argv, env)
    finally:
        child_sock.close()
    channel = Channel(parent_sock)
    try:
        channel.send_bytes(bootstrap)
        failure = _call(on_spawned)
        if on_stage1:
            stage1_pid = expect(channel, "stage1")["pid"]
            failure = failure or _call(on_stage1, stage1_pid)
            channel.send_bytes(b"g")  # even after a failure: so that it goes on to exit
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


def _call(callback, *args):
    """Run an optional callback; its exception is returned, not raised."""
    try:
        if callback:
            callback(*args)
    except BaseException as exc:
        return exc
    return None


def _frame(lines):
    text = "\n".join(lines).encode() + b"\n"
    return len(text).to_bytes(4, sys.byteorder) + text


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


def send_config(channel, message):
    """Send the child its configuration. A child that died already is not
    reported here: serve() then reads why (its error message, or EOF)."""
    try:
        channel.send(message)
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
            os.set_inheritable(fd, True)
        except OSError:
            raise errors.PyruncError(f"--preserve-fds: fd {fd} is not open") from None
    return count, ([f"LISTEN_FDS={listen}", "LISTEN_PID=1"] if listen else [])


def _reap(pid):
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def write_id_maps(pid, uid_mappings, gid_mappings):
    """Write /proc/PID/{uid,gid}_map for a new user namespace."""
    for name, mappings in (("uid_map", uid_mappings), ("gid_map", gid_mappings)):
        text = "".join(f"{m['containerID']} {m['hostID']} {m['size']}\n" for m in mappings)
        try:
            with open(f"/proc/{pid}/{name}", "w") as f:
                f.write(text)
        except OSError as exc:
            field = "linux.uidMappings" if name == "uid_map" else "linux.gidMappings"
            raise errors.PyruncError(f"{field}: writing {name}: {exc.strerror}") from None
