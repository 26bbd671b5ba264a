"""commit: a container's writable layer (its overlay upper dir, whiteouts
in the image spec's form) as a new layer on top of its image's, named as a
new image that run-image can use."""
import hashlib
import os

from libcontainer.images import archive, containers, load, tree_tar
from libcontainer.images.store import ImageStore, check_name

LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar"


def commit(container, new_name):
    """Returns the new layer's id. A running container is frozen while its
    layer is read, so the layer is one moment of it."""
    check_name(new_name, "IMAGE")
    state_root = container.store.root
    base = containers.image_of(state_root, container.id)
    images = ImageStore(state_root)
    upper = os.path.join(containers.bundle_of(state_root, container.id), "upper")
    tar_path = os.path.join(images.staging_dir(), "layer.tar")
    try:
        with containers.Frozen(container):
            digest = _write_layer(upper, tar_path)
        layer = archive.Layer(lambda: open(tar_path, "rb"), digest, LAYER_TYPE)
        with images.lock():
            if not images.has_layer(layer.id):
                load.unpack(images, layer, f"commit of {container.id}")
            images.add_image(new_name, base["layers"] + [layer.id], base.get("config", {}))
    finally:
        from libcontainer.images.store import remove_tree
        remove_tree(os.path.dirname(tar_path))
    return layer.id


def _write_layer(upper, path):
    with open(path, "wb") as f:
        tree_tar.write_tar(upper, f)
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()
