"""Turn the init (or an exec'd child) into the container process and exec it.

Shared by create's init and by exec: rlimits, user and groups, capabilities,
no_new_privs, cwd, the executable lookup in the container, then execve.
"""
import os
import resource

from libcontainer import capabilities, errors, syscalls as sc

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def apply_rlimits(rlimits):
    for limit in rlimits or ():
        try:
            which = getattr(resource, limit["type"])
        except AttributeError:
            raise errors.PyruncError(f"process.rlimits: unknown type {limit['type']}") from None
        try:
            resource.setrlimit(which, (limit["soft"], limit["hard"]))
        except (ValueError, OSError) as exc:
            raise errors.PyruncError(
                f"process.rlimits: {limit['type']} soft {limit['soft']} hard {limit['hard']}: {exc}"
            ) from None


def switch_user(process, seccomp_filter=None):
    """rlimits, groups, uid/gid and capabilities, in the order the kernel needs;
    a seccomp filter too, here when it cannot wait for execute() (see there)."""
    user = process.get("user", {})
    uid, gid = user.get("uid", 0), user.get("gid", 0)
    plan = capabilities.CapabilityPlan.from_spec(process.get("capabilities"),
                                                 capabilities.last_cap())
    apply_rlimits(process.get("rlimits"))
    if "oomScoreAdj" in process:
        _write("process.oomScoreAdj", "/proc/self/oom_score_adj", process["oomScoreAdj"])
    plan.drop_bounding()
    if seccomp_filter and not process.get("noNewPrivileges"):
        seccomp_filter.load()  # needs CAP_SYS_ADMIN, which the uid change takes away
    plan.keep_across_setuid()
    try:
        os.setgroups(user.get("additionalGids", []))
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    except OSError as exc:
        raise errors.PyruncError(f"process.user: uid {uid} gid {gid}: {exc.strerror}") from None
    plan.apply()
    if "umask" in user:
        os.umask(user["umask"])
    if process.get("noNewPrivileges"):
        sc.prctl(sc.PR_SET_NO_NEW_PRIVS, 1)


def _write(field, path, value):
    try:
        with open(path, "w") as f:
            f.write(str(value))
    except OSError as exc:
        raise errors.PyruncError(f"{field}: {exc.strerror}") from None


def environment(process):
    """process.env as a dict; HOME, if unset, from the container's /etc/passwd
    (call after pivot_root), as runc does."""
    env = {}
    for item in process.get("env", []):
        key, _, value = item.partition("=")
        env[key] = value
    if "HOME" not in env:
        env["HOME"] = _home_of(process.get("user", {}).get("uid", 0))
    return env


def _home_of(uid):
    try:
        with open("/etc/passwd") as f:
            for line in f:
                fields = line.rstrip("\n").split(":")
                if len(fields) >= 6 and fields[2] == str(uid):
                    return fields[5] or "/"
    except OSError:
        pass
    return "/"


def enter_cwd(cwd):
    try:
        os.chdir(cwd)
    except OSError as exc:
        raise errors.PyruncError(f"process.cwd: {cwd}: {exc.strerror}") from None


def find_executable(args, env):
    """Resolve args[0] as execvp would, inside the container (after pivot)."""
    name = args[0]
    if "/" in name:
        candidates = [name]
    else:
        candidates = [os.path.join(d or ".", name)
                      for d in env.get("PATH", DEFAULT_PATH).split(":")]
    for path in candidates:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    where = "" if "/" in name else " in $PATH"
    raise errors.PyruncError(f'exec: "{name}": executable file not found{where}')


def close_extra_fds(keep_upto):
    """Mark every fd above keep_upto close-on-exec: nothing of the host leaks."""
    try:
        fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        fds = range(keep_upto + 1, 1024)
    for fd in fds:
        if fd > keep_upto:
            try:
                os.set_inheritable(fd, False)
            except OSError:
                pass


def execute(path, process, env, keep_fds_upto, seccomp_filter=None):
    """Exec the container's program. With no_new_privs the seccomp filter is
    installed here, last, so that the init's own set-up is not filtered."""
    close_extra_fds(keep_fds_upto)
    if seccomp_filter and process.get("noNewPrivileges"):
        seccomp_filter.load()
    os.execve(path, process["args"], env)
