"""A busybox image built offline from bundles/busybox/rootfs, as a
docker-archive tarball (the format `docker load`, `podman load` and
`ctr image import` all read): one layer, a config naming it, a manifest."""
import hashlib
import io
import json
import os
import tarfile

IMAGE = "localhost/pyrunc-busybox:test"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _layer(rootfs):
    """The rootfs as an uncompressed tar, owned by root, in a stable order."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames + filenames):
                full = os.path.join(dirpath, name)
                info = tar.gettarinfo(full, os.path.relpath(full, rootfs))
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                if info.isreg():
                    with open(full, "rb") as f:
                        tar.addfile(info, f)
                elif info.isdir() or info.issym():
                    tar.addfile(info)
    return buffer.getvalue()


def _add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o644
    tar.addfile(info, io.BytesIO(data))


def write_image(rootfs, destination, name=IMAGE):
    """Write the image tarball to `destination`; returns its image name."""
    layer = _layer(rootfs)
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": [f"PATH={PATH}"], "Cmd": ["sh"], "WorkingDir": "/"},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "pyrunc tests: bundles/busybox/rootfs"}],
    }).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    layer_name = diff_id[len("sha256:"):] + "/layer.tar"
    manifest = json.dumps([{"Config": config_name, "RepoTags": [name],
                            "Layers": [layer_name]}]).encode()
    with tarfile.open(destination, "w") as tar:
        _add(tar, config_name, config)
        _add(tar, layer_name, layer)
        _add(tar, "manifest.json", manifest)
    return name
