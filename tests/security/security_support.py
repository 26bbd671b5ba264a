"""What the escape tests share: attacker containers whose shell scripts
report through a host directory, bounded waiting, config tweaks, a careless
caller of pyrunc, a console socket, what a container has mounted. (The
private interpreter is in private_interpreter.py, the attackers' C tools in
attack_tools.py.)

Not a conftest.py: tests/conftest.py is imported as the module `conftest`,
and a second conftest.py would take that name from it.
"""
import os
import socket
import threading
import time

import pytest

from conftest import TIMEOUT, bind
from conftest import _unescape as unescape_mount_field

# Where an attacker container writes its findings: a directory the busybox
# rootfs has (a mount point made in the shared rootfs would change it).
RESULTS = "/tmp"


def results_mount(host_dir):
    """Bind host_dir read-write at RESULTS in a container."""
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
# a careless caller: pyrunc started with more fds than stdio

LEAK_WRAPPER = 'exec %d<"$0"; exec "$@"'


def call_pyrunc(rt, *args, leak=None, fd=7, cwd=None, timeout=TIMEOUT):
    """`pyrunc ARGS` run the way a careless caller runs it: in directory
    `cwd`, and with `leak` (a path) open read-only on fd `fd`, inheritable.
    Returns (rc, stdout, stderr); a container it creates is recorded for
    the leftover check (the tests' Runtime does that)."""
    wrap = ["/bin/sh", "-c", LEAK_WRAPPER % fd, str(leak)] if leak is not None else []
    return rt(*args, cwd=cwd, wrap=wrap, timeout=timeout)


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
