"""Waiting for a container process in the foreground (run, exec without -d):
signals sent to pyrunc go on to it, and with a terminal its pty is relayed."""
import errno
import fcntl
import os
import select
import _signal as signal  # the C module: signal.py would import enum (~5 ms)

# Everything a user can send us goes to the container, except what the kernel
# won't let us catch and what concerns us alone (child exits, window size,
# a broken pipe of our own).
_NOT_FORWARDED = {signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD, signal.SIGWINCH,
                  signal.SIGPIPE}


class SignalForwarder:
    """Installed before the process exists; signals that come early are held."""

    def __init__(self):
        self.target = None
        self.pending = []
        self.previous = {}

    def install(self):
        for sig in set(signal.valid_signals()) - _NOT_FORWARDED:
            try:
                self.previous[sig] = signal.signal(sig, self._forward)
            except (OSError, ValueError):
                pass

    def _forward(self, signum, _frame):
        if self.target is None:
            self.pending.append(signum)
        else:
            _send(self.target, signum)

    def set_target(self, pid):
        self.target = pid
        for signum in self.pending:
            _send(pid, signum)
        self.pending = []

    def restore(self):
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


def _send(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def exit_status(wait_status):
    """The shell's convention: the exit code, or 128+N when killed by signal N."""
    if os.WIFSIGNALED(wait_status):
        return 128 + os.WTERMSIG(wait_status)
    return os.WEXITSTATUS(wait_status)


def reap(pid, block=True):
    """The exit status of our child `pid` once it has exited, else None."""
    try:
        child, status = os.waitpid(pid, 0 if block else os.WNOHANG)
    except ChildProcessError:
        return 255
    return exit_status(status) if child == pid else None


def wait(pid, master=None):
    if master is None:
        return reap(pid)
    return _relay(pid, master)


def _relay(pid, master):
    """Copy stdin -> pty and pty -> stdout until the process exits."""
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    old_wakeup = signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGWINCH, lambda *_: _copy_window_size(master))
    saved = _raw_stdin()
    _copy_window_size(master)
    inputs = [master, wake_r, 0]
    status = None
    try:
        while status is None:
            ready = _ready(inputs, 500)
            if 0 in ready and not _pump(0, master):
                inputs.remove(0)
                if saved is not None:
                    # Our terminal hung up: nobody is left to hold the
                    # container for, so it goes (run then deletes it).
                    _send(pid, signal.SIGKILL)
            if master in ready and not _pump(master, 1):
                inputs.remove(master)
            if wake_r in ready:
                _drain(wake_r)
            status = reap(pid, block=False)
        while _pump(master, 1, wait=False):
            pass
    finally:
        if saved is not None:
            import termios
            try:
                termios.tcsetattr(0, termios.TCSADRAIN, saved)
            except (OSError, termios.error):
                pass  # the terminal is gone
        signal.set_wakeup_fd(old_wakeup)
        os.close(wake_r)
        os.close(wake_w)
    return status


def _ready(fds, timeout_ms):
    """Those of fds with data, end of file or an error (poll: select takes
    no fd past 1023, and a pty master may be one)."""
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN)
    try:
        return [fd for fd, _events in poller.poll(timeout_ms)]
    except InterruptedError:
        return []


def _pump(source, target, wait=True):
    """Move one chunk; False once the source is finished."""
    if not wait and not _ready([source], 0):
        return False
    try:
        data = os.read(source, 65536)
    except OSError as exc:
        if exc.errno == errno.EIO:  # pty: every slave end is closed
            return False
        raise
    if data:
        os.write(target, data)
    return bool(data)


def _drain(fd):
    try:
        while os.read(fd, 512):
            pass
    except BlockingIOError:
        pass


def _raw_stdin():
    """Keys go to the container as typed (raw input; what was typed before
    the container's shell is ready stays queued: TCSANOW, not TCSAFLUSH).
    Our terminal still turns a newline into a line break: the container's
    pty passes "\n" as it is (pyrunc-init clears its ONLCR, as runc does)."""
    if not os.isatty(0):
        return None
    import termios  # here: a run without a terminal need not load them (~0.3 ms)
    import tty
    saved = termios.tcgetattr(0)
    tty.setraw(0, termios.TCSANOW)
    attrs = termios.tcgetattr(0)
    attrs[1] |= termios.OPOST | termios.ONLCR
    termios.tcsetattr(0, termios.TCSANOW, attrs)
    return saved


def _copy_window_size(master):
    """Our terminal's size to the container's pty; an unknown (0x0) size is
    not copied, so process.consoleSize stays."""
    if os.isatty(1):
        import termios
        size = fcntl.ioctl(1, termios.TIOCGWINSZ, b"\0" * 8)
        if size[:4] != b"\0\0\0\0":
            fcntl.ioctl(master, termios.TIOCSWINSZ, size)
