#!/bin/sh
# Build a bundle's root filesystem from Debian's busybox-static:
#   bundles/make-rootfs.sh [BUNDLE_DIR]     (default: bundles/busybox)
# Makes BUNDLE_DIR/rootfs with /bin/busybox, a link for each applet, the usual
# mount points, and a minimal /etc/passwd and /etc/group.
set -eu
bundle=${1:-$(dirname "$0")/busybox}
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
    echo "make-rootfs: needs a static busybox: apt-get install busybox-static" >&2
    exit 1
fi
rootfs="$bundle/rootfs"
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/root" \
    "$rootfs/dev" "$rootfs/proc" "$rootfs/sys"
cp "$busybox" "$rootfs/bin/busybox"
for applet in $("$rootfs/bin/busybox" --list); do
    [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
echo "$rootfs"
