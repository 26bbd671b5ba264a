"""The plan compiler: exact operations, in the order pyrunc-init must run
them. Each ordering rule the kernel or security needs has a test that turns
red if an operation is dropped or moved."""
import sys

import pytest

from libcontainer import errors
from libcontainer.config.defaults import default_spec
from libcontainer.plan import CreateContext, Op, compile_create, compile_exec, encode
from libcontainer.plan.cgroupfs import cgroup_mount_ops
from libcontainer.plan.mounts import HOW, MS_REC, NOSUID, PROPAGATION, RDONLY
from libcontainer.plan.ops import CODES

LAST_CAP = 40
CGROUP_NONE = {}  # no cgroup mounts in these specs unless a test asks


def spec(**changes):
    s = default_spec()
    s["process"]["terminal"] = False
    s["mounts"] = [m for m in s["mounts"] if m["type"] != "cgroup"]
    s.update(changes)
    return s


def ctx(**changes):
    values = dict(bundle="/b", rootfs="/b/rootfs", fifo="/run/x/exec.fifo",
                  cgroup_dirs=CGROUP_NONE, preserve_fds=0, seccomp=None, last_cap=LAST_CAP)
    values.update(changes)
    return CreateContext(**values)


def names(ops):
    return [op.name for op in ops]


def index(ops, name, nth=0):
    return [i for i, op in enumerate(ops) if op.name == name][nth]


def ops_named(ops, name):
    return [op for op in ops if op.name == name]


def test_default_spec_plan_in_order():
    s = spec()
    linux = s["linux"]
    ops = compile_create(s, ctx())
    assert names(ops) == (
        ["OP_UNSHARE", "OP_FORK", "OP_ROOT_PRIVATE", "OP_BIND_ROOTFS"]
        + ["OP_MOUNT"] * len(s["mounts"]) + ["OP_WAIT_CGROUP"]
        + ["OP_MKNOD"] * 6 + ["OP_SYMLINK"] * 5
        + ["OP_HOSTNAME", "OP_OPEN_FIFO", "OP_PIVOT_ROOT", "OP_CHECK_PROC"]
        + ["OP_READONLY"] * len(linux["readonlyPaths"])
        + ["OP_MASK"] * len(linux["maskedPaths"]) + ["OP_ROOT_READONLY"]
        + ["OP_SETSID", "OP_ENV", "OP_CLOSE_FDS", "OP_CHDIR", "OP_RLIMIT", "OP_DROP_BOUNDING",
           "OP_KEEP_CAPS", "OP_SETGROUPS", "OP_SETGID", "OP_SETUID", "OP_CAPSET",
           "OP_KEEP_CAPS", "OP_NO_NEW_PRIVS", "OP_CHDIR", "OP_FIND_EXEC", "OP_CHECK_FIFO",
           "OP_READY", "OP_CPU_AFFINITY", "OP_EXEC"])


def test_a_plan_started_at_once_has_no_exec_fifo():
    """run: the init goes from ready to exec (plan/create.py, ctx.fifo None)."""
    ops = compile_create(spec(), ctx(fifo=None))
    assert not ops_named(ops, "OP_OPEN_FIFO") and not ops_named(ops, "OP_CHECK_FIFO")
    assert names(ops)[index(ops, "OP_READY"):] == ["OP_READY", "OP_CPU_AFFINITY", "OP_EXEC"]


def test_namespaces_made_in_one_unshare_before_the_fork():
    ops = compile_create(spec(), ctx())
    flags = ops[0].args[0]
    assert flags == 0x20000000 | 0x40000000 | 0x08000000 | 0x04000000 | 0x00020000
    assert ops[1] == Op("OP_FORK", "starting the container's init")


