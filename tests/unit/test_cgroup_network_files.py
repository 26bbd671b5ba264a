"""linux.resources.network on fake cgroupfs trees: net_cls.classid and
net_prio.ifpriomap on cgroup v1 (as runc's fs driver writes them), an error
when their hierarchy is not mounted (runc fails too), nothing on v2 (runc
ignores them there)."""
import os

import pytest

from libcontainer.cgroups import manager_for
from libcontainer.errors import PyruncError
from test_cgroups import (fake_fs, make_files, read, v1_mountinfo,  # noqa: F401 (fixtures)
                          v1_root, v2_mountinfo)

NETWORK = {"network": {"classID": 1048577,
                       "priorities": [{"name": "eth0", "priority": 5},
                                      {"name": "lo", "priority": 2}]}}


@pytest.fixture
def net_v1_root(v1_root):
    """test_cgroups' v1 tree, with net_cls and net_prio mounted together."""
    make_files(os.path.join(v1_root, "net_cls,net_prio"),
               {"cgroup.procs": "", "net_cls.classid": "0", "net_prio.ifpriomap": ""})
    return v1_root


def with_net_hierarchy(root):
    return v1_mountinfo(root) + (
        f"70 31 0:70 / {root}/net_cls,net_prio rw,relatime shared:40 - cgroup cgroup "
        "rw,net_cls,net_prio\n")


def test_v1_writes_the_class_id_and_each_priority(net_v1_root, fake_fs):
    mgr = manager_for("/c1", "c1", mountinfo=with_net_hierarchy(net_v1_root), fs=fake_fs)
    mgr.create()
    mgr.apply(NETWORK)
    net = f"{net_v1_root}/net_cls,net_prio/c1"
    assert read(f"{net}/net_cls.classid") == "1048577"
    assert fake_fs.written(f"{net}/net_prio.ifpriomap") == ["eth0 5", "lo 2"]


def test_v1_unset_network_values_write_nothing(net_v1_root, fake_fs):
    mgr = manager_for("/c1", "c1", mountinfo=with_net_hierarchy(net_v1_root), fs=fake_fs)
    mgr.create()
    before = len(fake_fs.writes)
    mgr.apply({"network": {"classID": 0, "priorities": []}})
    assert len(fake_fs.writes) == before


@pytest.mark.parametrize("network, field, controller", [
    ({"classID": 7}, "linux.resources.network.classID", "net_cls"),
    ({"priorities": [{"name": "eth0", "priority": 1}]},
     "linux.resources.network.priorities[0]", "net_prio"),
])
def test_v1_without_the_hierarchy_is_an_error(net_v1_root, fake_fs, network, field, controller):
    # As on this host: no net_cls or net_prio hierarchy mounted.
    mgr = manager_for("/c1", "c1", mountinfo=v1_mountinfo(net_v1_root), fs=fake_fs)
    mgr.create()
    with pytest.raises(PyruncError) as caught:
        mgr.apply({"network": network})
    assert str(caught.value).startswith(f"{field}: ")
    assert f"no {controller} hierarchy is mounted" in str(caught.value)


def test_v1_bad_priority_names_the_entry(net_v1_root, fake_fs):
    mgr = manager_for("/c1", "c1", mountinfo=with_net_hierarchy(net_v1_root), fs=fake_fs)
    mgr.create()
    with pytest.raises(PyruncError, match=r"^linux\.resources\.network\.priorities\[1\]\.priority"):
        mgr.apply({"network": {"priorities": [{"name": "a", "priority": 1},
                                              {"name": "b", "priority": "high"}]}})


def test_v2_ignores_network(tmp_path, fake_fs):
    root = str(tmp_path / "cgroup2")
    make_files(root, {"cgroup.controllers": "memory pids", "cgroup.subtree_control": "",
                      "cgroup.procs": "", "pids.max": "max"})
    mgr = manager_for("/c1", "c1", mountinfo=v2_mountinfo(root), fs=fake_fs)
    mgr.create()
    before = len(fake_fs.writes)
    mgr.apply(NETWORK)
    assert len(fake_fs.writes) == before
