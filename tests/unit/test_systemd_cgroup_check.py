"""--systemd-cgroup: refused unless systemd runs as init (its
/run/systemd/system), as runc refuses it; with systemd, slice:prefix:name
becomes the cgroupfs path systemd would give the scope."""
import os

import pytest

from libcontainer.cgroups import manager_for, paths
from libcontainer.errors import PyruncError
from test_cgroups import FakeCgroupFs, v2_mountinfo


@pytest.fixture
def marker(tmp_path, monkeypatch):
    where = tmp_path / "run-systemd-system"
    monkeypatch.setattr(paths, "SYSTEMD_RUNNING_DIR", str(where))
    return where


def manager(tmp_path, cgroups_path="machine.slice:libpod:abc"):
    root = tmp_path / "cgroup2"
    root.mkdir(exist_ok=True)
    return manager_for(cgroups_path, "abc", mountinfo=v2_mountinfo(str(root)),
                       fs=FakeCgroupFs(), systemd=True)


def test_without_systemd_it_is_refused(tmp_path, marker):
    with pytest.raises(PyruncError, match=r"^--systemd-cgroup: systemd is not running on this "
                                          r"host \(no .*run-systemd-system\)"):
        manager(tmp_path)


def test_a_symlink_is_not_systemd_running(tmp_path, marker):
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", marker)  # lstat: as runc (and sd_booted) look
    with pytest.raises(PyruncError, match="systemd is not running"):
        manager(tmp_path)


def test_a_bad_path_is_reported_first(tmp_path, marker):
    with pytest.raises(PyruncError, match=r"^linux\.cgroupsPath: '/a/b' is not slice:prefix:name"):
        manager(tmp_path, "/a/b")


def test_with_systemd_the_scope_path(tmp_path, marker):
    marker.mkdir()
    assert manager(tmp_path).path == "/machine.slice/libpod-abc.scope"
