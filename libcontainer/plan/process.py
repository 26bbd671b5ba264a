"""The process part of a plan, shared by create's init and exec: from the
environment to execve, in the order the kernel needs.

  the environment      HOME from the container's /etc/passwd (as root)
  fds closed           all but stdio and the preserved ones, before any chdir
  cwd                  first as root (it may be a dir only root can enter)
  rlimits, scheduler, I/O priority, oom score
  bounding set         needs CAP_SETPCAP: before the uid change
  seccomp              without no_new_privs it needs CAP_SYS_ADMIN: before too
  keep caps, groups, gid, uid, capabilities, umask, no_new_privs
  cwd again            as the user; the check that it lies inside the root
  the executable       looked up in the container, as execvp would
  [seccomp             with no_new_privs and a listener: here, while the init
                       pipe is open to take the listener's fd to pyrunc]
  [ready, start, startContainer hooks: create only, see create.py]
  personality, the cpu affinity (every cpu unless execCPUAffinity.final)
  seccomp              with no_new_privs: last, so set-up is not filtered
  execve
"""
import sys

from libcontainer import capabilities, errors
from libcontainer.plan import attributes
from libcontainer.seccomp import NEW_LISTENER
from libcontainer.plan.ops import Op
from libcontainer.rlimits import RLIMITS

PR_SET_KEEPCAPS = 8


def setup_ops(proc, seccomp, preserve_fds, last_cap=None, rootless=False):
    """Everything up to the ready/start point. seccomp: (bpf, flags) or None.
    rootless: the user namespace denies setgroups (an unprivileged caller's
    gid map), so the groups are left alone unless some are asked for."""
    user = proc.get("user") or {}
    uid, gid = user.get("uid", 0), user.get("gid", 0)
    cwd = proc.get("cwd", "/")
    if last_cap is None:
        last_cap = capabilities.last_cap()
    caps = capabilities.CapabilityPlan.from_spec(proc.get("capabilities"), last_cap)
    ops = attributes.affinity_op(proc, "initial")
    ops += [Op("OP_ENV", "process.env", unique_env(proc.get("env") or []), uid),
            Op("OP_CLOSE_FDS", "closing inherited fds", 3 + preserve_fds),
            Op("OP_CHDIR", f"process.cwd: {cwd}", cwd, 1)]
    ops += _rlimit_ops(proc.get("rlimits"))
    ops += attributes.scheduler_ops(proc)  # a real-time policy needs root's CAP_SYS_NICE
    if "oomScoreAdj" in proc:
        ops.append(Op("OP_OOM_SCORE_ADJ", "process.oomScoreAdj", proc["oomScoreAdj"]))
    ops.append(Op("OP_DROP_BOUNDING", "process.capabilities.bounding", caps.bounding, caps.last))
    if seccomp and not proc.get("noNewPrivileges"):
        ops.append(Op("OP_SECCOMP", "linux.seccomp", *seccomp))
    who = f"process.user: uid {uid} gid {gid}"
    groups = user.get("additionalGids") or []
    ops.append(Op("OP_KEEP_CAPS", "process.capabilities", 1))
    if groups or not rootless:
        ops.append(Op("OP_SETGROUPS", "process.user.additionalGids",
                      b"".join(g.to_bytes(4, sys.byteorder) for g in groups)))
    ops += [Op("OP_SETGID", who, gid), Op("OP_SETUID", who, uid),
            Op("OP_CAPSET", "process.capabilities", caps.effective, caps.permitted,
               caps.inheritable, caps.ambient & caps.permitted & caps.inheritable),
            Op("OP_KEEP_CAPS", "process.capabilities", 0)]
    if "umask" in user:
        ops.append(Op("OP_UMASK", "process.user.umask", user["umask"]))
    if proc.get("noNewPrivileges"):
        ops.append(Op("OP_NO_NEW_PRIVS", "process.noNewPrivileges"))
    ops += [Op("OP_CHDIR", f"process.cwd: {cwd}", cwd, 0),
            Op("OP_FIND_EXEC", "process.args", proc["args"][0])]
    if seccomp and proc.get("noNewPrivileges") and _has_listener(seccomp):
        # Its notification fd goes to pyrunc over the init pipe, which closes
        # at `start`: installed before the ready point instead of last.
        ops.append(Op("OP_SECCOMP", "linux.seccomp", *seccomp))
    return ops


def unique_env(env):
    """process.env with one entry per name: the last value, in the place of
    the first, as runc's init passes it on (it sets each entry in turn)."""
    merged = {}
    for item in env:
        name, sep, _ = item.partition("=")
        merged[name if sep else item] = item
    return list(merged.values())


def exec_ops(proc, seccomp, linux=None):
    """After the ready/start point: personality, cpu affinity, a
    no_new_privs seccomp filter, execve."""
    ops = attributes.personality_ops(linux or {}) + attributes.affinity_op(proc, "final")
    if seccomp and proc.get("noNewPrivileges") and not _has_listener(seccomp):
        ops.append(Op("OP_SECCOMP", "linux.seccomp", *seccomp))
    return ops + [Op("OP_EXEC", "process.args", proc["args"])]


def _has_listener(seccomp):
    return bool(seccomp[1] & NEW_LISTENER)


def passes_fds(ops):
    """Whether the init will send fds with a frame: a pty master
    (OP_CONSOLE) or a seccomp listener's notification fd."""
    return any(op.name == "OP_CONSOLE" or op.name == "OP_SECCOMP" and _has_listener(op.args)
               for op in ops)


def _rlimit_ops(rlimits):
    ops = []
    for limit in rlimits or ():
        kind = limit["type"]
        if kind not in RLIMITS:
            raise errors.ConfigError(f"process.rlimits: unknown type {kind}")
        ops.append(Op("OP_RLIMIT", f"process.rlimits: {kind} soft {limit['soft']} "
                                   f"hard {limit['hard']}", RLIMITS[kind], limit["soft"],
                      limit["hard"]))
    return ops

