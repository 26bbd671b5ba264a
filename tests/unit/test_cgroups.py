"""The cgroup layer against fake cgroupfs trees (no root, no kernel).

FakeCgroupFs stands in for the kernel at the filesystem boundary: mkdir makes
the control files appear, rmdir makes them vanish (and refuses a busy cgroup),
cgroup.procs appends, cgroup.subtree_control takes "+ctrl", cgroup.freeze shows
up in cgroup.events. Everything above that boundary is the real code.
"""

import errno
import json
import os
import signal
import subprocess

import pytest

from libcontainer.cgroups import manager_for, manager_from_state
from libcontainer.cgroups.fs import CgroupFs
from libcontainer.cgroups.v1 import V1Manager
from libcontainer.cgroups.v2 import V2Manager
from libcontainer.cgroups import manager as manager_mod
from libcontainer.cgroups import mountinfo as mi
from libcontainer.cgroups import resources as res
from libcontainer.errors import PyruncError


class FakeCgroupFs(CgroupFs):
    def __init__(self):
        self.writes = []          # (path, value) in order
        self.refuse = {}          # path -> errno for every write
        self.refuse_once = {}     # path -> errno for the next write only
        self.busy = {}            # dir -> how many rmdirs answer EBUSY

    def write(self, path, data):
        self.writes.append((path, data))
        err = self.refuse_once.pop(path, None) or self.refuse.get(path)
        if err:
            raise OSError(err, os.strerror(err), path)
        name = os.path.basename(path)
        if name == "cgroup.procs" and os.path.exists(path):
            data = (self.read(path) + data + "\n").lstrip()
        elif name == "cgroup.subtree_control" and os.path.exists(path):
            data = " ".join(sorted(set(self.read(path).split()) | {data.lstrip("+")}))
        super().write(path, data)
        if name == "cgroup.freeze":
            events = os.path.join(os.path.dirname(path), "cgroup.events")
            super().write(events, f"populated 0\nfrozen {data.strip()}\n")

    def mkdir(self, path):
        os.mkdir(path)
        parent = os.path.dirname(path)
        for name in os.listdir(parent):
            if os.path.isfile(os.path.join(parent, name)):
                content = self._initial(parent, name)
                with open(os.path.join(path, name), "w") as f:
                    f.write(content)

    def _initial(self, parent, name):
        if name == "cgroup.controllers":  # what the parent delegates
            return self.read(os.path.join(parent, "cgroup.subtree_control"))
        if name == "freezer.state":
            return "THAWED\n"
        return ""  # notably cpuset.cpus/mems start empty, as in v1

    def rmdir(self, path):
        if self.busy.get(path, 0) > 0:
            self.busy[path] -= 1
            raise OSError(errno.EBUSY, "Device or resource busy", path)
        if not os.path.isdir(path):
            raise FileNotFoundError(errno.ENOENT, "No such file", path)
        if self.subdirs(path) or self._has_tasks(path):
            raise OSError(errno.EBUSY, "Device or resource busy", path)
        for name in os.listdir(path):
            os.unlink(os.path.join(path, name))
        os.rmdir(path)

    def _has_tasks(self, path):
        procs = os.path.join(path, "cgroup.procs")
        return os.path.exists(procs) and self.read(procs).strip() != ""

    def written(self, path):
        return [v for p, v in self.writes if p == path]


def make_files(directory, files):
    os.makedirs(directory, exist_ok=True)
    for name, content in files.items():
        with open(os.path.join(directory, name), "w") as f:
            f.write(content)


def read(path):
    with open(path) as f:
        return f.read().strip()


V1_TREE = {
    "cpu,cpuacct": {"cgroup.procs": "", "cpu.shares": "1024", "cpu.cfs_quota_us": "-1",
                    "cpu.cfs_period_us": "100000", "cpuacct.usage": "0"},
    "cpuset": {"cgroup.procs": "", "cpuset.cpus": "0-3\n", "cpuset.mems": "0\n"},
    "memory": {"cgroup.procs": "", "memory.limit_in_bytes": "", "memory.soft_limit_in_bytes": "",
               "memory.memsw.limit_in_bytes": "", "memory.swappiness": "60"},
    "freezer": {"cgroup.procs": "", "freezer.state": "THAWED"},
    "pids": {"cgroup.procs": "", "pids.max": "max"},
    "systemd": {"cgroup.procs": ""},
}
V1_OPTIONS = {"cpu,cpuacct": "rw,cpu,cpuacct", "cpuset": "rw,cpuset", "memory": "rw,memory",
              "freezer": "rw,freezer", "pids": "rw,pids", "systemd": "rw,xattr,name=systemd"}


