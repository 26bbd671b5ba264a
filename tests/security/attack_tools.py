"""The attackers' tools, C programs built for the tests (gcc, static: they
run in a busybox rootfs) and installed in an attacker's rootfs as /bin/NAME:
exchanger.c swaps paths atomically (the swap races), prowler.c reads every
process's /proc files for a secret (the /proc races)."""
import os
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = ("exchanger", "prowler")


@pytest.fixture(scope="session")
def attack_tools(tmp_path_factory):
    """Each tool built: {name: path}."""
    where = tmp_path_factory.mktemp("pyrunc-test-tools")
    built = {}
    for name in TOOLS:
        out = where / name
        result = subprocess.run(["gcc", "-static", "-O2", "-o", str(out),
                                 os.path.join(HERE, f"{name}.c")],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"building {name}.c: {result.stderr}"
        built[name] = out
    return built


def install_tools(attack_tools, rootfs):
    """Put every tool in an attacker's rootfs, as /bin/NAME."""
    for name, path in attack_tools.items():
        dest = rootfs / "bin" / name
        shutil.copyfile(path, dest)
        os.chmod(dest, 0o755)
