"""libcontainer/start.py's wait on the exec fifo, without a container."""
import os
import resource
import threading

import pytest

from libcontainer import start


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


def test_start_waits_on_a_fifo_numbered_past_1023(tmp_path):
    """select() cannot take such an fd; a caller with many fds open gets one."""
    fifo = str(tmp_path / "exec.fifo")
    os.mkfifo(fifo)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < 1100:
        pytest.skip(f"RLIMIT_NOFILE's hard limit {hard} allows no fd past 1023")
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    filler = []
    try:
        while not filler or filler[-1] < 1023:  # every number up to 1023 taken
            filler.append(os.open("/dev/null", os.O_RDONLY))
        writer = threading.Thread(target=_init_side, args=(fifo,))
        writer.start()
        start._release_init(FifoOnly(fifo))
        writer.join()
    finally:
        for fd in filler:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert not os.path.exists(fifo)  # gone once the init has exec'd