def v1_mountinfo(root, skip=()):
    lines = [f"31 23 0:28 / {root} rw,relatime shared:9 - tmpfs tmpfs rw,mode=755"]
    for n, name in enumerate(V1_TREE):
        if name not in skip:
            lines.append(f"{40 + n} 31 0:{40 + n} / {root}/{name} rw,nosuid,relatime "
                         f"shared:{20 + n} - cgroup cgroup {V1_OPTIONS[name]}")
    lines.append(f"60 31 0:60 / {root}/unified rw,relatime shared:30 - cgroup2 cgroup2 rw,nsdelegate")
    lines.append("61 23 0:61 / /proc rw,relatime - proc proc rw")
    return "\n".join(lines) + "\n"


@pytest.fixture
def fake_fs():
    return FakeCgroupFs()


@pytest.fixture
def v1_root(tmp_path):
    root = str(tmp_path / "cgroup")
    for name, files in V1_TREE.items():
        make_files(os.path.join(root, name), files)
    os.makedirs(os.path.join(root, "unified"))
    return root


V2_FILES = {
    "cgroup.controllers": "cpuset cpu memory pids", "cgroup.subtree_control": "",
    "cgroup.procs": "", "cgroup.freeze": "0", "cgroup.events": "populated 0\nfrozen 0\n",
    "cgroup.kill": "", "memory.max": "max", "memory.low": "0", "memory.high": "max",
    "memory.swap.max": "max", "cpu.weight": "100", "cpu.max": "max 100000",
    "cpuset.cpus": "", "cpuset.mems": "", "pids.max": "max",
}


@pytest.fixture
def v2_root(tmp_path):
    root = str(tmp_path / "cgroup2")
    make_files(root, V2_FILES)
    return root


def v2_mountinfo(root):
    return (f"25 1 0:22 / {root} rw,nosuid,nodev,noexec,relatime shared:4 - "
            "cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
            "26 1 0:23 / /proc rw - proc proc rw\n")


@pytest.fixture
def v1(v1_root, fake_fs):
    return manager_for(None, "c1", mountinfo=v1_mountinfo(v1_root), proc_self_cgroup="", fs=fake_fs)


@pytest.fixture
def v2(v2_root, fake_fs):
    return manager_for(None, "c1", mountinfo=v2_mountinfo(v2_root), proc_self_cgroup="", fs=fake_fs)


# --- mountinfo and detection --------------------------------------------------

def test_parse_line_handles_optional_fields_and_escapes():
    line = r"36 35 98:0 /mnt1 /mnt\040two rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue"
    m = mi.parse_line(line)
    assert (m.root, m.mount_point, m.fstype, m.super_options) == (
        "/mnt1", "/mnt two", "ext3", "rw,errors=continue")
    assert mi.parse_line("garbage") is None


def test_v1_controllers_drops_flags_keeps_names():
    assert mi.v1_controllers("rw,cpu,cpuacct") == ["cpu", "cpuacct"]
    assert mi.v1_controllers("rw,xattr,release_agent=/x,name=systemd") == ["name=systemd"]
    assert mi.v1_controllers("rw,noprefix,cpuset") == ["cpuset"]


def test_detect_hybrid_is_v1_without_the_unified_mount(v1_root):
    version, hierarchies = mi.detect(v1_mountinfo(v1_root))
    assert version == 1
    assert [h.key for h in hierarchies] == [
        "cpu,cpuacct", "cpuset", "memory", "freezer", "pids", "name=systemd"]
    assert hierarchies[0].mount_point == f"{v1_root}/cpu,cpuacct"


def test_detect_pure_v2(v2_root):
    version, hierarchies = mi.detect(v2_mountinfo(v2_root))
    assert version == 2 and hierarchies[0].mount_point == v2_root


def test_detect_named_v1_only_falls_back_to_v2(v2_root):
    text = v2_mountinfo(v2_root) + "30 1 0:30 / /x rw - cgroup cgroup rw,name=systemd\n"
    assert mi.detect(text)[0] == 2


