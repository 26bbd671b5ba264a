"""`pyrunc update`: the flags and the -r file (runtime.update_flags), merging
into the stored config, and the cgroup writes (v2 and v1 against fake
cgroupfs trees, no root)."""
import errno
import io
import os
import types

import pytest

from libcontainer import diagnostics, update as upd
from libcontainer.errors import PyruncError
from libcontainer.state import StateStore
from runtime import cli, update_flags as flags
from test_cgroups import (FakeCgroupFs, V1_TREE, make_files, read, v1_mountinfo,  # noqa: F401
                          v2_mountinfo, v2_root, v1_root, fake_fs, v1, v2)


# --- flags and files ----------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("1024", 1024), ("100m", 100 << 20), ("1.5g", 3 << 29), ("130 MiB", 130 << 20),
    ("120MB", 120 << 20), ("2k", 2048), ("-1", -1), ("1t", 1 << 40),
])
def test_sizes_use_binary_units_as_runc(text, expected):
    assert flags.parse_size("--memory", text) == expected


@pytest.mark.parametrize("text", ["abc", "1x", "-5", "", "m", "1.5.5g"])
def test_bad_sizes_name_the_flag(text):
    with pytest.raises(PyruncError, match=r"^--memory: .* is not a size"):
        flags.parse_size("--memory", text)


def test_flags_become_a_partial_resources_object():
    args = cli.parse(["update", "--memory", "100m", "--memory-swap", "-1", "--cpu-quota", "-1",
                      "--cpu-share", "512", "--cpuset-cpus", "0-1", "--pids-limit", "20",
                      "--blkio-weight", "300", "--cpu-rt-period", "1000000", "c1"])
    assert flags.changes_from_flags(args) == {
        "memory": {"limit": 100 << 20, "swap": -1},
        "cpu": {"quota": -1, "shares": 512, "cpus": "0-1", "realtimePeriod": 1000000},
        "pids": {"limit": 20},
        "blockIO": {"weight": 300},
    }


def test_no_flags_change_nothing():
    assert flags.changes_from_flags(cli.parse(["update", "c1"])) == {}


@pytest.mark.parametrize("argv,message", [
    (["--cpu-share", "-1"], "--cpu-share: '-1' is not a non-negative integer"),
    (["--cpu-quota", "abc"], "--cpu-quota: 'abc' is not an integer"),
    (["--pids-limit", "1.5"], "--pids-limit: '1.5' is not an integer"),
    (["--l3-cache-schema", "L3:0=f"], "--l3-cache-schema: Intel RDT is not supported"),
    (["--mem-bw-schema", "MB:0=70"], "--mem-bw-schema: Intel RDT is not supported"),
])
def test_bad_flag_values_are_one_line_errors_naming_the_flag(argv, message):
    with pytest.raises(PyruncError) as info:
        flags.changes_from_flags(cli.parse(["update", *argv, "c1"]))
    assert message in str(info.value) and "\n" not in str(info.value)


def test_resources_from_stdin_and_file(tmp_path):
    assert flags.read_resources_file("-", io.StringIO('{"pids": {"limit": 5}}')) == {
        "pids": {"limit": 5}}
    path = tmp_path / "r.json"
    path.write_text('{"memory": {"limit": 1}}')
    assert flags.read_resources_file(str(path)) == {"memory": {"limit": 1}}


@pytest.mark.parametrize("content,message", [
    ("{bad", "--resources standard input: not valid JSON"),
    ("[1]", "--resources standard input: must be a JSON object"),
])
def test_bad_resources_input(content, message):
    with pytest.raises(PyruncError, match=message):
        flags.read_resources_file("-", io.StringIO(content))


def test_missing_resources_file(tmp_path):
    with pytest.raises(PyruncError, match=r"^--resources .*absent: No such file"):
        flags.read_resources_file(str(tmp_path / "absent"))


# --- merging --------------------------------------------------------------------------

