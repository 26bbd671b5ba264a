"""image load from what image tools write (an OCI layout directory, an OCI
archive, a docker archive, a rootfs tarball), made here offline from the
busybox rootfs: layers stacked with their whiteouts, the image config
(Env, Cmd, WorkingDir, StopSignal) used by run-image, and bad sources
refused in one line with nothing left in the store."""
import gzip
import hashlib
import io
import json
import os
import tarfile
import time

import pytest

from conftest import ROOTFS, assert_one_line_error
from image_fixtures import (assert_image_container_gone, image_store,  # noqa: F401
                            images_rt, run_detached, wait_for_log)

CONFIG = {"Env": ["FROM_IMAGE=yes"], "WorkingDir": "/data", "StopSignal": "SIGUSR1",
          "Cmd": ["sh", "-c", "echo $FROM_IMAGE $(pwd); ls /data/keep; cat /etc/motd 2>&1; "
                              "/bin/hello; /bin/hello-too; readlink /bin/greet"]}
EXPECTED = "yes /data\nc\ncat: can't open '/etc/motd': No such file or directory\nhi\nhi\nhello\n"


def _tar(entries):
    """A tar (bytes) of (name, content or None for a dir, extra TarInfo fields)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, content, extra in entries:
            info = tarfile.TarInfo(name)
            for key, value in extra.items():
                setattr(info, key, value)
            if content is None and "type" not in extra:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            data = content or b""
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return out.getvalue()


def base_layer():
    """busybox with /etc/motd and /data/keep/{a,b}."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        tar.add(ROOTFS, arcname=".")
        for name, content in (("etc/motd", b"base\n"), ("data/keep/a", b"a"),
                              ("data/keep/b", b"b")):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return out.getvalue()


def top_layer():
    """Deletes /etc/motd, makes /data/keep opaque with only c, adds a
    script, a hard link to it and a symlink."""
    script = b"#!/bin/sh\necho hi\n"
    return _tar([
        ("etc/.wh.motd", b"", {}),
        ("data/keep/.wh..wh..opq", b"", {}),
        ("data/keep/c", b"c", {}),
        ("bin/hello", script, {"mode": 0o755}),
        ("bin/hello-too", None, {"type": tarfile.LNKTYPE, "linkname": "bin/hello"}),
        ("bin/greet", None, {"type": tarfile.SYMTYPE, "linkname": "hello"}),
    ])