def test_detect_nothing_mounted():
    with pytest.raises(PyruncError, match="no cgroup"):
        mi.detect("26 1 0:23 / /proc rw - proc proc rw\n")


def test_bind_mounted_hierarchy_counts_once(v1_root):
    text = v1_mountinfo(v1_root) + "70 1 0:42 / /elsewhere rw - cgroup cgroup rw,memory\n"
    assert [h.key for h in mi.detect(text)[1]].count("memory") == 1


# --- paths ----------------------------------------------------------------------

def test_default_path(v1, v1_root):
    state = v1.to_state()
    assert state["owned_parent_depth"] == 1
    assert {h["dir"] for h in state["hierarchies"]} == {
        f"{v1_root}/{name}/pyrunc/c1" for name in V1_TREE}


def test_default_path_nests_under_the_callers_cgroup(v2_root, fake_fs):
    mgr = manager_for(None, "c1", mountinfo=v2_mountinfo(v2_root),
                      proc_self_cgroup="0::/user.slice/session-1\n", fs=fake_fs)
    assert mgr.dir == f"{v2_root}/user.slice/session-1/pyrunc/c1"


def test_absolute_path_is_from_each_mount(v2_root, fake_fs):
    mgr = manager_for("/a/b/../c", "c1", mountinfo=v2_mountinfo(v2_root), fs=fake_fs)
    assert mgr.dir == f"{v2_root}/a/c" and mgr.owned_parent_depth == 0
    assert mgr.path_for_cgroupns() == "/a/c"


def test_relative_path_is_from_own_cgroup(v1_root, fake_fs):
    own = "9:name=systemd:/user.slice\n6:freezer:/\n4:memory:/job/7\n2:cpuacct,cpu:/cg\n0::/u\n"
    mgr = manager_for("ctr/x", "c1", mountinfo=v1_mountinfo(v1_root),
                      proc_self_cgroup=own, fs=fake_fs)
    dirs = {tuple(h["controllers"]): h["dir"] for h in mgr.to_state()["hierarchies"]}
    assert dirs[("memory",)] == f"{v1_root}/memory/job/7/ctr/x"
    assert dirs[("cpu", "cpuacct")] == f"{v1_root}/cpu,cpuacct/cg/ctr/x"
    assert dirs[("name=systemd",)] == f"{v1_root}/systemd/user.slice/ctr/x"
    assert dirs[("pids",)] == f"{v1_root}/pids/ctr/x"  # not listed: root


def test_relative_path_strips_the_mount_root(v2_root, fake_fs):
    text = v2_mountinfo(v2_root).replace(" / ", " /docker/abc ", 1)
    mgr = manager_for("sub", "c1", mountinfo=text, proc_self_cgroup="0::/docker/abc/init\n",
                      fs=fake_fs)
    assert mgr.dir == f"{v2_root}/init/sub"


def test_dotdot_cannot_climb_out_of_the_mount(v2_root, fake_fs):
    mgr = manager_for("/../../etc/x", "c1", mountinfo=v2_mountinfo(v2_root), fs=fake_fs)
    assert mgr.dir == f"{v2_root}/etc/x"


@pytest.mark.parametrize("path", ["/", "/a/..", "."])
def test_root_cgroup_is_refused(v2_root, fake_fs, path):
    with pytest.raises(PyruncError, match="root cgroup"):
        manager_for(path, "c1", mountinfo=v2_mountinfo(v2_root), proc_self_cgroup="0::/\n",
                    fs=fake_fs)


# --- create -----------------------------------------------------------------------

def test_v1_create_makes_every_hierarchy_and_copies_cpuset_down(v1, v1_root):
    v1.create()
    for name in V1_TREE:
        assert os.path.isdir(f"{v1_root}/{name}/pyrunc/c1")
    for level in ("pyrunc", "pyrunc/c1"):
        assert read(f"{v1_root}/cpuset/{level}/cpuset.cpus") == "0-3"
        assert read(f"{v1_root}/cpuset/{level}/cpuset.mems") == "0"
    assert read(f"{v1_root}/memory/pyrunc/c1/memory.limit_in_bytes") == ""


def test_v1_create_keeps_a_set_cpuset_and_tolerates_existing(v1, v1_root, fake_fs):
    v1.create()
    with open(f"{v1_root}/cpuset/pyrunc/c1/cpuset.cpus", "w") as f:
        f.write("1")
    v1.create()  # joining an existing cgroup is fine
    assert read(f"{v1_root}/cpuset/pyrunc/c1/cpuset.cpus") == "1"


