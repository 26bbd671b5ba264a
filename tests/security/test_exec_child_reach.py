"""The exec'd process, seen from the container while it is set up.

`pyrunc exec` makes a process in the container's pid namespace. While that
process is still in the host's mount namespace (or holds the caller's
fds), a container with CAP_SYS_PTRACE (a common debugging flag) reaches
host files through /proc/PID/root, /proc/PID/cwd and /proc/PID/fd.

The attacker, pid 1 of the container, runs prowler.c: it reads, as fast as
it can, every process's root, cwd and fds for a secret that only a host
file holds; the test runs execs meanwhile.
"""
from attack_tools import attack_tools, install_tools
from conftest import TIMEOUT
from security_support import (RESULTS, call_pyrunc, host_file, read_lines, results_mount,
                              wait_for_file, with_capability)

__all__ = ["attack_tools"]  # the fixture, imported for pytest to find

EXECS = 20
WATCH_SECONDS = 60  # the watcher's own limit, should the test die

WATCHER = r"""
cd %(results)s
echo watching > ready
prowler stop %(limit)d "$SECRET" "root$SECRET_PATH" "cwd/$SECRET_NAME" fd > log
echo done > finished
""" % {"results": RESULTS, "limit": WATCH_SECONDS}


def watching_container(runtime, make_bundle, default_spec, rootfs_copy, attack_tools, host_dir,
                       secret):
    """A running container with CAP_SYS_PTRACE whose init is the watcher."""
    install_tools(attack_tools, rootfs_copy)
    caps = with_capability(default_spec["process"]["capabilities"], "CAP_SYS_PTRACE")
    env = ["PATH=/bin", f"SECRET={secret.read_text()}", f"SECRET_PATH={secret}",
           f"SECRET_NAME={secret.name}"]
    b = make_bundle(["sh", "-c", WATCHER], extra_mounts=[results_mount(host_dir)],
                    root={"path": str(rootfs_copy), "readonly": False},
                    process={"env": env, "capabilities": caps})
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    assert wait_for_file(host_dir / "ready") is not None, "the watcher did not start"
    return b.id


def stop_watching(host_dir):
    (host_dir / "stop").write_text("")
    finished = wait_for_file(host_dir / "finished", TIMEOUT)
    log = read_lines(host_dir / "log")
    assert finished is not None, f"the watcher did not finish; log: {log}"
    return log


def execs_under_watch(runtime, cid, host_dir, **how):
    """EXECS execs of `true` while the container's watcher runs, each called
    as call_pyrunc(**how); what the watcher read."""
    try:
        for _ in range(EXECS):
            rc, out, err = call_pyrunc(runtime, "exec", cid, "true", **how)
            assert rc == 0, f"exec: rc {rc}: {err}"
    finally:
        log = stop_watching(host_dir)
    return log


def test_exec_child_never_shows_the_host_filesystem(runtime, make_bundle, default_spec,
                                                    rootfs_copy, attack_tools, host_dir, tmp_path):
    """/proc/PID/root and /proc/PID/cwd of an exec'd process are the container's."""
    secret = host_file(tmp_path, "host-secret", "secret-of-the-host-root-and-cwd")
    cid = watching_container(runtime, make_bundle, default_spec, rootfs_copy, attack_tools,
                             host_dir, secret)
    # pyrunc runs in the secret's directory: a child still in the host's
    # mount namespace has it as its cwd.
    log = execs_under_watch(runtime, cid, host_dir, cwd=tmp_path)
    assert log == [], f"the container read a host file through an exec'd process: {log}"


def test_exec_child_never_shows_the_callers_fds(runtime, make_bundle, default_spec, rootfs_copy,
                                                attack_tools, host_dir, tmp_path):
    """A file the caller left open (not passed with --preserve-fds) is not
    reachable through /proc/PID/fd of an exec'd process."""
    secret = host_file(tmp_path, "caller-file", "secret-of-a-file-the-caller-had-open")
    cid = watching_container(runtime, make_bundle, default_spec, rootfs_copy, attack_tools,
                             host_dir, secret)
    log = execs_under_watch(runtime, cid, host_dir, leak=secret)
    assert log == [], f"the container read a caller's file through an exec'd process: {log}"
