"""What the escape tests share: attacker containers whose shell scripts
report through a host directory, bounded waiting, and copies of host files
(an interpreter, its shared libraries) that an attack may damage instead of
the real ones.

Not a conftest.py: tests/conftest.py is imported as the module `conftest`,
and a second conftest.py would take that name from it.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from conftest import STATE_ROOT, TIMEOUT, Runtime, bind
from conftest import _unescape as unescape_mount_field

RESULTS = "/results"  # where an attacker container writes its findings


def results_mount(host_dir):
    """Bind host_dir read-write at /results in a container."""
    return bind(host_dir, RESULTS)


def wait_for_file(path, timeout=TIMEOUT):
    """Wait (bounded) until path exists; its text, or None after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path, errors="replace") as f:
                return f.read()
        time.sleep(0.05)
    return None


def read_lines(path):
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def without_mount(config_mounts, destination):
    """The mounts list minus the entry for destination."""
    return [m for m in config_mounts if m["destination"] != destination]


def with_capability(capabilities, name):
    """process.capabilities with `name` added to every set but ambient."""
    out = {key: list(value) for key, value in capabilities.items()}
    for key in ("bounding", "effective", "permitted"):
        if name not in out.setdefault(key, []):
            out[key].append(name)
    return out


def host_file(directory, name, text):
    """A file standing in for a host file a container must not reach."""
    path = directory / name
    path.write_text(text)
    return path


# --------------------------------------------------------------------------
# a private interpreter: what #!/proc/self/exe attacks get to aim at

def base_interpreter():
    """The real interpreter behind sys.executable (a venv's is a link to it)."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


# Where the pyrunc under test finds its code: printed by its own interpreter.
_WHERE_PYRUNC_IMPORTS_FROM = """
import importlib.util, os, site
for name in ("runtime", "libcontainer", "_nsexec", "_cffi_backend", "cffi", "yaml"):
    spec = importlib.util.find_spec(name)
    if spec and spec.origin:
        top = os.path.dirname(spec.origin)
        print(os.path.dirname(top) if spec.submodule_search_locations else top)
print("\\n".join(site.getsitepackages()))
"""


_PURELIB = "import sysconfig; print(sysconfig.get_paths()['purelib'])"


def shebang_interpreter(script):
    """The interpreter named on a script's #! line, or None."""
    with open(script, "rb") as f:
        first = f.readline()
    if not first.startswith(b"#!"):
        return None
    return first[2:].split()[0].decode()


def pyrunc_interpreter(pyrunc_exe):
    """The interpreter that runs the pyrunc under test (as its #! names it)."""
    return shebang_interpreter(pyrunc_exe) or sys.executable


def import_dirs(pyrunc_exe):
    """The directories the pyrunc under test imports its modules from (the
    working tree for an editable install, else site-packages), in order."""
    out = subprocess.run([pyrunc_interpreter(pyrunc_exe), "-I", "-c", _WHERE_PYRUNC_IMPORTS_FROM],
                         check=True, capture_output=True, text=True, timeout=30).stdout
    return list(dict.fromkeys(line for line in out.splitlines() if os.path.isdir(line)))


def make_private_interpreter(where, pyrunc_exe):
    """A venv made with --copies under `where`: its bin/python3 is a private
    copy of the interpreter that runs the pyrunc under test, importing pyrunc
    from where that one does. Returns (python, a pyrunc script run by it)."""
    venv = where / "venv"
    interpreter = os.path.realpath(pyrunc_interpreter(pyrunc_exe))
    subprocess.run([interpreter, "-m", "venv", "--copies", "--without-pip", str(venv)],
                   check=True, timeout=60)
    python = venv / "bin" / "python3"
    site_dir = subprocess.run([str(python), "-c", _PURELIB], check=True, capture_output=True,
                              text=True, timeout=30).stdout.strip()
    with open(os.path.join(site_dir, "pyrunc-under-test.pth"), "w") as f:
        f.write("\n".join(import_dirs(pyrunc_exe)) + "\n")
    script = venv / "bin" / "pyrunc"
    script.write_text(f"#!{python}\nfrom runtime.main import main\nmain()\n")
    os.chmod(script, 0o755)
    return python, script


@pytest.fixture
def private_runtime(tmp_path_factory, pyrunc_exe, pyrunc_env):
    """A Runtime whose pyrunc runs on a private copy of the interpreter
    (see make_private_interpreter): yields (runtime, python)."""
    where = tmp_path_factory.mktemp("pyrunc-test-interp")
    python, script = make_private_interpreter(where, pyrunc_exe)
    rt = Runtime(str(script), STATE_ROOT, pyrunc_env)
    yield rt, python
    problems = rt.cleanup()
    if problems:
        pytest.fail("cleanup: " + "; ".join(problems), pytrace=False)