def test_merge_keeps_what_is_not_given_and_treats_zero_as_unchanged():
    old = {"memory": {"limit": 100, "swap": 200}, "cpu": {"cpus": "0"},
           "devices": [{"allow": False, "access": "rwm"}]}
    changes = {"memory": {"limit": 300, "swap": 0}, "cpu": {"cpus": "", "shares": 10},
               "devices": [{"allow": True, "access": "rwm"}], "hugepageLimits": [{}]}
    new = upd.merged(old, changes)
    assert new == {"memory": {"limit": 300, "swap": 200}, "cpu": {"cpus": "0", "shares": 10},
                   "devices": [{"allow": False, "access": "rwm"}]}
    assert old["memory"] == {"limit": 100, "swap": 200}  # not changed in place


def test_merge_takes_unified_files_one_by_one():
    old = {"unified": {"memory.high": "100", "io.weight": "50"}}
    assert upd.merged(old, {"unified": {"memory.high": "200"}})["unified"] == {
        "memory.high": "200", "io.weight": "50"}


def test_v2_update_of_unified_files(v2, v2_root, fake_fs, tmp_path):
    v2.create()
    make_files(f"{v2_root}/pyrunc/c1", {"memory.high": "max"})
    container = FakeContainer(tmp_path, v2, {})
    upd.update(container, {"unified": {"memory.high": "1048576"}})
    assert read(f"{v2_root}/pyrunc/c1/memory.high") == "1048576"
    assert container.stored_resources() == {"unified": {"memory.high": "1048576"}}


def test_merge_names_a_section_that_is_not_an_object():
    with pytest.raises(PyruncError, match=r"^linux\.resources\.memory: must be an object"):
        upd.merged({}, {"memory": 5})


# --- applying to a container (fake cgroupfs) ---------------------------------------------

class FakeContainer:
    """What update() uses of a Container: a real state store in tmp_path,
    and a cgroup manager on the fake cgroupfs."""

    def __init__(self, tmp_path, manager, resources, status="running"):
        self.store = StateStore(str(tmp_path / "state"))
        self.id = "c1"
        self.store.make_dir(self.id)
        self.record = {"id": "c1", "config": {"linux": {"resources": resources}}}
        self.store.save(self.id, self.record)
        self.manager, self._status = manager, status

    def status(self):
        return self._status

    def cgroup(self):
        return self.manager

    def stored_resources(self):
        return self.store.load(self.id)["config"]["linux"]["resources"]


def test_v2_update_writes_the_files_and_stores_the_new_resources(v2, v2_root, fake_fs, tmp_path):
    v2.create()
    devices = [{"allow": False, "access": "rwm"}]
    container = FakeContainer(tmp_path, v2, {"memory": {"limit": 100 << 20}, "devices": devices})
    upd.update(container, {"memory": {"limit": 200 << 20, "swap": 300 << 20},
                           "pids": {"limit": 10}, "cpu": {"quota": 50000, "period": 100000}})
    d = f"{v2_root}/pyrunc/c1"
    assert read(f"{d}/memory.max") == str(200 << 20)
    assert read(f"{d}/memory.swap.max") == str(100 << 20)
    assert read(f"{d}/pids.max") == "10"
    assert read(f"{d}/cpu.max") == "50000 100000"
    assert container.stored_resources() == {
        "memory": {"limit": 200 << 20, "swap": 300 << 20}, "devices": devices,
        "pids": {"limit": 10}, "cpu": {"quota": 50000, "period": 100000}}


def test_a_failed_update_puts_the_old_limits_back_and_keeps_the_config(
        v2, v2_root, fake_fs, tmp_path):
    v2.create()
    container = FakeContainer(tmp_path, v2, {"memory": {"limit": 100}})
    d = f"{v2_root}/pyrunc/c1"
    fake_fs.refuse[f"{d}/pids.max"] = errno.EINVAL
    with pytest.raises(PyruncError, match=r"^linux\.resources\.pids\.limit: cannot set pids\.max"):
        upd.update(container, {"memory": {"limit": 500}, "pids": {"limit": 10}})
    assert fake_fs.written(f"{d}/memory.max") == ["500", "100"]  # set, then put back
    assert read(f"{d}/memory.max") == "100"
    assert container.stored_resources() == {"memory": {"limit": 100}}