def test_v2_create_delegates_in_the_ancestors_it_makes(v2, v2_root, fake_fs):
    with open(f"{v2_root}/cgroup.subtree_control", "w") as f:
        f.write("memory pids")  # the host's choice, which pyrunc leaves alone
    fake_fs.refuse_once[f"{v2_root}/pyrunc/cgroup.subtree_control"] = errno.EBUSY
    v2.create()
    assert os.path.isdir(f"{v2_root}/pyrunc/c1")
    assert fake_fs.written(f"{v2_root}/cgroup.subtree_control") == []
    # "+memory" was refused and skipped; "+pids" still went through
    assert fake_fs.written(f"{v2_root}/pyrunc/cgroup.subtree_control") == ["+memory", "+pids"]
    assert read(f"{v2_root}/pyrunc/cgroup.subtree_control") == "pids"
    assert read(f"{v2_root}/pyrunc/c1/cgroup.subtree_control") == ""  # tasks live here


def test_v2_create_passes_everything_down(v2, v2_root):
    with open(f"{v2_root}/cgroup.subtree_control", "w") as f:
        f.write("cpu cpuset memory pids")
    v2.create()
    assert read(f"{v2_root}/pyrunc/c1/cgroup.controllers") == "cpu cpuset memory pids"


def test_v2_create_leaves_existing_ancestors_alone(v2, v2_root, fake_fs):
    fake_fs.mkdir(f"{v2_root}/pyrunc")
    v2.create()
    assert os.path.isdir(f"{v2_root}/pyrunc/c1")
    assert fake_fs.written(f"{v2_root}/pyrunc/cgroup.subtree_control") == []


def test_v1_create_leaves_existing_cpuset_ancestors_alone(v1, v1_root, fake_fs):
    fake_fs.mkdir(f"{v1_root}/cpuset/pyrunc")  # empty cpus, someone else's
    v1.create()
    assert read(f"{v1_root}/cpuset/pyrunc/cpuset.cpus") == ""
    assert fake_fs.written(f"{v1_root}/cpuset/pyrunc/cpuset.cpus") == []


def test_v1_create_waits_for_a_concurrent_create_to_fill_the_shared_parent(v1, v1_root, fake_fs):
    """Another create has just made pyrunc/ and not yet copied its cpus/mems
    in: joining it then would leave this container's cpuset empty (ENOSPC)."""
    parent = f"{v1_root}/cpuset/pyrunc"
    fake_fs.mkdir(parent)
    looks = []
    real_read = fake_fs.read

    def read(path):
        if path == f"{parent}/cpuset.cpus":
            looks.append(path)
            if len(looks) == 2:  # the other create gets there meanwhile
                CgroupFs.write(fake_fs, f"{parent}/cpuset.cpus", "0-3")
                CgroupFs.write(fake_fs, f"{parent}/cpuset.mems", "0")
        return real_read(path)
    fake_fs.read = read
    v1.create()
    assert real_read(f"{parent}/c1/cpuset.cpus") == "0-3"
    assert real_read(f"{parent}/c1/cpuset.mems") == "0"
    assert fake_fs.written(f"{parent}/cpuset.cpus") == []  # not written by this create


def test_create_error_is_a_pyrunc_error(v2_root, fake_fs, tmp_path):
    mgr = manager_for("/a", "c1", mountinfo=v2_mountinfo(str(tmp_path / "missing")), fs=fake_fs)
    with pytest.raises(PyruncError, match="cannot create cgroup"):
        mgr.create()


# --- add_pid / pids -------------------------------------------------------------

def test_add_pid_writes_every_hierarchy(v1, v1_root):
    v1.create()
    v1.add_pid(4242)
    for name in V1_TREE:
        assert read(f"{v1_root}/{name}/pyrunc/c1/cgroup.procs") == "4242"
    assert v1.pids() == [4242]


def test_pids_include_nested_cgroups(v2, v2_root, fake_fs):
    v2.create()
    v2.add_pid(10)
    fake_fs.mkdir(f"{v2_root}/pyrunc/c1/inner")
    fake_fs.write(f"{v2_root}/pyrunc/c1/inner/cgroup.procs", "11")
    assert v2.pids() == [10, 11]


