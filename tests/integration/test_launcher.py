"""The launcher's failure paths: a failing callback takes the child down and
collects it, without waiting forever on an init that waits for us."""
import os

import pytest

from libcontainer import errors, launcher
from libcontainer.plan import Op

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


class Boom(Exception):
    pass


def fail(*_args):
    raise Boom("callback failed")


def assert_no_children_left():
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def waiting_plan():
    """A new user namespace (the parent writes no maps), then a child that
    waits for the parent's word."""
    return [Op("OP_UNSHARE", "user namespace", CLONE_NEWUSER),
            Op("OP_USERNS_SYNC", "id maps"), Op("OP_FORK", "fork"),
            Op("OP_WAIT_CGROUP", "waiting")]


@pytest.mark.parametrize("where", ["on_stage1", "on_child"])
def test_failing_callback_leaves_no_process(where):
    with pytest.raises(Boom):
        launcher.spawn(waiting_plan(), **{where: fail})
    assert_no_children_left()


def test_init_errors_come_back_as_one_message_naming_the_field():
    with pytest.raises(errors.PyruncError) as info:
        launcher.spawn([Op("OP_JOIN", "linux.namespaces[2]: joining x", CLONE_NEWNET,
                           "/no/such/namespace"), Op("OP_FORK", "fork")])
    assert str(info.value) == "linux.namespaces[2]: joining x: No such file or directory"
    assert_no_children_left()


def test_child_reports_its_pid_and_exits_on_eof():
    launched = launcher.spawn(waiting_plan(), on_stage1=lambda pid: None)
    assert launched.pid > 0
    launched.channel.close()  # no word from us: the init gives up
    _, status = os.waitpid(launched.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1


def test_the_init_runs_from_a_sealed_copy_nobody_can_write():
    fd = launcher.sealed_init()
    try:
        with pytest.raises(PermissionError):
            os.write(fd, b"x")
        with pytest.raises(PermissionError):
            os.ftruncate(fd, 0)
        with open(f"/proc/self/fd/{fd}", "r+b", buffering=0) as reopened:
            with pytest.raises(PermissionError):
                reopened.write(b"x")
    finally:
        os.close(fd)