def test_a_stopped_container_is_not_updated(v2, fake_fs, tmp_path):
    v2.create()
    container = FakeContainer(tmp_path, v2, {}, status="stopped")
    with pytest.raises(PyruncError, match="container c1 is not running"):
        upd.update(container, {"pids": {"limit": 10}})
    assert container.stored_resources() == {}


def test_v2_has_no_realtime_cpu(v2, fake_fs, tmp_path):
    v2.create()
    container = FakeContainer(tmp_path, v2, {})
    with pytest.raises(PyruncError, match=r"cpu\.realtimeRuntime: cgroup v2 has no realtime"):
        upd.update(container, {"cpu": {"realtimeRuntime": 1000}})


def test_v2_io_weight_prefers_bfq_else_converts(v2, v2_root, fake_fs):
    v2.create()
    d = f"{v2_root}/pyrunc/c1"
    make_files(d, {"io.weight": "default 100\n"})
    v2.apply({"blockIO": {"weight": 1000}})
    assert read(f"{d}/io.weight") == "10000"  # 10..1000 onto 1..10000
    v2.apply({"blockIO": {"weight": 10}})
    assert read(f"{d}/io.weight") == "1"
    make_files(d, {"io.bfq.weight": "default 100\n"})
    v2.apply({"blockIO": {"weight": 500}})
    assert read(f"{d}/io.bfq.weight") == "500"


def test_v1_realtime_and_blkio_weight(v1_root, fake_fs, tmp_path):
    tree = os.path.join(v1_root, "blkio")
    make_files(tree, {"cgroup.procs": "", "blkio.weight": ""})
    mountinfo = v1_mountinfo(v1_root) + (
        f"70 31 0:70 / {tree} rw,relatime - cgroup cgroup rw,blkio\n")
    from libcontainer.cgroups import manager_for
    mgr = manager_for(None, "c1", mountinfo=mountinfo, proc_self_cgroup="", fs=fake_fs)
    mgr.create()
    make_files(f"{v1_root}/cpu,cpuacct/pyrunc/c1", {"cpu.rt_period_us": "", "cpu.rt_runtime_us": ""})
    mgr.apply({"cpu": {"realtimeRuntime": 950000, "realtimePeriod": 1000000},
               "blockIO": {"weight": 300}})
    cpu = f"{v1_root}/cpu,cpuacct/pyrunc/c1"
    names = [os.path.basename(p) for p, _ in fake_fs.writes if ".rt_" in p]
    assert names == ["cpu.rt_period_us", "cpu.rt_runtime_us"]  # the period first
    assert read(f"{cpu}/cpu.rt_runtime_us") == "950000"
    assert read(f"{tree}/pyrunc/c1/blkio.weight") == "300"


def test_io_weight_without_either_file_is_a_logged_warning(v2, fake_fs):
    v2.create()  # the fake v2 tree has neither io.bfq.weight nor io.weight
    said = []
    diagnostics.set_sink(types.SimpleNamespace(warning=said.append, debug=lambda m: None))
    try:
        v2.apply({"blockIO": {"weight": 300}, "pids": {"limit": 5}})
    finally:
        diagnostics.set_sink(diagnostics._Stderr())
    assert said == ["linux.resources.blockIO.weight: not applied: no cgroup file "
                    "io.bfq.weight or io.weight"]


def test_blkio_weight_without_any_weight_file_is_a_logged_warning(v1, fake_fs):
    v1.create()  # the fake v1 tree has no blkio hierarchy at all
    said = []
    diagnostics.set_sink(types.SimpleNamespace(warning=said.append, debug=lambda m: None))
    try:
        v1.apply({"blockIO": {"weight": 300}})
    finally:
        diagnostics.set_sink(diagnostics._Stderr())
    assert said == ["linux.resources.blockIO.weight: not applied: no blkio hierarchy is mounted"]


@pytest.mark.parametrize("weight", [9, 1001])
def test_blkio_weight_range(v2, fake_fs, weight):
    v2.create()
    with pytest.raises(PyruncError, match=r"blockIO\.weight: .* out of range 10\.\.1000"):
        v2.apply({"blockIO": {"weight": weight}})
