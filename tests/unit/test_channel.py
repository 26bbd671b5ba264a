"""The init pipe's framing: Python messages, the C constructor's frames, fds."""
import os

from libcontainer.channel import Channel, socketpair


def pair():
    a, b = socketpair()
    return Channel(a), Channel(b)


def test_messages_round_trip_in_order():
    left, right = pair()
    left.send({"type": "ready", "n": 1, "args": ["sh", "-c", "x"]})
    left.send({"type": "other", "nested": {"a": [True, None]}})
    assert right.recv() == {"type": "ready", "n": 1, "args": ["sh", "-c", "x"]}
    assert right.recv() == {"type": "other", "nested": {"a": [True, None]}}


def test_eof_is_none():
    left, right = pair()
    left.close()
    assert right.recv() is None


def test_constructor_frames_as_nsexec_c_writes_them():
    left, right = pair()
    for kind, payload in ((b"S", b"123"), (b"C", b"456"), (b"E", b"joining x: No such file")):
        left.send_bytes(len(payload).to_bytes(4, "little") + kind + payload)
    assert right.recv() == {"type": "stage1", "pid": 123}
    assert right.recv() == {"type": "child", "pid": 456}
    assert right.recv() == {"type": "error", "msg": "joining x: No such file"}


def test_fds_travel_with_a_message():
    left, right = pair()
    r, w = os.pipe()
    left.send({"type": "console"}, fds=[w])
    os.close(w)
    assert right.recv() == {"type": "console"}
    received = right.take_fd()
    os.write(received, b"through the passed fd")
    os.close(received)
    assert os.read(r, 100) == b"through the passed fd"


def test_large_message_is_reassembled():
    left, right = pair()
    big = {"type": "init", "blob": "x" * 300000}
    import threading
    sender = threading.Thread(target=left.send, args=(big,))
    sender.start()
    assert right.recv() == big
    sender.join()
