"""`pyrunc exec`: build the process from the flags, then run it in the
foreground (waiting, forwarding signals, relaying a tty) or detached."""
from libcontainer import errors, foreground
from libcontainer.container import Container
from libcontainer.create import write_pid_file
from libcontainer.exec_process import exec_process, process_spec


def parse_user(text):
    uid, _, gid = text.partition(":")
    try:
        return {"uid": int(uid), "gid": int(gid)} if gid else {"uid": int(uid)}
    except ValueError:
        raise errors.PyruncError(f"--user {text!r}: must be UID[:GID] (numbers)") from None


def _load_process_file(path):
    import json
    try:
        with open(path) as f:
            process = json.load(f)
    except (OSError, ValueError) as exc:
        raise errors.PyruncError(f"--process {path}: {exc}") from None
    if not isinstance(process, dict) or not process.get("args"):
        raise errors.PyruncError(f"--process {path}: must be an object with non-empty args")
    return process


def _refuse_lsm_flags(args):
    # pyrunc applies no LSM label: running the process unconfined instead of
    # under the profile asked for would be a weaker container than wanted.
    for flag, value, lsm in (("--apparmor", args.apparmor, "AppArmor"),
                             ("--process-label", args.process_label, "SELinux")):
        if value:
            raise errors.PyruncError(f"{flag} {value!r}: {lsm} labels are not supported by pyrunc")


def _capability(name):
    from libcontainer.capabilities import CAPABILITIES
    full = name.upper() if name.upper().startswith("CAP_") else "CAP_" + name.upper()
    if full not in CAPABILITIES:
        raise errors.PyruncError(f"--cap {name}: unknown capability")
    return full


def build_process(args, container):
    _refuse_lsm_flags(args)
    if args.process:
        return _load_process_file(args.process)
    if not args.command:
        raise errors.PyruncError("exec: a command (or --process FILE) is required")
    user = parse_user(args.user) if args.user else None
    if args.additional_gids:
        user = dict(user or {}, additionalGids=args.additional_gids)
    caps = [_capability(name) for name in args.cap]
    process = process_spec(container, args.command, env=args.env, cwd=args.cwd,
                           user=user, terminal=args.tty, caps=caps)
    if args.no_new_privs:
        process["noNewPrivileges"] = True
    return process


def _sub_cgroups(given):
    if not given:
        return None
    from libcontainer.cgroups import subcgroup
    return subcgroup.parse(given)


def run_exec(args, store):
    container = Container.load(store, args.container_id)
    process = build_process(args, container)
    options = dict(console_socket=args.console_socket, preserve_fds=args.preserve_fds,
                   ignore_paused=args.ignore_paused, sub_cgroups=_sub_cgroups(args.cgroup))
    if args.detach:
        pid = exec_process(container, process, **options)
        if args.pid_file:
            write_pid_file(args.pid_file, pid)
        return 0
    forwarder = foreground.SignalForwarder()
    forwarder.install()
    masters = []
    try:
        pid = exec_process(container, process,
                           on_console=None if args.console_socket else masters.append, **options)
        if args.pid_file:
            write_pid_file(args.pid_file, pid)
        forwarder.set_target(pid)
        return foreground.wait(pid, masters[0] if masters else None)
    finally:
        forwarder.restore()
