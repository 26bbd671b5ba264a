"""Reading images from files: what `image load` accepts.

    a rootfs tarball (.tar, .tar.gz, ...)   one layer; the name comes from --name
    an OCI image layout directory           oci-layout, index.json, blobs/ (skopeo copy oci:DIR)
    an OCI archive                          the same layout in a tar (podman save --format oci-archive)
    a docker archive                        manifest.json, layer tars (podman save, docker save)

Each source gives the image's name (if it carries one), its config (the
image-spec "config" object: Env, Cmd, Entrypoint, WorkingDir, User,
StopSignal) and its layers, bottom first, each a function returning a
readable binary stream and the digest that stream must have.
"""
import hashlib
import json
import os
import platform
import tarfile

from libcontainer import errors

INDEX_TYPES = ("application/vnd.oci.image.index.v1+json",
               "application/vnd.docker.distribution.manifest.list.v2+json")
REF_ANNOTATIONS = ("io.containerd.image.name", "org.opencontainers.image.ref.name")
_ARCHITECTURES = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "ppc64le": "ppc64le",
         "s390x": "s390x", "riscv64": "riscv64"}


def architecture():
    """This machine's architecture as the image spec names it (amd64, arm64)."""
    return _ARCHITECTURES.get(platform.machine(), platform.machine())


class SourceError(errors.PyruncError):
    """A file or directory that is not an image we can read."""


class Image:
    def __init__(self, name, config, layers):
        self.name, self.config, self.layers = name, config, layers


def open_source(path):
    """The Image in the file or directory at path."""
    if os.path.isdir(path):
        if not os.path.isfile(os.path.join(path, "oci-layout")):
            raise SourceError(f"{path}: a directory, but not an OCI image layout (no oci-layout)")
        return _read_oci(_DirBlobs(path), path)
    if not os.path.isfile(path):
        raise SourceError(f"{path}: no such file or directory")
    try:
        tar = tarfile.open(path, "r:*")
        names = set(tar.getnames()[:4096]) if _is_plain_tar(path) else set()
    except (tarfile.TarError, EOFError):
        raise SourceError(f"{path}: not a tar archive (plain, gzip, bzip2 or xz)") from None
    if {"oci-layout", "index.json"} <= names:
        return _read_oci(_TarBlobs(tar, path), path)
    if "manifest.json" in names:
        return _read_docker(_TarBlobs(tar, path), path)
    tar.close()
    return Image(None, {}, [_rootfs_layer(path)])


def _is_plain_tar(path):
    """Image archives are plain tars; a compressed tar can only be a rootfs
    (and listing one would mean decompressing it twice)."""
    with open(path, "rb") as f:
        head = f.read(6)
    return not (head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"\xfd7zXZ\0")


def _rootfs_layer(path):
    def stream():
        return open(path, "rb")
    return Layer(stream, _file_digest(path), "a rootfs tarball")


def _file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()


class Layer:
    """One layer blob: open() gives its bytes (maybe compressed), digest says
    what they must hash to ("sha256:<hex>"), media_type what they are."""

    def __init__(self, open_blob, digest, media_type):
        self.open, self.digest, self.media_type = open_blob, check_digest(digest), media_type

    @property
    def id(self):
        return self.digest.partition(":")[2]


# --------------------------------------------------------------------------
# where blobs come from

class _DirBlobs:
    def __init__(self, root):
        self.root = root

    def open(self, name):
        try:
            return open(os.path.join(self.root, _safe(name)), "rb")
        except FileNotFoundError:
            raise SourceError(f"{self.root}: {name} is missing") from None


class _TarBlobs:
    def __init__(self, tar, path):
        self.tar, self.root = tar, path

    def open(self, name):
        try:
            member = self.tar.getmember(_safe(name))
            while member.issym() or member.islnk():  # docker archives link layers
                member = self.tar.getmember(_safe(os.path.normpath(
                    os.path.join(os.path.dirname(member.name), member.linkname))))
            return self.tar.extractfile(member)
        except KeyError:
            raise SourceError(f"{self.root}: {name} is missing") from None


def _safe(name):
    name = os.path.normpath(name.lstrip("/"))
    if name.startswith(".."):
        raise SourceError(f"{name!r}: a path outside the image")
    return name


def _json(blobs, name):
    with blobs.open(name) as f:
        try:
            return json.load(f)
        except ValueError as exc:
            raise SourceError(f"{blobs.root}: {name}: not JSON ({exc})") from None


_HEX = frozenset("0123456789abcdef")


def check_digest(digest):
    """sha256:<64 hex digits>, the only kind we read; its hex part names
    a layer's directory, so nothing else may pass."""
    algorithm, _, hexdigest = str(digest).partition(":")
    if algorithm != "sha256" or len(hexdigest) != 64 or not set(hexdigest) <= _HEX:
        raise SourceError(f"digest {digest!r}: only sha256 digests are supported")
    return digest


def _blob_name(digest):
    return "blobs/sha256/" + check_digest(digest).partition(":")[2]


# --------------------------------------------------------------------------
# OCI layout (image-spec image-layout.md)

def _read_oci(blobs, where):
    index = _json(blobs, "index.json")
    manifests = index.get("manifests") or []
    if not manifests:
        raise SourceError(f"{where}: index.json lists no manifests")
    descriptor = _pick(manifests, where)
    name = next((descriptor.get("annotations", {}).get(key) for key in REF_ANNOTATIONS
                 if descriptor.get("annotations", {}).get(key)), None)
    while descriptor.get("mediaType") in INDEX_TYPES:
        descriptor = _pick(_json(blobs, _blob_name(descriptor["digest"])).get("manifests", []),
                           where)
    manifest = _json(blobs, _blob_name(descriptor["digest"]))
    config = _json(blobs, _blob_name(manifest["config"]["digest"]))
    layers = [Layer(_opener(blobs, _blob_name(d["digest"])), d["digest"], d.get("mediaType", ""))
              for d in manifest.get("layers", [])]
    return Image(name, config.get("config") or {}, layers)


def _pick(manifests, where):
    """The one manifest, or the one for this machine's platform."""
    if len(manifests) == 1:
        return manifests[0]
    arch = architecture()
    for descriptor in manifests:
        wanted = descriptor.get("platform") or {}
        if wanted.get("os", "linux") == "linux" and wanted.get("architecture") == arch:
            return descriptor
    raise SourceError(f"{where}: {len(manifests)} images and none for linux/{arch}")


def _opener(blobs, name):
    return lambda: blobs.open(name)


# --------------------------------------------------------------------------
# docker archive (docker save's manifest.json)

def _read_docker(blobs, where):
    entries = _json(blobs, "manifest.json")
    if not isinstance(entries, list) or not entries:
        raise SourceError(f"{where}: manifest.json lists no images")
    if len(entries) > 1:
        raise SourceError(f"{where}: {len(entries)} images in one archive: save one at a time")
    entry = entries[0]
    config = _json(blobs, entry["Config"])
    diff_ids = (config.get("rootfs") or {}).get("diff_ids") or []
    if len(diff_ids) != len(entry.get("Layers", [])):
        raise SourceError(f"{where}: manifest.json and the config disagree on the layers")
    layers = [Layer(_opener(blobs, path), digest, "application/vnd.docker.image.rootfs.diff.tar")
              for path, digest in zip(entry["Layers"], diff_ids)]
    tags = entry.get("RepoTags") or []
    return Image(tags[0] if tags else None, config.get("config") or {}, layers)
