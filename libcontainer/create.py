"""create: a container whose init is set up and waits for `start` (runtime.md)."""
import os
import _signal as signal  # the C module: signal.py would import enum (~5 ms)
import time

from libcontainer import cgroups, diagnostics, errors, launcher, plan, state as statestore
from libcontainer import early, state_fast
from libcontainer.cgroups import warmup
from libcontainer.config import loader, unsupported
from libcontainer.container import Container


def create(store, container_id, bundle, *, pid_file=None, console_socket=None,
           on_console=None, preserve_fds=0, systemd_cgroup=False, no_new_keyring=False,
           no_pivot=False, fast_state=True, start_now=False):
    """Create the container; on_console(fd) takes the pty master (run -t).
    The init is the caller's child: run waits for it. systemd_cgroup: the
    cgroupsPath is systemd's slice:prefix:name (runc's --systemd-cgroup).
    no_new_keyring: the init keeps the caller's session keyring instead of
    a new one of its own. no_pivot: the root is moved onto "/" and chrooted
    into instead of pivot_root (runc's --no-pivot, for a ramdisk root).
    fast_state: write state.fast, from which the C front answers state,
    kill, start and delete without Python; a foreground run, which deletes
    the container itself, does without it (the others ask Python then).
    start_now: no exec fifo and no `start`: the process is exec'd as soon as
    it is set up, and create returns once it has been (run, which runs the
    poststart hooks itself). Not without a process: `start` says why not.

    On any failure nothing is left behind: no state dir, cgroup or process."""
    statestore.check_id(container_id)
    warmup.start()  # see there: it overlaps a kernel wait with reading the config
    bundle = os.path.abspath(bundle)
    spec = loader.load_bundle(bundle)
    _check_terminal(spec, console_socket, on_console)
    unsupported.refuse_labels(spec)
    ignored = unsupported.not_applied(spec)
    if ignored:
        diagnostics.warning(f"not applied yet: {', '.join(ignored)}")  # to --log, not stdio
    store.make_dir(container_id)
    creation = _Creation(store, container_id, bundle, spec, systemd_cgroup,
                         None if no_new_keyring else f"_ses.{container_id}", no_pivot)
    try:
        return creation.run(pid_file, console_socket, on_console, preserve_fds, fast_state,
                            start_now)
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


def now_rfc3339():
    t = time.time_ns()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t // 10**9)) + f".{t % 10**9:09d}Z"


