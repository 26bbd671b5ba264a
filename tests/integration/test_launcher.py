"""The launcher's failure paths: a failing callback takes the child down and
collects it, without waiting forever on a constructor that waits for us."""
import os

import pytest

from libcontainer import errors, launcher


class Boom(Exception):
    pass


def fail(*_args):
    raise Boom("callback failed")


def assert_no_children_left():
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize("where", ["on_spawned", "on_stage1", "on_child"])
def test_failing_callback_leaves_no_process(where):
    bootstrap = ["flags 0"]
    with pytest.raises(Boom):
        launcher.spawn(bootstrap, **{where: fail})
    assert_no_children_left()


def test_constructor_errors_come_back_as_one_message():
    with pytest.raises(errors.PyruncError) as info:
        launcher.spawn(["flags 0", "join net /no/such/namespace"])
    assert str(info.value) == "opening the net namespace /no/such/namespace: No such file or directory"
    assert_no_children_left()


def test_child_reports_its_pid_and_exits_on_eof():
    launched = launcher.spawn(["flags 0"])
    assert launched.pid > 0
    launched.channel.close()  # no config: the child's Python side gives up
    _, status = os.waitpid(launched.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1
