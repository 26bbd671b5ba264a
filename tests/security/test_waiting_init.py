"""The init of a created container, waiting for `start`.

It sits in the container's namespaces for as long as the container is not
started: it must not be a host interpreter (whose file a container process
could reach through /proc/PID/exe, whose memory holds the host's modules),
and it must be small (crun's is about 1.8 MB).
"""
import os
import re
import sys

import pytest

from private_interpreter import base_interpreter, shebang_interpreter

MAX_RSS_KB = 2048


def vm_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        match = re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M)
    assert match, f"no VmRSS in /proc/{pid}/status"
    return int(match.group(1))


def host_interpreters(pyrunc_exe):
    """(device, inode) of each interpreter pyrunc could be run by here."""
    paths = {base_interpreter(), os.path.realpath(sys.executable)}
    named = shebang_interpreter(pyrunc_exe)
    if named:
        paths.add(os.path.realpath(named))
    return {(os.stat(p).st_dev, os.stat(p).st_ino) for p in paths}


@pytest.fixture
def waiting_init(runtime, make_bundle):
    """The pid of a created (not started) container's init."""
    b = make_bundle(["true"])
    runtime.ok("create", "--bundle", b.path, b.id)
    return runtime.state(b.id)["pid"]


def test_waiting_init_is_not_a_host_interpreter(waiting_init, pyrunc_exe):
    exe = os.stat(f"/proc/{waiting_init}/exe")
    link = os.readlink(f"/proc/{waiting_init}/exe")
    assert (exe.st_dev, exe.st_ino) not in host_interpreters(pyrunc_exe), \
        f"the waiting init runs a host interpreter: {link}"
    assert "python" not in os.path.basename(link), f"the waiting init runs {link}"


def test_waiting_init_rss_is_small(waiting_init):
    rss = vm_rss_kb(waiting_init)
    assert rss <= MAX_RSS_KB, f"the waiting init's RSS is {rss} kB (at most {MAX_RSS_KB})"
