"""Finding the cgroup hierarchies from /proc/self/mountinfo.

Only what is mounted (and visible to this process) counts: a controller the
kernel knows but nobody mounted cannot be used.
"""

from libcontainer import small_files
from libcontainer.errors import PyruncError

# Super options of a v1 cgroup mount that are flags, not controllers.
_V1_FLAG_OPTIONS = frozenset({
    "rw", "ro", "xattr", "noprefix", "clone_children", "cpuset_v2_mode",
    "none", "all", "favordynmods", "nofavordynmods",
})


class Mount:
    """One line of mountinfo: the fields the cgroup layer needs."""

    __slots__ = ("root", "mount_point", "fstype", "super_options")

    def __init__(self, root, mount_point, fstype, super_options):
        self.root = root
        self.mount_point = mount_point
        self.fstype = fstype
        self.super_options = super_options

    def __repr__(self):
        return (f"Mount({self.root!r}, {self.mount_point!r}, "
                f"{self.fstype!r}, {self.super_options!r})")


class Hierarchy:
    """A mounted cgroup hierarchy: v1 (with its controllers) or the v2 one.

    key is how /proc/self/cgroup names it: "cpu,cpuacct", "name=systemd", or ""
    for v2.
    """

    __slots__ = ("controllers", "mount_point", "root")

    def __init__(self, controllers, mount_point, root):
        self.controllers = tuple(controllers)
        self.mount_point = mount_point
        self.root = root

    @property
    def key(self) -> str:
        return ",".join(self.controllers)


def unescape(field: str) -> str:
    """Undo the kernel's octal escapes (\\040 for space, \\134 for backslash)."""
    if "\\" not in field:
        return field
    out, i = [], 0
    while i < len(field):
        chunk = field[i + 1:i + 4]
        if field[i] == "\\" and len(chunk) == 3 and chunk.isdigit():
            out.append(chr(int(chunk, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def parse_line(line: str):
    """One mountinfo line -> Mount, or None if it is malformed."""
    fields = line.split()
    try:
        sep = fields.index("-", 6)  # optional fields end at a lone "-"
    except ValueError:
        return None
    if len(fields) < sep + 4:
        return None
    return Mount(unescape(fields[3]), unescape(fields[4]),
                 fields[sep + 1], fields[sep + 3])


def parse(text: str) -> list:
    return [m for m in map(parse_line, text.splitlines()) if m is not None]


def read_self() -> str:
    return small_files.read_text("/proc/self/mountinfo")


def v1_controllers(super_options: str) -> list:
    """Controllers (and name=X) of a v1 mount from its super options."""
    out = []
    for opt in super_options.split(","):
        if opt.startswith("name="):
            out.append(opt)
        elif opt and "=" not in opt and opt not in _V1_FLAG_OPTIONS:
            out.append(opt)
    return out


def v1_hierarchies(mounts: list) -> list:
    """Each v1 hierarchy once (the first mount of it wins: bind mounts repeat)."""
    seen, out = set(), []
    for m in mounts:
        if m.fstype != "cgroup":
            continue
        controllers = v1_controllers(m.super_options)
        key = frozenset(controllers)
        if controllers and key not in seen:
            seen.add(key)
            out.append(Hierarchy(controllers, m.mount_point, m.root))
    return out


def v2_hierarchy(mounts: list):
    for m in mounts:
        if m.fstype == "cgroup2":
            return Hierarchy((), m.mount_point, m.root)
    return None


def detect(mountinfo_text: str):
    """-> (1, [v1 hierarchies]) or (2, [the v2 hierarchy]).

    Hybrid hosts (v1 controllers plus a controller-less cgroup2 mount) are run
    as v1: that is where the controllers are.
    """
    mounts = parse(mountinfo_text)
    v1 = v1_hierarchies(mounts)
    if any(not c.startswith("name=") for h in v1 for c in h.controllers):
        return 1, v1
    v2 = v2_hierarchy(mounts)
    if v2 is not None:
        return 2, [v2]
    raise PyruncError("no cgroup filesystem is mounted (see /proc/self/mountinfo)")
