"""linux.seccomp -> libseccomp calls (checked against a recording fake) -> BPF."""
import errno

import pytest

from libcontainer import errors
from libcontainer.seccomp import ACTIONS, FLAGS, NEW_LISTENER, OPERATORS, Filter

NUMBERS = {"mkdir": 83, "mkdirat": 258, "uname": 63, "personality": 135}


class FakeLibseccomp:
    def __init__(self, fail=None):
        self.calls, self.fail = [], fail or {}

    def _record(self, *call):
        self.calls.append(call)
        if call[0] in self.fail:
            raise OSError(self.fail[call[0]], "boom", call[0])

    def seccomp_open(self):
        self._record("open")

    def seccomp_syscall(self, name):
        return NUMBERS.get(name, -1)

    def seccomp_new(self, default):
        self._record("new", default)
        return "ctx"

    def seccomp_arch_add(self, ctx, name):
        self._record("arch", name)

    def seccomp_rule(self, ctx, action, number, args):
        self._record("rule", action, number, tuple(args))

    def seccomp_export(self, ctx):
        self._record("export")
        return b"program"

    def seccomp_release(self, ctx):
        self.calls.append(("release",))


PROFILE = {
    "defaultAction": "SCMP_ACT_ALLOW",
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
    "flags": ["SECCOMP_FILTER_FLAG_LOG"],
    "syscalls": [
        {"names": ["mkdir", "mkdirat", "not_a_syscall"], "action": "SCMP_ACT_ERRNO",
         "errnoRet": errno.EACCES},
        {"names": ["uname"], "action": "SCMP_ACT_ALLOW"},  # the default: no rule
        {"names": ["personality"], "action": "SCMP_ACT_KILL_PROCESS",
         "args": [{"index": 0, "value": 0xFFFFFFFF, "op": "SCMP_CMP_EQ"}]},
    ],
}


def test_none_without_a_profile():
    assert Filter.from_spec(None, FakeLibseccomp()) is None


def test_bpf_compiles_the_profile_in_order():
    fake = FakeLibseccomp()
    program = Filter.from_spec(PROFILE, fake).bpf(fake)
    assert program == (b"program", FLAGS["SECCOMP_FILTER_FLAG_LOG"])
    assert fake.calls == [
        ("open",),
        ("new", ACTIONS["SCMP_ACT_ALLOW"]),
        ("arch", "x86_64"), ("arch", "x86"),
        ("rule", ACTIONS["SCMP_ACT_ERRNO"] | errno.EACCES, 83, ()),
        ("rule", ACTIONS["SCMP_ACT_ERRNO"] | errno.EACCES, 258, ()),
        ("rule", ACTIONS["SCMP_ACT_KILL_PROCESS"], 135,
         ((0, OPERATORS["SCMP_CMP_EQ"], 0xFFFFFFFF, 0),)),
        ("export",),
        ("release",),
    ]


def test_errno_defaults_to_eperm():
    fake = FakeLibseccomp()
    profile = {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["mkdir"], "action": "SCMP_ACT_ALLOW"}]}
    Filter.from_spec(profile, fake).bpf(fake)
    assert fake.calls[1] == ("new", ACTIONS["SCMP_ACT_ERRNO"] | errno.EPERM)


@pytest.mark.parametrize("profile, message", [
    ({"defaultAction": "SCMP_ACT_NOPE"}, "linux.seccomp.defaultAction: unknown action"),
    ({"defaultAction": "SCMP_ACT_ALLOW", "flags": ["NOPE"]}, "linux.seccomp.flags: unknown flag"),
    ({"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/run/x.sock"},
     "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY would stop every syscall"),
    ({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
        {"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]},
     "linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY rules"),
    ({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
        {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",
         "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_LIKE"}]}]},
     "linux.seccomp.syscalls[0].args[0].op: unknown operator"),
])
def test_bad_profiles_name_the_field(profile, message):
    with pytest.raises(errors.PyruncError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Filter.from_spec(profile, FakeLibseccomp())


def test_a_failing_rule_names_its_syscall_and_releases_the_filter():
    fake = FakeLibseccomp(fail={"rule": errno.EINVAL})
    seccomp = Filter.from_spec(PROFILE, fake)
    with pytest.raises(errors.PyruncError, match=r"linux.seccomp.syscalls\[0\] mkdir: .*boom"):
        seccomp.bpf(fake)
    assert fake.calls[-1] == ("release",)


def test_pseudo_syscalls_are_kept_only_unknown_names_are_dropped():
    """libseccomp numbers socketcall, ipc, ... of other architectures below
    -1 (podman's profile lists them); -1 alone means unknown."""
    fake = FakeLibseccomp()
    fake.seccomp_syscall = lambda name: {"socketcall": -101, "mkdir": 83}.get(name, -1)
    profile = {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["socketcall", "mkdir", "nope"], "action": "SCMP_ACT_ALLOW"}]}
    Filter.from_spec(profile, fake).bpf(fake)
    assert [c[2] for c in fake.calls if c[0] == "rule"] == [-101, 83]


def test_real_libseccomp_compiles_a_program():
    """The real library (no kernel involved): sock_filter entries of 8 bytes."""
    program, flags = Filter.from_spec(PROFILE).bpf()
    assert len(program) % 8 == 0 and len(program) > 8
    assert flags == FLAGS["SECCOMP_FILTER_FLAG_LOG"]


def test_notify_rules_ask_the_kernel_for_a_listener():
    profile = {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",
               "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}
    fake = FakeLibseccomp()
    program, flags = Filter.from_spec(profile, fake).bpf(fake)
    assert flags & NEW_LISTENER
    assert ("rule", ACTIONS["SCMP_ACT_NOTIFY"], 83, ()) in fake.calls
