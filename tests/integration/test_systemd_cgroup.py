"""--systemd-cgroup on a host where systemd is not init (no
/run/systemd/system): create fails as runc's does, with one line, and
nothing is left: no state dir, no cgroup (in systemd's slice or anywhere)."""
import os

import pytest

from conftest import CGROUP_MOUNT, TEST_TAG, assert_nothing_left, assert_one_line_error

pytestmark = pytest.mark.skipif(os.path.isdir("/run/systemd/system"),
                                reason="systemd runs here: --systemd-cgroup is allowed")


def scope_dirs(unit):
    return [d for d, _, _ in os.walk(CGROUP_MOUNT) if d.endswith("/" + unit)]


def test_refused_without_systemd_as_with_runc(runtime, make_bundle, runc):
    for command in (["run"], ["create"]):
        b = make_bundle(["true"], linux={"cgroupsPath": f"system.slice:{TEST_TAG}:x"})
        rc, out, err = runtime("--systemd-cgroup", *command, "--bundle", b.path, b.id)
        assert_one_line_error(rc, out, err, "--systemd-cgroup: systemd is not running")
        assert_nothing_left(runtime, b.id)
        assert scope_dirs(f"{TEST_TAG}-x.scope") == []
        runc_rc, _, runc_err = runc("--systemd-cgroup", *command, "--bundle", b.path, b.id)
        assert runc_rc == rc == 1 and "systemd not running on this host" in runc_err


def test_a_path_not_in_systemds_form_is_reported_first(runtime, make_bundle):
    b = make_bundle(["true"])  # cgroupsPath /<tag>/<id>
    rc, out, err = runtime("--systemd-cgroup", "run", "--bundle", b.path, b.id)
    assert_one_line_error(rc, out, err, "linux.cgroupsPath", "slice:prefix:name")
    assert_nothing_left(runtime, b.id)
