"""export: a run-image container's root as a tarball, as mydocker's commit
and `docker export` make one: the whole merged root (a rootfs tarball that
`image load --name` takes back), or with layer_only its writable layer
alone (a layer tar, whiteouts in the image spec's form)."""
import os

from libcontainer.images import containers, tree_tar
from libcontainer.images.store import check_destination


def export(container, path, layer_only=False):
    bundle = containers.bundle_of(container.store.root, container.id)
    if bundle is None:
        containers.image_of(container.store.root, container.id)  # raises: says why
    # The host's view of the root: the overlay, without the container's own
    # mounts (volumes, /proc, /dev), which live in its mount namespace.
    source = os.path.join(bundle, "upper" if layer_only else "rootfs")
    check_destination(path)
    partial = f"{path}.partial"
    try:
        with open(partial, "wb") as f, containers.Frozen(container):
            tree_tar.write_tar(source, f)
        os.rename(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise
