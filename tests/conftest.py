"""Shared fixtures for the test suites.

The integration tests (tests/integration/) run real containers through the
`pyrunc` command line as root. Everything they make carries this session's tag
(TEST_TAG, "pyrunc-test-<random>"):

* the state root     /run/<TEST_TAG>
* container ids      <TEST_TAG>-<random>
* cgroups            /<TEST_TAG>/<id> in every hierarchy (linux.cgroupsPath),
                     or pyrunc/<id> below our own cgroup when a test asks for
                     the default path
* bundles            pytest's tmp dirs, named pyrunc-test-bundle*

Each test deletes (--force) every container it made in a finalizer, and the
session-wide `leftover_check` fixture fails the run if any state dir, mount,
cgroup or container process made by the tests is still there at the end
(it cleans up what it found, so the host is not left dirty either).
"""
import contextlib
import copy
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ROOTFS = REPO / "bundles" / "busybox" / "rootfs"
MAKE_ROOTFS = REPO / "bundles" / "make-rootfs.sh"
INTEGRATION_DIR = Path(__file__).resolve().parent / "integration"
SECURITY_DIR = Path(__file__).resolve().parent / "security"

SESSION = uuid.uuid4().hex[:8]
TEST_TAG = f"pyrunc-test-{SESSION}"
STATE_ROOT = f"/run/{TEST_TAG}"
CGROUP_PARENT = f"/{TEST_TAG}"
CGROUP_MOUNT = "/sys/fs/cgroup"
TIMEOUT = 20
IS_ROOT = os.geteuid() == 0


# --------------------------------------------------------------------------
# the C side built from the working tree

def _rebuild_stale_init():
    """pyrunc-init and the cffi module are built in place by `pip install -e`;
    rebuild them when a C source changed since, so the tests run the tree."""
    c_dir = REPO / "_nsexec"
    built = c_dir / "pyrunc-init"
    sources = [p for p in c_dir.iterdir() if p.suffix in (".c", ".h")] + [REPO / "setup.py"]
    if built.exists() and all(p.stat().st_mtime <= built.stat().st_mtime for p in sources):
        return
    result = subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"],
                            cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.exit(f"building _nsexec failed:\n{result.stderr}", returncode=1)


def _rebuild_stale_launcher():
    """The `pyrunc` command next to the tests' interpreter is the C launcher
    pip built from _nsexec/launcher.c and early.c: rebuilt in place when they changed."""
    launcher = Path(sys.executable).parent / "pyrunc"
    newest = max((REPO / "_nsexec" / name).stat().st_mtime
                 for name in ("launcher.c", "early.c", "early.h"))
    if not launcher.exists() or launcher.stat().st_mtime >= newest:
        return
    code = ("import sys; from distutils.ccompiler import new_compiler; "
            "from distutils.sysconfig import customize_compiler; "
            "from _nsexec.build import build_launcher; c = new_compiler(); "
            "customize_compiler(c); build_launcher(c, sys.argv[1], sys.argv[2])")
    result = subprocess.run([sys.executable, "-c", code, str(REPO / "build" / "launcher"),
                             str(launcher.parent)], cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.exit(f"building the pyrunc launcher failed:\n{result.stderr}", returncode=1)


def _rebuild_stale_code_pack():
    """The pack pyrunc imports its modules from (runtime/code_pack.py): an edited
    module would be imported from its source all the same, but the tests should
    run the way a fresh install does."""
    from runtime import code_pack
    if not code_pack.is_fresh(str(REPO)):
        code_pack.build(str(REPO))


_rebuild_stale_init()
_rebuild_stale_launcher()
_rebuild_stale_code_pack()


# --------------------------------------------------------------------------
# skipping without root

def pytest_collection_modifyitems(config, items):
    if IS_ROOT:
        return
    skip = pytest.mark.skip(reason="integration and security tests run real containers: need root")
    for item in items:
        parents = Path(str(item.fspath)).resolve().parents
        if INTEGRATION_DIR in parents or SECURITY_DIR in parents:
            item.add_marker(skip)


# --------------------------------------------------------------------------
# the executable

def find_pyrunc():
    """`pyrunc` next to the interpreter running the tests (a venv's bin), else $PATH."""
    beside = Path(sys.executable).parent / "pyrunc"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("pyrunc")
    if found:
        return found
    pytest.fail("no pyrunc executable next to sys.executable or on $PATH: "
                "pip install the project into the test environment", pytrace=False)


def new_id():
    """A container id no other test (or test run) uses."""
    return f"{TEST_TAG}-{uuid.uuid4().hex[:8]}"


def process_start_time(pid):
    """Field 22 of /proc/PID/stat, or None when PID is gone (or a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(b")") + 2:].split()
    if fields[0] in (b"Z", b"X"):
        return None
    return int(fields[19])


class Tracker:
    """What the session made that must be gone at the end: container init
    processes (pid, start time), as `pyrunc state` reported them."""

    def __init__(self):
        self.pids = {}  # pid -> (container id, start time)

    def record_pid(self, container_id, pid):
        if pid:
            self.pids[pid] = (container_id, process_start_time(pid))

    def live_pids(self):
        alive = []
        for pid, (cid, start) in self.pids.items():
            if start is not None and process_start_time(pid) == start:
                alive.append((pid, cid))
        return alive


_TRACKER = Tracker()


class Runtime:
    """Runs `pyrunc --root STATE_ROOT ...`; returns (rc, stdout, stderr).

    stdout and stderr go through temporary files, not pipes: a container's
    init inherits them and outlives `create`/`run -d`, and a pipe would make
    the call wait for the container. stdin is /dev/null unless `input` is given.
    """

    def __init__(self, exe, root, env):
        self.exe, self.root, self.env = exe, root, env
        self.ids = []  # containers this test may have made: delete --force them

    def new_id(self):
        cid = new_id()
        self.track(cid)
        return cid

    def track(self, cid):
        if cid not in self.ids:
            self.ids.append(cid)

    def argv(self, *args, root=None):
        return [self.exe, "--root", root or self.root, *map(str, args)]

    def __call__(self, *args, input=None, timeout=TIMEOUT, root=None, env=None, pass_fds=(),
                 cwd=None, wrap=()):
        """wrap: a command line that runs pyrunc's (its last arguments)."""
        argv = [*wrap, *self.argv(*args, root=root)]
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
                tempfile.TemporaryFile() as stdin:
            if input is not None:
                stdin.write(input.encode() if isinstance(input, str) else input)
                stdin.seek(0)
            try:
                proc = subprocess.run(argv, stdin=stdin, stdout=out, stderr=err, cwd=cwd,
                                      timeout=timeout, env=env or self.env, pass_fds=pass_fds)
            except subprocess.TimeoutExpired:
                pytest.fail(f"timed out after {timeout}s: {' '.join(argv)}", pytrace=False)
            out.seek(0)
            err.seek(0)
            result = (proc.returncode, out.read().decode(errors="replace"),
                      err.read().decode(errors="replace"))
        self._record(args, result[0], root)
        return result

    def _record(self, args, rc, root):
        """After a create / run -d that worked, note the init's pid."""
        if rc != 0 or not args or args[0] not in ("create", "run"):
            return
        cid = str(args[-1])
        if args[0] == "run" and not ({"-d", "--detach"} & set(map(str, args))):
            return
        code, out, _ = self.__call__("state", cid, root=root)
        if code == 0:
            _TRACKER.record_pid(cid, json.loads(out).get("pid"))

    def track_pid(self, label, pid):
        """Another process the tests started in a container (exec -d)."""
        _TRACKER.record_pid(label, pid)

    def background(self, *args, root=None):
        """Start `pyrunc ARGS` without waiting: a Background whose .wait()
        gives (rc, stdout, stderr)."""
        return Background(self.argv(*args, root=root), self.env)

    def ok(self, *args, **kw):
        """Like calling, but the command must succeed; returns stdout."""
        rc, out, err = self(*args, **kw)
        assert rc == 0, f"pyrunc {' '.join(map(str, args))} -> {rc}\nstdout: {out}\nstderr: {err}"
        return out

    def state(self, cid):
        return json.loads(self.ok("state", cid))

    def state_dir(self, cid):
        return os.path.join(self.root, cid)

    def state_record(self, cid):
        """pyrunc's private record in the state dir (its "cgroup" entry says
        where the container's cgroups are), kept in marshal form."""
        import marshal
        with open(os.path.join(self.state_dir(cid), "state.marshal"), "rb") as f:
            return marshal.load(f)

    def wait_status(self, cid, wanted, timeout=10):
        deadline = time.monotonic() + timeout
        status = None
        while time.monotonic() < deadline:
            status = self.state(cid)["status"]
            if status == wanted:
                return
            time.sleep(0.05)
        pytest.fail(f"container {cid} is {status}, not {wanted} after {timeout}s", pytrace=False)

    def cleanup(self):
        problems = []
        for cid in self.ids:
            rc, _, err = self("delete", "--force", cid)
            if rc != 0:
                problems.append(f"delete --force {cid}: rc {rc}: {err.strip()}")
            elif os.path.exists(self.state_dir(cid)):
                problems.append(f"delete --force {cid} left {self.state_dir(cid)}")
        return problems


class Background:
    def __init__(self, argv, env):
        self.argv = argv
        self.out, self.err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.out,
                                     stderr=self.err, env=env)

    def wait(self, timeout=TIMEOUT):
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"timed out after {timeout}s: {' '.join(self.argv)}", pytrace=False)
        finally:
            self.out.seek(0)
            self.err.seek(0)
        out = self.out.read().decode(errors="replace")
        err = self.err.read().decode(errors="replace")
        self.out.close()
        self.err.close()
        return rc, out, err

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# --------------------------------------------------------------------------
# leftovers

def _mountinfo_lines():
    with open("/proc/self/mountinfo") as f:
        return f.read().splitlines()


def _unescape(field):
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n") \
        .replace("\\134", "\\")


def leftover_mounts(needles):
    """Mount points (and bind sources) in our mount namespace naming a test path."""
    found = []
    for line in _mountinfo_lines():
        fields = line.split()
        root, mount_point = _unescape(fields[3]), _unescape(fields[4])
        if any(n in mount_point or n in root for n in needles):
            found.append(mount_point)
    return found


def cgroup_dirs_named(prefix, max_depth=6):
    """Directories below each /sys/fs/cgroup/<hierarchy> whose name starts with
    prefix, searched max_depth levels deep (the default cgroup path nests
    under the caller's own cgroup)."""
    found = []
    try:
        hierarchies = sorted(os.listdir(CGROUP_MOUNT))
    except OSError:
        return found
    for name in hierarchies:
        top = os.path.join(CGROUP_MOUNT, name)
        if not os.path.isdir(top) or os.path.islink(top):
            continue
        level = [top]
        for _ in range(max_depth):
            below = []
            for d in level:
                try:
                    entries = os.scandir(d)
                except OSError:
                    continue
                with entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            if entry.name.startswith(prefix):
                                found.append(entry.path)
                            below.append(entry.path)
            level = below
            if not level:
                break
    return found


def container_cgroup_dirs(cid):
    """Every cgroup dir a container with this id could have."""
    return [d for d in cgroup_dirs_named(TEST_TAG) if os.path.basename(d) == cid]


def _remove_cgroup_tree(path):
    for dirpath, dirnames, _ in sorted(os.walk(path, topdown=False), key=lambda w: -len(w[0])):
        procs = os.path.join(dirpath, "cgroup.procs")
        try:
            with open(procs) as f:
                for pid in f.read().split():
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        except OSError:
            pass
        for _ in range(100):
            try:
                os.rmdir(dirpath)
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.05)


def _find_leftovers(basetemp):
    left = []
    try:
        states = sorted(os.listdir(STATE_ROOT))
    except FileNotFoundError:
        states = []
    left += [f"state dir {STATE_ROOT}/{name}" for name in states]
    left += [f"mount {m}" for m in leftover_mounts([TEST_TAG, str(basetemp), str(ROOTFS)])]
    for d in cgroup_dirs_named(TEST_TAG):
        if os.path.basename(d) != TEST_TAG:
            left.append(f"cgroup {d}")  # a container's (its id starts with TEST_TAG)
            continue
        # /<TEST_TAG> itself is the parent the tests named in cgroupsPath; it
        # is ours to remove at the end, but nothing may be left inside it.
        try:
            with os.scandir(d) as entries:
                left += [f"cgroup {e.path}" for e in entries
                         if e.is_dir(follow_symlinks=False) and not e.name.startswith(TEST_TAG)]
        except OSError:
            pass
    left += [f"process {pid} (init of {cid})" for pid, cid in _TRACKER.live_pids()]
    return left


def _clean_up_leftovers(exe, env, basetemp):
    """Best effort, so a failing run does not leave the host dirty."""
    for pid, _ in _TRACKER.live_pids():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for name in (os.listdir(STATE_ROOT) if os.path.isdir(STATE_ROOT) else ()):
        if exe:
            subprocess.run([exe, "--root", STATE_ROOT, "delete", "--force", name], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=TIMEOUT)
        shutil.rmtree(os.path.join(STATE_ROOT, name), ignore_errors=True)
    for m in reversed(leftover_mounts([TEST_TAG, str(basetemp), str(ROOTFS)])):
        subprocess.run(["umount", "-l", m], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for d in sorted(cgroup_dirs_named(TEST_TAG), key=len, reverse=True):
        _remove_cgroup_tree(d)


def _remove_session_dirs():
    for d in cgroup_dirs_named(TEST_TAG):
        if os.path.basename(d) == TEST_TAG:
            try:
                os.rmdir(d)
            except OSError:
                pass
    try:
        os.rmdir(STATE_ROOT)
    except OSError:
        pass


# --------------------------------------------------------------------------
# fixtures

@pytest.fixture(scope="session")
def pyrunc_exe():
    return find_pyrunc()


@pytest.fixture(scope="session")
def pyrunc_env():
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def _tree(path):
    """Every name below path (not following links): the shared rootfs must end
    the run as it started (pyrunc makes missing mount points in it)."""
    names = set()
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            names.add(os.path.relpath(os.path.join(dirpath, name), path))
    return names


@pytest.fixture(scope="session", autouse=True)
def leftover_check(request, tmp_path_factory):
    """Fails the run if anything made by the tests is left at the end."""
    rootfs_before = _tree(ROOTFS) if IS_ROOT and ROOTFS.is_dir() else None
    yield
    if not IS_ROOT:
        return
    basetemp = tmp_path_factory.getbasetemp()
    left = _find_leftovers(basetemp)
    if rootfs_before is not None:
        left += [f"file {ROOTFS}/{name} (the shared rootfs changed)"
                 for name in sorted(_tree(ROOTFS) - rootfs_before)]
    if left:
        beside = Path(sys.executable).parent / "pyrunc"
        exe = str(beside) if beside.exists() else shutil.which("pyrunc")
        _clean_up_leftovers(exe, dict(os.environ), basetemp)
    _remove_session_dirs()
    if left:
        pytest.fail("the tests left these behind:\n  " + "\n  ".join(left), pytrace=False)


@pytest.fixture(scope="session")
def rootfs():
    """The busybox root filesystem (built by bundles/make-rootfs.sh if missing)."""
    if not (ROOTFS / "bin" / "busybox").exists():
        subprocess.run(["sh", str(MAKE_ROOTFS), str(ROOTFS.parent)], check=True,
                       stdout=subprocess.DEVNULL, timeout=120)
    return ROOTFS


@pytest.fixture
def runtime(pyrunc_exe, pyrunc_env):
    rt = Runtime(pyrunc_exe, STATE_ROOT, pyrunc_env)
    yield rt
    problems = rt.cleanup()
    if problems:
        pytest.fail("cleanup: " + "; ".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def default_spec(pyrunc_exe, pyrunc_env, tmp_path_factory):
    """What `pyrunc spec` writes, loaded once."""
    where = tmp_path_factory.mktemp("pyrunc-test-spec")
    subprocess.run([pyrunc_exe, "spec", "--bundle", str(where)], check=True, env=pyrunc_env,
                   timeout=TIMEOUT, stdout=subprocess.DEVNULL)
    with open(where / "config.json") as f:
        return json.load(f)


def merge(base, overrides):
    """Deep-merge dicts; lists and scalars replace; None deletes the key."""
    out = copy.deepcopy(base)
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class Bundle:
    def __init__(self, path, cid, config, config_file):
        self.path, self.id, self.config, self.config_file = path, cid, config, config_file

    def __str__(self):
        return str(self.path)

    @property
    def cgroups_path(self):
        return self.config.get("linux", {}).get("cgroupsPath")

    def rewrite(self, config):
        self.config = config
        with open(self.config_file, "w") as f:
            json.dump(config, f, indent=2)


@pytest.fixture
def make_bundle(default_spec, rootfs, runtime, tmp_path_factory):
    """make_bundle(args, **overrides) -> Bundle(path, id, config).

    The config is `pyrunc spec`'s with root.path the absolute busybox rootfs
    (read-only), process.args = args, terminal false and linux.cgroupsPath
    /<TEST_TAG>/<id>; keyword overrides are deep-merged into it (None deletes
    a key, e.g. linux={"cgroupsPath": None} for the default cgroup path).
    extra_mounts=[...] appends to mounts; fmt="yaml" writes config.yaml.
    The bundle's id is registered with `runtime` for delete --force at the end.
    """
    def make(args, extra_mounts=(), fmt="json", **overrides):
        cid = runtime.new_id()
        path = tmp_path_factory.mktemp("pyrunc-test-bundle")
        config = merge(default_spec, {
            "root": {"path": str(rootfs), "readonly": True},
            "process": {"args": list(args), "terminal": False},
            "linux": {"cgroupsPath": f"{CGROUP_PARENT}/{cid}"},
        })
        config = merge(config, overrides)
        config["mounts"] = config.get("mounts", []) + list(extra_mounts)
        if fmt == "yaml":
            import yaml
            config_file = path / "config.yaml"
            with open(config_file, "w") as f:
                yaml.safe_dump(config, f, sort_keys=False)
            return Bundle(path, cid, config, config_file)
        bundle = Bundle(path, cid, config, path / "config.json")
        bundle.rewrite(config)
        return bundle

    return make


@pytest.fixture
def rootfs_copy(rootfs, tmp_path_factory):
    """A private copy of the busybox rootfs, for tests that write to it."""
    dest = tmp_path_factory.mktemp("pyrunc-test-rootfs") / "rootfs"
    shutil.copytree(rootfs, dest, symlinks=True, ignore=_special_files)
    return dest


def _special_files(directory, names):
    """Device nodes, fifos and sockets are not copied: copytree would read
    them as files (/dev/zero: forever). A rootfs should have none, but a
    container run without a /dev mount leaves its devices in it."""
    import stat
    plain = (stat.S_ISDIR, stat.S_ISREG, stat.S_ISLNK)
    return [name for name in names
            if not any(is_kind(os.lstat(os.path.join(directory, name)).st_mode)
                       for is_kind in plain)]


@pytest.fixture
def host_dir(tmp_path_factory):
    """A host directory (mode 0777) to bind into a container."""
    path = tmp_path_factory.mktemp("pyrunc-test-share")
    os.chmod(path, 0o777)
    return path


def bind(source, destination, *options):
    return {"destination": destination, "type": "bind", "source": str(source),
            "options": ["rbind", *options]}


def tmpfs(destination):
    return {"destination": destination, "type": "tmpfs", "source": "tmpfs",
            "options": ["nosuid", "nodev", "mode=1777", "size=1m"]}


def assert_one_line_error(rc, out, err, *must_contain):
    """A user error: non-zero exit, exactly one line on stderr, no traceback."""
    assert rc != 0, f"expected failure, got rc 0; stdout {out!r}, stderr {err!r}"
    lines = err.strip("\n").splitlines()
    assert len(lines) == 1, f"expected one stderr line, got {len(lines)}: {err!r}"
    assert "Traceback" not in err, err
    for text in must_contain:
        assert text in err, f"{text!r} not in stderr {err!r}"


def assert_nothing_left(runtime, cid):
    """No state dir, cgroup dir, mount or tracked process for this container."""
    assert not os.path.exists(runtime.state_dir(cid)), f"state dir of {cid} left"
    assert container_cgroup_dirs(cid) == [], f"cgroup dirs of {cid} left"
    assert leftover_mounts([cid]) == [], f"mounts naming {cid} left"
    assert [p for p, c in _TRACKER.live_pids() if c == cid] == [], f"init of {cid} alive"


# runc, where installed: the tests that compare pyrunc with it side by side.
RUNC = shutil.which("runc")


class Runc:
    """`runc --root <own root> ARGS` -> (rc, stdout, stderr); deletes what it made."""

    def __init__(self):
        self.root = f"/run/{TEST_TAG}-runc"
        self.ids = []

    def __call__(self, *args, input=None):
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.run([RUNC, "--root", self.root, *map(str, args)],
                                  input=input.encode() if input else None,
                                  stdin=None if input else subprocess.DEVNULL,
                                  stdout=out, stderr=err, timeout=TIMEOUT)
            out.seek(0)
            err.seek(0)
            return proc.returncode, out.read().decode(), err.read().decode()

    def cleanup(self):
        for cid in self.ids:
            self("delete", "--force", cid)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def runc():
    if RUNC is None:
        pytest.skip("runc is not installed: nothing to compare")
    r = Runc()
    yield r
    r.cleanup()


@contextlib.contextmanager
def python_record_unreadable(runtime, cid):
    """The Python side's record garbled for the block: only the C front can
    answer then. Put back afterwards, so that cleanup works."""
    record = os.path.join(runtime.state_dir(cid), "state.marshal")
    with open(record, "rb") as f:
        saved = f.read()
    try:
        with open(record, "wb") as f:
            f.write(b"not marshal")
        yield
    finally:
        if os.path.isdir(os.path.dirname(record)):
            with open(record, "wb") as f:
                f.write(saved)