class _Creation:
    def __init__(self, store, container_id, bundle, spec, systemd_cgroup, keyring, no_pivot):
        self.store, self.id, self.bundle, self.spec = store, container_id, bundle, spec
        self.systemd_cgroup, self.keyring, self.no_pivot = systemd_cgroup, keyring, no_pivot
        self.linux = spec.get("linux", {})
        self.cgroup = None
        self.rootfs = None
        self.launched = None

    def run(self, pid_file, console_socket, on_console, preserve_fds, fast_state=True,
            start_now=False):
        preserve_fds, extra_env = launcher.inherited_fds(preserve_fds)
        process = self.spec.get("process")
        if process is not None:
            process["env"] = process.get("env", []) + extra_env
        start_now = start_now and process is not None
        fifo = None if start_now else self._make_fifo()
        self.cgroup = self._cgroup_manager()
        self.rootfs = os.path.realpath(os.path.join(self.bundle, self.spec["root"]["path"]))
        ops = plan.compile_create(self.spec, plan.CreateContext(
            self.bundle, self.rootfs, fifo, self.cgroup.dirs() if self.cgroup else {},
            preserve_fds, seccomp_program(self.spec) if process else None,
            keyring=self.keyring, rootless=ROOTLESS, no_pivot=self.no_pivot))
        self.store.save(self.id, self._record(0))
        self.launched = launcher.spawn(ops, on_stage1=self._write_id_maps,
                                       meanwhile=self.cgroup and self._make_cgroup)
        channel = self.launched.channel
        if self.cgroup:
            # The init mounts what needs no cgroup meanwhile, then waits for
            # this word (see cgroups/warmup.py for what the move costs).
            try:
                self.cgroup.add_pid(self.launched.pid)
            except errors.PyruncError:
                launcher.raise_reported_error(channel)  # the init's failure came first
                raise
        warmup.stop()  # no more moves of ours
        launcher.tell(channel, b"J")
        launcher.serve(channel, console_socket, on_console,
                       handlers={"hooks": self._runtime_hooks, "seccomp": self._seccomp_agent})
        early.finish()  # the keeper let go of above has exited by now: reaped
        return self._created(pid_file, fast_state, start_now)

    def _created(self, pid_file, fast_state, start_now):
        """The init is ready: its record, and with start_now its exec."""
        record = self._record(self.launched.pid)
        self.store.save(self.id, record)
        if fast_state:
            state_fast.write(Container(self.store, record))
        if start_now:
            # Nothing waits for `start`: the init goes on to exec, which
            # closes its pipe (or it sends why it could not), as the fifo
            # tells start.
            launcher.serve(self.launched.channel, until=None)
        if pid_file:  # only once all went well, as runc
            write_pid_file(pid_file, self.launched.pid)
        self.launched.channel.close()
        return Container(self.store, record)

    def _make_fifo(self):
        fifo = self.store.path(self.id, statestore.FIFO_NAME)
        os.mkfifo(fifo)
        os.chmod(fifo, 0o622)  # the init writes it, maybe as a non-root user
        return fifo

    def _cgroup_manager(self):
        """None for an unprivileged caller: it may not make cgroups (as runc
        without systemd's delegation), so limits are refused, not ignored."""
        if not ROOTLESS:
            return cgroups.manager_for(self.linux.get("cgroupsPath"), self.id,
                                       systemd=self.systemd_cgroup)
        limits = {k: v for k, v in (self.linux.get("resources") or {}).items()
                  if v and k != "devices"}  # no devices to guard in a user namespace
        if limits:
            raise errors.ConfigError(
                f"linux.resources.{next(iter(limits))}: an unprivileged caller gets no "
                "cgroup to apply it in")
        return None

    def _make_cgroup(self):
        self.cgroup.create()
        self.store.save(self.id, self._record(0))  # now with the parents it made
        if self.cgroup.is_frozen():
            # Its first process would freeze at once, and `run` wait forever.
            raise errors.PyruncError(
                "linux.cgroupsPath: the container's cgroup is frozen (thaw it first)")
        self.cgroup.apply(self.linux.get("resources") or {})

    def _runtime_hooks(self, _message):
        """The init has built the container's root and waits before pivoting:
        prestart and createRuntime hooks now; it runs createContainer next."""
        from libcontainer import hooks
        pid = self.launched.pid
        creating = hooks.state_json(self.spec, self.id, "creating", pid, self.bundle)
        hooks.run(self.spec, "prestart", creating)
        hooks.run(self.spec, "createRuntime", creating)
        starting = hooks.state_json(self.spec, self.id, "created", pid, self.bundle)
        launcher.tell(self.launched.channel, b"K",
                      creating.encode() + b"\0" + starting.encode() + b"\0")

    def _seccomp_agent(self, _message):
        from libcontainer import seccomp_agent
        seccomp_agent.send(self.spec, self.id, self.launched.pid, self.bundle,
                           self.launched.channel.take_fd(), "creating")

    def _write_id_maps(self, pid):
        launcher.write_id_maps(pid, self.linux.get("uidMappings", []),
                               self.linux.get("gidMappings", []))

    def _record(self, pid):
        """pid 0: the record of a create under way, written before the cgroup
        exists, so that `delete --force` can undo a create killed at any point."""
        return {
            "id": self.id, "pid": pid,
            "pidStartTime": statestore.process_start_time(pid) if pid else None,
            "bundle": self.bundle, "rootfs": self.rootfs, "created": now_rfc3339(),
            "config": self.spec, "cgroup": self.cgroup.to_state() if self.cgroup else None,
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


# An unprivileged caller runs rootless containers (runc's --rootless auto).
ROOTLESS = os.geteuid() != 0


def seccomp_program(spec):
    """linux.seccomp compiled to BPF (program, flags), or None."""
    profile = (spec.get("linux") or {}).get("seccomp")
    if not profile:
        return None
    from libcontainer.seccomp import Filter
    return Filter.from_spec(profile).bpf()


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
