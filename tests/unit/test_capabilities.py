"""Tests for libcontainer.capabilities: the name table, masks, and the apply plan.

Most tests drive the plan with a fake syscall provider that records calls; the
last ones apply a plan for real in a forked child (root only, and only once
libcontainer.syscalls exists).
"""

import errno
import json
import os

import pytest

from libcontainer import capabilities as caps
from libcontainer.errors import ConfigError, PyruncError

# runc's default capability set (`runc spec`): in every set but ambient.
RUNC_DEFAULT = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
RUNC_DEFAULT_MASK = 1 << 29 | 1 << 5 | 1 << 10
LAST = 40


class FakeSyscalls:
    """Records capset/prctl calls; the bounding set starts full (0..LAST)."""

    def __init__(self, fail=None):
        self.calls = []
        self.bounding = (1 << (LAST + 1)) - 1
        self.fail = fail or {}  # (option, arg2[, arg3]) -> errno to raise

    def capget(self):
        return (0, 0, 0)

    def capset(self, effective, permitted, inheritable):
        self.calls.append(("capset", effective, permitted, inheritable))

    def prctl(self, option, arg2=0, arg3=0, arg4=0, arg5=0):
        self.calls.append(("prctl", option, arg2, arg3))
        for key, err in self.fail.items():
            if key == (option, arg2, arg3)[: len(key)]:
                raise OSError(err, os.strerror(err))
        if option == caps.PR_CAPBSET_READ:
            return self.bounding >> arg2 & 1
        if option == caps.PR_CAPBSET_DROP:
            self.bounding &= ~(1 << arg2)
        return 0

    def dropped(self):
        return [c[2] for c in self.calls if c[:2] == ("prctl", caps.PR_CAPBSET_DROP)]


def runc_default_plan():
    spec = {s: list(RUNC_DEFAULT) for s in ("bounding", "effective", "inheritable", "permitted")}
    return caps.CapabilityPlan.from_spec(spec, LAST)


# --- name table -------------------------------------------------------------


def test_table_has_41_unique_numbers_0_to_40():
    assert len(caps.CAPABILITIES) == 41
    assert sorted(caps.CAPABILITIES.values()) == list(range(41))


def test_table_spot_checks():
    assert caps.CAPABILITIES["CAP_CHOWN"] == 0
    assert caps.CAPABILITIES["CAP_KILL"] == 5
    assert caps.CAPABILITIES["CAP_NET_BIND_SERVICE"] == 10
    assert caps.CAPABILITIES["CAP_SYS_ADMIN"] == 21
    assert caps.CAPABILITIES["CAP_AUDIT_WRITE"] == 29
    assert caps.CAPABILITIES["CAP_CHECKPOINT_RESTORE"] == 40
    assert all(name.startswith("CAP_") for name in caps.CAPABILITIES)


# --- last_cap ---------------------------------------------------------------


def test_last_cap_reads_file(tmp_path):
    path = tmp_path / "cap_last_cap"
    path.write_text("37\n")
    assert caps.last_cap(str(path)) == 37


def test_last_cap_falls_back_to_known_max(tmp_path):
    assert caps.last_cap(str(tmp_path / "missing")) == 40


# --- to_mask ----------------------------------------------------------------


def test_to_mask_bits():
    assert caps.to_mask([], LAST) == 0
    assert caps.to_mask(["CAP_CHOWN"], LAST) == 1
    assert caps.to_mask(["CAP_KILL", "CAP_SYS_ADMIN"], LAST) == 1 << 5 | 1 << 21
    assert caps.to_mask(RUNC_DEFAULT, LAST) == RUNC_DEFAULT_MASK
    assert caps.to_mask(["CAP_KILL", "CAP_KILL"], LAST) == 1 << 5
    assert caps.to_mask(list(caps.CAPABILITIES), LAST) == (1 << 41) - 1


def test_to_mask_unknown_name():
    with pytest.raises(ConfigError) as info:
        caps.to_mask(["CAP_KILL", "CAP_FOO"], LAST)
    assert str(info.value) == "process.capabilities: unknown capability 'CAP_FOO'"


def test_to_mask_non_string_is_config_error():
    with pytest.raises(ConfigError):
        caps.to_mask([5], LAST)