def test_user_namespace_first_maps_then_uid_0_then_the_rest():
    s = spec()
    s["linux"]["namespaces"].insert(0, {"type": "network", "path": "/run/netns/x"})
    s["linux"]["namespaces"].append({"type": "user"})
    ops = compile_create(s, ctx())
    assert names(ops)[:6] == ["OP_UNSHARE", "OP_USERNS_SYNC", "OP_BECOME_ROOT", "OP_JOIN",
                              "OP_UNSHARE", "OP_FORK"]
    assert ops[0].args == (0x10000000,)
    assert ops[3].args == (0x40000000, "/run/netns/x")
    assert ops[3].label == "linux.namespaces[0]: joining the network namespace /run/netns/x"
    # mknod is refused in a user namespace: the host's nodes are bound instead.
    assert "OP_MKNOD" not in names(ops)
    assert len(ops_named(ops, "OP_BIND_DEVICE")) == 6


def test_new_cgroup_namespace_is_made_once_in_the_cgroup():
    s = spec()
    s["linux"]["namespaces"].append({"type": "cgroup"})
    ops = compile_create(s, ctx())
    wait = index(ops, "OP_WAIT_CGROUP")
    assert index(ops, "OP_FORK") < wait
    assert ops[wait + 1] == Op("OP_UNSHARE", "linux.namespaces: creating the cgroup namespace",
                               0x02000000)  # the cgroup joined is its root
    assert not ops[0].args[0] & 0x02000000


def _labels_after_the_wait(ops):
    wait = index(ops, "OP_WAIT_CGROUP")
    return [op.label.split(":")[0] for op in ops[wait:] if op.name == "OP_MOUNT"]


V2_MOUNTINFO = "30 22 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n"


