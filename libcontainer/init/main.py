"""The container init, child side: runs in the interpreter the parent spawned,
after _nsexec's constructor has put it in the container's namespaces.

Everything it will ever need is imported here, at the top, or (the pty
code, only for process.terminal) as soon as the config is known: after
pivot_root, or after joining the container's mount namespace, the host's
Python files are gone.
"""
import _socket
import os

from libcontainer import errors, syscalls
from libcontainer.seccomp import Filter
from libcontainer.channel import Channel
from libcontainer.init import process, rootfs
from libcontainer.init.cgroupfs import ContainerCgroups


def main():
    fd = syscalls.initpipe_fd()
    os.set_inheritable(fd, False)  # must not reach the container's program
    channel = Channel(_socket.socket(fileno=fd))
    try:
        config = channel.recv()
        if config is not None:
            _import_what_config_needs(config)
            run = _run_exec if config["kind"] == "exec" else _run_init
            run(channel, config)
    except errors.PyruncError as exc:
        _report(channel, str(exc))
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _report(channel, f"container init: {where}{exc.strerror or exc}")
    except Exception as exc:  # a bug: still say something rather than vanish
        _report(channel, f"container init: {type(exc).__name__}: {exc}")
    os._exit(1)


def _import_what_config_needs(config):
    """Modules only some configs need, imported while the host's files are
    still in reach (see the module docstring)."""
    wanted = []
    proc = config.get("process") or config["spec"].get("process") or {}
    if proc.get("terminal"):
        wanted.append("libcontainer.init.console")
    if config.get("hooks"):
        wanted.append("libcontainer.hooks")
    mounts = (config.get("spec") or {}).get("mounts") or []
    if any("tmpcopyup" in (m.get("options") or ()) for m in mounts):
        wanted.append("libcontainer.init.copyup")
    if wanted:
        import importlib
        for name in wanted:
            importlib.import_module(name)


def _report(channel, message):
    try:
        channel.send({"type": "error", "msg": message})
    except OSError:
        pass


def _join_deferred_mount_namespace():
    fd = syscalls.deferred_mntns_fd()
    if fd >= 0:
        syscalls.setns(fd, syscalls.CLONE_NEWNS)
        os.close(fd)


def _run_init(channel, config):
    """Build the container and wait for `start`. A config without `process`
    is allowed (the spec makes it optional): that init only waits, since
    start refuses it, until delete ends it."""
    spec, proc = config["spec"], config["spec"].get("process") or {}
    joined = _CgroupJoined(channel)
    # Checked and resolved now, while libseccomp can still be loaded from the host.
    seccomp_filter = Filter.from_spec(spec.get("linux", {}).get("seccomp")) if proc else None
    _enter_own_namespaces(config, joined)
    fifo, pty, hook_states = _build_container(channel, config, joined)
    if pty:
        pty.become_controlling_terminal()
    else:
        os.setsid()
    exe, env = _become_process(proc, seccomp_filter) if proc else (None, None)
    if not os.access(f"/proc/self/fd/{fifo}", os.W_OK):
        raise errors.PyruncError(
            f"process.user: uid {os.getuid()} cannot write the exec fifo {config['fifo']}")
    joined.wait()  # nothing of the container may run outside its cgroup
    channel.send({"type": "ready"})
    _wait_for_start(fifo)
    if not proc:
        return
    if hook_states:
        from libcontainer import hooks
        hooks.run(spec, "startContainer", hook_states["startState"])
    process.execute(exe, proc, env, 2 + config.get("preserveFds", 0), seccomp_filter)


def _enter_own_namespaces(config, joined):
    """What the constructor left for now: a mount namespace to join, uid 0 of
    a user namespace, a new cgroup namespace."""
    _join_deferred_mount_namespace()
    if config["userns"]:
        _become_namespace_root()
    if config.get("cgroupns"):
        # Only once in the container's cgroup: it becomes the namespace's root.
        joined.wait()
        syscalls.unshare(syscalls.CLONE_NEWCGROUP)


