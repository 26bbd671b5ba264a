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

    store       the index and the layer dirs, under one lock
    layers      a layer tar <-> an overlay dir (whiteouts both ways)
    archive     reading rootfs tarballs, OCI layouts and archives, docker archives
    load        `image load`: unpack (digest checked) and name
    save        `image save`: an image as an OCI archive
    overlay     the container root's overlay mount
    containers  the bundles run-image makes, and their removal on delete
    options     the run-image flags, checked, as config pieces
    spec        the config.json from the image's config and the flags
    users       a User given by name, from the image's own /etc/passwd and /etc/group
    run_image   run-image itself: bundle, then create/start or run
    commit      a container's upper dir as a new image
"""