def test_plain_mounts_before_the_first_that_needs_the_cgroup_wait_for_none():
    """Made while pyrunc makes the cgroup; the cgroup's own mount and all
    after it, the devices and the hooks only in the cgroup (its device rules
    guard making and opening a node)."""
    from libcontainer.cgroups import mountinfo
    cgroup = {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup"}
    tmp = {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"}
    s = spec(hooks={"createContainer": [{"path": "/bin/a"}]})
    s["mounts"] += [cgroup, tmp]
    ops = compile_create(s, ctx(cgroup_dirs={"": "/sys/fs/cgroup/pyrunc/c1"},
                                mountinfo=mountinfo.parse(V2_MOUNTINFO)))
    assert _labels_after_the_wait(ops) == ["mounts[6]", "mounts[7]"]
    assert index(ops, "OP_WAIT_CGROUP") < index(ops, "OP_MKNOD") < index(ops, "OP_HOOK_STATES")


@pytest.mark.parametrize("entry", [
    {"destination": "/sys/fs/cgroup", "type": "cgroup2", "source": "cgroup2"},
    {"destination": "/etc", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup"]},
])
def test_a_cgroup2_or_tmpcopyup_mount_is_made_in_the_cgroup(entry):
    """What a cgroup2 mount shows depends on the cgroup; what a tmpcopyup
    copies is charged to it."""
    s = spec()
    s["mounts"].insert(2, entry)
    assert _labels_after_the_wait(compile_create(s, ctx()))[0] == "mounts[2]"


def test_with_a_new_cgroup_namespace_no_mount_comes_before_it():
    """A mount made before the namespace would show the host's cgroups."""
    s = spec()
    s["linux"]["namespaces"].append({"type": "cgroup"})
    s["mounts"].append({"destination": "/sys/fs/cgroup", "type": "cgroup2", "source": "x"})
    ops = compile_create(s, ctx())
    wait = index(ops, "OP_WAIT_CGROUP")
    assert names(ops)[wait:wait + 3] == ["OP_WAIT_CGROUP", "OP_UNSHARE", "OP_MOUNT"]
    assert len(_labels_after_the_wait(ops)) == len(s["mounts"])


def test_without_a_cgroup_mount_the_wait_comes_after_the_mounts():
    s = spec(hooks={"createContainer": [{"path": "/bin/a"}]})
    ops = compile_create(s, ctx())
    assert (index(ops, "OP_MOUNT", nth=len(s["mounts"]) - 1) < index(ops, "OP_WAIT_CGROUP")
            < index(ops, "OP_MKNOD") < index(ops, "OP_HOOK_STATES"))


def test_bind_mount_read_only_is_set_on_the_mount():
    s = spec(mounts=[{"destination": "/data", "type": "bind", "source": "vol",
                      "options": ["rbind", "ro", "nosuid", "rslave"]}])
    mount = ops_named(compile_create(s, ctx()), "OP_MOUNT")[0]
    dest, source, fstype, set_, clear, rset, rclear, propagation, how, data = mount.args
    assert (dest, source, how, data) == ("/data", "/b/vol", HOW["rbind"], [])
    assert set_ == RDONLY | NOSUID
    assert propagation == PROPAGATION["slave"] | MS_REC
    assert mount.label == "mounts[0]: mounting /b/vol on /data"


def test_proc_and_sysfs_refuse_symlinks_sysfs_falls_back():
    s = spec(mounts=[{"destination": "/proc", "type": "proc"},
                     {"destination": "/sys", "type": "sysfs", "options": ["ro"]}])
    proc, sysfs = ops_named(compile_create(s, ctx()), "OP_MOUNT")
    assert proc.args[8] == HOW["no_symlink"]
    assert sysfs.args[8] == HOW["no_symlink"] | HOW["sysfs_fallback"]


def test_tmpcopyup_is_a_copy_up_tmpfs():
    s = spec(mounts=[{"destination": "/etc", "type": "tmpfs", "options": ["tmpcopyup", "size=1m"]}])
    mount = ops_named(compile_create(s, ctx()), "OP_MOUNT")[0]
    assert mount.args[8] == HOW["copyup"] | HOW["covered_mode"] and mount.args[9] == ["size=1m"]


def test_masked_and_read_only_paths_each_after_the_pivot():
    s = spec()
    ops = compile_create(s, ctx())
    pivot = index(ops, "OP_PIVOT_ROOT")
    masks = [op.args[0] for op in ops if op.name == "OP_MASK"]
    readonly = [op.args[0] for op in ops if op.name == "OP_READONLY"]
    assert masks == s["linux"]["maskedPaths"]
    assert readonly == s["linux"]["readonlyPaths"]
    assert index(ops, "OP_CHECK_PROC") == pivot + 1
    assert all(i > pivot for i, op in enumerate(ops)
               if op.name in ("OP_MASK", "OP_READONLY", "OP_SYSCTL", "OP_ROOT_READONLY"))


def test_sysctl_written_under_proc_sys_after_the_pivot():
    ops = compile_create(spec(linux=dict(spec()["linux"], sysctl={"net.ipv4.ip_forward": 1})),
                         ctx())
    sysctl = ops_named(ops, "OP_SYSCTL")[0]
    assert sysctl.args == ("sys/net/ipv4/ip_forward", "1")
    assert sysctl.label == "linux.sysctl.net.ipv4.ip_forward"
    assert index(ops, "OP_SYSCTL") > index(ops, "OP_PIVOT_ROOT")


def test_user_change_order():
    s = spec()
    s["process"]["user"] = {"uid": 1000, "gid": 100, "additionalGids": [5, 7], "umask": 0o27}
    ops = compile_create(s, ctx())
    order = [index(ops, n) for n in ("OP_DROP_BOUNDING", "OP_SETGROUPS", "OP_SETGID",
                                     "OP_SETUID", "OP_CAPSET", "OP_UMASK")]
    assert order == sorted(order)
    assert index(ops, "OP_KEEP_CAPS", 0) < index(ops, "OP_SETUID") < index(ops, "OP_KEEP_CAPS", 1)
    assert ops_named(ops, "OP_SETGROUPS")[0].args == (
        (5).to_bytes(4, sys.byteorder) + (7).to_bytes(4, sys.byteorder),)
    assert ops_named(ops, "OP_SETUID")[0].args == (1000,)
    assert ops_named(ops, "OP_SETGID")[0].args == (100,)


def test_fds_closed_before_any_chdir_cwd_entered_as_root_then_as_the_user():
    ops = compile_create(spec(), ctx(preserve_fds=2))
    close = index(ops, "OP_CLOSE_FDS")
    assert ops[close].args == (5,)
    first, second = (i for i, op in enumerate(ops) if op.name == "OP_CHDIR")
    assert close < first < index(ops, "OP_SETUID") < second < index(ops, "OP_FIND_EXEC")
    assert ops[first].args == ("/", 1) and ops[second].args == ("/", 0)


def test_capability_masks_and_ambient_only_where_permitted_and_inheritable():
    ops = compile_create(spec(), ctx())
    capset = ops_named(ops, "OP_CAPSET")[0]
    mask = 1 << 29 | 1 << 5 | 1 << 10
    # runc's default: ambient listed, inheritable empty: nothing ambient.
    assert capset.args == (mask, mask, 0, 0)
    assert ops_named(ops, "OP_DROP_BOUNDING")[0].args == (mask, LAST_CAP)


@pytest.mark.parametrize("nnp", [True, False])
def test_seccomp_last_with_no_new_privs_else_before_the_user_change(nnp):
    s = spec()
    s["process"]["noNewPrivileges"] = nnp
    ops = compile_create(s, ctx(seccomp=(b"\0" * 8, 2)))
    at = index(ops, "OP_SECCOMP")
    assert ops[at].args == (b"\0" * 8, 2)
    if nnp:
        assert names(ops)[-2:] == ["OP_SECCOMP", "OP_EXEC"]
        assert index(ops, "OP_CPU_AFFINITY") < at
    else:
        assert at < index(ops, "OP_SETUID")


def test_hooks_inside_run_at_their_points():
    hooks = {"createContainer": [{"path": "/bin/a", "args": ["a", "1"], "timeout": 3}],
             "startContainer": [{"path": "/bin/b", "env": ["X=1"]}]}
    s = spec(hooks=hooks)
    s["process"]["env"] = ["A=1", "B=2", "A=3"]
    ops = compile_create(s, ctx())
    create_hook, start_hook = ops_named(ops, "OP_HOOK")
    # Without env of its own: the process's (as runc's init sets it: one A),
    # marked so that startContainer's takes the process's as OP_ENV made it.
    assert create_hook.args == (0, "/bin/a", 3, ["a", "1"], ["A=3", "B=2"], 1)
    assert start_hook.args == (1, "/bin/b", 0, [], ["X=1"], 0)
    assert ops_named(ops, "OP_ENV")[0].args[0] == ["A=3", "B=2"]
    assert (index(ops, "OP_MOUNT") < index(ops, "OP_WAIT_CGROUP") < index(ops, "OP_HOOK_STATES")
            < ops.index(create_hook) < index(ops, "OP_PIVOT_ROOT"))
    assert index(ops, "OP_READY") < ops.index(start_hook) < index(ops, "OP_EXEC")


def test_terminal_pty_from_the_containers_devpts_bound_on_dev_console():
    s = spec()
    s["process"].update(terminal=True, consoleSize={"height": 24, "width": 80})
    ops = compile_create(s, ctx())
    assert ops_named(ops, "OP_CONSOLE")[0].args == ("/dev/pts", 24, 80, 1)
    assert index(ops, "OP_CONSOLE") < index(ops, "OP_PIVOT_ROOT") < index(ops, "OP_SETSID")


def test_no_process_only_waits():
    s = spec()
    del s["process"]
    assert names(compile_create(s, ctx()))[-2:] == ["OP_ROOT_READONLY", "OP_READY"]


def test_exec_joins_everything_before_the_fork_mount_last():
    namespaces = [{"type": "mount"}, {"type": "pid"}, {"type": "network"}]
    proc = dict(spec()["process"], args=["ps"], terminal=True)
    ops = compile_exec({"namespaces": namespaces}, 42, proc, last_cap=LAST_CAP)
    joins = [op.args[1] for op in ops if op.name == "OP_JOIN"]
    assert joins == ["/proc/42/ns/net", "/proc/42/ns/pid", "/proc/42/ns/mnt"]
    assert names(ops)[3:6] == ["OP_FORK", "OP_CONSOLE", "OP_SETSID"]
    assert ops_named(ops, "OP_CONSOLE")[0].args[:1] == ("/dev/pts",)  # never its /dev/ptmx
    assert names(ops)[-4:] == ["OP_FIND_EXEC", "OP_READY", "OP_CPU_AFFINITY", "OP_EXEC"]
    assert index(ops, "OP_CLOSE_FDS") < index(ops, "OP_CHDIR")


def test_refusals_name_the_field():
    s = spec()
    s["process"]["rlimits"] = [{"type": "RLIMIT_NOPE", "soft": 1, "hard": 1}]
    with pytest.raises(errors.PyruncError, match="process.rlimits: unknown type RLIMIT_NOPE"):
        compile_create(s, ctx())


class _Hierarchy:
    def __init__(self, controllers):
        self.controllers, self.key = controllers, ",".join(controllers)


def test_cgroup_mount_v1_binds_each_hierarchy_the_container_has(monkeypatch):
    from libcontainer.cgroups import mountinfo
    monkeypatch.setattr(mountinfo, "v1_hierarchies",
                        lambda mounts: [_Hierarchy(("cpu", "cpuacct")), _Hierarchy(("name=systemd",)),
                                        _Hierarchy(("memory",))])
    entry = {"destination": "/sys/fs/cgroup", "type": "cgroup",
             "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
    dirs = {"cpu,cpuacct": "/sys/fs/cgroup/cpu,cpuacct/c1", "name=systemd": "/sys/fs/cgroup/systemd/c1"}
    ops = cgroup_mount_ops(3, entry, dirs, namespaced=False, mounts=[])
    assert names(ops) == ["OP_CGROUP_TMPFS", "OP_CGROUP_HIER", "OP_CGROUP_HIER",
                          "OP_CGROUP_DONE"]
    assert ops[1].args[:3] == ("cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/c1", ["cpu", "cpuacct"])
    assert ops[2].args[:2] == ("systemd", "/sys/fs/cgroup/systemd/c1")
    assert not ops[0].args[1] & RDONLY and ops[3].args == (RDONLY,)
    namespaced = cgroup_mount_ops(3, entry, dirs, namespaced=True, mounts=[])
    assert namespaced[1].args[1] == ""  # a fresh mount of the hierarchy


def _decode(raw):
    """The plan frame read as executor.c reads it."""
    ops, at = [], 0
    while at < len(raw):
        code = int.from_bytes(raw[at:at + 2], sys.byteorder)
        nargs = int.from_bytes(raw[at + 2:at + 4], sys.byteorder)
        n = int.from_bytes(raw[at + 4:at + 8], sys.byteorder)
        label, at = raw[at + 8:at + 8 + n].decode(), at + 8 + n
        args = []
        for _ in range(nargs):
            n = int.from_bytes(raw[at:at + 4], sys.byteorder)
            args.append(raw[at + 4:at + 4 + n])
            at += 4 + n
        ops.append((code, label, args))
    return ops


def test_encoding_as_the_executor_reads_it():
    raw = encode([Op("OP_RLIMIT", "process.rlimits: x", 7, 1024, 2**64 - 1),
                  Op("OP_OOM_SCORE_ADJ", "oom", -1000),
                  Op("OP_EXEC", "process.args", ["sh", "-c", ""])])
    (c1, l1, a1), (c2, _, a2), (c3, _, a3) = _decode(raw)
    assert (c1, l1) == (CODES["OP_RLIMIT"], "process.rlimits: x")
    assert [int.from_bytes(a, sys.byteorder) for a in a1] == [7, 1024, 2**64 - 1]
    assert int.from_bytes(a2[0], sys.byteorder, signed=True) == -1000
    assert (c3, a3) == (CODES["OP_EXEC"], [b"sh\0-c\0\0"])


def test_seccomp_with_a_listener_is_installed_before_ready():
    """Its notification fd goes to pyrunc over the init pipe, closed at start."""
    from libcontainer.seccomp import NEW_LISTENER
    ops = compile_create(spec(), ctx(seccomp=(b"\0" * 8, NEW_LISTENER)))
    assert index(ops, "OP_FIND_EXEC") < index(ops, "OP_SECCOMP") < index(ops, "OP_READY")
    assert len(ops_named(ops, "OP_SECCOMP")) == 1


# --- id-mapped binds ---------------------------------------------------------

USERNS_MAP = [{"containerID": 0, "hostID": 100000, "size": 65536}]


def idmapped(options, **mappings):
    return {"destination": "/x", "type": "bind", "source": "vol", "options": options,
            **mappings}


def with_user_namespace(s, path=None):
    s["linux"]["namespaces"].append({"type": "user", "path": path} if path else {"type": "user"})
    s["linux"]["uidMappings"] = s["linux"]["gidMappings"] = USERNS_MAP
    return s


def mount_args(s, **context):
    """The args of the spec's only OP_MOUNT."""
    [mount] = ops_named(compile_create(s, ctx(**context)), "OP_MOUNT")
    return mount.args


def test_idmap_mount_carries_its_own_maps_as_uid_map_text():
    uids = [{"containerID": 0, "hostID": 1000, "size": 1},
            {"containerID": 1, "hostID": 200000, "size": 10}]
    gids = [{"containerID": 5, "hostID": 1005, "size": 2}]
    args = mount_args(spec(mounts=[idmapped(["rbind", "idmap"], uidMappings=uids,
                                            gidMappings=gids)]))
    assert args[1] == "/b/vol"
    assert args[8] == HOW["rbind"] | HOW["idmap"]
    assert args[10:] == ("0 1000 1\n1 200000 10\n", "5 1005 2\n", "")


def test_mappings_without_an_option_are_idmap_ridmap_reaches_submounts():
    maps = dict(uidMappings=USERNS_MAP, gidMappings=USERNS_MAP)
    assert mount_args(spec(mounts=[idmapped(["bind"], **maps)]))[8] == HOW["bind"] | HOW["idmap"]
    assert mount_args(spec(mounts=[idmapped(["rbind", "ridmap"], **maps)]))[8] == (
        HOW["rbind"] | HOW["ridmap"])


def test_idmap_without_maps_takes_the_new_user_namespaces():
    s = with_user_namespace(spec(mounts=[idmapped(["rbind", "ridmap"])]))
    args = mount_args(s)
    assert args[8] == HOW["rbind"] | HOW["ridmap"]
    assert args[10:] == ("0 100000 65536\n", "0 100000 65536\n", "")


def test_idmap_without_maps_takes_a_joined_user_namespace_by_its_path():
    s = with_user_namespace(spec(mounts=[idmapped(["bind", "idmap"])]), path="/proc/7/ns/user")
    assert mount_args(s)[10:] == ("", "", "/proc/7/ns/user")


def test_plain_binds_and_new_mounts_carry_no_idmap_args():
    s = spec(mounts=[{"destination": "/x", "type": "bind", "source": "/y", "options": ["rbind"]},
                     {"destination": "/t", "type": "tmpfs", "source": "tmpfs"}])
    for mount in ops_named(compile_create(s, ctx()), "OP_MOUNT"):
        assert len(mount.args) == 10
        assert not mount.args[8] & (HOW["idmap"] | HOW["ridmap"])


def test_idmap_refusals_name_the_field():
    with pytest.raises(errors.ConfigError, match=r"^mounts\[0\].options: idmap needs uidMappings "
                                                 r"and gidMappings on the mount, or a user "
                                                 r"namespace$"):
        compile_create(spec(mounts=[idmapped(["bind", "idmap"])]), ctx())
    maps = dict(uidMappings=USERNS_MAP, gidMappings=USERNS_MAP)
    with pytest.raises(errors.ConfigError, match=r"^mounts\[0\]: id-mapped mounts are not "
                                                 r"supported for rootless containers$"):
        compile_create(spec(mounts=[idmapped(["bind"], **maps)]), ctx(rootless=True))


# --- the root's switch, no mount namespace, /dev and tmpfs as runc -----------------------

ROOT_SWITCH = {name: code for name, code in CODES.items() if name.startswith("ROOT_SWITCH_")}


def test_pivot_root_by_default_no_pivot_moves_the_root():
    pivot = ops_named(compile_create(spec(), ctx()), "OP_PIVOT_ROOT")[0]
    assert pivot.args == (0, ROOT_SWITCH["ROOT_SWITCH_PIVOT"], "/b/rootfs")
    s = spec(linux=dict(spec()["linux"], rootfsPropagation="rslave"))
    ops = compile_create(s, ctx(no_pivot=True))
    moved = ops_named(ops, "OP_PIVOT_ROOT")[0]
    assert moved == Op("OP_PIVOT_ROOT", "--no-pivot: moving the root onto /",
                       PROPAGATION["slave"] | MS_REC, ROOT_SWITCH["ROOT_SWITCH_MOVE"], "/b/rootfs")
    # The rest of the plan is pivot_root's: the same ops in the same order.
    assert names(ops) == names(compile_create(s, ctx()))


def no_mount_namespace(**changes):
    s = spec(mounts=[], root={"path": "rootfs", "readonly": False})
    s["linux"]["namespaces"] = [ns for ns in s["linux"]["namespaces"] if ns["type"] != "mount"]
    del s["linux"]["maskedPaths"], s["linux"]["readonlyPaths"]
    s.update(changes)
    return s


def test_without_a_mount_namespace_nothing_is_mounted_the_root_is_a_chroot():
    ops = compile_create(no_mount_namespace(), ctx())
    mounting = {"OP_ROOT_PRIVATE", "OP_MOUNT", "OP_MASK", "OP_READONLY", "OP_ROOT_READONLY",
                "OP_MOUNT_READONLY", "OP_CONSOLE", "OP_BIND_DEVICE"}
    assert mounting.isdisjoint(names(ops))
    assert ops_named(ops, "OP_BIND_ROOTFS")[0].args == ("/b/rootfs", 1)  # only opened
    assert ops_named(ops, "OP_PIVOT_ROOT")[0].args == (0, ROOT_SWITCH["ROOT_SWITCH_CHROOT"],
                                                       "/b/rootfs")
    assert ops_named(ops, "OP_CHECK_PROC")[0].args == (1,)  # /proc is the rootfs's business
    assert len(ops_named(ops, "OP_MKNOD")) == 6  # devices in the rootfs, as runc makes them
    with_ns = ops_named(compile_create(spec(), ctx()), "OP_BIND_ROOTFS")[0]
    assert with_ns.args == ("/b/rootfs", 0)


@pytest.mark.parametrize("field, changes", [
    ("mounts", {"mounts": [{"destination": "/proc", "type": "proc"}]}),
    ("linux.maskedPaths", {"maskedPaths": ["/proc/kcore"]}),
    ("linux.readonlyPaths", {"readonlyPaths": ["/proc/sys"]}),
    ("linux.rootfsPropagation", {"rootfsPropagation": "slave"}),
    ("root.readonly", {"root": {"path": "rootfs", "readonly": True}}),
    ("process.terminal", {"terminal": True}),
    ("linux.namespaces", {"user": True}),  # its devices would be bound: mounts too
])
def test_without_a_mount_namespace_what_would_mount_is_refused(field, changes):
    s = no_mount_namespace()
    for key, value in changes.items():
        if key in ("maskedPaths", "readonlyPaths", "rootfsPropagation"):
            s["linux"][key] = value
        elif key == "terminal":
            s["process"]["terminal"] = value
        elif key == "user":
            s["linux"]["namespaces"].append({"type": "user"})
        else:
            s[key] = value
    with pytest.raises(errors.ConfigError, match=rf"^{field}: needs a mount namespace"):
        compile_create(s, ctx())


def test_exec_without_a_mount_namespace_chroots_into_the_inits_root_before_the_fork():
    proc = dict(spec()["process"], args=["ps"])
    ops = compile_exec({"namespaces": [{"type": "pid"}]}, 42, proc, last_cap=LAST_CAP)
    assert names(ops)[:4] == ["OP_JOIN", "OP_BIND_ROOTFS", "OP_PIVOT_ROOT", "OP_FORK"]
    assert ops[1].args == ("/proc/42/root", 1)
    assert ops[2].args == (0, ROOT_SWITCH["ROOT_SWITCH_CHROOT"], "/proc/42/root")
    with_ns = compile_exec({"namespaces": [{"type": "mount"}]}, 42, proc, last_cap=LAST_CAP)
    assert "OP_BIND_ROOTFS" not in names(with_ns)


def dev_mount(*options, kind="tmpfs"):
    return {"destination": "/dev", "type": kind, "source": "tmpfs" if kind == "tmpfs" else "/d",
            "options": list(options)}


def test_dev_mounted_ro_is_writable_until_the_end():
    s = spec(mounts=[dev_mount("nosuid", "ro", "mode=755")])
    ops = compile_create(s, ctx())
    mount = ops_named(ops, "OP_MOUNT")[0]
    assert not mount.args[3] & RDONLY and mount.args[3] & NOSUID
    made_ro = index(ops, "OP_MOUNT_READONLY")
    assert ops[made_ro] == Op("OP_MOUNT_READONLY", "mounts: /dev read-only", "/dev")
    assert max(index(ops, "OP_MASK", -1), index(ops, "OP_SYMLINK", -1)) < made_ro
    assert made_ro + 1 == index(ops, "OP_ROOT_READONLY")
    # Not ro, or "ro" undone by a later "rw": no such op.
    for options in (["nosuid"], ["ro", "rw"]):
        assert "OP_MOUNT_READONLY" not in names(compile_create(spec(mounts=[dev_mount(*options)]),
                                                               ctx()))


def test_a_bound_dev_is_left_as_it_is():
    for entry in (dev_mount("rbind", kind="bind"), dev_mount("bind", kind="none")):
        ops = compile_create(spec(mounts=[entry]), ctx())
        assert not {"OP_MKNOD", "OP_SYMLINK", "OP_BIND_DEVICE"} & set(names(ops))


def test_tmpfs_without_mode_takes_the_covered_directorys():
    s = spec(mounts=[{"destination": "/a", "type": "tmpfs", "options": ["size=1m"]},
                     {"destination": "/b", "type": "tmpfs", "options": ["mode=700"]},
                     {"destination": "/c", "type": "proc"}])
    a, b, c = ops_named(compile_create(s, ctx()), "OP_MOUNT")
    assert a.args[8] == HOW["covered_mode"]
    assert b.args[8] == HOW["new"] and c.args[8] & HOW["covered_mode"] == 0


def test_a_new_read_only_filesystem_has_a_read_only_superblock_but_tmpfs():
    s = spec(mounts=[{"destination": "/sys", "type": "sysfs", "options": ["nosuid", "ro"]},
                     {"destination": "/t", "type": "tmpfs", "options": ["ro", "size=1m"]},
                     {"destination": "/m", "type": "bind", "source": "/x", "options": ["ro"]}])
    sysfs, tmpfs, bound = ops_named(compile_create(s, ctx()), "OP_MOUNT")
    assert sysfs.args[9] == ["ro"] and tmpfs.args[9] == ["size=1m"] and bound.args[9] == []
    assert all(op.args[3] & RDONLY for op in (sysfs, tmpfs, bound))


def test_default_devices_in_runcs_order():
    """In a user namespace each is a bind mount, in this order in mountinfo."""
    s = spec()
    s["linux"]["namespaces"].append({"type": "user"})
    bound = [op.args[0] for op in ops_named(compile_create(s, ctx()), "OP_BIND_DEVICE")]
    assert bound == ["/dev/null", "/dev/random", "/dev/full", "/dev/tty", "/dev/zero",
                     "/dev/urandom"]
