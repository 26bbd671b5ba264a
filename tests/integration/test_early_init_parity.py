"""The pyrunc-init the C front starts before Python (_nsexec/early.c)
behaves as the one Python starts itself (and as runc), where a review found
it did not: SIGPIPE, --preserve-fds of a closed fd, memfds that are not
executable by default."""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PYTHON_ENTRY = Path(__file__).resolve().parents[2] / "bin" / "pyrunc"

# More state than a pipe holds (64 KiB): the init must write it in several
# rounds, so a hook that closes its stdin makes a later write fail (EPIPE).
BIG_ANNOTATION = {"review.big": "x" * 200_000}


def _without(namespaces, kind):
    return [ns for ns in namespaces if ns["type"] != kind]


def test_init_survives_a_container_hook_that_closes_its_stdin(runtime, make_bundle,
                                                               default_spec):
    """A createContainer hook is run by pyrunc-init, which writes the state
    JSON to its stdin: a hook that closed its stdin must cost an EPIPE, which
    op_hook copes with, not a SIGPIPE. The C front's init started with
    SIGPIPE at its default, and without a pid namespace (where the init is
    not the unkillable pid 1) it died. runc runs this config."""
    namespaces = _without(default_spec["linux"]["namespaces"], "pid")
    hook = {"path": "/bin/sh", "args": ["sh", "-c", "exec 0<&-; sleep 0.3"]}
    b = make_bundle(["echo", "ran"], annotations=BIG_ANNOTATION,
                    linux={"namespaces": namespaces}, hooks={"createContainer": [hook]})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert (rc, out, err) == (0, "ran\n", "")


def test_preserve_fds_of_a_closed_fd_is_refused(runtime, make_bundle):
    """--preserve-fds naming an fd that is not open is refused, even where
    behind the C front that number is the socket to the early init (or the
    keeper's pipe): not the caller's to pass on."""
    b = make_bundle(["true"])
    rc, _, err = runtime("run", "--preserve-fds", "1", "--bundle", b.path, b.id)
    assert rc != 0
    assert err.strip() == "pyrunc: --preserve-fds: fd 3 is not open"
    assert not os.path.exists(runtime.state_dir(b.id))


def test_preserve_fds_of_the_code_packs_number_is_refused(runtime, make_bundle):
    """The Python command line (bin/pyrunc, no C front) opens the code pack
    (runtime/code_pack.py) first: with the caller's fd 3 closed, 3 is the
    pack's, and it must not reach the container as the caller's."""
    b = make_bundle(["true"])
    argv = [sys.executable, str(PYTHON_ENTRY), "--root", runtime.root, "run",
            "--preserve-fds", "1", "--bundle", b.path, b.id]
    with tempfile.TemporaryFile() as err:
        rc = subprocess.run(argv, env=runtime.env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=err, timeout=30).returncode
        err.seek(0)
        message = err.read().decode()
    assert rc != 0
    assert message.strip() == "pyrunc: --preserve-fds: fd 3 is not open"
    assert not os.path.exists(runtime.state_dir(b.id))


MEMFD_NOEXEC = "/proc/sys/vm/memfd_noexec"


@pytest.mark.skipif(not os.path.exists(MEMFD_NOEXEC), reason="kernel before 6.3: no memfd_noexec")
def test_runs_where_memfds_are_noexec_by_default(runtime, make_bundle):
    """vm.memfd_noexec=1 (Linux 6.3+, a hardening some hosts set) makes a
    memfd made without MFD_EXEC non-executable: the sealed init image is
    made with MFD_EXEC (without it on kernels that refuse the flag), as
    runc runs here too. The sysctl is set in a new pid namespace only."""
    b = make_bundle(["echo", "ran"])
    wrap = ["unshare", "--pid", "--fork", "--mount-proc", "sh", "-c",
            f'echo 1 > {MEMFD_NOEXEC} && exec "$@"', "sh"]
    rc, out, err = runtime("run", "--bundle", b.path, b.id, wrap=wrap)
    assert (rc, out, err) == (0, "ran\n", "")
