"""Images: a local store of layered root filesystems, and containers whose
root is an overlay of an image's layers with a writable layer of their own.

Everything lives under the state root (--root), in names no container id can
take (an id starts with a letter or digit):

    <root>/.images/lock                 flock: the index and layer set change under it
    <root>/.images/images.json          name -> {"layers": [layer id, ...], "config": {...}}
    <root>/.images/layers/<id>/         one unpacked layer: an overlay lower dir, its
                                        whiteouts in overlay form (char 0/0, opaque xattr)
    <root>/.images/containers/<cid>/    the bundle `run-image` makes: config.json,
                                        rootfs/ (the overlay), upper/, work/, image.json
    <root>/.images/tmp/                 layers being unpacked (same filesystem: rename)

A layer's id is the sha256 of the tar it came from. The modules:
store (the index and layer dirs), layers (tar <-> overlay dir), archive (reading
rootfs tarballs, OCI layouts and archives, docker archives), save (writing an
OCI archive), overlay (the mount), containers (bundles for run-image), options
(the run-image flags as config pieces), spec (the config.json).
"""
