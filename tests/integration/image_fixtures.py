"""Fixtures for the image workflow's tests (run-image, logs, stop, commit,
the network hook). Test modules import them by name.

Images and their containers live under a state root of each test module's
own, /run/<TEST_TAG>-images-<module> (the image store is <root>/.images,
which the session's STATE_ROOT check would count as a leftover); at the
end of the module it must hold nothing but the store itself: no container,
bundle, overlay mount or network lease. (Per module: a fixture imported
into several modules is a separate fixture in each.)"""
import json
import os
import shutil
import tarfile
import time

import pytest

from conftest import ROOTFS, TEST_TAG, TIMEOUT, Runtime, leftover_mounts

BUSYBOX = "busybox"


def bundle_dir(rt, cid):
    return os.path.join(rt.root, ".images", "containers", cid)


def leases(rt):
    try:
        with open(os.path.join(rt.root, ".network", "leases.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def assert_image_container_gone(rt, cid):
    """No state dir, bundle (upper dir, overlay), mount or lease of cid."""
    assert not os.path.exists(rt.state_dir(cid)), f"state dir of {cid} left"
    assert not os.path.exists(bundle_dir(rt, cid)), f"bundle of {cid} left"
    assert leftover_mounts([cid]) == [], f"mounts of {cid} left"
    assert cid not in leases(rt), f"network lease of {cid} left"


def rootfs_tar(path):
    """The busybox rootfs as a plain tarball (what `docker export` gives)."""
    with tarfile.open(path, "w") as tar:
        tar.add(ROOTFS, arcname=".")
    return path


@pytest.fixture(scope="module")
def image_store(request, rootfs, pyrunc_exe, pyrunc_env, tmp_path_factory):
    """The state root with the busybox image loaded; checked and removed at the end."""
    root = f"/run/{TEST_TAG}-images-{request.module.__name__}"
    tarball = rootfs_tar(tmp_path_factory.mktemp("pyrunc-test-image") / "busybox.tar")
    rt = Runtime(pyrunc_exe, root, pyrunc_env)
    rt.ok("image", "load", "--name", BUSYBOX, tarball)
    yield root
    left = [name for name in os.listdir(root) if not name.startswith(".")]
    left += os.listdir(os.path.join(root, ".images", "containers"))
    left += list(leases(rt))
    left += leftover_mounts([root])
    shutil.rmtree(root, ignore_errors=True)
    assert left == [], f"the image tests left these behind: {left}"


@pytest.fixture
def images_rt(image_store, pyrunc_exe, pyrunc_env):
    """A Runtime on the image root; the containers of its new_id()s are
    deleted at the end and must leave nothing."""
    rt = Runtime(pyrunc_exe, image_store, pyrunc_env)
    yield rt
    problems = rt.cleanup()
    for cid in rt.ids:
        if os.path.exists(bundle_dir(rt, cid)) or cid in leases(rt):
            problems.append(f"delete --force {cid} left its bundle or lease")
    assert problems == [], "; ".join(problems)


def run_detached(rt, *args):
    """run-image -d --name <new id> ARGS; returns the id (its init tracked)."""
    cid = rt.new_id()
    out = rt.ok("run-image", "-d", "--name", cid, *args)
    assert out.strip() == cid
    rt.track_pid(cid, rt.state(cid)["pid"])
    return cid


def wait_for_log(rt, cid, text):
    """Until the container's log holds text (a handler it sets up first, say)."""
    deadline = time.monotonic() + TIMEOUT
    while text not in rt.ok("logs", cid):
        assert time.monotonic() < deadline, f"{text!r} never came: {rt.ok('logs', cid)!r}"
        time.sleep(0.05)