def test_to_mask_skips_caps_beyond_last():
    names = ["CAP_CHOWN", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"]
    assert caps.to_mask(names, 37) == 1
    assert caps.to_mask(names, 39) == 1 | 1 << 38 | 1 << 39


def test_to_mask_default_last_is_kernels():
    assert caps.to_mask(["CAP_CHOWN"]) == 1


# --- CapabilityPlan ---------------------------------------------------------


def test_from_spec_runc_default_masks():
    plan = runc_default_plan()
    assert plan.bounding == plan.effective == RUNC_DEFAULT_MASK
    assert plan.inheritable == plan.permitted == RUNC_DEFAULT_MASK
    assert plan.ambient == 0
    assert plan.last == LAST


def test_from_spec_none_is_all_empty():
    plan = caps.CapabilityPlan.from_spec(None, LAST)
    assert (plan.bounding, plan.effective, plan.inheritable, plan.permitted, plan.ambient) == (0,) * 5


def test_from_spec_missing_sets_are_empty():
    plan = caps.CapabilityPlan.from_spec({"bounding": ["CAP_KILL"]}, LAST)
    assert plan.bounding == 1 << 5
    assert plan.effective == plan.permitted == plan.inheritable == plan.ambient == 0


def test_from_spec_error_names_the_set():
    with pytest.raises(ConfigError, match=r"process\.capabilities\.ambient: unknown capability 'CAP_NOPE'"):
        caps.CapabilityPlan.from_spec({"ambient": ["CAP_NOPE"]}, LAST)
    with pytest.raises(ConfigError, match=r"process\.capabilities\.effective"):
        caps.CapabilityPlan.from_spec({"effective": "CAP_KILL"}, LAST)


def test_drop_bounding_drops_exactly_the_others():
    fake = FakeSyscalls()
    runc_default_plan().drop_bounding(fake)
    assert fake.dropped() == [n for n in range(LAST + 1) if n not in (5, 10, 29)]
    assert fake.bounding == RUNC_DEFAULT_MASK
    # Nothing but bounding-set reads and drops happens at this step.
    assert {c[1] for c in fake.calls} == {caps.PR_CAPBSET_READ, caps.PR_CAPBSET_DROP}


def test_drop_bounding_stops_at_last():
    fake = FakeSyscalls()
    caps.CapabilityPlan.from_spec(None, 37).drop_bounding(fake)
    assert fake.dropped() == list(range(38))


def test_drop_bounding_skips_caps_already_gone():
    fake = FakeSyscalls()
    fake.bounding = RUNC_DEFAULT_MASK | 1 << 0
    runc_default_plan().drop_bounding(fake)
    assert fake.dropped() == [0]


def test_drop_bounding_error_names_cap():
    fake = FakeSyscalls(fail={(caps.PR_CAPBSET_DROP, 21): errno.EPERM})
    with pytest.raises(PyruncError, match="CAP_SYS_ADMIN"):
        runc_default_plan().drop_bounding(fake)


def test_keep_across_setuid_sets_keepcaps():
    fake = FakeSyscalls()
    runc_default_plan().keep_across_setuid(fake)
    assert fake.calls == [("prctl", caps.PR_SET_KEEPCAPS, 1, 0)]


def test_apply_runc_default():
    fake = FakeSyscalls()
    runc_default_plan().apply(fake)
    assert fake.calls == [
        ("capset", RUNC_DEFAULT_MASK, RUNC_DEFAULT_MASK, RUNC_DEFAULT_MASK),
        ("prctl", caps.PR_CAP_AMBIENT, caps.PR_CAP_AMBIENT_CLEAR_ALL, 0),
        ("prctl", caps.PR_SET_KEEPCAPS, 0, 0),
    ]


def test_apply_raises_ambient_caps():
    spec = {s: list(RUNC_DEFAULT) for s in caps.SET_NAMES}
    fake = FakeSyscalls()
    caps.CapabilityPlan.from_spec(spec, LAST).apply(fake)
    assert fake.calls == [
        ("capset", RUNC_DEFAULT_MASK, RUNC_DEFAULT_MASK, RUNC_DEFAULT_MASK),
        ("prctl", caps.PR_CAP_AMBIENT, caps.PR_CAP_AMBIENT_CLEAR_ALL, 0),
        ("prctl", caps.PR_CAP_AMBIENT, caps.PR_CAP_AMBIENT_RAISE, 5),
        ("prctl", caps.PR_CAP_AMBIENT, caps.PR_CAP_AMBIENT_RAISE, 10),
        ("prctl", caps.PR_CAP_AMBIENT, caps.PR_CAP_AMBIENT_RAISE, 29),
        ("prctl", caps.PR_SET_KEEPCAPS, 0, 0),
    ]


def test_apply_none_spec_sets_empty_masks():
    fake = FakeSyscalls()
    caps.CapabilityPlan.from_spec(None, LAST).apply(fake)
    assert fake.calls[0] == ("capset", 0, 0, 0)
    assert not [c for c in fake.calls if c[1:3] == (caps.PR_CAP_AMBIENT, caps.PR_CAP_AMBIENT_RAISE)]


def test_apply_skips_ambient_caps_missing_from_inheritable():
    # runc's own default config: ambient listed, inheritable empty; runc warns only.
    spec = {"permitted": ["CAP_KILL"], "ambient": ["CAP_KILL"]}
    fake = FakeSyscalls()
    caps.CapabilityPlan.from_spec(spec, LAST).apply(fake)
    assert not [c for c in fake.calls if c[1:3] == (caps.PR_CAP_AMBIENT, caps.PR_CAP_AMBIENT_RAISE)]


def test_apply_ambient_failure_names_cap():
    spec = {"permitted": ["CAP_KILL"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}
    fake = FakeSyscalls(fail={(caps.PR_CAP_AMBIENT, caps.PR_CAP_AMBIENT_RAISE, 5): errno.EPERM})
    with pytest.raises(PyruncError) as info:
        caps.CapabilityPlan.from_spec(spec, LAST).apply(fake)
    assert "cannot raise ambient capability CAP_KILL" in str(info.value)
    assert "inheritable" in str(info.value)


def test_apply_capset_failure_is_reported():
    class FailingCapset(FakeSyscalls):
        def capset(self, effective, permitted, inheritable):
            raise OSError(errno.EPERM, "Operation not permitted")

    with pytest.raises(PyruncError, match=r"capset\(effective=CAP_KILL.*Operation not permitted"):
        caps.CapabilityPlan.from_spec({"effective": ["CAP_KILL"]}, LAST).apply(FailingCapset())


def test_apply_tolerates_kernel_without_ambient_when_none_asked():
    fake = FakeSyscalls(fail={(caps.PR_CAP_AMBIENT, caps.PR_CAP_AMBIENT_CLEAR_ALL): errno.EINVAL})
    runc_default_plan().apply(fake)
    assert fake.calls[-1] == ("prctl", caps.PR_SET_KEEPCAPS, 0, 0)


# --- for real, in a forked child (root only) ----------------------------------


def _real_syscalls():
    if os.geteuid() != 0:
        pytest.skip("needs root")
    try:
        from libcontainer import syscalls
    except Exception as exc:  # not written yet, or its compiled part is missing
        pytest.skip(f"libcontainer.syscalls unavailable: {exc}")
    return syscalls


def _status_masks():
    masks = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.startswith("Cap"):
                masks[key] = int(value.strip(), 16)
    return masks


def _apply_in_child(spec):
    """Fork; the child applies `spec` and sends its /proc/self/status Cap* masks."""
    syscalls = _real_syscalls()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_fd)
            plan = caps.CapabilityPlan.from_spec(spec, caps.last_cap())
            plan.drop_bounding(syscalls)
            plan.apply(syscalls)
            result = {"masks": _status_masks()}
            status = 0
        except BaseException as exc:  # report anything, never return into pytest
            result = {"error": repr(exc)}
        try:
            os.write(write_fd, json.dumps(result).encode())
        finally:
            os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    result = json.loads(data or b'{"error": "child sent nothing"}')
    assert "error" not in result, result.get("error")
    return result["masks"]


def test_real_apply_in_forked_child():
    kept = ["CAP_KILL", "CAP_CHOWN"]
    masks = _apply_in_child({"bounding": kept, "effective": kept, "permitted": kept})
    expected = 1 << 5 | 1 << 0
    assert masks["CapEff"] == expected
    assert masks["CapBnd"] == expected
    assert masks["CapPrm"] == expected
    assert masks["CapInh"] == 0
    assert masks["CapAmb"] == 0


def test_real_ambient_in_forked_child():
    kept = ["CAP_KILL", "CAP_CHOWN"]
    spec = {s: kept for s in ("bounding", "effective", "permitted")}
    spec.update(inheritable=["CAP_KILL"], ambient=["CAP_KILL"])
    masks = _apply_in_child(spec)
    assert masks["CapInh"] == 1 << 5
    assert masks["CapAmb"] == 1 << 5
