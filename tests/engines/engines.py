"""Podman, containerd and docker driving pyrunc (and runc, to compare), each
configured only from files in a temp dir of its own.

Nothing here touches an engine's default state: podman gets its
containers.conf, storage.conf and registries.conf through CONTAINERS_CONF,
CONTAINERS_STORAGE_CONF and CONTAINERS_REGISTRIES_CONF and temp --root /
--runroot; the two daemons (containerd, dockerd) get temp roots, state dirs
and sockets, and run in a mount namespace of their own where /run and /opt
are empty tmpfs and /etc/docker an empty dir: whatever they write there by
default (containerd's shim sockets in /run/containerd/s, dockerd's
/etc/docker/key.json, the opt plugin's /opt/containerd) goes away with them.
dockerd also gets a network namespace of its own, so its default bridge and
its iptables rules live there and the host's firewall is never touched.
A daemon is stopped by the pid the tests started it as.

Each engine's cgroups go under a parent named from `tag` (the tests' session
tag, the benchmark's own). bench/bench.py uses this module too.
"""
import collections
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

COMMAND_TIMEOUT = 120
DAEMON_START_TIMEOUT = 60
DAEMON_STOP_TIMEOUT = 30
# podman's built-in ulimits (nofile and nproc at 1048576) cannot be set on a
# machine whose hard limits are lower without CAP_SYS_RESOURCE; runc fails too.
PODMAN_ULIMITS = ["nofile=1024:1024", "nproc=4096:4096"]

Result = collections.namedtuple("Result", "rc out err")


class EngineMissing(Exception):
    """An engine's binary is not installed (the only reason to skip)."""


def need_binaries(*names):
    """Absolute paths of the binaries, or EngineMissing naming the first absent."""
    found = []
    for name in names:
        path = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if not path:
            raise EngineMissing(name)
        found.append(path)
    return found


def run_command(argv, env=None, input=None, timeout=COMMAND_TIMEOUT, cwd=None):
    """Run argv to the end; stdout and stderr through files, not pipes (a
    daemon or conmon started by the command may hold them open)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdin = subprocess.DEVNULL if input is None else subprocess.PIPE
        proc = subprocess.Popen(argv, stdin=stdin, stdout=out, stderr=err, env=env, cwd=cwd)
        try:
            proc.communicate(input.encode() if isinstance(input, str) else input,
                             timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise AssertionError(f"timed out after {timeout}s: {' '.join(argv)}")
        out.seek(0)
        err.seek(0)
        return Result(proc.returncode, out.read().decode(errors="replace"),
                      err.read().decode(errors="replace"))


def write_file(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return str(path)


def runtime_wrapper(directory, name, binary, root):
    """An executable `directory/name` that runs `binary --root ROOT ...`:
    podman passes no --root, so a runtime would use its host default."""
    os.makedirs(root, exist_ok=True)
    return write_file(os.path.join(directory, name),
                      f'#!/bin/sh\nexec {binary} --root {root} "$@"\n', 0o755)


PYRUNC_STATE = "state.marshal"  # pyrunc's record in a state dir (runc's: state.json)


def state_dirs(root, records=(PYRUNC_STATE, "state.json")):
    """Container state dirs below a runtime's --root (at any depth: the
    shims add a namespace level), those with one of `records` in them."""
    return [dirpath for dirpath, _, filenames in os.walk(root)
            if any(record in filenames for record in records)]


def mounts_below(directory):
    prefix = directory.rstrip("/") + "/"
    with open("/proc/self/mountinfo") as f:
        points = [line.split()[4] for line in f]
    return [p for p in points if p.startswith(prefix)]


def remove_workdir(workdir):
    """rm -r an engine's temp dir unless something is still mounted below
    it (then that is reported, and the dir kept)."""
    mounted = mounts_below(workdir)
    if mounted:
        return [f"mount {m}" for m in mounted]
    shutil.rmtree(workdir)
    return []


# --------------------------------------------------------------------------
# cgroups seen from the host

CGROUP_ROOT = "/sys/fs/cgroup"


UNIFIED = os.path.exists(os.path.join(CGROUP_ROOT, "cgroup.controllers"))


def host_cgroup_dir(pid, controller):
    """The host path of PID's cgroup: in `controller`'s v1 hierarchy, or
    the unified one on a cgroup v2 host."""
    with open(f"/proc/{pid}/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            if (UNIFIED and controllers == "") or controller in controllers.split(","):
                top = CGROUP_ROOT if UNIFIED else os.path.join(CGROUP_ROOT, controller)
                return os.path.join(top, path.lstrip("/"))
    raise AssertionError(f"pid {pid} has no {controller} cgroup")


def read_cgroup(pid, controller, v1_name, v2_name):
    name = v2_name if UNIFIED else v1_name
    with open(os.path.join(host_cgroup_dir(pid, controller), name)) as f:
        return f.read().strip()


def memory_limit(pid):
    return int(read_cgroup(pid, "memory", "memory.limit_in_bytes", "memory.max"))


def cpu_quota_and_period(pid):
    if UNIFIED:
        quota, period = read_cgroup(pid, "cpu", "", "cpu.max").split()
    else:
        quota = read_cgroup(pid, "cpu", "cpu.cfs_quota_us", "")
        period = read_cgroup(pid, "cpu", "cpu.cfs_period_us", "")
    return int(quota), int(period)


def pids_max(pid):
    return read_cgroup(pid, "pids", "pids.max", "pids.max")


def frozen(pid):
    state = read_cgroup(pid, "freezer", "freezer.state", "cgroup.freeze")
    return {"FROZEN": True, "THAWED": False, "1": True, "0": False}[state]


def cgroup_parent_dirs(parent):
    """Every hierarchy's directory for a cgroup parent, where it exists."""
    tops = [CGROUP_ROOT] if UNIFIED else [
        os.path.join(CGROUP_ROOT, h) for h in sorted(os.listdir(CGROUP_ROOT))
        if not os.path.islink(os.path.join(CGROUP_ROOT, h))]
    dirs = [os.path.join(top, parent.lstrip("/")) for top in tops]
    return [d for d in dirs if os.path.isdir(d)]


