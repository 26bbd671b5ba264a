"""What the container's process starts with, seen from inside: signals,
fds, cwd, cpu affinity, personality, time offsets, scheduler, I/O priority,
session keyring; and errors raised after `start` reach its caller."""
import os
import signal
import subprocess

from conftest import TIMEOUT, assert_nothing_left, assert_one_line_error


def run_from(runtime, bundle, preexec=None, pass_fds=()):
    """`pyrunc run` from a caller set up by preexec (in the child, before exec)."""
    result = subprocess.run(runtime.argv("run", "--bundle", bundle.path, bundle.id),
                            env=runtime.env, stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=TIMEOUT, preexec_fn=preexec, pass_fds=pass_fds)
    runtime.track(bundle.id)
    return result.returncode, result.stdout, result.stderr


def status_fields(text, *names):
    fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
    return [fields[name].strip() for name in names]


def test_signals_default_and_unblocked_whatever_the_caller_had(runtime, make_bundle):
    def hostile_caller():
        for sig in (signal.SIGHUP, signal.SIGPIPE, signal.SIGXFSZ, signal.SIGUSR1):
            signal.signal(sig, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGTERM})
    b = make_bundle(["sh", "-c", "cat /proc/self/status; yes | head -c1"])
    rc, out, err = run_from(runtime, b, hostile_caller)
    assert rc == 0, err
    assert status_fields(out, "SigIgn", "SigBlk") == ["0000000000000000"] * 2
    assert "Broken pipe" not in err


def test_only_stdio_and_preserved_fds_reach_the_process(runtime, make_bundle, host_dir):
    leaked = os.open(host_dir, os.O_RDONLY)  # inheritable in the caller, on purpose
    try:
        b = make_bundle(["ls", "/proc/self/fd"])
        rc, out, err = run_from(runtime, b, pass_fds=(leaked,))
    finally:
        os.close(leaked)
    assert rc == 0, err
    # ls's own directory fd is the lowest free one: 3.
    assert sorted(out.split()) == ["0", "1", "2", "3"], out


def test_cwd_only_root_can_enter_works_as_with_runc(runtime, make_bundle, rootfs_copy):
    (rootfs_copy / "private").mkdir(mode=0o700)
    b = make_bundle(["sh", "-c", "pwd; id -u"], root={"path": str(rootfs_copy)},
                    process={"cwd": "/private", "user": {"uid": 1000, "gid": 1000}})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert (rc, out) == (0, "/private\n1000\n"), err


def test_rootfs_with_proc_as_a_symlink_is_refused(runtime, make_bundle, rootfs_copy, host_dir):
    (rootfs_copy / "proc").rmdir()
    os.symlink(str(host_dir), rootfs_copy / "proc")
    b = make_bundle(["true"], root={"path": str(rootfs_copy)})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "/proc", "symlink")
    assert os.listdir(host_dir) == []
    assert_nothing_left(runtime, b.id)


def test_failing_start_container_hook_is_reported_by_run(runtime, make_bundle):
    hooks = {"startContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "echo no way >&2; exit 4"]}]}
    b = make_bundle(["echo", "must not run"], hooks=hooks)
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "hooks.startContainer[0]", "exit status 4", "no way")
    assert "must not run" not in out
    assert_nothing_left(runtime, b.id)


def test_exec_failure_after_start_is_reported_by_start(runtime, make_bundle, rootfs_copy):
    (rootfs_copy / "notelf").write_text("this is not a program\n")
    os.chmod(rootfs_copy / "notelf", 0o755)
    b = make_bundle(["/notelf"], root={"path": str(rootfs_copy)})
    rc, out, err = runtime("create", "--bundle", b.path, b.id)
    assert rc == 0, err
    rc, out, err = runtime("start", b.id)
    assert_one_line_error(rc, out, err, "process.args", "/notelf", "Exec format error")


def test_cpu_affinity_of_the_caller_is_not_inherited(runtime, make_bundle):
    cpus = sorted(os.sched_getaffinity(0))
    b = make_bundle(["cat", "/proc/self/status"])
    rc, out, err = run_from(runtime, b, lambda: os.sched_setaffinity(0, {cpus[0]}))
    assert rc == 0, err
    allowed = status_fields(out, "Cpus_allowed_list")[0]
    expected = f"{cpus[0]}-{cpus[-1]}" if len(cpus) > 1 else str(cpus[0])
    assert allowed == expected


def test_exec_cpu_affinity_final(runtime, make_bundle):
    b = make_bundle(["cat", "/proc/self/status"], process={"execCPUAffinity": {"final": "0"}})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    assert status_fields(out, "Cpus_allowed_list") == ["0"]


def test_personality_linux32(runtime, make_bundle):
    b = make_bundle(["uname", "-m"], linux={"personality": {"domain": "LINUX32"}})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert (rc, out) == (0, "i686\n"), err


def test_time_namespace_offsets(runtime, make_bundle, default_spec):
    days = 10000
    namespaces = default_spec["linux"]["namespaces"] + [{"type": "time"}]
    b = make_bundle(["cat", "/proc/uptime"], linux={
        "namespaces": namespaces, "timeOffsets": {"boottime": {"secs": days * 86400}}})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    assert float(out.split()[0]) > days * 86400


def test_scheduler_and_io_priority(runtime, make_bundle):
    b = make_bundle(["sh", "-c", "grep '^policy' /proc/self/sched; ionice -p $$"], process={
        "scheduler": {"policy": "SCHED_BATCH", "nice": 5},
        "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 6}})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    policy, ionice = out.splitlines()
    assert policy.split()[-1] == "3"  # SCHED_BATCH
    assert ionice.replace(" ", "") == "best-effort:prio6"


def test_a_session_keyring_of_its_own_unless_no_new_keyring(runtime, make_bundle, default_spec):
    masked = [p for p in default_spec["linux"]["maskedPaths"] if p != "/proc/keys"]
    for flags, expect in (((), True), (("--no-new-keyring",), False)):
        b = make_bundle(["cat", "/proc/keys"], linux={"maskedPaths": masked})
        rc, out, err = runtime("run", *flags, "--bundle", b.path, b.id)
        assert rc == 0, err
        assert (f"_ses.{b.id}" in out) == expect, out


def test_user_without_gid_runs_as_group_0(runtime, make_bundle):
    """runtime-spec lists gid as required; runc (and engines' configs) treat
    an absent one as 0."""
    b = make_bundle(["id"], process={"user": {"uid": 1000, "gid": None}})  # None: no key
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert (rc, out.split()[:2]) == (0, ["uid=1000", "gid=0(root)"]), err


def test_an_unknown_capability_is_dropped_with_a_warning_in_the_log(runtime, make_bundle,
                                                                    tmp_path):
    caps = ["CAP_KILL", "CAP_FROM_A_NEWER_KERNEL"]
    b = make_bundle(["grep", "CapBnd", "/proc/self/status"], process={"capabilities": {
        "bounding": caps, "effective": caps, "permitted": caps}})
    log = tmp_path / "log"
    rc, out, err = runtime("--log", log, "run", "--bundle", b.path, b.id)
    assert (rc, err) == (0, "")
    assert int(out.split()[1], 16) == 1 << 5  # CAP_KILL alone
    assert "CAP_FROM_A_NEWER_KERNEL" in log.read_text()
