"""Tests for libcontainer.capabilities: the name table and the masks the
plan hands to pyrunc-init (which applies them: tests/unit/test_plan.py,
tests/integration/test_isolation.py)."""

import pytest

from libcontainer import capabilities as caps
from libcontainer.errors import ConfigError

# runc's default capability set (`runc spec`): in every set but ambient.
RUNC_DEFAULT = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
RUNC_DEFAULT_MASK = 1 << 29 | 1 << 5 | 1 << 10
LAST = 40


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


def test_to_mask_skips_an_unknown_name_with_a_warning(monkeypatch):
    """As runc: a capability this kernel or pyrunc does not know is dropped."""
    from libcontainer import diagnostics
    said = []
    monkeypatch.setattr(diagnostics, "warning", said.append)
    assert caps.to_mask(["CAP_KILL", "CAP_FOO"], LAST) == 1 << 5
    assert said == ["process.capabilities: ignoring unknown or unavailable capabilities: CAP_FOO"]


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
    with pytest.raises(ConfigError, match=r"process\.capabilities\.effective"):
        caps.CapabilityPlan.from_spec({"effective": "CAP_KILL"}, LAST)
