"""exec: start another process inside a running container.

The same launcher as create, with a plan that joins every namespace of the
container's init (/proc/PID/ns/*); the process joins the container's cgroup
while pyrunc-init waits, and gets the container's root, env, user and
capabilities from the process spec the caller built (see process_spec()).
"""
from libcontainer import early, errors, launcher, plan
from libcontainer.cgroups import warmup
from libcontainer.create import ROOTLESS, seccomp_program


def process_spec(container, args, env=(), cwd=None, user=None, terminal=False,
                 process_json=None, caps=()):
    """The exec'd process: the container's process with the caller's changes.

    env adds to (and overrides) the container's env, as with runc exec -e."""
    if process_json is not None:
        return process_json
    base = dict(container.spec.get("process", {}))
    merged = dict(item.partition("=")[::2] for item in base.get("env", []))
    merged.update(item.partition("=")[::2] for item in env)
    base.update(args=list(args), env=[f"{k}={v}" for k, v in merged.items()],
                terminal=terminal)
    if caps:
        base["capabilities"] = _with_caps(base.get("capabilities") or {}, caps)
    base.pop("consoleSize", None)
    if cwd:
        base["cwd"] = cwd
    if user is not None:
        base["user"] = dict(base.get("user", {}), **user)
    return base


def _with_caps(capabilities, caps):
    """runc exec --cap: each capability added to the bounding, effective,
    permitted and ambient sets (and inheritable, so ambient takes)."""
    merged = {}
    for name in ("bounding", "effective", "permitted", "inheritable", "ambient"):
        have = list(capabilities.get(name) or [])
        merged[name] = have + [cap for cap in caps if cap not in have]
    return merged


def exec_process(container, process, *, console_socket=None, on_console=None,
                 preserve_fds=0, ignore_paused=False, sub_cgroups=None):
    """Start the process, a child of the caller; returns its pid once it has
    exec'd. ignore_paused: a paused container is no error (the process
    starts frozen, as with runc exec --ignore-paused). sub_cgroups: the
    process joins those cgroups below the container's (exec --cgroup, see
    cgroups/subcgroup.py)."""
    warmup.start()  # see there: the move into the cgroup below finds the lock warm
    status = container.status()
    allowed = ("running", "created", "paused") if ignore_paused else ("running", "created")
    if status not in allowed:
        raise errors.InvalidState(f"cannot exec in container {container.id}: it is {status}")
    if process.get("terminal") and not (console_socket or on_console):
        raise errors.PyruncError("exec -t: --console-socket is required when detached")
    preserve_fds, extra_env = launcher.inherited_fds(preserve_fds)
    process = dict(process, env=process.get("env", []) + extra_env)
    linux = container.spec.get("linux", {})
    ops = plan.compile_exec(linux, container.pid, process,
                            seccomp_program(container.spec), preserve_fds,
                            rootless=ROOTLESS)
    cgroup = container.cgroup() if container.record.get("cgroup") else None  # rootless: none
    joined = _sub_cgroup_dirs(cgroup, sub_cgroups)  # checked before anything starts
    launched = launcher.spawn(ops)
    channel = launched.channel
    try:
        handlers = {"seccomp": lambda _: _to_seccomp_agent(container, launched)}
        # The child sets itself up, says it is ready, and execs once in the
        # cgroup: there, a paused container freezes it (--ignore-paused).
        launcher.serve(channel, console_socket, on_console, handlers=handlers)
        if joined:
            from libcontainer.cgroups import subcgroup
            subcgroup.join(cgroup, launched.pid, joined)
        elif cgroup:
            cgroup.add_pid(launched.pid)
        warmup.stop()  # no more moves of ours
        launcher.tell(channel, b"J")
        if status != "paused":
            launcher.serve(channel, console_socket, on_console, until=None, handlers=handlers)
        early.finish()  # the keeper let go of above has exited by now: reaped
    except BaseException:
        launcher.kill_and_reap(launched.pid)
        raise
    finally:
        channel.close()
    return launched.pid


def _sub_cgroup_dirs(cgroup, sub_cgroups):
    if not sub_cgroups:
        return None
    if cgroup is None:
        raise errors.PyruncError("--cgroup: the container has no cgroup of its own (rootless)")
    from libcontainer.cgroups import subcgroup
    return subcgroup.directories(cgroup, sub_cgroups)


def _to_seccomp_agent(container, launched):
    from libcontainer import seccomp_agent
    seccomp_agent.send(container.spec, container.id, launched.pid, container.record["bundle"],
                       launched.channel.take_fd(), "running")
