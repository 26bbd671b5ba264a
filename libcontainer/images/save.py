"""image save: an image of the store as an OCI archive (image-spec
image-layout.md in a tar, as `podman save --format oci-archive` writes),
which `image load` here, podman or skopeo can read back. Layers are
written as plain tars from their dirs, whiteouts in the image spec's form."""
import hashlib
import io
import json
import os
import tarfile
import tempfile

from libcontainer.images import archive, tree_tar
from libcontainer.images.store import check_destination

MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"
CONFIG_TYPE = "application/vnd.oci.image.config.v1+json"
LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar"


def save(images, name, path):
    image = images.image(name)
    check_destination(path)
    out_dir = os.path.dirname(os.path.abspath(path))
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".pyrunc-save-") as scratch:
        layer_files = [_layer_tar(images.layer_dir(layer), scratch) for layer in image["layers"]]
        config = _blob({
            "architecture": archive.architecture(),
            "os": "linux", "config": image["config"],
            "rootfs": {"type": "layers", "diff_ids": [d for d, _, _ in layer_files]}})
        manifest = _blob({
            "schemaVersion": 2, "mediaType": MANIFEST_TYPE,
            "config": _descriptor(CONFIG_TYPE, *config[:2]),
            "layers": [_descriptor(LAYER_TYPE, d, size) for d, size, _ in layer_files]})
        index = {"schemaVersion": 2, "manifests": [dict(
            _descriptor(MANIFEST_TYPE, *manifest[:2]),
            annotations={"org.opencontainers.image.ref.name": name})]}
        partial = os.path.join(scratch, "archive.tar")
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, "oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}).encode())
            _add_bytes(tar, "index.json", json.dumps(index).encode())
            for digest, _size, data in (manifest, config):
                _add_bytes(tar, _blob_name(digest), data)
            for digest, _size, file_path in layer_files:
                tar.add(file_path, _blob_name(digest))
        os.rename(partial, path)


def _layer_tar(layer_dir, scratch):
    """(digest, size, path) of the layer written as a tar in scratch."""
    handle, path = tempfile.mkstemp(dir=scratch, suffix=".tar")
    with os.fdopen(handle, "wb") as f:
        tree_tar.write_tar(layer_dir, f)
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest(), os.path.getsize(path), path


def _blob(value):
    data = json.dumps(value, sort_keys=True).encode()
    return "sha256:" + hashlib.sha256(data).hexdigest(), len(data), data


def _descriptor(media_type, digest, size):
    return {"mediaType": media_type, "digest": digest, "size": size}


def _blob_name(digest):
    return "blobs/sha256/" + digest.partition(":")[2]


def _add_bytes(tar, name, data):
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mode = 0o644
    tar.addfile(member, io.BytesIO(data))
