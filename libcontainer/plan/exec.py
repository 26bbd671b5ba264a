"""The plan of `exec`: join the container's namespaces (the mount namespace
before the fork, so the process is never in the pid namespace while in the
host's mounts), then the process part as for the init."""
from libcontainer.plan import attributes, namespaces, process
from libcontainer.plan.ops import Op


def compile_exec(linux, init_pid, proc, seccomp=None, preserve_fds=0, last_cap=None,
                 rootless=False):
    """linux: the container's config section (its namespaces, personality)."""
    ops = namespaces.exec_ops(linux.get("namespaces") or [], init_pid)
    if proc.get("terminal"):
        size = proc.get("consoleSize") or {}
        ops += [Op("OP_CONSOLE", "process.terminal", "/dev/pts", size.get("height", 0),
                   size.get("width", 0), 0),
                Op("OP_SETSID", "process.terminal")]
    ops += process.setup_ops(proc, seccomp, preserve_fds, last_cap, rootless)
    ops += attributes.memory_policy_ops(linux)  # the container's, as runc exec applies it
    ops.append(Op("OP_READY", "joining the container's cgroup"))
    return ops + process.exec_ops(proc, seccomp, linux)
