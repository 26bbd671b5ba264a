"""The bundles `run-image` makes: one dir per container in the image store,
whose rootfs is an overlay of its image's layers and its own upper dir.

    <root>/.images/containers/<id>/config.json   the config (readable, editable)
                                   rootfs/       the overlay, mounted until delete
                                   upper/ work/  the container's writable layer
                                   image.json    the image and layers it uses
"""
import json
import os

from libcontainer import errors
from libcontainer.images import overlay
from libcontainer.images.store import ImageStore, remove_tree


def make_bundle(state_root, container_id, image_name, config_for):
    """config_for(image config, rootfs) -> the container's config, made
    once the root is mounted (a User name is looked up in it). Returns the
    bundle dir; on any failure nothing of it is left."""
    images = ImageStore(state_root)
    with images.lock():
        image = images.image(image_name)
        directory = images.container_dir(container_id)
        try:
            os.mkdir(directory, 0o711)
        except FileExistsError:
            raise errors.PyruncError(f"--name {container_id}: a container with that name "
                                     "already exists") from None
        try:
            _fill(images, directory, image_name, image, config_for)
        except BaseException:
            _tear_down(directory)
            raise
    return directory


def _fill(images, directory, image_name, image, config_for):
    for sub in ("rootfs", "upper", "work"):
        os.mkdir(os.path.join(directory, sub), 0o755)
    # What commit builds on, even if the name is later given to another image.
    layer_ids = image["layers"]
    _write_json(os.path.join(directory, "image.json"),
                {"image": image_name, "layers": layer_ids, "config": image["config"]})
    rootfs = os.path.join(directory, "rootfs")
    overlay.mount(rootfs, [images.layer_dir(layer) for layer in layer_ids],
                  os.path.join(directory, "upper"), os.path.join(directory, "work"))
    _write_json(os.path.join(directory, "config.json"), config_for(image["config"], rootfs))


def _write_json(path, data):
    with open(path, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")


def bundle_of(state_root, container_id):
    """The bundle dir if run-image made this container, else None."""
    directory = ImageStore(state_root).container_dir(container_id)
    return directory if os.path.isdir(directory) else None


def image_of(state_root, container_id):
    directory = bundle_of(state_root, container_id)
    if directory is None:
        raise errors.PyruncError(f"container {container_id} was not made from an image "
                                 "(by run-image)")
    with open(os.path.join(directory, "image.json")) as f:
        return json.load(f)


def remove(state_root, container_id):
    """What delete does for a run-image container: the network lease and
    rules it may still hold, the overlay, the writable layer, the bundle."""
    directory = bundle_of(state_root, container_id)
    if directory is None:
        return
    from libcontainer.network import teardown
    teardown.release(state_root, container_id)
    _tear_down(directory)


def _tear_down(directory):
    overlay.unmount(os.path.join(directory, "rootfs"))
    remove_tree(directory)


class Frozen:
    """Freeze a running container for the block (if its cgroup can): what
    commit and export read is then one moment of it, and nothing in it
    moves files while they are read."""

    def __init__(self, container):
        self.container, self.cgroup = container, None

    def __enter__(self):
        if self.container.status() == "running" and self.container.record.get("cgroup"):
            cgroup = self.container.cgroup()
            if cgroup.has_freezer():
                cgroup.freeze()
                self.cgroup = cgroup

    def __exit__(self, *exc):
        if self.cgroup is not None:
            self.cgroup.thaw()
