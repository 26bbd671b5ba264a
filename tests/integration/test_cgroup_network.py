"""linux.resources.network (net_cls classID, net_prio priorities) on this
host's cgroups, side by side with runc: on cgroup v1 without a net_cls or
net_prio hierarchy both refuse the container; where the hierarchy is
mounted the files hold the values; on cgroup v2 both ignore the fields.
(The writes themselves are checked on fake trees:
tests/unit/test_cgroup_network_files.py.)"""
import os

import pytest

from conftest import CGROUP_MOUNT, assert_nothing_left, assert_one_line_error

V2 = os.path.exists(os.path.join(CGROUP_MOUNT, "cgroup.controllers"))


def mounted(controller):
    with open("/proc/self/mountinfo") as f:
        return any(line.split(" - ")[1].startswith("cgroup ")
                   and controller in line.split()[-1].split(",") for line in f)


CASES = [({"classID": 1048577}, "linux.resources.network.classID", "net_cls"),
         ({"priorities": [{"name": "lo", "priority": 5}]},
          "linux.resources.network.priorities[0]", "net_prio")]


@pytest.mark.skipif(V2, reason="cgroup v1 only: v2 has no net_cls/net_prio")
@pytest.mark.parametrize("network, field, controller", CASES)
def test_without_the_hierarchy_create_fails_as_with_runc(runtime, make_bundle, runc,
                                                         network, field, controller):
    if mounted(controller):
        pytest.skip(f"this host mounts {controller}")
    mine = make_bundle(["true"], linux={"resources": {"network": network}})
    rc, out, err = runtime("run", "--bundle", mine.path, mine.id)
    assert_one_line_error(rc, out, err, field, f"no {controller} hierarchy is mounted")
    assert_nothing_left(runtime, mine.id)
    theirs = make_bundle(["true"], linux={"resources": {"network": network}})
    runc.ids.append(theirs.id)
    runc_rc, _, runc_err = runc("run", "--bundle", theirs.path, theirs.id)
    assert runc_rc != 0 and f"cannot set {controller} limit" in runc_err


@pytest.mark.parametrize("network, field, controller", CASES)
def test_with_the_hierarchy_or_on_v2_the_container_runs(runtime, make_bundle, runc,
                                                        network, field, controller):
    if not V2 and not mounted(controller):
        pytest.skip(f"cgroup v1 without {controller}: see the test above")
    mine = make_bundle(["true"], linux={"resources": {"network": network}})
    rc, _, err = runtime("run", "--bundle", mine.path, mine.id)
    assert rc == 0, err
    theirs = make_bundle(["true"], linux={"resources": {"network": network}})
    runc.ids.append(theirs.id)
    rc, _, err = runc("run", "--bundle", theirs.path, theirs.id)
    assert rc == 0, err
