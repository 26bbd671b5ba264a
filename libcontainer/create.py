"""create: a container whose init is set up and waits for `start` (runtime.md)."""
import os
import _signal as signal  # the C module: signal.py would import enum (~5 ms)
import sys
import time

from libcontainer import cgroups, diagnostics, errors, launcher, namespaces, state as statestore
from libcontainer.config import loader, unsupported
from libcontainer.container import Container


def create(store, container_id, bundle, *, pid_file=None, console_socket=None,
           on_console=None, preserve_fds=0, systemd_cgroup=False):
    """Create the container; on_console(fd) takes the pty master (run -t).
    The init is the caller's child: run waits for it. systemd_cgroup: the
    cgroupsPath is systemd's slice:prefix:name (runc's --systemd-cgroup).

    On any failure nothing is left behind: no state dir, cgroup or process."""
    statestore.check_id(container_id)
    bundle = os.path.abspath(bundle)
    spec = loader.load_bundle(bundle)
    _check_terminal(spec, console_socket, on_console)
    _check_namespaces(spec)
    ignored = unsupported.not_applied(spec)
    if ignored:
        diagnostics.warning(f"not applied yet: {', '.join(ignored)}")  # to --log, not stdio
    store.make_dir(container_id)
    creation = _Creation(store, container_id, bundle, spec, systemd_cgroup)
    try:
        return creation.run(pid_file, console_socket, on_console, preserve_fds)
    except BaseException:
        creation.undo()
        raise


def _check_terminal(spec, console_socket, on_console):
    terminal = spec.get("process", {}).get("terminal", False)
    if terminal and not (console_socket or on_console):
        raise errors.PyruncError(
            "process.terminal is true: --console-socket is required when not in the foreground")
    if console_socket and not terminal:
        raise errors.PyruncError("--console-socket needs process.terminal set to true")


def _check_namespaces(spec):
    kinds = {ns["type"] for ns in spec.get("linux", {}).get("namespaces", [])}
    if "mount" not in kinds:
        raise errors.ConfigError("linux.namespaces: a mount namespace is required")


def now_rfc3339():
    t = time.time_ns()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t // 10**9)) + f".{t % 10**9:09d}Z"


class _Creation:
    def __init__(self, store, container_id, bundle, spec, systemd_cgroup):
        self.store, self.id, self.bundle, self.spec = store, container_id, bundle, spec
        self.systemd_cgroup = systemd_cgroup
        self.linux = spec.get("linux", {})
        self.cgroup = None
        self.launched = None

    def run(self, pid_file, console_socket, on_console, preserve_fds):
        preserve_fds, extra_env = launcher.inherited_fds(preserve_fds)
        process = self.spec.get("process")
        if process is not None:
            process["env"] = process.get("env", []) + extra_env
        fifo = self.store.path(self.id, statestore.FIFO_NAME)
        os.mkfifo(fifo)
        os.chmod(fifo, 0o622)  # the init writes it, maybe as a non-root user
        namespace_list = self.linux.get("namespaces", [])
        new_userns = namespaces.has_new(namespace_list, "user")
        self.launched = launcher.spawn(
            namespaces.bootstrap_for_create(namespace_list), on_spawned=self._make_cgroup,
            on_stage1=self._write_id_maps if new_userns else None)
        rootfs = os.path.realpath(os.path.join(self.bundle, self.spec["root"]["path"]))
        channel = self.launched.channel
        launcher.send_config(channel, {
            "kind": "init", "spec": self.spec, "bundle": self.bundle, "fifo": fifo,
            "rootfs": rootfs, "userns": self._in_userns(), "preserveFds": preserve_fds,
            "cgroupns": namespaces.has_new(namespace_list, "cgroup"),
            "hooks": bool(self.spec.get("hooks")),
            "cgroupDirs": self.cgroup.dirs(),
        })
        # Moving a process between cgroups can wait for an RCU grace period
        # (~10-20 ms on v1): the init builds the container's root meanwhile,
        # and waits for this message before anything that needs the cgroup
        # (a cgroup namespace, hooks, saying it is ready).
        self.cgroup.add_pid(self.launched.pid)
        launcher.send_config(channel, {"type": "cgroup-joined"})
        launcher.serve(self.launched.channel, console_socket, on_console,
                       handlers={"hooks": self._runtime_hooks})
        record = self._record(rootfs)
        self.store.save(self.id, record)
        if pid_file:
            write_pid_file(pid_file, self.launched.pid)
        self.launched.channel.close()
        return Container(self.store, record)

    def _make_cgroup(self):
        """The container's cgroup with its limits: made while the init's
        interpreter loads (see launcher.spawn)."""
        self.cgroup = cgroups.manager_for(self.linux.get("cgroupsPath"), self.id,
                                          systemd=self.systemd_cgroup)
        self.cgroup.create()
        self.cgroup.apply(self.linux.get("resources") or {})

    def _in_userns(self):
        return any(ns["type"] == "user" for ns in self.linux.get("namespaces", []))

    def _runtime_hooks(self, _message):
        """The init has built the container's root and waits before pivoting:
        prestart and createRuntime hooks now; it runs createContainer next."""
        from libcontainer import hooks
        pid = self.launched.pid
        creating = hooks.state_json(self.spec, self.id, "creating", pid, self.bundle)
        hooks.run(self.spec, "prestart", creating)
        hooks.run(self.spec, "createRuntime", creating)
        self.launched.channel.send({
            "type": "continue", "state": creating,
            "startState": hooks.state_json(self.spec, self.id, "created", pid, self.bundle)})

    def _write_id_maps(self, pid):
        launcher.write_id_maps(pid, self.linux.get("uidMappings", []),
                               self.linux.get("gidMappings", []))

    def _record(self, rootfs):
        pid = self.launched.pid
        return {
            "id": self.id, "pid": pid, "pidStartTime": statestore.process_start_time(pid),
            "bundle": self.bundle, "rootfs": rootfs, "created": now_rfc3339(),
            "config": self.spec, "cgroup": self.cgroup.to_state(),
        }

    def undo(self):
        if self.launched:
            launcher.kill_and_reap(self.launched.pid)
            self.launched.channel.close()
        if self.cgroup:
            try:
                self.cgroup.kill_all(signal.SIGKILL)
                self.cgroup.destroy()
            except errors.PyruncError:
                pass
        self.store.remove(self.id)


def write_pid_file(path, pid):
    """Atomically, as runc does: readers never see an empty file."""
    path = os.path.abspath(path)
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.tmp")
    try:
        with open(tmp, "w") as f:
            f.write(str(pid))
        os.rename(tmp, path)
    except OSError as exc:
        raise errors.PyruncError(f"--pid-file {path}: {exc.strerror}") from None
