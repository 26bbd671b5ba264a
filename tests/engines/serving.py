"""The module fixtures' common part: an engine for the tests' session."""
import os
import tempfile

import pytest

import engines
import image
from conftest import IS_ROOT, ROOTFS, TEST_TAG


def serve(name, make):
    """Start an engine (skip when it is not installed), load the image,
    yield it; at the end remove its containers, stop it, and fail if
    anything it made through pyrunc is left."""
    if not IS_ROOT:
        pytest.skip("engines run containers: need root")
    # Short: podman refuses a runroot over 50 characters; sockets have 108.
    workdir = tempfile.mkdtemp(prefix=f"{TEST_TAG}-{name}-", dir="/tmp")
    try:
        engine = make(workdir, TEST_TAG)
    except engines.EngineMissing as missing:
        os.rmdir(workdir)
        pytest.skip(f"{missing} is not installed (.ci/run installs podman, containerd, docker.io)")
    try:
        tarball = os.path.join(workdir, "busybox.tar")
        image.write_image(str(ROOTFS), tarball)
        engine.load(tarball)
        yield engine
    finally:
        left = engine.close()
        left += engines.remove_workdir(workdir)
    assert not left, f"{name} left: {left}"
