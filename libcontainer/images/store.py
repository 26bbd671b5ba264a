"""The image store: an index of named images and the unpacked layers they share."""
import json
import os
import shutil
import uuid

from libcontainer import errors, flock

DIR_NAME = ".images"
# Names as registries write them (docker.io/library/busybox:1.36, name@sha256:...),
# checked by characters: a name never becomes a path.
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:@")


def check_name(name, what="image name"):
    if not name or len(name) > 255 or not set(name) <= _NAME_CHARS or not name[0].isalnum():
        raise errors.PyruncError(
            f"{what} {name!r}: use letters, digits and ._-/:@, starting with a letter or digit")
    return name


class ImageStore:
    def __init__(self, state_root):
        self.root = os.path.join(os.path.abspath(state_root), DIR_NAME)

    def path(self, *names):
        return os.path.join(self.root, *names)

    def layer_dir(self, layer_id):
        return self.path("layers", layer_id)

    def container_dir(self, container_id):
        return self.path("containers", container_id)

    def ensure(self):
        for sub in ("layers", "containers", "tmp"):
            os.makedirs(self.path(sub), mode=0o700, exist_ok=True)

    def lock(self):
        """The store's lock: held while the index or the layer set changes."""
        self.ensure()
        return flock.lock_file(self.path("lock"))

    # -- the index ----------------------------------------------------------

    def images(self):
        try:
            with open(self.path("images.json")) as f:
                return json.load(f)
        except FileNotFoundError:
            return {}

    def image(self, name, flag="IMAGE"):
        found = self.images().get(name)
        if found is None:
            raise errors.PyruncError(f"{flag} {name}: no such image (pyrunc image ls lists them)")
        return found

    def save_images(self, index):
        tmp = self.path("images.json.tmp")
        with open(tmp, "w") as f:
            json.dump(index, f, indent=1, sort_keys=True)
        os.rename(tmp, self.path("images.json"))

    def add_image(self, name, layers, config):
        """Under the lock: name -> layers (bottom first) and the image config."""
        missing = [layer for layer in layers if not os.path.isdir(self.layer_dir(layer))]
        if missing:
            raise errors.PyruncError(f"image {name}: layer {missing[0]} is not in the store")
        index = self.images()
        replaced = name in index
        index[name] = {"layers": list(layers), "config": config}
        self.save_images(index)
        if replaced:  # the name's old layers may be needed by nothing now
            self.remove_unused_layers()

    def remove_image(self, name):
        """Forget the name; layers no image or container needs go too."""
        with self.lock():
            index = self.images()
            if name not in index:
                raise errors.PyruncError(f"IMAGE {name}: no such image")
            del index[name]
            self.save_images(index)
            self.remove_unused_layers()

    # -- layers -------------------------------------------------------------

    def has_layer(self, layer_id):
        return os.path.isdir(self.layer_dir(layer_id))

    def staging_dir(self):
        self.ensure()
        path = self.path("tmp", uuid.uuid4().hex)
        os.mkdir(path, 0o755)
        return path

    def adopt_layer(self, staged, layer_id):
        """Move an unpacked layer into place; one already there (the same
        tar, from another image) is kept and ours dropped."""
        try:
            os.rename(staged, self.layer_dir(layer_id))
        except OSError:
            if not os.path.isdir(self.layer_dir(layer_id)):
                raise
            remove_tree(staged)

    def layers_in_use(self):
        """Layers some image or container still needs."""
        used = {layer for image in self.images().values() for layer in image["layers"]}
        for cid in _listdir(self.path("containers")):
            try:
                with open(self.path("containers", cid, "image.json")) as f:
                    used.update(json.load(f)["layers"])
            except (OSError, ValueError, KeyError):
                pass
        return used

    def remove_unused_layers(self):
        used = self.layers_in_use()
        for layer in _listdir(self.path("layers")):
            if layer not in used:
                remove_tree(self.layer_dir(layer))


def check_destination(path, flag="FILE"):
    """A file to write: its directory must exist (checked before any work)."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise errors.PyruncError(f"{flag} {path}: the directory {directory} does not exist")
    return path


def remove_tree(path):
    """rmtree that also removes read-only dirs a layer may hold."""
    def make_writable(function, failed, _exc):
        parent = os.path.dirname(failed)
        os.chmod(parent, 0o700)
        function(failed)
    shutil.rmtree(path, onerror=make_writable)


def _listdir(path):
    try:
        return sorted(os.listdir(path))
    except FileNotFoundError:
        return []