def remove_cgroup_parent(parent):
    """rmdir the parent's tree (empty cgroups only); returns what is left
    holding processes."""
    busy = []
    for top in cgroup_parent_dirs(parent):
        for dirpath, _, _ in sorted(os.walk(top), key=lambda w: -len(w[0])):
            try:
                os.rmdir(dirpath)
            except FileNotFoundError:
                pass
            except OSError as exc:
                busy.append(f"cgroup {dirpath}: {exc.strerror}")
    return busy


# --------------------------------------------------------------------------
# daemons in a mount (and network) namespace of their own

def _mount_namespace(pid):
    try:
        return os.readlink(f"/proc/{pid}/ns/mnt")
    except OSError:
        return None


def processes_in_namespace(ns):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _mount_namespace(entry) == ns:
            pids.append(int(entry))
    return pids


class PrivateDaemon:
    """A daemon started with `unshare --mount [--net]` behind a script that
    covers /run and /opt with tmpfs and /etc/docker with an empty dir."""

    def __init__(self, name, argv, workdir, ready_path, new_net=False):
        self.name, self.workdir = name, workdir
        self.log = os.path.join(workdir, f"{name}.log")
        script = write_file(os.path.join(workdir, f"start-{name}.sh"),
                            self._script(argv, new_net))
        unshare = ["unshare", "--mount", "--propagation", "private"]
        unshare += ["--net"] if new_net else []
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(unshare + ["sh", script], stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=log, start_new_session=True)
        self.namespace = None
        self._wait_ready(ready_path)

    def _script(self, argv, new_net):
        empty = os.path.join(self.workdir, "empty")
        os.makedirs(empty, exist_ok=True)
        lines = ["set -e", "mount -t tmpfs -o mode=755 tmpfs /run",
                 "mount -t tmpfs -o mode=755 tmpfs /opt"]
        if os.path.isdir("/etc/docker"):  # dockerd's (Docker checks it is there)
            lines.append(f"mount --bind {empty} /etc/docker")
        if new_net:
            lines.append("ip link set lo up")
        lines.append("exec " + " ".join(argv))
        return "\n".join(lines) + "\n"

    def _wait_ready(self, ready_path):
        deadline = time.monotonic() + DAEMON_START_TIMEOUT
        ours = _mount_namespace("self")
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited ({self.proc.returncode}):\n"
                                     + self.log_tail())
            if self.namespace is None and _mount_namespace(self.proc.pid) not in (None, ours):
                self.namespace = _mount_namespace(self.proc.pid)
            if self.namespace and os.path.exists(ready_path):
                return
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"{self.name} not ready after {DAEMON_START_TIMEOUT}s:\n"
                             + self.log_tail())

    def log_tail(self, lines=15):
        with open(self.log, errors="replace") as f:
            return "".join(f.readlines()[-lines:])

    def stop(self):
        """SIGTERM the daemon (SIGKILL if it lingers); returns the processes
        that were still left in its namespace (shims), which it kills."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=DAEMON_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        left = []
        if self.namespace:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and processes_in_namespace(self.namespace):
                time.sleep(0.1)
            for pid in processes_in_namespace(self.namespace):
                left.append(f"process {pid} left in {self.name}'s namespace")
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        return left


# --------------------------------------------------------------------------
# the engines

class CliEngine:
    """What podman and docker share: the same command line for run, exec,
    logs, stop, rm, pause, top, inspect."""

    name = ""
    bridge_network = False

    def __call__(self, *args, runtime="pyrunc", input=None, timeout=COMMAND_TIMEOUT):
        # In the temp dir: podman's conmon writes an `oom` file to its cwd.
        return run_command(self.argv(*map(str, args), runtime=runtime), env=self.env,
                           input=input, timeout=timeout, cwd=self.workdir)

    def ok(self, *args, **kw):
        result = self(*args, **kw)
        assert result.rc == 0, f"{self.name} {' '.join(map(str, args))} -> {result}"
        return result.out

    def run(self, *args, runtime="pyrunc", network="none", **kw):
        """`run` through `runtime` with this engine's options, then args."""
        return self(*self.run_options(runtime, network), *args, runtime=runtime, **kw)

    def pid(self, container):
        return int(self.ok("inspect", "-f", "{{.State.Pid}}", container).strip())

    def inspect(self, container, template):
        return self.ok("inspect", "-f", template, container).strip()

    def container_ids(self):
        return self.ok("ps", "-aq", "--no-trunc").split()

    def container_cgroups(self):
        """Cgroups below this engine's parent other than podman's for conmon."""
        return [os.path.join(top, name) for top in cgroup_parent_dirs(self.cgroup_parent)
                for name in os.listdir(top)
                if os.path.isdir(os.path.join(top, name)) and name != "conmon"]

    def remove(self, container, check=True):
        """kill, wait, rm (`rm -f` would wait 10 s for a SIGTERM that a pid 1
        ignores). podman 4.3 may still be busy with a user-namespaced
        container's /dev/shm mount when its `wait` returns, with runc as with
        pyrunc: its `rm` fails with EBUSY for a moment then, and is retried."""
        self("kill", container)
        self("wait", container)
        deadline = time.monotonic() + 10
        busy = False
        while True:
            result = self("rm", container)
            if busy and "no such container" in result.err:
                break  # the busy `rm` did remove it, as its clean-up ended
            busy = "resource busy" in result.err
            if result.rc == 0 or not busy or time.monotonic() > deadline:
                assert result.rc == 0 or not check, f"{self.name} rm {container} -> {result}"
                break
            time.sleep(0.1)

    def remove_all(self):
        ids = self.container_ids()
        for cid in ids:
            self.remove(cid, check=False)
        if ids:
            self("rm", "-f", *ids)  # whatever the loop could not remove
        return ids