def _build_container(channel, config, joined):
    """Mounts, devices, hostname, the pty, creation hooks, pivot_root and what
    follows it. Returns the exec fifo (held open), the pty, the hooks' states."""
    spec, proc = config["spec"], config["spec"].get("process") or {}
    linux = spec.get("linux", {})
    cgroups = ContainerCgroups(config.get("cgroupns"), config["cgroupDirs"])
    rootfd = rootfs.prepare(spec, config["rootfs"], config["bundle"], config["userns"], cgroups)
    rootfs.set_hostnames(spec)  # before the hooks: part of the environment they see
    pty = _console(channel, proc, "/dev/pts/ptmx", rootfd)
    if pty:
        pty.bind_console(rootfd)
    hook_states = None
    if config.get("hooks"):
        joined.wait()  # hooks may look at the container's cgroup
        hook_states = _creation_hooks(channel, spec)
    # The fifo lives in the state dir, out of reach after the pivot: hold it.
    fifo = os.open(config["fifo"], os.O_PATH | os.O_CLOEXEC)
    os.close(rootfd)
    rootfs.pivot(config["rootfs"], linux.get("rootfsPropagation"))
    if not os.path.isdir("/proc/self/fd"):
        raise errors.PyruncError("mounts: the container needs proc mounted at /proc "
                                 "(the init waits for start through /proc/self/fd)")
    rootfs.apply_sysctl(linux.get("sysctl"))
    rootfs.finish(spec)
    return fifo, pty, hook_states


class _CgroupJoined:
    """The parent's word that we are in the container's cgroup (see create.py)."""

    def __init__(self, channel):
        self.channel, self.done = channel, False

    def wait(self):
        if not self.done:
            message = self.channel.recv()
            if message is None or message.get("type") != "cgroup-joined":
                raise errors.PyruncError("pyrunc stopped before the init joined its cgroup")
            self.done = True


def _creation_hooks(channel, spec):
    """Let the parent run prestart/createRuntime, then run createContainer
    here, in the container's namespaces, before pivot_root."""
    from libcontainer import hooks
    channel.send({"type": "hooks"})
    reply = channel.recv()
    if reply is None or reply.get("type") != "continue":
        raise errors.PyruncError("pyrunc stopped while the runtime hooks ran")
    hooks.run(spec, "createContainer", reply["state"])
    return reply


def _become_namespace_root():
    """uid/gid 0 of the user namespace (see _nsexec/nsexec.c): files the init
    creates in the container's own mounts need a uid mapped there."""
    try:
        os.setresgid(0, 0, 0)
        os.setresuid(0, 0, 0)
    except OSError as exc:
        raise errors.PyruncError(
            f"linux.uidMappings: becoming uid 0 in the user namespace: {exc.strerror} "
            "(container uid and gid 0 must be mapped)") from None


def _run_exec(channel, config):
    proc = config["process"]
    seccomp_filter = Filter.from_spec(config.get("seccomp"))  # before the host is gone
    _join_deferred_mount_namespace()
    os.chdir("/")
    pty = _console(channel, proc, "/dev/ptmx")
    if pty:
        pty.become_controlling_terminal()
    exe, env = _become_process(proc, seccomp_filter)
    _CgroupJoined(channel).wait()  # nothing may run outside the container's cgroup
    channel.send({"type": "ready"})
    process.execute(exe, proc, env, 2 + config.get("preserveFds", 0), seccomp_filter)


def _console(channel, proc, ptmx, rootfd=None):
    """With process.terminal, a pty whose master goes to the parent."""
    if not proc.get("terminal"):
        return None
    from libcontainer.init import console  # imported already: see main()
    pty = console.open_pty(ptmx, rootfd)
    pty.set_size(proc.get("consoleSize"))
    channel.send({"type": "console"}, fds=[pty.master])
    os.close(pty.master)
    return pty


def _become_process(proc, seccomp_filter):
    env = process.environment(proc)
    process.switch_user(proc, seccomp_filter)
    process.enter_cwd(proc.get("cwd", "/"))
    return process.find_executable(proc["args"], env), env


def _wait_for_start(fifo):
    """Block until `start` opens the exec fifo for reading, then tell it we go."""
    fd = os.open(f"/proc/self/fd/{fifo}", os.O_WRONLY | os.O_CLOEXEC)
    os.write(fd, b"0")
    os.close(fd)
    os.close(fifo)
