"""The plan of `exec`: join the container's namespaces (the mount namespace
before the fork, so the process is never in the pid namespace while in the
host's mounts), then the process part as for the init."""
from libcontainer.plan import attributes, namespaces, process
from libcontainer.plan.ops import CODES, Op


def compile_exec(linux, init_pid, proc, seccomp=None, preserve_fds=0, last_cap=None,
                 rootless=False):
    """linux: the container's config section (its namespaces, personality)."""
    ops = namespaces.exec_ops(linux.get("namespaces") or [], init_pid)
    if not any(ns["type"] == "mount" for ns in linux.get("namespaces") or []):
        ops[-1:-1] = chroot_ops(init_pid)  # before the fork, as a mount namespace's join
    if proc.get("terminal"):
        size = proc.get("consoleSize") or {}
        ops += [Op("OP_CONSOLE", "process.terminal", "/dev/pts", size.get("height", 0),
                   size.get("width", 0), 0),
                Op("OP_SETSID", "process.terminal")]
    ops += process.setup_ops(proc, seccomp, preserve_fds, last_cap, rootless)
    ops += attributes.memory_policy_ops(linux)  # the container's, as runc exec applies it
    ops.append(Op("OP_READY", "joining the container's cgroup"))
    return ops + process.exec_ops(proc, seccomp, linux)


def chroot_ops(init_pid):
    """A container without a mount namespace is its init's chroot: the
    process gets the same root, through the init's /proc/PID/root."""
    root = f"/proc/{init_pid}/root"
    return [Op("OP_BIND_ROOTFS", f"the container's root {root}", root, 1),
            Op("OP_PIVOT_ROOT", "the container's root: chroot", 0, CODES["ROOT_SWITCH_CHROOT"],
               root)]
