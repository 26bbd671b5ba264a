"""`pyrunc ps`: as runc's, the container's pids as JSON, or the host's `ps`
output (ps -ef unless other ps options follow the ID) cut to its processes.

`ps` is started with posix_spawn, not subprocess: that module imports some
5 ms of others (signal with enum, threading, selectors), more than `ps` takes."""
import os
import select

from libcontainer import errors, json_text
from libcontainer.container import Container


def run_ps(args, store):
    container = Container.load(store, args.container_id)
    pids = container.cgroup().pids() if container.status() != "stopped" else []
    if args.format == "json":
        print(json_text.dumps(sorted(pids) or None))  # runc prints null for none
        return 0
    argv = ["ps"] + (args.ps_args or ["-ef"])
    status, out, err = _output_of(argv)
    if status != 0:  # its first line: ps follows it with its usage
        said = err.strip().splitlines()
        raise errors.PyruncError(f"{' '.join(argv)}: {said[0] if said else f'exit status {status}'}")
    header, *rows = out.splitlines()
    column = header.split().index("PID")
    wanted = {str(pid) for pid in pids}
    print("\n".join([header] + [r for r in rows if r.split()[column] in wanted]))
    return 0


def _output_of(argv):
    """(exit status, stdout, stderr) of argv, looked up on PATH."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
            (os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)])
    except OSError as exc:
        for fd in (out_r, err_r):
            os.close(fd)
        raise errors.PyruncError(f"{argv[0]}: {exc.strerror}") from None
    finally:
        os.close(out_w)
        os.close(err_w)
    read = _read_both(out_r, err_r)
    _, wait_status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(wait_status), read[out_r], read[err_r]


def _read_both(*fds):
    """Everything written to fds until each is at end of file, as text."""
    chunks = {fd: [] for fd in fds}
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN)
    open_fds = set(fds)
    while open_fds:
        for fd, _events in poller.poll():
            data = os.read(fd, 65536)
            if data:
                chunks[fd].append(data)
            else:
                poller.unregister(fd)
                open_fds.discard(fd)
                os.close(fd)
    return {fd: b"".join(parts).decode(errors="replace") for fd, parts in chunks.items()}