class Podman(CliEngine):
    name = "podman"

    def __init__(self, workdir, pyrunc, tag):
        self.workdir = workdir
        self.podman, _, runc = need_binaries("podman", "conmon", "runc")
        runtimes = {"pyrunc": pyrunc, "runc": runc}
        self.cgroup_parent = f"/{tag}-podman"
        self.roots, paths = {}, {}
        for name, binary in runtimes.items():
            self.roots[name] = os.path.join(workdir, f"{name}-root")
            paths[name] = runtime_wrapper(workdir, name, binary, self.roots[name])
        self.runtime_paths = paths
        self.env = self._write_config()

    def _write_config(self):
        d = self.workdir
        for sub in ("tmp", "net", "volumes"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        runtimes = "".join(f'{n} = ["{p}"]\n' for n, p in self.runtime_paths.items())
        write_file(os.path.join(d, "containers.conf"), f"""\
[containers]
default_ulimits = {json.dumps(PODMAN_ULIMITS)}
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "{d}/events.log"
tmp_dir = "{d}/tmp"
image_copy_tmp_dir = "{d}/tmp"
lock_type = "file"
volume_path = "{d}/volumes"
static_dir = "{d}/static"
[engine.runtimes]
{runtimes}[network]
network_backend = "cni"
network_config_dir = "{d}/net"
""")
        write_file(os.path.join(d, "storage.conf"),
                   f'[storage]\ndriver = "vfs"\ngraphroot = "{d}/storage"\nrunroot = "{d}/run"\n')
        write_file(os.path.join(d, "registries.conf"), "")
        write_file(os.path.join(d, "policy.json"),
                   '{"default": [{"type": "insecureAcceptAnything"}]}\n')
        env = dict(os.environ, CONTAINERS_CONF=f"{d}/containers.conf",
                   CONTAINERS_STORAGE_CONF=f"{d}/storage.conf",
                   CONTAINERS_REGISTRIES_CONF=f"{d}/registries.conf", TMPDIR=f"{d}/tmp")
        env.pop("PYTHONPATH", None)
        return env

    def argv(self, *args, runtime="pyrunc"):
        """A container keeps the runtime it was created with (found by its
        name in [engine.runtimes]); --runtime matters for `run`/`create`."""
        return [self.podman, "--root", f"{self.workdir}/storage",
                "--runroot", f"{self.workdir}/run", "--runtime", self.runtime_paths[runtime], *args]

    def run_options(self, runtime, network="none"):
        # podman's default network would add rules to the host's firewall
        assert network == "none", "podman runs here with --network none only"
        return ["run", "--cgroup-parent", self.cgroup_parent, "--network", network]

    def pyrunc_root(self):
        return self.roots["pyrunc"]

    def load(self, tarball):
        """`podman load` writes its blob-info cache to /var/lib/containers/cache
        whatever --root says: run it with /var/lib a tmpfs of its own."""
        script = write_file(os.path.join(self.workdir, "load.sh"),
                            "mount -t tmpfs tmpfs /var/lib && exec \"$@\"\n")
        argv = ["unshare", "--mount", "--propagation", "private", "sh", script,
                *self.argv("load", "--signature-policy", f"{self.workdir}/policy.json",
                           "-i", tarball)]
        result = run_command(argv, env=self.env)
        assert result.rc == 0, f"podman load: {result}"

    def leftovers(self):
        left = [f"state dir {p}" for root in self.roots.values() for p in state_dirs(root)]
        left += remove_cgroup_parent(self.cgroup_parent)
        return left

    def close(self):
        self.remove_all()
        return self.leftovers()


class Docker(CliEngine):
    name = "docker"
    bridge_network = True

    def __init__(self, workdir, pyrunc, tag):
        self.workdir = workdir
        dockerd, _, _, _ = need_binaries("dockerd", "containerd", "containerd-shim-runc-v2", "runc")
        # dockerd 20.10 writes /etc/docker/key.json whatever it is told; the
        # daemon's namespace covers that dir, which docker.io's package makes.
        assert os.path.isdir("/etc/docker"), \
            "/etc/docker is missing: dockerd would make it and write key.json in it"
        self.client = self._client(dockerd)
        self.cgroup_parent = f"/{tag}-docker"
        self.socket = os.path.join(workdir, "docker.sock")
        self.exec_root = os.path.join(workdir, "exec")
        self.env = dict(os.environ, DOCKER_CONFIG=os.path.join(workdir, "client"))
        self.env.pop("DOCKER_HOST", None)
        write_file(os.path.join(workdir, "daemon.json"), "{}\n")
        argv = [dockerd, "--config-file", f"{workdir}/daemon.json",
                "--data-root", f"{workdir}/data", "--exec-root", self.exec_root,
                "--pidfile", f"{workdir}/docker.pid", "-H", f"unix://{self.socket}",
                "--add-runtime", f"pyrunc={pyrunc}", "--default-runtime", "pyrunc",
                "--cgroup-parent", self.cgroup_parent, "--userland-proxy=false"]
        # Its own network namespace: the default bridge and iptables rules are its own.
        self.daemon = PrivateDaemon("dockerd", argv, workdir, self.socket, new_net=True)

    @staticmethod
    def _client(dockerd):
        """The client of the same package as dockerd if there is one
        (/usr/sbin/dockerd -> /usr/bin/docker), else the one on $PATH."""
        beside = os.path.join(os.path.dirname(os.path.dirname(dockerd)), "bin", "docker")
        return beside if os.access(beside, os.X_OK) else need_binaries("docker")[0]

    def argv(self, *args, runtime=None):
        return [self.client, "-H", f"unix://{self.socket}", *args]

    def run_options(self, runtime, network="none"):
        return ["run", "--runtime", runtime, "--network", network]

    def load(self, tarball):
        self.ok("load", "-i", tarball)

    def pyrunc_root(self):
        """dockerd 20.10 gives every runtime the runc shim's root."""
        return os.path.join(self.exec_root, "runtime-runc")

    def close(self):
        self.remove_all()
        left = [f"state dir {p}" for p in state_dirs(self.pyrunc_root())]
        left += self.daemon.stop()
        left += remove_cgroup_parent(self.cgroup_parent)
        return left


class Containerd:
    """containerd with its own config.toml, root, state and socket; `ctr`
    runs containers through the runc shim with --runc-binary."""

    name = "containerd"

    def __init__(self, workdir, pyrunc, tag):
        self.workdir = workdir
        # A container run without --cgroup (or by a runtime ctr picks itself,
        # as with --uidmap) goes under /<namespace>/: tagged like the rest,
        # and removed at close. (A fixed name left /pyrunc-test behind.)
        self.namespace = f"{tag}-ns"
        containerd, self.ctr, _, runc = need_binaries("containerd", "ctr",
                                                      "containerd-shim-runc-v2", "runc")
        self.runtimes = {"pyrunc": pyrunc, "runc": runc}
        self.cgroup_parent = f"/{tag}-containerd"
        self.socket = os.path.join(workdir, "containerd.sock")
        self.roots = {name: os.path.join(workdir, f"{name}-root") for name in self.runtimes}
        config = write_file(os.path.join(workdir, "config.toml"), f"""\
version = 2
root = "{workdir}/root"
state = "{workdir}/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "{self.socket}"
[ttrpc]
  address = "{self.socket}.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "{workdir}/opt"
""")
        self.daemon = PrivateDaemon("containerd", [containerd, "--config", config], workdir,
                                    self.socket)
        self.env = dict(os.environ)
        self.env.pop("CONTAINERD_ADDRESS", None)

    def __call__(self, *args, input=None, timeout=COMMAND_TIMEOUT):
        argv = [self.ctr, "--address", self.socket, "-n", self.namespace, *map(str, args)]
        return run_command(argv, env=self.env, input=input, timeout=timeout)

    def ok(self, *args, **kw):
        result = self(*args, **kw)
        assert result.rc == 0, f"ctr {' '.join(map(str, args))} -> {result}"
        return result.out

    def fifo_dir(self):
        return os.path.join(self.workdir, "fifo")

    def run(self, *args, runtime="pyrunc", **kw):
        """`ctr run` through `runtime`; `ctr run` never closes stdin, so it
        gets /dev/null (run_command's default)."""
        return self("run", "--fifo-dir", self.fifo_dir(), "--runtime", "io.containerd.runc.v2",
                    "--runc-binary", self.runtimes[runtime], "--runc-root", self.roots[runtime],
                    *args, **kw)

    def cgroup(self, container):
        return f"{self.cgroup_parent}/{container}"

    def load(self, tarball):
        self.ok("image", "import", tarball)

    def remove_all(self):
        for task in self.ok("task", "ls", "-q").split():
            self("task", "kill", "-s", "SIGKILL", task)
            self("task", "delete", "-f", task)
        names = self.ok("container", "ls", "-q").split()
        if names:
            self("container", "delete", *names)
        return names

    def close(self):
        self.remove_all()
        left = [f"state dir {p}" for root in self.roots.values() for p in state_dirs(root)]
        left += self.daemon.stop()
        left += remove_cgroup_parent(self.cgroup_parent)
        left += remove_cgroup_parent(f"/{self.namespace}")
        return left
