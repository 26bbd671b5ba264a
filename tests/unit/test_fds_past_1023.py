"""Waits on fds numbered past 1023, which select() refuses: a caller with
many fds open gives pyrunc such numbers (libcontainer/start.py,
foreground.py and channel.py poll instead)."""
import os
import resource
import threading

import pytest

from libcontainer import foreground, start


@pytest.fixture
def low_fds_taken():
    """Every fd number up to 1023 in use for the test: the next ones opened
    are past it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < 1100:
        pytest.skip(f"RLIMIT_NOFILE's hard limit {hard} allows no fd past 1023")
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    filler = []
    try:
        while not filler or filler[-1] < 1023:
            filler.append(os.open("/dev/null", os.O_RDONLY))
        yield
    finally:
        for fd in filler:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


class FifoOnly:
    id = "c1"

    def __init__(self, path):
        self.fifo_path = path

    def is_alive(self):
        return True


def _init_side(path):
    """What pyrunc-init does at start: "0" down the fifo, then exec (closes it)."""
    fd = os.open(path, os.O_WRONLY)
    os.write(fd, b"0")
    os.close(fd)


def test_start_waits_on_the_exec_fifo(tmp_path, low_fds_taken):
    fifo = str(tmp_path / "exec.fifo")
    os.mkfifo(fifo)
    writer = threading.Thread(target=_init_side, args=(fifo,))
    writer.start()
    start._release_init(FifoOnly(fifo))
    writer.join()
    assert not os.path.exists(fifo)  # gone once the init has exec'd


def test_the_terminal_relay_sees_data_and_end_of_file(low_fds_taken):
    r, w = os.pipe()
    try:
        assert r > 1023
        assert foreground._ready([r], 0) == []
        os.write(w, b"x")
        assert foreground._ready([r], 0) == [r]
        assert foreground._pump(r, w, wait=False)  # the byte, back into the pipe
        os.close(w)
        w = None
        assert foreground._ready([r], 0) == [r]  # data, then end of file
    finally:
        os.close(r)
        if w is not None:
            os.close(w)
