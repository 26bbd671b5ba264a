"""OCI `mounts` entries as plan operations.

Options become mount attributes (mount_setattr(2)): those the entry sets,
those it clears, the same two for its submounts (the recursive options runc
defines: rro, rnosuid, ...), a propagation, and what is left for the
filesystem itself (mode=755, size=...), passed to fsconfig(2).

An id-mapped bind (idmap, ridmap, uidMappings/gidMappings) carries its user
namespace's maps as text, or the path of the container's joined one: the
init makes the namespace and maps the clone of the source (_nsexec/idmap.c).
"""
import os

from libcontainer import errors
from libcontainer.plan.ops import CODES, Op

RDONLY, NOSUID, NODEV, NOEXEC = 0x1, 0x2, 0x4, 0x8
ATIME, NOATIME, STRICTATIME, NODIRATIME = 0x70, 0x10, 0x20, 0x80
NOSYMFOLLOW = 0x200000
MS_REC = 0x4000
PROPAGATION = {
    "private": 1 << 18, "shared": 1 << 20, "slave": 1 << 19, "unbindable": 1 << 17,
}
# option -> (attributes set, attributes cleared)
_ATTRS = {
    "ro": (RDONLY, 0), "rw": (0, RDONLY),
    "nosuid": (NOSUID, 0), "suid": (0, NOSUID),
    "nodev": (NODEV, 0), "dev": (0, NODEV),
    "noexec": (NOEXEC, 0), "exec": (0, NOEXEC),
    "noatime": (NOATIME, ATIME), "atime": (0, ATIME),
    "relatime": (0, ATIME), "norelatime": (0, 0),
    "strictatime": (STRICTATIME, ATIME), "nostrictatime": (0, ATIME),
    "nodiratime": (NODIRATIME, 0), "diratime": (0, NODIRATIME),
    "nosymfollow": (NOSYMFOLLOW, 0), "symfollow": (0, NOSYMFOLLOW),
}
# Options of the superblock, which the filesystem takes itself; a bind ignores them.
_SUPERBLOCK = {"sync", "async", "dirsync", "mand", "nomand", "lazytime", "nolazytime"}
_IGNORED = {"remount", "silent", "loud", "bind", "rbind", "tmpcopyup", "notmpcopyup"}
# ridmap: the mapping reaches every mount of an rbind's tree, idmap its top only.
_IDMAP = {"idmap", "ridmap"}
SUPERBLOCK_OPTIONS = _SUPERBLOCK


def known_options():
    """The option names this parser handles itself, as features.md's
    mountOptions lists them (notmpcopyup, a no-op, is left out as runc does)."""
    attrs = set(_ATTRS)
    propagation = set(PROPAGATION)
    return (attrs | {"r" + a for a in attrs} | propagation | {"r" + p for p in propagation}
            | _SUPERBLOCK | _IGNORED | _IDMAP) - {"notmpcopyup"}


HOW = {name[len("MOUNT_HOW_"):].lower(): code for name, code in CODES.items()
       if name.startswith("MOUNT_HOW_")}


class MountOptions:
    def __init__(self, options):
        self.set = self.clear = self.rec_set = self.rec_clear = self.propagation = 0
        self.bind = self.rbind = self.copy_up = False
        self.idmap = None  # "idmap" or "ridmap": the last one given wins
        self.data = []
        for option in options or ():
            self._take(option)

    def _take(self, option):
        if option in _ATTRS:
            self.set, self.clear = _apply(self.set, self.clear, *_ATTRS[option])
        elif option.startswith("r") and option[1:] in _ATTRS and option != "rw":
            self.rec_set, self.rec_clear = _apply(self.rec_set, self.rec_clear,
                                                  *_ATTRS[option[1:]])
        elif option in PROPAGATION:
            self.propagation = PROPAGATION[option]
        elif option.startswith("r") and option[1:] in PROPAGATION:
            self.propagation = PROPAGATION[option[1:]] | MS_REC
        elif option in ("tmpcopyup", "notmpcopyup"):
            self.copy_up = option == "tmpcopyup"
        elif option in ("bind", "rbind"):
            self.bind, self.rbind = True, self.rbind or option == "rbind"
        elif option in _IDMAP:
            self.idmap = option
        elif option not in _IGNORED or option in _SUPERBLOCK:
            self.data.append(option)


