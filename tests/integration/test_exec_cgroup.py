"""`exec --cgroup` side by side with runc: the exec'd process's
/proc/self/cgroup names the sub-cgroup the test made below the
container's; a sub-cgroup that is missing or outside the container's is an
error (exit 255, one line)."""
import json
import os
import time

import pytest

from conftest import CGROUP_MOUNT, assert_one_line_error, python_record_unreadable
from test_cli_as_runc import sleeping_pair

SUB = "pyrunc-test-sub"
V2 = os.path.exists(os.path.join(CGROUP_MOUNT, "cgroup.controllers"))


@pytest.fixture
def pair(make_bundle, runtime, runc):
    """Both containers running, with SUB made below each one's cgroup in
    every hierarchy it has; SUB is removed again at the end."""
    mine, theirs = sleeping_pair(make_bundle, runtime, runc)
    made = []
    for cid, pid in ((mine.id, runtime.state(mine.id)["pid"]),
                     (theirs.id, pid_of(runc, theirs.id))):
        for directory in cgroup_dirs(pid):
            if directory.endswith("/" + cid) and not os.path.isdir(f"{directory}/{SUB}"):
                os.mkdir(f"{directory}/{SUB}")
                made.append(f"{directory}/{SUB}")
                inherit_cpuset(directory, f"{directory}/{SUB}")
    yield mine, theirs
    for directory in made:
        if os.path.isdir(directory):
            os.rmdir(directory)  # the exec'd processes have exited


def inherit_cpuset(parent, child):
    """A new v1 cpuset has no cpus or mems, and no task may join it so."""
    for name in ("cpuset.cpus", "cpuset.mems"):
        if os.path.exists(f"{child}/{name}"):
            with open(f"{parent}/{name}") as src, open(f"{child}/{name}", "w") as dst:
                dst.write(src.read())


def cgroup_dirs(pid):
    """The host directories of a process's cgroups, one per mounted hierarchy."""
    mounts = {}
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields, _, tail = line.partition(" - ")
            fstype, _, options = tail.split()
            if fstype in ("cgroup", "cgroup2"):
                names = [o for o in options.split(",") if fstype == "cgroup2" or o not in (
                    "rw", "ro", "xattr", "nsdelegate", "clone_children", "noprefix")]
                mounts[",".join(sorted(names)) if fstype == "cgroup" else ""] = fields.split()[4]
    dirs = []
    with open(f"/proc/{pid}/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            key = ",".join(sorted(controllers.split(","))) if controllers else ""
            if key in mounts:
                dirs.append(mounts[key] + path)
    return dirs


def pid_of(runc, cid):
    import json
    rc, out, err = runc("state", cid)
    assert rc == 0, err
    return json.loads(out)["pid"]


def open_v2_line(text):
    return [line for line in text.splitlines() if line.startswith("0::")][0]


def cgroup_lines(text, cid):
    """/proc/self/cgroup as {controllers: path below the container's cgroup}
    for the v1 hierarchies (the container id taken out, so both compare)."""
    out = {}
    for line in text.splitlines():
        _, controllers, path = line.split(":", 2)
        if controllers:
            out[controllers] = path.split(cid, 1)[1] if cid in path else path
    return out


@pytest.mark.parametrize("flags", [["--cgroup", f"memory,pids:{SUB}"],
                                   ["--cgroup", f"memory:{SUB}", "--cgroup", f"pids:/{SUB}"],
                                   ["--cgroup", SUB], ["--cgroup", "/"]])
def test_the_process_is_in_the_sub_cgroup_as_with_runc(runtime, runc, pair, flags):
    mine, theirs = pair
    if V2 and ":" in flags[1]:
        pytest.skip("controllers are named on cgroup v1 only")
    out = runtime.ok("exec", *flags, mine.id, "cat", "/proc/self/cgroup")
    rc, runc_out, err = runc("exec", *flags, theirs.id, "cat", "/proc/self/cgroup")
    assert rc == 0, err
    lines = cgroup_lines(out, mine.id)
    assert lines == cgroup_lines(runc_out, theirs.id)
    everywhere = flags == ["--cgroup", SUB]
    if V2:
        assert open_v2_line(out).endswith(f"{mine.id}/{SUB}" if everywhere else mine.id)
    else:
        assert lines["memory"] == ("" if flags[-1] == "/" else f"/{SUB}")
        assert lines["freezer"] == (f"/{SUB}" if everywhere else "")


@pytest.mark.parametrize("where, says", [("missing", "no cgroup"),
                                         ("../elsewhere", "not a sub-cgroup")])
def test_missing_or_outside_is_an_error_as_with_runc(runtime, runc, pair, where, says):
    mine, theirs = pair
    rc, out, err = runtime("exec", "--cgroup", where, mine.id, "true")
    assert_one_line_error(rc, out, err, "--cgroup", says)
    runc_rc, _, _ = runc("exec", "--cgroup", where, theirs.id, "true")
    assert rc == runc_rc == 255
    # Nothing was started: the container's cgroup holds only its init.
    assert len(runtime.ok("ps", "--format", "json", mine.id).split(",")) == 1


def test_ps_lists_a_process_in_a_sub_cgroup_too(runtime, runc, pair):
    """ps --format json (answered by the C front) counts the cgroups below
    the container's, as runc's does."""
    mine, theirs = pair
    runtime.ok("exec", "-d", "--cgroup", SUB, mine.id, "sleep", "30")
    assert runc("exec", "-d", "--cgroup", SUB, theirs.id, "sleep", "30")[0] == 0
    with python_record_unreadable(runtime, mine.id):  # the C front's answer
        pids = json.loads(runtime.ok("ps", "--format", "json", mine.id))
    runc_pids = json.loads(runc("ps", "--format", "json", theirs.id)[1])
    assert len(pids) == len(runc_pids) == 2
    assert pids == sorted(pids)
    # Gone before the fixture removes SUB: the sleeps die with each pid 1.
    runtime.ok("kill", mine.id, "KILL")
    assert runc("kill", theirs.id, "KILL")[0] == 0
    runtime.wait_status(mine.id, "stopped")
    for _ in range(100):
        if runc("ps", "--format", "json", theirs.id)[1].strip() == "null":
            break
        time.sleep(0.05)
