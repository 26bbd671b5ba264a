"""cgroup v2 device rules, enforced by the kernel: the eBPF program
V2Manager attaches decides what a process in the cgroup may open. Run on
this host's cgroup2 mount (device programs need no controller), in a cgroup
of the test's own."""
import subprocess
import sys
import uuid

import pytest

from conftest import TEST_TAG
from libcontainer.cgroups.v2 import V2Manager

PROBE = r"""
import os, sys
for path, flags in (("/dev/null", os.O_RDWR), ("/dev/zero", os.O_RDONLY),
                    ("/dev/kmsg", os.O_RDONLY), ("/dev/kmsg", os.O_WRONLY)):
    try:
        os.close(os.open(path, flags))
        print(path, "open")
    except PermissionError:
        print(path, "refused")
"""


def cgroup2_mount():
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            if fields[fields.index("-") + 1] == "cgroup2":
                return fields[4]
    return None


@pytest.fixture
def v2_cgroup():
    mount = cgroup2_mount()
    assert mount, "this test needs a cgroup2 mount (hosts with cgroups v1 have one as well)"
    manager = V2Manager(mount, f"/{TEST_TAG}-devices-{uuid.uuid4().hex[:6]}")
    manager.create()
    yield manager
    manager.destroy()


def probe_in(manager):
    """What a process placed in the cgroup may open."""
    script = f"echo $$ > {manager.file('cgroup.procs')} && exec {sys.executable} -c '{PROBE}'"
    result = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_deny_all_leaves_only_what_the_rules_and_pyrunc_allow(v2_cgroup):
    v2_cgroup.apply({"devices": [
        {"allow": False, "access": "rwm"},
        {"allow": True, "type": "c", "major": 1, "minor": 11, "access": "r"},  # kmsg, read
    ]})
    assert probe_in(v2_cgroup) == [
        "/dev/null open",       # pyrunc's own devices stay allowed
        "/dev/zero open",
        "/dev/kmsg open", "/dev/kmsg refused"]


def test_without_rules_everything_is_open(v2_cgroup):
    v2_cgroup.apply({})
    assert probe_in(v2_cgroup) == ["/dev/null open", "/dev/zero open", "/dev/kmsg open",
                                   "/dev/kmsg open"]


def test_an_update_replaces_the_program(v2_cgroup):
    v2_cgroup.apply({"devices": [{"allow": False, "access": "rwm"}]})
    v2_cgroup.apply({"devices": [{"allow": False, "access": "rwm"},
                                 {"allow": True, "type": "c", "major": 1, "minor": 11}]})
    # Had the first program stayed attached as well, it would still refuse.
    assert probe_in(v2_cgroup)[2:] == ["/dev/kmsg open", "/dev/kmsg open"]