def _apply(set_, clear, adds, removes):
    """Later options win over earlier ones, as with mount(8)."""
    return (set_ & ~removes) | adds, (clear & ~adds) | removes


def mount_ops(index, entry, bundle, spec=None, rootless=False):
    """The ops of mounts[index] (a `cgroup` entry: see cgroupfs.py); spec
    gives an id-mapped bind without maps of its own the container's user
    namespace. The validator has checked the entry (config/validate.py)."""
    field = f"mounts[{index}]"
    options = MountOptions(entry.get("options"))
    kind = entry.get("type") or ("bind" if options.bind else None)
    destination = entry["destination"]
    idmap = []  # an id-mapped bind's: uid map, gid map, user namespace path
    if options.bind or kind == "bind":
        source = os.path.join(bundle, entry.get("source") or "")
        how = HOW["rbind"] if options.rbind else HOW["bind"]
        data = []
        if options.idmap or entry.get("uidMappings") or entry.get("gidMappings"):
            how |= HOW[options.idmap or "idmap"]
            idmap = _idmap_args(field, options.idmap, entry, spec or {}, rootless)
    else:
        if not kind:
            raise errors.ConfigError(f"{field}.type: required unless the mount is a bind")
        source = entry.get("source") or kind
        how = HOW["new"]
        data = options.data
        if options.copy_up and kind == "tmpfs":
            how |= HOW["copyup"]
        if kind == "tmpfs" and not any(option.startswith("mode=") for option in data):
            how |= HOW["covered_mode"]
        elif options.set & RDONLY and kind != "tmpfs":
            data = [*data, "ro"]  # a read-only superblock too, as mount(2) makes it for runc
        if kind in ("proc", "sysfs"):
            how |= HOW["no_symlink"]
        if kind == "sysfs":
            how |= HOW["sysfs_fallback"]
    return [Op("OP_MOUNT", f"{field}: mounting {source} on {destination}", destination,
               source, kind or "", options.set, options.clear, options.rec_set,
               options.rec_clear, options.propagation, how, data, *idmap)]


def _idmap_args(field, option, entry, spec, rootless):
    """[uid map, gid map, user namespace path] of an id-mapped bind: its own
    mappings, else (as runc) those of the container's user namespace: a
    joined one by its path, a new one by linux.uidMappings/gidMappings."""
    if rootless:
        # The mapping is set in the host's user namespace, which needs its root.
        raise errors.ConfigError(f"{field}: id-mapped mounts are not supported for rootless "
                                 "containers")
    if entry.get("uidMappings") or entry.get("gidMappings"):
        return [_map_text(entry.get("uidMappings")), _map_text(entry.get("gidMappings")), ""]
    linux = spec.get("linux") or {}
    user = [ns for ns in linux.get("namespaces") or () if ns.get("type") == "user"]
    if not user:  # the validator says so first; the same words
        from libcontainer.config.validate import IDMAP_NEEDS_MAPPINGS
        raise errors.ConfigError(f"{field}.options: {option} {IDMAP_NEEDS_MAPPINGS}")
    if user[0].get("path"):
        return ["", "", user[0]["path"]]
    return [_map_text(linux.get("uidMappings")), _map_text(linux.get("gidMappings")), ""]


def _map_text(mappings):
    """Mappings as /proc/PID/uid_map takes them: "inside outside count" lines."""
    return "".join(f"{m['containerID']} {m['hostID']} {m['size']}\n" for m in mappings or ())
