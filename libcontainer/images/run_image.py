"""run-image: a bundle made from an image and flags, then run through
pyrunc's own create and start (or run, in the foreground)."""
import os
import uuid

from libcontainer import errors, state as statestore
from libcontainer.images import containers, options, spec
from libcontainer.images.users import Users
from libcontainer.logs import LOG_NAME

NETWORKS = ("none", "bridge")


class Options:
    """The run-image flags (see runtime/cli.py for their meaning)."""

    def __init__(self, image, command=(), tty=False, interactive=False, detach=False,
                 volumes=(), env=(), memory=None, cpus=None, cpu_shares=0, cpuset_cpus=None,
                 name=None, ports=(), network=None, keep=False):
        self.image, self.command, self.tty, self.interactive = image, list(command), tty, interactive
        self.detach, self.volumes, self.env = detach, list(volumes), list(env)
        self.memory, self.cpus, self.cpu_shares, self.cpuset_cpus = memory, cpus, cpu_shares, cpuset_cpus
        self.name, self.ports, self.network, self.keep = name, list(ports), network, keep


def run_image(store, opts, announce=print):
    """Returns the exit status: the container's in the foreground, else 0
    (announce(id) says which container started)."""
    container_id = _container_id(store, opts.name)
    request = _request(store.root, container_id, opts)
    bundle = containers.make_bundle(
        store.root, container_id, opts.image,
        lambda image_config, rootfs: spec.build(image_config, request, Users(rootfs)))
    try:
        if opts.detach:
            _run_detached(store, container_id, bundle)
            announce(container_id)
            return 0
        if not opts.interactive:
            _stdin_from_null()
        from libcontainer.run import run
        return run(store, container_id, bundle, keep=opts.keep)
    except BaseException:
        _discard(store, container_id)
        raise


def _container_id(store, name):
    if name is None:
        name = uuid.uuid4().hex[:12]
    try:
        statestore.check_id(name)
    except errors.PyruncError as exc:
        raise errors.PyruncError(f"--name: {exc}") from None
    if os.path.exists(store.path(name)):
        raise errors.PyruncError(f"--name {name}: a container with that name already exists")
    return name


def _request(state_root, container_id, opts):
    """Every flag checked (each error names its flag) before anything is made."""
    if opts.detach and (opts.tty or opts.interactive):
        raise errors.PyruncError("-d: cannot be combined with -t or -i (a detached container "
                                 "has no terminal; read its output with `pyrunc logs`)")
    ports = [options.port(p) for p in opts.ports]
    network = opts.network or ("bridge" if ports else "none")
    if network not in NETWORKS:
        raise errors.PyruncError(f"--network {network}: must be one of: {', '.join(NETWORKS)}")
    if ports and network != "bridge":
        raise errors.PyruncError("-p: port mappings need --network bridge")
    request = spec.Request(
        opts.image, opts.command, terminal=opts.tty,
        env=[options.env_entry(e) for e in opts.env],
        mounts=[options.volume(v) for v in opts.volumes],
        resources=options.resources(opts.memory, opts.cpus, opts.cpu_shares, opts.cpuset_cpus),
        hostname=container_id[:63])
    if network == "bridge":
        from libcontainer.network import config
        config.check(state_root, ports)
        request.hooks = config.hooks(state_root, ports)
    return request


def _run_detached(store, container_id, bundle):
    """create with the container's stdout and stderr in a log file (moved
    into its state dir once create made that), stdin /dev/null; then start."""
    from libcontainer.create import create
    from libcontainer.start import start
    staged = os.path.join(bundle, LOG_NAME)
    log = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o640)
    try:
        with _Stdio(log):
            container = create(store, container_id, bundle)
    finally:
        os.close(log)
    os.rename(staged, store.path(container_id, LOG_NAME))
    start(container)


class _Stdio:
    """fds 0, 1, 2 pointed at /dev/null, log, log for the block (the
    container's init inherits them), then put back."""

    def __init__(self, log):
        self.log, self.saved = log, []

    def __enter__(self):
        null = os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)
        self.saved = [os.dup(fd) for fd in (0, 1, 2)]
        os.dup2(null, 0)
        os.dup2(self.log, 1)
        os.dup2(self.log, 2)
        os.close(null)

    def __exit__(self, *exc):
        for fd, copy in enumerate(self.saved):
            os.dup2(copy, fd)
            os.close(copy)


def _stdin_from_null():
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)


def _discard(store, container_id):
    """A run-image that failed: the container (if create made it) and its bundle."""
    from libcontainer.container import Container
    from libcontainer.delete import delete
    if os.path.isfile(store.path(container_id, statestore.STATE_FILE)):
        delete(Container.load(store, container_id), force=True)
    containers.remove(store.root, container_id)
