"""CVE-2024-21626 class: a leaked directory fd as the working directory.

A caller that leaks an inheritable fd on a host directory (fd 7 here) and a
config (or `exec --cwd`) naming /proc/self/fd/7 as the cwd: if the runtime
closes inherited fds only at execve, after the chdir, and never checks that
the cwd is inside the root, the container's process starts in the host's
directory. Acceptable outcomes: a clear one-line error, or a process whose
cwd is inside the container; and either way the process holds no fd beyond
stdio.
"""
import pytest

from conftest import assert_nothing_left, assert_one_line_error
from security_support import (RESULTS, call_pyrunc, host_file, read_lines,
                              results_mount, wait_for_file)

LEAKED_CWD = "/proc/self/fd/7"
SECRET = "secret-in-a-host-directory"

# Run as the container's process: writes the report (stdio redirected once,
# with exec, so the shell keeps no saved copy of an fd) with the secret if
# it is readable from the cwd, where `cd ..` from the cwd ends up against
# the root (a cwd inside the root climbs to it; one outside climbs to the
# host's root), and the fds the shell holds (ls runs as its child).
CHECK = r"""
exec > %(results)s/$REPORT 2>&1
cat ./host-secret 2>/dev/null && echo
i=0
while [ $i -lt 64 ]; do cd .. || break; i=$((i + 1)); done
echo "climbed $(stat -c %%d:%%i .) root $(stat -c %%d:%%i /)"
echo fds:
ls /proc/$$/fd
echo end
""" % {"results": RESULTS}


@pytest.fixture
def leaked_dir(tmp_path):
    """The host directory the careless caller has open on fd 7."""
    host_file(tmp_path, "host-secret", SECRET)
    return tmp_path


def check_report(lines):
    """The report shows the process inside the container, holding only stdio."""
    text = "\n".join(lines)
    assert lines and lines[-1] == "end", f"the check did not run to the end: {text!r}"
    assert SECRET not in text, f"the process read a host file from its cwd: {text!r}"
    climbed = next(line for line in lines if line.startswith("climbed")).split()
    assert climbed[1] == climbed[3], f"the cwd is outside the container's root: {text!r}"
    fds = lines[lines.index("fds:") + 1:-1]
    assert sorted(fds) == ["0", "1", "2"], f"fds beyond stdio reached the process: {fds}"


def check_outcome(rc, out, err, report, refused_create=None):
    """Either a one-line error naming the cwd (after which a refused create,
    (runtime, id), has left nothing behind), or a safe process."""
    if rc != 0:
        assert_one_line_error(rc, out, err, "cwd")
        if refused_create:
            assert_nothing_left(*refused_create)
        return
    check_report(read_lines(report))


def check_bundle(make_bundle, host_dir, report, cwd=LEAKED_CWD):
    return make_bundle(["sh", "-c", CHECK], extra_mounts=[results_mount(host_dir)],
                       process={"cwd": cwd, "env": ["PATH=/bin", f"REPORT={report}"]})


def test_run_with_a_leaked_fd_as_cwd(runtime, make_bundle, host_dir, leaked_dir):
    b = check_bundle(make_bundle, host_dir, "run")
    rc, out, err = call_pyrunc(runtime, "run", "--bundle", b.path, b.id, leak=leaked_dir)
    check_outcome(rc, out, err, host_dir / "run", (runtime, b.id))


def test_create_with_a_leaked_fd_as_cwd(runtime, make_bundle, host_dir, leaked_dir):
    b = check_bundle(make_bundle, host_dir, "create")
    rc, out, err = call_pyrunc(runtime, "create", "--bundle", b.path, b.id, leak=leaked_dir)
    if rc == 0:
        runtime.ok("start", b.id)
        assert wait_for_file(host_dir / "create") is not None, "the process wrote no report"
        runtime.wait_status(b.id, "stopped")
    check_outcome(rc, out, err, host_dir / "create", (runtime, b.id))


def test_exec_with_a_leaked_fd_as_cwd(runtime, make_bundle, host_dir, leaked_dir):
    b = make_bundle(["sleep", "30"], extra_mounts=[results_mount(host_dir)])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    rc, out, err = call_pyrunc(runtime, "exec", "--cwd", LEAKED_CWD, "-e", "REPORT=exec",
                               "-e", "PATH=/bin", b.id, "sh", "-c", CHECK, leak=leaked_dir)
    check_outcome(rc, out, err, host_dir / "exec")


def test_the_check_sees_a_clean_process(runtime, make_bundle, host_dir, leaked_dir):
    """The same check with a plain cwd and no leak passes: the tests above
    fail because of the leaked fd, not because the check is wrong."""
    b = check_bundle(make_bundle, host_dir, "plain", cwd="/")
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    check_report(read_lines(host_dir / "plain"))


def test_the_check_sees_a_passed_fd(runtime, make_bundle, host_dir, leaked_dir):
    """...and its fd check bites: an fd passed on purpose (--preserve-fds 1)
    is one it reports."""
    b = check_bundle(make_bundle, host_dir, "preserved", cwd="/")
    rc, out, err = call_pyrunc(runtime, "run", "--preserve-fds", "1", "--bundle", b.path, b.id,
                               leak=leaked_dir, fd=3)
    assert rc == 0, err
    with pytest.raises(AssertionError, match="fds beyond stdio"):
        check_report(read_lines(host_dir / "preserved"))
