"""One function per CLI command: turn parsed arguments into libcontainer calls.
Each returns the process exit status."""
import os
import sys

from libcontainer import errors, json_text
from libcontainer.container import Container

EXEC_FAILED = 255  # runc exec's exit status for its own failures


def cmd_create(args, store):
    from libcontainer.create import create
    create(store, args.container_id, args.bundle, pid_file=args.pid_file,
           console_socket=args.console_socket, preserve_fds=args.preserve_fds,
           systemd_cgroup=args.systemd_cgroup, no_new_keyring=args.no_new_keyring,
           no_pivot=args.no_pivot)
    return 0


def cmd_run(args, store):
    from libcontainer.run import run
    return run(store, args.container_id, args.bundle, detach=args.detach,
               pid_file=args.pid_file, console_socket=args.console_socket,
               preserve_fds=args.preserve_fds, systemd_cgroup=args.systemd_cgroup,
               keep=args.keep, no_new_keyring=args.no_new_keyring, no_pivot=args.no_pivot)


def cmd_start(args, store):
    from libcontainer.start import start
    start(Container.load(store, args.container_id))
    return 0


def cmd_state(args, store):
    print(json_text.dumps(Container.load(store, args.container_id).oci_state(), indent=2))
    return 0


def cmd_kill(args, store):
    from libcontainer.kill import kill
    from libcontainer.signals import parse_signal
    # Signal 0, as with kill(1), only asks whether the container is running.
    sig = parse_signal(args.signal, allow_zero=True)
    kill(Container.load(store, args.container_id), sig, all_processes=args.all)
    return 0


def cmd_delete(args, store):
    from libcontainer.delete import delete
    try:
        container = Container.load(store, args.container_id)
    except errors.ContainerNotFound:
        if not args.force:
            raise
        # runc: delete --force of an unknown container is not an error. A
        # directory without a record is what an interrupted create leaves.
        if os.path.isdir(store.path(args.container_id)):
            store.remove(args.container_id)
        # ... or a run-image killed before create claimed the id.
        from libcontainer.delete import remove_image_bundle
        remove_image_bundle(store.root, args.container_id)
        return 0
    delete(container, force=args.force)
    return 0


def cmd_list(args, store):
    states = []
    for cid in store.ids():
        try:
            state = Container.load(store, cid).oci_state()
            state["owner"] = _owner(store.path(cid))
        except (errors.ContainerNotFound, FileNotFoundError):
            continue  # deleted since store.ids() listed it
        states.append(state)
    if args.quiet:
        for state in states:
            print(state["id"])
    elif args.format == "json":
        print(json_text.dumps(states or None))  # runc prints null for none
    else:
        _print_table(states)
    return 0


def _owner(state_dir):
    """The user who owns the container's state, by name as runc shows it."""
    import pwd
    uid = os.stat(state_dir).st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"#{uid}"


def _print_table(states):
    """runc's tabwriter layout: each column but the last as wide as its
    widest cell plus 3, and never narrower than 12."""
    rows = [("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER")]
    rows += [(s["id"], str(s["pid"]), s["status"], s["bundle"], s["created"], s["owner"])
             for s in states]
    widths = [max(12, max(len(r[i]) for r in rows) + 3) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("".join(cell.ljust(w) for cell, w in zip(row, widths)) + row[-1])


def cmd_pause(args, store):
    from libcontainer.pause import pause
    pause(Container.load(store, args.container_id))
    return 0


def cmd_resume(args, store):
    from libcontainer.pause import resume
    resume(Container.load(store, args.container_id))
    return 0


def cmd_ps(args, store):
    from runtime.ps_command import run_ps
    return run_ps(args, store)


def cmd_exec(args, store):
    from runtime.exec_command import run_exec
    try:
        return run_exec(args, store)
    except Exception as exc:
        # runc's exec exits 255 when it fails, whatever the reason, so a
        # caller can tell that from the exit status of the process it ran.
        exc.exit_status = EXEC_FAILED
        raise


def cmd_update(args, store):
    from libcontainer.update import update
    from runtime.update_flags import changes_from_flags, read_resources_file
    container = Container.load(store, args.container_id)
    if args.resources:
        changes = read_resources_file(args.resources)
    else:
        changes = changes_from_flags(args)
    update(container, changes)
    return 0


def cmd_events(args, store):
    from libcontainer import events
    interval = events.parse_interval(args.interval)
    container = Container.load(store, args.container_id)
    try:
        if args.stats:
            events.print_stats_once(container)
        else:
            events.follow(container, interval)
    except BrokenPipeError:
        # The reader went away (`| head`): that ends the stream, not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def cmd_features(args, store):
    from libcontainer.features import features
    print(json_text.dumps(features(), indent=4))
    return 0


def cmd_help(args, store):
    from runtime.cli import help_topic
    print(help_topic(args.topic))
    return 0


def cmd_spec(args, store):
    import json
    from libcontainer.config.defaults import default_spec
    name = "config.yaml" if args.format == "yaml" else "config.json"
    path = os.path.join(args.bundle, name)
    if os.path.exists(path):
        raise errors.PyruncError(f"{path} exists: remove it first")
    spec = default_spec(rootless=args.rootless)
    with open(path, "w") as f:
        if args.format == "yaml":
            import yaml
            yaml.safe_dump(spec, f, sort_keys=False)
        else:
            json.dump(spec, f, indent=2)
            f.write("\n")
    return 0


def cmd_validate(args, store):
    from libcontainer.config import loader, validate
    bundle = os.path.abspath(args.bundle)
    path = loader.find_config(bundle)
    with open(path, "rb") as f:
        spec = loader.parse(f.read(), path)
    problems = validate.problems(spec, bundle)
    for problem in problems:
        print(f"{os.path.basename(path)}: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{path}: valid")
    return 0


def cmd_run_image(args, store):
    from runtime import image_commands
    return image_commands.run_image(args, store)


def cmd_logs(args, store):
    from libcontainer.logs import copy_log
    copy_log(Container.load(store, args.container_id), follow=args.follow)
    return 0


def cmd_stop(args, store):
    from libcontainer.stop import stop
    if args.time < 0:
        raise errors.PyruncError(f"--time {args.time}: must not be negative")
    stop(Container.load(store, args.container_id), args.time)
    return 0


def cmd_commit(args, store):
    from libcontainer.images.commit import commit
    commit(Container.load(store, args.container_id), args.image)
    print(args.image)
    return 0


def cmd_export(args, store):
    from libcontainer.images.export import export
    export(Container.load(store, args.container_id), args.file, layer_only=args.layer)
    return 0


def cmd_image__load(args, store):
    from runtime import image_commands
    return image_commands.load(args, store)


def cmd_image__ls(args, store):
    from runtime import image_commands
    return image_commands.list_images(args, store)


def cmd_image__rm(args, store):
    from libcontainer.images.store import ImageStore
    ImageStore(store.root).remove_image(args.image)
    return 0


def cmd_image__save(args, store):
    from libcontainer.images.save import save
    from libcontainer.images.store import ImageStore
    save(ImageStore(store.root), args.image, args.file)
    return 0


# cmd_run_image serves `run-image`, cmd_image__load `image load`.
COMMANDS = {name[4:].replace("__", " ").replace("_", "-"): fn
            for name, fn in globals().items() if name.startswith("cmd_")}
