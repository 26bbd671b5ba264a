"""What the `pyrunc` command's C front (_nsexec/early.c) started before
Python, for create, run and exec: pyrunc-init waiting for its plan
(launcher.spawn takes it) and the keeper of the cgroup-migration lock
(cgroups/warmup.py). Each is a child of ours, named in a variable as
"FD:PID": our end of a socket or pipe to it, and its pid.

adopt() takes them over as the command line starts (the variables go, so
no hook or container sees them); take(name) hands one to its user, once;
let_go(name) closes our end, which the helper sees and exits on; finish()
does that to whatever was not used, and reaps them all, as we exit."""
import os

INIT, KEEPER = "_PYRUNC_INIT", "_PYRUNC_WARM"
_helpers = {}
_gone = []  # pids let go of, to reap
_fds = set()  # every fd adopt() took


def adopt():
    for name in (INIT, KEEPER):
        value = os.environ.pop(name, None)
        try:
            fd, pid = (int(part) for part in value.split(":"))
            # Only a child of ours is a helper (a value inherited from
            # elsewhere could name any process): ChildProcessError if not.
            os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            os.set_inheritable(fd, False)  # never passed on to what we start
        except (AttributeError, ValueError, OSError):
            continue
        _helpers[name] = (fd, pid)
        _fds.add(fd)


def owns(fd):
    """Whether fd is one of the helpers' (not the caller's, to pass on)."""
    return fd in _fds


def present(name):
    return name in _helpers


def take(name):
    """(fd, pid) of the helper, now the caller's; None if there is none."""
    return _helpers.pop(name, None)


def let_go(name):
    helper = _helpers.pop(name, None)
    if helper:
        _close(helper[0])
        _gone.append(helper[1])


def finish():
    while _helpers:
        let_go(next(iter(_helpers)))
    for pid in _gone:
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
    _gone.clear()


def _close(fd):
    try:
        os.close(fd)
    except OSError:
        pass
