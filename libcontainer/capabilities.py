"""Linux capabilities for the container process (OCI `process.capabilities`).

The spec's five name lists become bit masks (CapabilityPlan.from_spec) that
the plan hands to pyrunc-init, which applies them in the order the kernel
dictates (libcontainer/plan/process.py): the bounding set while it still
holds CAP_SETPCAP, keep-caps across the uid change, then capset and the
ambient set.
"""

from libcontainer import small_files
from libcontainer.errors import ConfigError

# Numbers from capabilities(7) / <linux/capability.h>; list index == number.
_NAMES_IN_ORDER = (
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
)

CAPABILITIES: dict[str, int] = {name: num for num, name in enumerate(_NAMES_IN_ORDER)}
CAPABILITY_NAMES: dict[int, str] = {num: name for name, num in CAPABILITIES.items()}

# The five sets of the OCI spec, in the order they are reported in errors.
SET_NAMES = ("bounding", "effective", "inheritable", "permitted", "ambient")


def last_cap(proc_path="/proc/sys/kernel/cap_last_cap") -> int:
    """The highest capability number the running kernel knows.

    Falls back to the highest number this module knows when the file cannot be
    read (no /proc, or a kernel older than 3.2 that lacks it).
    """
    try:
        return int(small_files.read_bytes(proc_path).strip())
    except (OSError, ValueError):
        return len(_NAMES_IN_ORDER) - 1


def to_mask(names, last=None, field="process.capabilities") -> int:
    """OR together the bits of `names`; skip those the kernel lacks (> last)
    and names this table does not know, with a warning in the log.

    Skipping rather than failing matches runc: a spec written for a newer kernel
    still runs, just without the capabilities this kernel cannot grant.
    """
    if last is None:
        last = last_cap()
    mask, skipped = 0, []
    for name in names or ():
        if not isinstance(name, str):
            raise ConfigError(f"{field}: unknown capability {name!r}")
        number = CAPABILITIES.get(name)
        if number is not None and number <= last:
            mask |= 1 << number
        else:
            skipped.append(name)
    if skipped:
        from libcontainer import diagnostics
        diagnostics.warning(f"{field}: ignoring unknown or unavailable capabilities: "
                            f"{', '.join(skipped)}")
    return mask


class CapabilityPlan:
    """The five capability sets as masks, plus the kernel's last_cap."""

    def __init__(self, bounding=0, effective=0, inheritable=0, permitted=0, ambient=0, last=None):
        self.bounding = bounding
        self.effective = effective
        self.inheritable = inheritable
        self.permitted = permitted
        self.ambient = ambient
        self.last = last_cap() if last is None else last

    @classmethod
    def from_spec(cls, caps, last: int) -> "CapabilityPlan":
        """Build from the OCI dict; None or a missing set means empty, like runc."""
        if caps is None:
            caps = {}
        if not isinstance(caps, dict):
            raise ConfigError("process.capabilities: must be an object")
        masks = {}
        for set_name in SET_NAMES:
            names = caps.get(set_name) or []
            field = f"process.capabilities.{set_name}"
            if not isinstance(names, (list, tuple)):
                raise ConfigError(f"{field}: must be a list of capability names")
            masks[set_name] = to_mask(names, last, field)
        return cls(last=last, **masks)

    def __repr__(self):
        sets = ", ".join(f"{s}={getattr(self, s):#x}" for s in SET_NAMES)
        return f"CapabilityPlan({sets}, last={self.last})"
