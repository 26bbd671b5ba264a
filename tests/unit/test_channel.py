"""The init pipe's framing: the frames pyrunc-init writes, fds passed with them."""
import os
import socket
import sys
import threading

from libcontainer.channel import Channel, frame, socketpair


def pair(passes_fds=False):
    a, b = socketpair()
    return Channel(a), Channel(b, passes_fds=passes_fds)


def test_frames_as_executor_c_writes_them():
    left, right = pair()
    for kind, payload in ((b"S", b"123"), (b"C", b"456"), (b"E", b"mounts[2]: x: No such file"),
                          (b"R", b""), (b"H", b"")):
        os.write(left.fd, len(payload).to_bytes(4, sys.byteorder) + kind + payload)
    assert right.recv() == {"type": "stage1", "pid": 123}
    assert right.recv() == {"type": "child", "pid": 456}
    assert right.recv() == {"type": "error", "msg": "mounts[2]: x: No such file"}
    assert right.recv() == {"type": "ready"}
    assert right.recv() == {"type": "hooks"}


def test_eof_is_none():
    left, right = pair()
    left.close()
    assert right.recv() is None


def test_fds_travel_with_a_frame():
    left, right = pair(passes_fds=True)
    r, w = os.pipe()
    sender = socket.socket(fileno=os.dup(left.fd))
    sender.sendmsg([frame(b"T")], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                    w.to_bytes(4, sys.byteorder))])
    sender.close()
    os.close(w)
    assert right.recv() == {"type": "console"}
    received = right.take_fd()
    assert not os.get_inheritable(received)
    os.write(received, b"through the passed fd")
    os.close(received)
    assert os.read(r, 100) == b"through the passed fd"


def test_large_frame_is_reassembled():
    left, right = pair()
    payload = b"x" * 300000
    sender = threading.Thread(target=left.send, args=(b"E", payload))
    sender.start()
    assert right.recv() == {"type": "error", "msg": payload.decode()}
    sender.join()


def test_an_error_the_init_has_sent_is_raised_without_waiting():
    from libcontainer import errors, launcher
    left, right = pair()
    launcher.raise_reported_error(right)  # nothing sent: returns at once
    left.send(b"R")
    left.send(b"E", b"mounts[2]: mounting /x on /y: No such file or directory")
    try:
        launcher.raise_reported_error(right)
    except errors.PyruncError as exc:
        assert str(exc) == "mounts[2]: mounting /x on /y: No such file or directory"
    else:
        raise AssertionError("the init's error was not raised")
    left.close()
    launcher.raise_reported_error(right)  # closed: nothing more to say


def test_a_plan_with_a_pty_or_a_seccomp_listener_passes_fds():
    from libcontainer.plan import Op, passes_fds
    from libcontainer.seccomp import NEW_LISTENER
    plain = [Op("OP_MOUNT", "m"), Op("OP_SECCOMP", "linux.seccomp", b"bpf", 0)]
    assert not passes_fds(plain)
    assert passes_fds(plain + [Op("OP_CONSOLE", "process.terminal", "/dev/pts", 0, 0, 1)])
    assert passes_fds([Op("OP_SECCOMP", "linux.seccomp", b"bpf", NEW_LISTENER)])