def test_add_pid_error(v2, v2_root, fake_fs):
    v2.create()
    fake_fs.refuse[f"{v2_root}/pyrunc/c1/cgroup.procs"] = errno.ESRCH
    with pytest.raises(PyruncError, match="cannot add pid 5 to cgroup"):
        v2.add_pid(5)


# --- apply --------------------------------------------------------------------------

FULL = {
    "memory": {"limit": 67108864, "reservation": 33554432, "swap": 134217728, "swappiness": 10},
    "cpu": {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0-1", "mems": "0"},
    "pids": {"limit": 20},
}


def test_v1_apply_writes_the_mapped_files(v1, v1_root):
    v1.create()
    v1.apply(FULL)
    base = f"{v1_root}/%s/pyrunc/c1/%s"
    expect = {
        ("memory", "memory.limit_in_bytes"): "67108864",
        ("memory", "memory.soft_limit_in_bytes"): "33554432",
        ("memory", "memory.memsw.limit_in_bytes"): "134217728",
        ("memory", "memory.swappiness"): "10",
        ("cpu,cpuacct", "cpu.shares"): "512",
        ("cpu,cpuacct", "cpu.cfs_quota_us"): "50000",
        ("cpu,cpuacct", "cpu.cfs_period_us"): "100000",
        ("cpuset", "cpuset.cpus"): "0-1",
        ("cpuset", "cpuset.mems"): "0",
        ("pids", "pids.max"): "20",
    }
    assert {k: read(base % k) for k in expect} == expect


@pytest.mark.parametrize("limit,expected", [(-1, "max"), (0, "max"), (7, "7")])
def test_pids_limit(v1, v1_root, v2, v2_root, limit, expected):
    for mgr, path in ((v1, f"{v1_root}/pids"), (v2, v2_root)):
        mgr.create()
        mgr.apply({"pids": {"limit": limit}})
        assert read(f"{path}/pyrunc/c1/pids.max") == expected


def test_v1_unset_and_zero_values_write_nothing(v1, fake_fs):
    v1.create()
    before = len(fake_fs.writes)
    v1.apply({"memory": {"limit": 0}, "cpu": {"shares": 0, "cpus": ""}, "pids": None})
    assert len(fake_fs.writes) == before


def test_v1_refused_write_is_retried_after_the_others(v1, v1_root, fake_fs):
    """Raising memory above the old memory+swap is refused until memsw rose."""
    v1.create()
    limit = f"{v1_root}/memory/pyrunc/c1/memory.limit_in_bytes"
    fake_fs.refuse_once[limit] = errno.EINVAL
    v1.apply({"memory": {"limit": 100, "swap": 200}})
    assert [os.path.basename(p) for p, _ in fake_fs.writes[-3:]] == [
        "memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.limit_in_bytes"]
    assert read(limit) == "100"


def test_v2_apply_converts(v2, v2_root):
    v2.create()
    v2.apply(FULL)
    d = f"{v2_root}/pyrunc/c1"
    assert read(f"{d}/memory.max") == "67108864"
    assert read(f"{d}/memory.low") == "33554432"
    assert read(f"{d}/memory.swap.max") == str(134217728 - 67108864)
    assert read(f"{d}/cpu.weight") == str(1 + ((512 - 2) * 9999) // 262142)
    assert read(f"{d}/cpu.max") == "50000 100000"
    assert (read(f"{d}/cpuset.cpus"), read(f"{d}/cpuset.mems")) == ("0-1", "0")
    assert read(f"{d}/pids.max") == "20"


@pytest.mark.parametrize("memory,files", [
    ({"limit": -1}, {"memory.max": "max"}),
    ({"limit": 100, "swap": -1}, {"memory.max": "100", "memory.swap.max": "max"}),
    ({"limit": 100, "swap": 100}, {"memory.swap.max": "0"}),
    ({"reservation": -1}, {"memory.low": "max"}),
])
def test_v2_memory_values(v2, v2_root, memory, files):
    v2.create()
    v2.apply({"memory": memory})
    assert {f: read(f"{v2_root}/pyrunc/c1/{f}") for f in files} == files


@pytest.mark.parametrize("shares,weight", [(2, "1"), (1024, "39"), (262144, "10000"), (1, "1")])
def test_v2_shares_to_weight(shares, weight):
    assert res.v2_cpu_weight({"cpu": {"shares": shares}})[0].value == weight


@pytest.mark.parametrize("cpu,value", [
    ({"quota": 20000, "period": 50000}, "20000 50000"),
    ({"quota": -1, "period": 50000}, "max 50000"),
    ({"period": 50000}, "max 50000"),
    ({"quota": 30000}, "30000"),
])
def test_v2_cpu_max(cpu, value):
    assert [w.value for w in res.v2_cpu_max({"cpu": cpu})] == [value]


def test_v2_swap_without_limit_is_an_error(v2):
    v2.create()
    with pytest.raises(PyruncError, match=r"linux\.resources\.memory\.swap: .*memory\.limit"):
        v2.apply({"memory": {"swap": 1000}})
    with pytest.raises(PyruncError, match=r"linux\.resources\.memory\.swap: 50 .*less"):
        v2.apply({"memory": {"limit": 100, "swap": 50}})


def test_v2_unified_passes_through_last(v2, v2_root, fake_fs):
    v2.create()
    v2.apply({"memory": {"limit": 100}, "unified": {"memory.high": "90", "memory.max": "80"}})
    d = f"{v2_root}/pyrunc/c1"
    assert read(f"{d}/memory.high") == "90"
    assert fake_fs.written(f"{d}/memory.max") == ["100", "80"]


@pytest.mark.parametrize("name", ["../cgroup.procs", "", ".hidden"])
def test_v2_unified_rejects_paths(v2, name):
    with pytest.raises(PyruncError, match=r"linux\.resources\.unified"):
        v2.apply({"unified": {name: "1"}})


def test_v1_unified_is_an_error(v1):
    v1.create()
    with pytest.raises(PyruncError, match=r"linux\.resources\.unified: needs cgroup v2"):
        v1.apply({"unified": {"memory.high": "1"}})


def test_missing_file_names_the_field(v1, v1_root, v2, v2_root):
    v1.create()
    os.unlink(f"{v1_root}/memory/pyrunc/c1/memory.memsw.limit_in_bytes")
    with pytest.raises(PyruncError) as e:
        v1.apply({"memory": {"limit": 100, "swap": 200}})
    assert str(e.value) == ("linux.resources.memory.swap: cgroup file "
                            "memory.memsw.limit_in_bytes is not available")
    v2.create()
    os.unlink(f"{v2_root}/pyrunc/c1/cpu.weight")
    with pytest.raises(PyruncError, match=r"^linux\.resources\.cpu\.shares: cgroup file cpu\.weight"):
        v2.apply({"cpu": {"shares": 100}})


def test_unmounted_v1_hierarchy_only_matters_when_used(v1_root, fake_fs):
    mgr = manager_for("/x", "c1", mountinfo=v1_mountinfo(v1_root, skip=("pids",)), fs=fake_fs)
    mgr.create()
    mgr.apply({"memory": {"limit": 100}})
    assert not os.path.exists(f"{v1_root}/pids/x")
    with pytest.raises(PyruncError, match=r"^linux\.resources\.pids\.limit: .*pids\.max.*no pids"):
        mgr.apply({"pids": {"limit": 5}})


def test_kernel_refusal_names_field_and_value(v2, v2_root, fake_fs):
    v2.create()
    fake_fs.refuse[f"{v2_root}/pyrunc/c1/cpuset.cpus"] = errno.EINVAL
    with pytest.raises(PyruncError) as e:
        v2.apply({"cpu": {"cpus": "99"}})
    assert str(e.value) == ("linux.resources.cpu.cpus: cannot set cpuset.cpus to '99': "
                            "Invalid argument")


@pytest.mark.parametrize("resources,field", [
    ({"memory": {"limit": "lots"}}, "memory.limit"),
    ({"memory": {"swappiness": 101}}, "memory.swappiness"),
    ({"cpu": {"cpus": 3}}, "cpu.cpus"),
    ({"pids": {"limit": True}}, "pids.limit"),
])
def test_bad_values_name_the_field(v1, resources, field):
    with pytest.raises(PyruncError, match=rf"^linux\.resources\.{field}: "):
        v1.apply(resources)


# --- state --------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["v1", "v2"])
def test_state_round_trip(request, fake_fs, which):
    mgr = request.getfixturevalue(which)
    data = json.loads(json.dumps(mgr.to_state()))
    again = manager_from_state(data, fs=fake_fs)
    assert type(again) is type(mgr) and again.to_state() == mgr.to_state()


def test_state_bad_version():
    with pytest.raises(PyruncError, match="version"):
        manager_from_state({"version": 3})


# --- destroy ----------------------------------------------------------------------

def test_v1_destroy_removes_only_the_container(v1_root, fake_fs):
    text = v1_mountinfo(v1_root)
    one = manager_for(None, "one", mountinfo=text, proc_self_cgroup="", fs=fake_fs)
    two = manager_for(None, "two", mountinfo=text, proc_self_cgroup="", fs=fake_fs)
    one.create()
    two.create()
    fake_fs.mkdir(f"{v1_root}/memory/pyrunc/one/nested")
    one.destroy()
    for name in V1_TREE:
        assert not os.path.exists(f"{v1_root}/{name}/pyrunc/one")
        assert os.path.isdir(f"{v1_root}/{name}/pyrunc/two")
    two.destroy()
    for name in V1_TREE:
        # the invented "/pyrunc" went with the last container
        assert sorted(os.listdir(f"{v1_root}/{name}")) == sorted(V1_TREE[name])
    two.destroy()  # already gone: fine


def test_destroy_keeps_parents_it_did_not_invent(v2_root, fake_fs):
    mgr = manager_for("/shared/ctr", "c1", mountinfo=v2_mountinfo(v2_root), fs=fake_fs)
    mgr.create()
    mgr.destroy()
    assert not os.path.exists(f"{v2_root}/shared/ctr")
    assert os.path.isdir(f"{v2_root}/shared")


def test_destroy_waits_for_dying_tasks(v2, v2_root, fake_fs, monkeypatch):
    monkeypatch.setattr(manager_mod, "RMDIR_BACKOFF", (0, 0, 0))
    v2.create()
    fake_fs.busy[f"{v2_root}/pyrunc/c1"] = 2
    v2.destroy()
    assert not os.path.exists(f"{v2_root}/pyrunc")


def test_destroy_gives_up_on_a_busy_cgroup(v1, v1_root, fake_fs, monkeypatch):
    monkeypatch.setattr(manager_mod, "RMDIR_BACKOFF", (0, 0))
    v1.create()
    v1.add_pid(99999999)
    with pytest.raises(PyruncError, match="cannot remove cgroup .*busy"):
        v1.destroy()
    assert os.path.isdir(f"{v1_root}/memory/pyrunc/c1")


# --- freezer and kill -----------------------------------------------------------------

@pytest.mark.parametrize("which,state_file,frozen", [
    ("v1", "freezer/pyrunc/c1/freezer.state", "FROZEN"),
    ("v2", "pyrunc/c1/cgroup.freeze", "1"),
])
def test_freeze_thaw(request, tmp_path, which, state_file, frozen):
    mgr = request.getfixturevalue(which)
    mgr.create()
    assert not mgr.is_frozen()
    mgr.freeze()
    assert mgr.is_frozen()
    assert read(next(tmp_path.glob("cgroup*")) / state_file) == frozen
    mgr.thaw()
    assert not mgr.is_frozen()


def test_v1_without_freezer(v1_root, fake_fs):
    mgr = manager_for("/x", "c", mountinfo=v1_mountinfo(v1_root, skip=("freezer",)), fs=fake_fs)
    assert not mgr.has_freezer()
    with pytest.raises(PyruncError, match="no freezer"):
        mgr.freeze()


def test_v2_sigkill_uses_cgroup_kill(v2, v2_root, fake_fs):
    v2.create()
    v2.kill_all(signal.SIGKILL)
    assert fake_fs.written(f"{v2_root}/pyrunc/c1/cgroup.kill") == ["1"]


@pytest.fixture
def sleeper():
    proc = subprocess.Popen(["sleep", "30"])
    yield proc
    proc.kill()
    proc.wait()


@pytest.mark.parametrize("which,state_file", [
    ("v1", "freezer/pyrunc/c1/freezer.state"), ("v2", "pyrunc/c1/cgroup.freeze")])
def test_kill_all_freezes_signals_thaws(request, tmp_path, fake_fs, sleeper, which, state_file):
    mgr = request.getfixturevalue(which)
    mgr.create()
    mgr.add_pid(sleeper.pid)
    mgr.kill_all(signal.SIGTERM)
    assert sleeper.wait(timeout=5) == -signal.SIGTERM
    path = str(next(tmp_path.glob("cgroup*")) / state_file)
    assert fake_fs.written(path) in (["FROZEN", "THAWED"], ["1", "0"])


def test_kill_all_leaves_a_paused_container_paused(v1, v1_root, fake_fs, sleeper):
    v1.create()
    v1.add_pid(sleeper.pid)
    v1.freeze()
    v1.kill_all(signal.SIGTERM)
    assert v1.is_frozen()


def test_kill_all_ignores_vanished_pids(v1, monkeypatch):
    def gone(pid, sig):
        raise ProcessLookupError(errno.ESRCH, "No such process")
    monkeypatch.setattr(manager_mod.os, "kill", gone)
    v1.create()
    v1.add_pid(12345)
    v1.kill_all(signal.SIGKILL)
    assert not v1.is_frozen()


def test_managers_are_the_exported_types(v1, v2):
    assert isinstance(v1, V1Manager) and isinstance(v2, V2Manager)


@pytest.mark.parametrize("given, path", [
    ("machine.slice:libpod:abc", "/machine.slice/libpod-abc.scope"),
    ("system.slice:docker:x1", "/system.slice/docker-x1.scope"),
    ("a-b-c.slice:p:n", "/a.slice/a-b.slice/a-b-c.slice/p-n.scope"),
    (":pyrunc:c1", "/system.slice/pyrunc-c1.scope"),
    ("user.slice::c1", "/user.slice/c1.scope"),
    (None, "/system.slice/pyrunc-c9.scope"),
])
def test_systemd_cgroups_path(given, path):
    from libcontainer.cgroups.paths import requested_path
    assert requested_path(given, "c9", systemd=True) == (path, 0)


@pytest.mark.parametrize("given", ["/plain/path", "a:b", "notaslice:p:n", "x.slice:p/q:n"])
def test_bad_systemd_cgroups_path(given):
    from libcontainer.cgroups.paths import requested_path
    with pytest.raises(PyruncError, match="linux.cgroupsPath"):
        requested_path(given, "c9", systemd=True)


def test_v1_device_rules_in_order_then_the_defaults():
    from libcontainer.cgroups.resources import DEFAULT_DEVICE_RULES, V1_RULES, render
    rules = [{"allow": False, "access": "rwm"},
             {"allow": True, "type": "c", "major": 10, "minor": 229, "access": "rwm"},
             {"allow": True, "type": "b", "major": 8, "minor": -1, "access": "r"}]
    writes = [w for controller, w in render(V1_RULES, {"devices": rules})
              if controller == "devices"]
    assert [(w.file, w.value) for w in writes[:3]] == [
        ("devices.deny", "a *:* rwm"), ("devices.allow", "c 10:229 rwm"),
        ("devices.allow", "b 8:* r")]
    assert writes[1].field == "linux.resources.devices[1]"
    assert len(writes) == 3 + len(DEFAULT_DEVICE_RULES)
    assert ("devices.allow", "c 136:* rwm") in [(w.file, w.value) for w in writes]


def test_v1_memory_extras():
    from libcontainer.cgroups.resources import V1_RULES, render
    writes = {w.file: w.value for _, w in render(
        V1_RULES, {"memory": {"kernelTCP": 1048576, "disableOOMKiller": True}})}
    assert writes == {"memory.kmem.tcp.limit_in_bytes": "1048576", "memory.oom_control": "1"}
    assert render(V1_RULES, {"memory": {"disableOOMKiller": False}}) == []


def test_create_starts_over_when_a_shared_parent_vanishes(v2, v2_root, fake_fs):
    """Another container's delete may remove the empty pyrunc/ parent between
    our mkdir of it and of our own dir: create makes it again."""
    real_mkdir = fake_fs.mkdir
    vanished = []

    def mkdir_racing_with_a_delete(path):
        real_mkdir(path)
        if path.endswith("/pyrunc") and not vanished:
            vanished.append(path)
            fake_fs.rmdir(path)  # the other container's delete, just now

    fake_fs.mkdir = mkdir_racing_with_a_delete
    v2.create()
    assert vanished and os.path.isdir(f"{v2_root}/pyrunc/c1")


def test_create_gives_up_when_a_parent_keeps_vanishing(v2, fake_fs):
    def mkdir_always_orphaned(path):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)

    fake_fs.mkdir = mkdir_always_orphaned
    with pytest.raises(PyruncError, match="a parent keeps disappearing"):
        v2.create()
