"""run: create and start, and in the foreground wait, then delete. In the
foreground the process is started as soon as it is set up (create's
start_now: no exec fifo, no `start` round trip)."""
from libcontainer.create import create
from libcontainer.start import run_poststart_hooks, start


def run(store, container_id, bundle, *, detach=False, pid_file=None,
        console_socket=None, preserve_fds=0, systemd_cgroup=False, keep=False,
        no_new_keyring=False, no_pivot=False):
    """Returns the container's exit status (0 when detached). keep: once
    its process has exited the stopped container stays (runc's --keep);
    when run itself fails it is deleted all the same."""
    options = dict(pid_file=pid_file, console_socket=console_socket,
                   preserve_fds=preserve_fds, systemd_cgroup=systemd_cgroup,
                   no_new_keyring=no_new_keyring, no_pivot=no_pivot)
    if detach:
        start(create(store, container_id, bundle, **options))
        return 0
    # Imported here: the foreground-only modules need not delay the spawn.
    from libcontainer import foreground
    from libcontainer.delete import delete
    forwarder = foreground.SignalForwarder()
    forwarder.install()
    masters = []
    container = None
    exited = False
    try:
        container = create(store, container_id, bundle, fast_state=False, start_now=True,
                           on_console=None if console_socket else masters.append, **options)
        forwarder.set_target(container.pid)
        if container.spec.get("process"):
            run_poststart_hooks(container)  # create started it
        else:
            start(container)  # which says why it cannot
        status = foreground.wait(container.pid, masters[0] if masters else None)
        exited = True
        return status
    finally:
        forwarder.restore()
        if container is not None and not (keep and exited):
            delete(container, force=True)
