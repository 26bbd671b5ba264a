"""`image load`: an image from a file or directory into the store."""
import gzip
import hashlib
import tarfile
import zlib

from libcontainer import errors
from libcontainer.images import archive, layers
from libcontainer.images.store import check_name, remove_tree

_GZIP_MAGIC = b"\x1f\x8b"


def load(store, source, name=None):
    """Unpack each layer not yet in the store and name the image; returns
    the name. A rootfs tarball needs `name`; an archive's own name is used
    when none is given."""
    image = archive.open_source(source)
    name = name or image.name
    if not name:
        raise errors.PyruncError(f"image load {source}: it names no image: give --name")
    check_name(name, "--name")
    with store.lock():
        try:
            for number, layer in enumerate(image.layers):
                if not store.has_layer(layer.id):
                    unpack(store, layer, f"{source}: layer {number}")
            store.add_image(name, [layer.id for layer in image.layers], image.config)
        except BaseException:
            store.remove_unused_layers()  # the layers unpacked before the failing one
            raise
    return name


def unpack(store, layer, what):
    """Unpack one layer blob into the store, checking its digest."""
    if layer.media_type.endswith("zstd"):
        raise errors.PyruncError(f"{what}: zstd layers are not supported; "
                                 "convert with skopeo copy --dest-compress-format gzip")
    staged = store.staging_dir()
    try:
        with layer.open() as raw:
            stream = _Hashing(_decompressed(raw) if _is_diff_digest(layer) else raw)
            try:
                with tarfile.open(fileobj=stream, mode="r|*") as tar:
                    layers.apply_tar(tar, staged, what)
            except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error):
                raise errors.PyruncError(f"{what}: not a tar archive "
                                         "(plain, gzip, bzip2 or xz)") from None
            stream.drain()
        if stream.digest() != layer.digest:
            raise errors.PyruncError(f"{what}: its content does not match its digest "
                                     f"{layer.digest} (a damaged file?)")
        store.adopt_layer(staged, layer.id)
    except BaseException:
        remove_tree(staged)
        raise


def _is_diff_digest(layer):
    """Docker archives name layers by the digest of the uncompressed tar."""
    return layer.media_type.startswith("application/vnd.docker.image.rootfs.diff.tar")


def _decompressed(raw):
    head = raw.read(2)
    raw.seek(0)
    return gzip.GzipFile(fileobj=raw) if head == _GZIP_MAGIC else raw


class _Hashing:
    """A read-only stream that hashes what passes through it."""

    def __init__(self, stream):
        self.stream, self.hash = stream, hashlib.sha256()

    def read(self, size=-1):
        data = self.stream.read(size)
        self.hash.update(data)
        return data

    def drain(self):
        """tarfile stops at the end-of-archive blocks: the digest covers all."""
        while self.read(1 << 20):
            pass

    def digest(self):
        return "sha256:" + self.hash.hexdigest()
