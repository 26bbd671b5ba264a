"""`exec --cgroup` on fake cgroupfs trees: parsing runc's forms, the
directories the process joins, and the refusals (outside the container's
cgroup, missing, unknown controller, v2 with a controller)."""
import os

import pytest

from libcontainer.cgroups import manager_for, subcgroup
from libcontainer.errors import PyruncError
from test_cgroups import FakeCgroupFs, V1_TREE, make_files, read, v1_mountinfo, v2_mountinfo


@pytest.mark.parametrize("args, wanted", [
    (["sub"], {"": "sub"}), ([""], {"": ""}), (["/"], {"": "/"}),
    (["memory:a"], {"memory": "a"}),
    (["memory,pids:a", "cpu:b"], {"memory": "a", "pids": "a", "cpu": "b"}),
    (["name=systemd:x"], {"name=systemd": "x"}),
])
def test_parse(args, wanted):
    assert subcgroup.parse(args) == wanted


@pytest.mark.parametrize("args, says", [
    (["memory:a:b"], "must be PATH or CONTROLLER"),
    (["a", "memory:b"], "must be the only --cgroup"),
    ([":a"], "empty controller name"), (["memory,:a"], "empty controller name"),
    (["memory:a", "memory,pids:b"], "controller memory given twice"),
])
def test_parse_refusals(args, says):
    with pytest.raises(PyruncError, match=says):
        subcgroup.parse(args)


@pytest.fixture
def fs():
    return FakeCgroupFs()


@pytest.fixture
def v1(tmp_path, fs):
    root = str(tmp_path / "cgroup")
    for name, files in V1_TREE.items():
        make_files(os.path.join(root, name), files)
    mgr = manager_for("/ctr", "c1", mountinfo=v1_mountinfo(root), fs=fs)
    mgr.create()
    return mgr, root


@pytest.fixture
def v2(tmp_path, fs):
    root = str(tmp_path / "cgroup2")
    make_files(root, {"cgroup.controllers": "memory pids", "cgroup.subtree_control": "",
                      "cgroup.procs": ""})
    mgr = manager_for("/ctr", "c1", mountinfo=v2_mountinfo(root), fs=fs)
    mgr.create()
    return mgr, root


def test_v1_per_controller_and_for_all(v1, fs):
    mgr, root = v1
    for name in V1_TREE:
        fs.mkdir(f"{root}/{name}/ctr/sub")
    dirs = subcgroup.directories(mgr, subcgroup.parse(["memory,pids:sub"]))
    assert sorted(d[len(root):] for d in dirs) == sorted(
        f"/{name}/ctr/sub" if name in ("memory", "pids") else f"/{name}/ctr" for name in V1_TREE)
    # A co-mounted controller takes its hierarchy along; "/x" is below the container too.
    dirs = subcgroup.directories(mgr, subcgroup.parse(["cpuacct:/sub"]))
    assert f"{root}/cpu,cpuacct/ctr/sub" in dirs and f"{root}/memory/ctr" in dirs
    dirs = subcgroup.directories(mgr, subcgroup.parse(["sub"]))
    assert sorted(dirs) == sorted(f"{root}/{name}/ctr/sub" for name in V1_TREE)
    assert subcgroup.directories(mgr, subcgroup.parse(["/"])) == [
        f"{root}/{name}/ctr" for name in V1_TREE]


def test_join_moves_the_pid_into_each(v1, fs):
    mgr, root = v1
    fs.mkdir(f"{root}/memory/ctr/sub")
    subcgroup.join(mgr, 4242, subcgroup.directories(mgr, {"memory": "sub"}))
    assert read(f"{root}/memory/ctr/sub/cgroup.procs") == "4242"
    assert read(f"{root}/pids/ctr/cgroup.procs") == "4242"
    assert read(f"{root}/memory/ctr/cgroup.procs") == ""


@pytest.mark.parametrize("args, says", [
    (["../other"], "'../other': not a sub-cgroup of the container's cgroup"),
    (["memory:a/../../x"], "not a sub-cgroup"),
    (["bogus:sub"], "'bogus:sub': no bogus hierarchy is mounted"),
    (["memory:missing"], "no cgroup .*/memory/ctr/missing"),
    (["cpu:a", "cpuacct:b"], "a and b for the one hierarchy of cpu,cpuacct"),
])
def test_v1_refusals(v1, fs, args, says):
    mgr, root = v1
    fs.mkdir(f"{root}/cpu,cpuacct/ctr/a")
    with pytest.raises(PyruncError, match=says):
        subcgroup.directories(mgr, subcgroup.parse(args))


def test_v2_the_path_alone(v2, fs):
    mgr, root = v2
    fs.mkdir(f"{root}/ctr/sub")
    assert subcgroup.directories(mgr, {"": "sub"}) == [f"{root}/ctr/sub"]
    with pytest.raises(PyruncError, match="'memory:sub': cgroup v2 has one hierarchy"):
        subcgroup.directories(mgr, {"memory": "sub"})
    with pytest.raises(PyruncError, match="not a sub-cgroup"):
        subcgroup.directories(mgr, {"": ".."})
