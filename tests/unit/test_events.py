"""`pyrunc events`: stats read from fake cgroupfs trees (v1 and v2) in runc's
JSON shape, --interval parsing, and the event stream with OOM events."""
import io
import json

import pytest

from libcontainer import events
from libcontainer.cgroups import stats as st
from libcontainer.errors import PyruncError
from test_cgroups import (FakeCgroupFs, make_files, v1_mountinfo, v2_mountinfo,  # noqa: F401
                          v2_root, v1_root, fake_fs, v1, v2)

V1_FILES = {
    "cpu,cpuacct": {"cpuacct.usage": "3000\n", "cpuacct.usage_percpu": "1000 2000 \n",
                    "cpuacct.usage_percpu_sys": "400 0\n", "cpuacct.usage_percpu_user": "600 2000\n",
                    "cpuacct.stat": "user 3\nsystem 1\n",
                    "cpu.stat": "nr_periods 10\nnr_throttled 4\nthrottled_time 5000\n"},
    "cpuset": {"cpuset.cpus": "0-2,5\n", "cpuset.mems": "0\n", "cpuset.cpu_exclusive": "0\n",
               "cpuset.sched_load_balance": "1\n", "cpuset.sched_relax_domain_level": "-1\n"},
    "memory": {"memory.usage_in_bytes": "4096", "memory.max_usage_in_bytes": "8192",
               "memory.failcnt": "2", "memory.limit_in_bytes": "1048576",
               "memory.memsw.usage_in_bytes": "4096", "memory.memsw.limit_in_bytes": "2097152",
               "memory.memsw.failcnt": "0", "memory.memsw.max_usage_in_bytes": "8192",
               "memory.kmem.limit_in_bytes": "9223372036854771712",
               "memory.kmem.tcp.limit_in_bytes": "9223372036854771712",
               "memory.stat": "cache 12288\nrss 4096\ntotal_cache 12288\n",
               "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n"},
    "pids": {"pids.current": "2\n", "pids.max": "max\n"},
}


def fill(root, layout, prefix="pyrunc/c1"):
    for hierarchy, files in layout.items():
        make_files(f"{root}/{hierarchy}/{prefix}", files)


def test_v1_stats_as_runc_prints_them(v1, v1_root):
    v1.create()
    fill(v1_root, V1_FILES)
    assert v1.stats() == {
        "cpu": {"usage": {"total": 3000, "percpu": [1000, 2000], "percpu_kernel": [400, 0],
                          "percpu_user": [600, 2000], "kernel": 10**7, "user": 3 * 10**7},
                "throttling": {"periods": 10, "throttledPeriods": 4, "throttledTime": 5000}},
        "cpuset": {"cpus": [0, 1, 2, 5], "cpu_exclusive": 0, "mems": [0], "mem_hardwall": 0,
                   "mem_exclusive": 0, "memory_migrate": 0, "memory_spread_page": 0,
                   "memory_spread_slab": 0, "memory_pressure": 0, "sched_load_balance": 1,
                   "sched_relax_domain_level": -1},
        "memory": {"cache": 12288,
                   "usage": {"limit": 1048576, "usage": 4096, "max": 8192, "failcnt": 2},
                   "swap": {"limit": 2097152, "usage": 4096, "max": 8192, "failcnt": 0},
                   "kernel": {"limit": 9223372036854771712, "failcnt": 0},
                   "kernelTCP": {"limit": 9223372036854771712, "failcnt": 0},
                   "raw": {"cache": 12288, "rss": 4096, "total_cache": 12288}},
        "pids": {"current": 2},
        "blkio": {}, "hugetlb": {}, "intel_rdt": {}, "network_interfaces": None,
    }
    assert v1.oom_kills() == 3


def test_v1_blkio_falls_back_from_cfq_to_throttle(v1_root, fake_fs):
    from libcontainer.cgroups import manager_for
    tree = f"{v1_root}/blkio"
    make_files(tree, {"cgroup.procs": ""})
    mountinfo = v1_mountinfo(v1_root) + f"70 31 0:70 / {tree} rw - cgroup cgroup rw,blkio\n"
    mgr = manager_for(None, "c1", mountinfo=mountinfo, proc_self_cgroup="", fs=fake_fs)
    mgr.create()
    make_files(f"{tree}/pyrunc/c1", {
        "blkio.io_serviced_recursive": "Total 0\n",
        "blkio.throttle.io_service_bytes_recursive": "8:0 Read 4096\n8:0 Write 0\nTotal 4096\n",
        "blkio.throttle.io_serviced_recursive": "8:0 Read 1\n8:0 Write 0\nTotal 1\n"})
    assert mgr.stats()["blkio"] == {
        "ioServiceBytesRecursive": [{"major": 8, "op": "Read", "value": 4096},
                                    {"major": 8, "op": "Write"}],
        "ioServicedRecursive": [{"major": 8, "op": "Read", "value": 1},
                                {"major": 8, "op": "Write"}]}


