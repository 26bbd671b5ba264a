"""exchanger.c, the attackers' tool in the swap races, built for the tests
(gcc, static: it runs in a busybox rootfs) and installed in a rootfs."""
import os
import shutil
import subprocess

import pytest

EXCHANGER_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchanger.c")


@pytest.fixture(scope="session")
def exchanger(tmp_path_factory):
    """exchanger.c built static (it runs in a busybox rootfs): its path."""
    out = tmp_path_factory.mktemp("pyrunc-test-exchanger") / "exchanger"
    built = subprocess.run(["gcc", "-static", "-O2", "-o", str(out), EXCHANGER_SOURCE],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, f"building exchanger.c: {built.stderr}"
    return out


def install_exchanger(exchanger, rootfs):
    """Put the swap tool in an attacker's rootfs as /bin/exchanger."""
    dest = rootfs / "bin" / "exchanger"
    shutil.copyfile(exchanger, dest)
    os.chmod(dest, 0o755)
