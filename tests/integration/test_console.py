"""process.terminal with --console-socket: the pty master arrives over a unix
socket (SCM_RIGHTS), and the container's output is read from it."""
import errno
import os
import select
import socket
import subprocess
import time

import pytest

from conftest import TIMEOUT, assert_nothing_left, assert_one_line_error


@pytest.fixture
def console_socket(tmp_path_factory):
    """A listening unix socket; yields (path, socket)."""
    path = tmp_path_factory.mktemp("pyrunc-test-console") / "console.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(4)
    sock.settimeout(TIMEOUT)
    yield path, sock
    sock.close()


def receive_master(sock):
    """Accept one connection and take the fd it carries."""
    conn, _ = sock.accept()
    with conn:
        conn.settimeout(TIMEOUT)
        _, fds, _, _ = socket.recv_fds(conn, 4096, 4)
    assert len(fds) == 1, fds
    return fds[0]


def read_until_closed(master, timeout=TIMEOUT):
    """Everything the slave side writes, until the last holder closes it (EIO)."""
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            continue
        try:
            data = os.read(master, 4096)
        except OSError as exc:
            if exc.errno == errno.EIO:
                break
            raise
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")


def test_create_sends_the_pty_master(runtime, make_bundle, console_socket):
    path, sock = console_socket
    b = make_bundle(["sh", "-c", "tty; [ -t 0 ] && [ -t 1 ] && echo isatty; echo done"],
                    process={"terminal": True})
    runtime.ok("create", "--console-socket", path, "--bundle", b.path, b.id)
    master = receive_master(sock)
    try:
        assert os.isatty(master)
        assert runtime.state(b.id)["status"] == "created"
        runtime.ok("start", b.id)
        lines = read_until_closed(master).splitlines()
    finally:
        os.close(master)
    assert lines[0] == "/dev/console" or lines[0].startswith("/dev/pts/"), lines
    assert lines[1:] == ["isatty", "done"]


def test_terminal_input_reaches_the_container(runtime, make_bundle, console_socket):
    path, sock = console_socket
    b = make_bundle(["sh", "-c", "read line; echo got:$line"], process={"terminal": True})
    runtime.ok("create", "--console-socket", path, "--bundle", b.path, b.id)
    master = receive_master(sock)
    try:
        runtime.ok("start", b.id)
        os.write(master, b"typed text\n")
        out = read_until_closed(master)
    finally:
        os.close(master)
    assert "got:typed text" in out.splitlines(), out


def test_console_size(runtime, make_bundle, console_socket):
    path, sock = console_socket
    b = make_bundle(["stty", "size"],
                    process={"terminal": True, "consoleSize": {"height": 33, "width": 111}})
    runtime.ok("create", "--console-socket", path, "--bundle", b.path, b.id)
    master = receive_master(sock)
    try:
        runtime.ok("start", b.id)
        out = read_until_closed(master)
    finally:
        os.close(master)
    assert out.split() == ["33", "111"]


def test_exec_tty_with_console_socket(runtime, make_bundle, console_socket):
    path, sock = console_socket
    b = make_bundle(["sleep", "30"])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    bg = runtime.background("exec", "--tty", "--console-socket", path, b.id,
                            "sh", "-c", "[ -t 1 ] && tty")
    try:
        master = receive_master(sock)
        try:
            out = read_until_closed(master)
        finally:
            os.close(master)
        rc, _, err = bg.wait()
    finally:
        bg.kill()
    assert rc == 0, err
    assert out.strip().startswith("/dev/pts/"), out


def test_terminal_without_console_socket_fails(runtime, make_bundle):
    b = make_bundle(["true"], process={"terminal": True})
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "console")
    assert not os.path.exists(runtime.state_dir(b.id))


def test_console_socket_nobody_listens(runtime, make_bundle, tmp_path):
    b = make_bundle(["true"], process={"terminal": True})
    rc, out, err = runtime("create", "--console-socket", tmp_path / "none.sock",
                           "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "none.sock")
    assert not os.path.exists(runtime.state_dir(b.id))


def test_foreground_terminal_run_keeps_newlines_as_they_are(runtime, make_bundle):
    """run with process.terminal and no --console-socket relays the pty itself;
    as runc's, its output lines end in "\\n", not "\\r\\n"."""
    b = make_bundle(["sh", "-c", "echo one; echo two; [ -t 1 ] && echo tty"],
                    process={"terminal": True})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert (rc, out) == (0, "one\ntwo\ntty\n"), (rc, out, err)


def test_foreground_run_goes_when_its_terminal_hangs_up(runtime, make_bundle):
    """run -t on a terminal that goes away must not stay holding the container."""
    import pty
    import time
    b = make_bundle(["sh", "-c", "trap '' HUP; echo up; sleep 30"], process={"terminal": True})
    master, slave = pty.openpty()
    proc = subprocess.Popen(runtime.argv("run", "--bundle", b.path, b.id), env=runtime.env,
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    runtime.track(b.id)
    os.close(slave)
    try:
        seen = b""
        deadline = time.monotonic() + TIMEOUT
        while b"up" not in seen and time.monotonic() < deadline:
            seen += os.read(master, 1024)
        assert b"up" in seen
    finally:
        os.close(master)  # the terminal goes away
    try:
        proc.wait(timeout=TIMEOUT)  # pyrunc does not stay
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert_nothing_left(runtime, b.id)