def test_v2_stats(v2, v2_root):
    v2.create()
    make_files(f"{v2_root}/pyrunc/c1", {
        "cpu.stat": "usage_usec 50\nuser_usec 30\nsystem_usec 20\nnr_periods 3\n"
                    "nr_throttled 1\nthrottled_usec 7\n",
        "memory.current": "4096\n", "memory.max": "max\n", "memory.swap.current": "1024\n",
        "memory.swap.max": "max\n", "memory.stat": "anon 4096\nfile 8192\n",
        "memory.events": "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\n",
        "pids.current": "3\n", "pids.max": "100\n",
        "io.stat": "8:16 rbytes=512 wbytes=1024 rios=1 wios=2 dbytes=0 dios=0\n",
        "hugetlb.2MB.current": "0\n", "hugetlb.2MB.events": "max 0\n"})
    stats = v2.stats()
    assert stats["cpu"] == {"usage": {"total": 50000, "kernel": 20000, "user": 30000},
                            "throttling": {"periods": 3, "throttledPeriods": 1,
                                           "throttledTime": 7000}}
    assert stats["memory"] == {
        "cache": 8192, "usage": {"limit": st.MAX_UINT64, "usage": 4096, "failcnt": 5},
        "swap": {"limit": st.MAX_UINT64, "usage": 5120, "failcnt": 0},
        "kernel": {"limit": 0, "failcnt": 0}, "kernelTCP": {"limit": 0, "failcnt": 0},
        "raw": {"anon": 4096, "file": 8192}}
    assert stats["pids"] == {"current": 3, "limit": 100}
    assert stats["blkio"] == {
        "ioServiceBytesRecursive": [{"major": 8, "minor": 16, "op": "Read", "value": 512},
                                    {"major": 8, "minor": 16, "op": "Write", "value": 1024}],
        "ioServicedRecursive": [{"major": 8, "minor": 16, "op": "Read", "value": 1},
                                {"major": 8, "minor": 16, "op": "Write", "value": 2}]}
    assert stats["hugetlb"] == {"2MB": {"failcnt": 0}}
    assert v2.oom_kills() == 1


def test_a_vanished_cgroup_reads_as_zeros(v2):
    stats = v2.stats()  # never created
    assert stats["pids"] == {} and stats["cpu"]["usage"] == {"kernel": 0, "user": 0}
    assert v2.oom_kills() == 0


# --- --interval ----------------------------------------------------------------------

@pytest.mark.parametrize("text,seconds", [
    ("5s", 5), ("500ms", 0.5), ("1m30s", 90), ("1.5h", 5400), ("250us", 0.00025), ("2", None),
])
def test_interval_is_a_go_duration(text, seconds):
    if seconds is None:
        with pytest.raises(PyruncError, match="not a duration"):
            events.parse_interval(text)
    else:
        assert events.parse_interval(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["0", "0s", "0ms"])
def test_interval_must_be_positive(text):
    with pytest.raises(PyruncError, match=r"^--interval '.*': must be greater than 0"):
        events.parse_interval(text)


# --- the stream -------------------------------------------------------------------------

class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += max(seconds, 0.01)


class ScriptedContainer:
    """Runs for `life` seconds of the fake clock; the OOM counter rises at 1.0 s."""

    id = "c1"

    def __init__(self, clock, life):
        self.clock, self.life = clock, life

    def status(self):
        return "running" if self.clock() < self.life else "stopped"

    def cgroup(self):
        return self

    def oom_kills(self):
        return 1 if self.clock() >= 1.0 else 0

    def stats(self):
        return {"pids": {"current": 1}}


def test_follow_prints_stats_every_interval_and_oom_events_until_stopped():
    clock = FakeClock()
    out = io.StringIO()
    events.follow(ScriptedContainer(clock, life=2.5), 1.0, out, clock=clock, sleep=clock.sleep)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    stats = {"type": "stats", "id": "c1", "data": {"pids": {"current": 1}}}
    # At 1.0 s (the OOM, then the first stats: one interval in) and 2.0 s.
    assert lines == [{"type": "oom", "id": "c1"}, stats, stats]


def test_a_late_stats_line_does_not_bring_a_burst_of_catching_up():
    clock = FakeClock()
    container = ScriptedContainer(clock, life=3.5)
    slow = container.stats

    def stats_taking_2s():
        clock.now += 2.0
        return slow()
    container.stats = stats_taking_2s
    out = io.StringIO()
    events.follow(container, 1.0, out, clock=clock, sleep=clock.sleep)
    # Lines at 1 s (done at 3 s), then one interval later at 4 s: stopped by then.
    types = [json.loads(line)["type"] for line in out.getvalue().splitlines()]
    assert types.count("stats") == 1


def test_an_oom_kill_that_stops_the_container_is_still_reported():
    clock = FakeClock()
    out = io.StringIO()
    events.follow(ScriptedContainer(clock, life=1.0), 10.0, out, clock=clock, sleep=clock.sleep)
    assert out.getvalue().splitlines()[-1] == '{"type":"oom","id":"c1"}'


def test_stats_of_a_stopped_container_is_an_error():
    clock = FakeClock()
    with pytest.raises(PyruncError, match="container c1 is not running"):
        events.print_stats_once(ScriptedContainer(clock, life=0), io.StringIO())
