"""libcontainer/early.py adopts a helper named in _PYRUNC_INIT / _PYRUNC_WARM
only if it is a child of ours: a value left in the caller's environment
could name any process, which pyrunc would then send its plan to and, on an
error, SIGKILL (launcher.kill_and_reap)."""
import os

from libcontainer import early


def test_a_pid_that_is_not_our_child_is_not_adopted(monkeypatch):
    read_end, write_end = os.pipe()
    try:
        # Not our child: the pid of a process our parent-to-be owns, as a
        # variable left in the environment would name.
        other = os.getppid()
        monkeypatch.setenv(early.INIT, f"{read_end}:{other}")
        monkeypatch.setenv(early.KEEPER, f"{write_end}:{2**22 + 1}")  # above pid_max
        early.adopt()
        taken_init = early.take(early.INIT)
        taken_keeper = early.take(early.KEEPER)
        assert taken_init is None, "adopted a pid that is not pyrunc's child"
        assert taken_keeper is None, "adopted a pid that does not exist"
    finally:
        for fd in (read_end, write_end):
            try:
                os.close(fd)
            except OSError:
                pass