def _digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def write_oci_layout(path, layers, config=CONFIG, name="example.test/layered:1"):
    """An OCI image layout (as skopeo copy oci:DIR writes): the first
    layer gzipped, the others plain."""
    blobs = path / "blobs" / "sha256"
    blobs.mkdir(parents=True)

    def blob(data, media_type):
        (blobs / _digest(data).split(":")[1]).write_bytes(data)
        return {"mediaType": media_type, "digest": _digest(data), "size": len(data)}

    stored = [gzip.compress(layers[0], mtime=0)] + layers[1:]
    layer_descriptors = [blob(data, "application/vnd.oci.image.layer.v1.tar" +
                              ("+gzip" if i == 0 else "")) for i, data in enumerate(stored)]
    image_config = {"architecture": "amd64", "os": "linux", "config": config,
                    "rootfs": {"type": "layers", "diff_ids": [_digest(d) for d in layers]}}
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": blob(json.dumps(image_config).encode(),
                               "application/vnd.oci.image.config.v1+json"),
                "layers": layer_descriptors}
    descriptor = blob(json.dumps(manifest).encode(), manifest["mediaType"])
    descriptor["annotations"] = {"org.opencontainers.image.ref.name": name}
    (path / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [descriptor]}))
    (path / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    return path


def tar_of_dir(directory, path):
    with tarfile.open(path, "w") as tar:
        for name in sorted(os.listdir(directory)):
            tar.add(directory / name, arcname=name)
    return path


def write_docker_archive(path, layers, config=CONFIG, tag="example.test/docker:2"):
    entries = []
    for number, data in enumerate(layers):
        entries.append((f"layer{number}/layer.tar", data, {}))
    image_config = {"config": config,
                    "rootfs": {"type": "layers", "diff_ids": [_digest(d) for d in layers]}}
    entries.append(("config.json", json.dumps(image_config).encode(), {}))
    entries.append(("manifest.json", json.dumps([{
        "Config": "config.json", "RepoTags": [tag],
        "Layers": [f"layer{n}/layer.tar" for n in range(len(layers))]}]).encode(), {}))
    path.write_bytes(_tar([(n, d, e) for n, d, e in entries]))
    return path


@pytest.fixture(scope="module")
def layers():
    return [base_layer(), top_layer()]


def _store_entries(rt):
    root = os.path.join(rt.root, ".images")
    return sorted(os.listdir(os.path.join(root, "layers"))), os.listdir(os.path.join(root, "tmp"))


def _run(rt, image, *command):
    return rt.ok("run-image", "--name", rt.new_id(), image, *command)


def test_oci_layout_directory_and_archive(images_rt, layers, tmp_path):
    layout = write_oci_layout(tmp_path / "layout", layers)
    name = "example.test/layered:1"
    assert images_rt.ok("image", "load", layout) == name + "\n"  # the name from index.json
    archive = tar_of_dir(layout, tmp_path / "oci-archive.tar")
    assert images_rt.ok("image", "load", "--name", "layered-copy", archive) == "layered-copy\n"
    try:
        assert _run(images_rt, name) == EXPECTED  # the image's Cmd, Env and WorkingDir
        assert _run(images_rt, "layered-copy") == EXPECTED
        listing = images_rt.ok("image", "ls")
        assert "layered-copy" in listing and name in listing
    finally:
        images_rt.ok("image", "rm", name)
        images_rt.ok("image", "rm", "layered-copy")


def test_docker_archive(images_rt, layers, tmp_path):
    archive = write_docker_archive(tmp_path / "docker.tar", layers)
    assert images_rt.ok("image", "load", archive) == "example.test/docker:2\n"
    try:
        assert _run(images_rt, "example.test/docker:2") == EXPECTED
        assert _run(images_rt, "example.test/docker:2", "cat", "/data/keep/c") == "c"
    finally:
        images_rt.ok("image", "rm", "example.test/docker:2")


def test_commit_keeps_the_image_config(images_rt, layers, tmp_path):
    images_rt.ok("image", "load", "--name", "configured",
                 write_oci_layout(tmp_path / "layout", layers))
    try:
        cid = run_detached(images_rt, "configured", "sleep", "600")
        images_rt.ok("exec", cid, "sh", "-c", "echo added > /data/keep/d")
        images_rt.ok("commit", cid, "configured:2")
        images_rt.ok("delete", "--force", cid)
        # No command: the base image's Cmd, Env and WorkingDir, on the new layer.
        assert _run(images_rt, "configured:2") == EXPECTED.replace("\nc\n", "\nc\nd\n")
    finally:
        images_rt("image", "rm", "configured")
        images_rt("image", "rm", "configured:2")


def test_a_user_name_from_the_images_passwd(images_rt, layers, tmp_path):
    users = _tar([("etc/passwd", b"root:x:0:0::/root:/bin/sh\napp:x:1234:2345::/:/bin/sh\n", {}),
                  ("etc/group", b"root:x:0:\nstaff:x:50:\n", {})])
    config = {"User": "app:staff", "Cmd": ["id"]}
    images_rt.ok("image", "load", "--name", "as-app",
                 write_oci_layout(tmp_path / "layout", [layers[0], users], config=config))
    try:
        assert _run(images_rt, "as-app").startswith("uid=1234(app) gid=50(staff)")
    finally:
        images_rt.ok("image", "rm", "as-app")
    bad = write_oci_layout(tmp_path / "bad", [layers[0]], config={"User": "nobody-here",
                                                                  "Cmd": ["id"]})
    images_rt.ok("image", "load", "--name", "no-user", bad)
    try:
        cid = images_rt.new_id()
        rc, out, err = images_rt("run-image", "--name", cid, "no-user")
        assert_one_line_error(rc, out, err, "User 'nobody-here': no such user")
        assert_image_container_gone(images_rt, cid)
    finally:
        images_rt.ok("image", "rm", "no-user")


def test_stop_uses_the_images_stop_signal(images_rt, layers, tmp_path):
    images_rt.ok("image", "load", "--name", "stops-on-usr1",
                 write_oci_layout(tmp_path / "layout", layers))
    try:
        cid = run_detached(images_rt, "stops-on-usr1", "sh", "-c",
                           'trap "echo got USR1; exit 0" USR1; echo ready; '
                           'while true; do sleep 1 & wait; done')
        wait_for_log(images_rt, cid, "ready")
        started = time.monotonic()
        images_rt.ok("stop", "-t", "20", cid)
        assert time.monotonic() - started < 15
        assert images_rt.ok("logs", cid) == "ready\ngot USR1\n"
    finally:
        images_rt.ok("image", "rm", "stops-on-usr1")


def test_image_rm_keeps_layers_a_container_uses(images_rt, layers, tmp_path):
    images_rt.ok("image", "load", "--name", "short-lived",
                 write_oci_layout(tmp_path / "layout", layers))
    before, _ = _store_entries(images_rt)
    cid = run_detached(images_rt, "short-lived", "sleep", "600")
    images_rt.ok("image", "rm", "short-lived")
    assert _store_entries(images_rt)[0] == before  # still in use
    assert images_rt.ok("exec", cid, "cat", "/data/keep/c") == "c"
    images_rt.ok("delete", "--force", cid)
    assert_image_container_gone(images_rt, cid)
    images_rt.ok("image", "ls")  # a later rm of another image would collect them
    rc, out, err = images_rt("image", "rm", "short-lived")
    assert_one_line_error(rc, out, err, "IMAGE short-lived: no such image")


def test_a_dir_replaced_by_a_symlink_keeps_its_target_as_it_was(images_rt, tmp_path):
    """The dir's mode is set last; by then the entry is a symlink to a host
    file, which must not get the dir's mode."""
    host_file = tmp_path / "host-file"
    host_file.write_text("x")
    host_file.chmod(0o600)
    layer = _tar([("x", None, {"mode": 0o777}),
                  ("x", None, {"type": tarfile.SYMTYPE, "linkname": str(host_file)})])
    images_rt.ok("image", "load", "--name", "dir-then-link",
                 write_oci_layout(tmp_path / "l", [layer], config={"Cmd": ["true"]}))
    images_rt.ok("image", "rm", "dir-then-link")
    assert oct(host_file.stat().st_mode & 0o7777) == oct(0o600)


@pytest.mark.parametrize("kind", ["escape", "digest", "not-a-tar", "no-layout", "no-name",
                                  "through-symlink", "bad-name", "diff-id-path"])
def test_bad_sources_fail_in_one_line_and_leave_nothing(images_rt, layers, tmp_path, kind):
    layers_before, _ = _store_entries(images_rt)
    name = ["--name", "bad-source"]
    if kind == "escape":
        # A first layer new to the store: unpacked, then dropped with the image.
        fresh = _tar([(f"fresh-{os.getpid()}-{time.monotonic_ns()}", b"x", {})])
        source = write_oci_layout(tmp_path / "l", [fresh, _tar([("../evil", b"x", {})])])
        expected = "'../evil' leaves the layer"
    elif kind == "through-symlink":
        evil = _tar([("lib", None, {"type": tarfile.SYMTYPE, "linkname": "/tmp"}),
                     ("lib/evil", b"x", {})])
        source = write_oci_layout(tmp_path / "l", [evil])
        expected = "'lib/evil' is below 'lib', which is not a directory"
    elif kind == "digest":
        # A layer the store does not have yet (one it has is not read again).
        source = write_oci_layout(tmp_path / "l", [_tar([("only-here", b"x", {})])])
        blob = json.loads((source / "index.json").read_text())["manifests"][0]["digest"]
        manifest = json.loads((source / "blobs" / "sha256" / blob.split(":")[1]).read_text())
        top = source / "blobs" / "sha256" / manifest["layers"][0]["digest"].split(":")[1]
        top.write_bytes(gzip.compress(_tar([("only-here", b"y", {})])))
        expected = "does not match its digest"
    elif kind == "not-a-tar":
        source = tmp_path / "junk.tar"
        source.write_bytes(b"\x1f\x8bnot really gzip")
        expected = "not a tar archive"
    elif kind == "no-layout":
        source = tmp_path
        expected = "not an OCI image layout"
    elif kind == "diff-id-path":
        source = write_docker_archive(tmp_path / "d.tar", [layers[1]])
        with tarfile.open(source) as tar:
            entries = [(m.name, tar.extractfile(m).read(), {}) for m in tar.getmembers()]
        config = json.loads(dict((n, d) for n, d, _ in entries)["config.json"])
        # 64 characters, as a sha256's hex: a layer dir name that climbs out.
        config["rootfs"]["diff_ids"] = ["sha256:" + "../" * 21 + "x"]
        source.write_bytes(_tar([(n, json.dumps(config).encode() if n == "config.json" else d, e)
                                 for n, d, e in entries]))
        expected = "only sha256 digests are supported"
    elif kind == "no-name":
        source, name = tmp_path / "rootfs.tar", []
        source.write_bytes(layers[1])
        expected = "give --name"
    else:
        source, name = tmp_path / "rootfs.tar", ["--name", "../up"]
        source.write_bytes(layers[1])
        expected = "--name '../up'"
    rc, out, err = images_rt("image", "load", *name, source)
    assert_one_line_error(rc, out, err, expected)
    assert _store_entries(images_rt) == (layers_before, [])
    assert "bad-source" not in images_rt.ok("image", "ls", "-q").split()
    assert not os.path.exists("/tmp/evil")