def shared_libraries(executable):
    """The ELF interpreter and the libraries `executable` loads, as ldd
    names them (absolute paths on the host)."""
    out = subprocess.run(["ldd", str(executable)], check=True, capture_output=True,
                         text=True, timeout=30).stdout
    found = []
    for line in out.splitlines():
        match = re.search(r"(/\S+) \(0x", line)
        if match:
            found.append(match.group(1))
    return found


def copy_into_rootfs(rootfs, host_paths):
    """Copy each host file to the same path inside rootfs (links resolved)."""
    for path in host_paths:
        dest = os.path.join(str(rootfs), path.lstrip("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(os.path.realpath(path), dest)
        os.chmod(dest, 0o755)


def python_version(python):
    """"3.11" for a Python 3.11 interpreter."""
    return subprocess.run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                          check=True, capture_output=True, text=True, timeout=30).stdout.strip()


def file_identity(path):
    """(device, inode) of what path names, following links."""
    info = os.stat(path)
    return info.st_dev, info.st_ino


# --------------------------------------------------------------------------
# a careless caller: pyrunc started with more fds than stdio

LEAK_WRAPPER = 'exec %d<"$0"; exec "$@"'


def call_pyrunc(rt, *args, leak=None, fd=7, cwd=None, timeout=TIMEOUT):
    """`pyrunc ARGS` run the way a careless caller runs it: in directory
    `cwd`, and with `leak` (a path) open read-only on fd `fd`, inheritable.
    Returns (rc, stdout, stderr); a container it creates is recorded for
    the leftover check."""
    argv = rt.argv(*args)
    if leak is not None:
        argv = ["/bin/sh", "-c", LEAK_WRAPPER % fd, str(leak), *argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                  cwd=cwd, env=rt.env, timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"timed out after {timeout}s: {' '.join(argv)}", pytrace=False)
        out.seek(0)
        err.seek(0)
        result = (proc.returncode, out.read().decode(errors="replace"),
                  err.read().decode(errors="replace"))
    if proc.returncode == 0 and (args[0] == "create" or (args[0] == "run" and "-d" in args)):
        note_init(rt, str(args[-1]))
    return result


def note_init(rt, cid):
    """Record a container's init for the session's leftover check."""
    code, out, _ = rt("state", cid)
    if code == 0:
        rt.track_pid(cid, json.loads(out).get("pid"))


# --------------------------------------------------------------------------
# a console socket, and what a container has mounted

@pytest.fixture
def console_server(tmp_path_factory):
    """A --console-socket that takes every pty master sent to it on a thread,
    so that create never waits for a reader; the masters stay open until
    the end (a pty whose master is closed hangs up). Yields its path."""
    path = tmp_path_factory.mktemp("pyrunc-test-console") / "console.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(4)
    sock.settimeout(0.2)
    stop, masters = threading.Event(), []

    def serve():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(TIMEOUT)
                try:
                    masters.extend(socket.recv_fds(conn, 4096, 4)[1])
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path
    stop.set()
    thread.join(TIMEOUT)
    sock.close()
    for fd in masters:
        os.close(fd)


def mounts_of(pid):
    """(mount point, filesystem type) of each mount /proc/PID/mountinfo
    lists, mount points as that process sees them."""
    found = []
    with open(f"/proc/{pid}/mountinfo") as f:
        for line in f:
            before, _, after = line.partition(" - ")
            found.append((unescape_mount_field(before.split()[4]), after.split()[0]))
    return found


# --------------------------------------------------------------------------
# the attacker's swap tool

EXCHANGER_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchanger.c")


@pytest.fixture(scope="session")
def exchanger(tmp_path_factory):
    """exchanger.c built static (it runs in a busybox rootfs): its path."""
    out = tmp_path_factory.mktemp("pyrunc-test-exchanger") / "exchanger"
    built = subprocess.run(["gcc", "-static", "-O2", "-o", str(out), EXCHANGER_SOURCE],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, f"building exchanger.c: {built.stderr}"
    return out


def install_exchanger(exchanger, rootfs):
    """Put the swap tool in an attacker's rootfs as /bin/exchanger."""
    dest = rootfs / "bin" / "exchanger"
    shutil.copyfile(exchanger, dest)
    os.chmod(dest, 0o755)
