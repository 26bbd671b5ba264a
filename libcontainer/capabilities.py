"""Linux capabilities for the container process (OCI `process.capabilities`).

The init turns the spec's five name lists into bit masks once, before it pivots
and changes user (CapabilityPlan.from_spec), then applies them in three steps
whose order the kernel dictates:

  1. drop_bounding()       while the init still holds CAP_SETPCAP (uid 0);
  2. keep_across_setuid()  just before setuid, so a non-zero uid keeps permitted;
  3. apply()               after setuid: capset, then the ambient set.

Syscalls come from a provider object (capget/capset/prctl, as in
libcontainer.syscalls); every step takes it as a parameter so unit tests can pass
a recorder instead of touching the kernel.

Imports are kept to the bare minimum because the init imports this module on its
start-up path; errors is a tiny pure-Python module and is imported here, not
lazily, because a lazy import after pivot_root could no longer find the host's
Python files.
"""

import errno
import os

from libcontainer.errors import ConfigError, PyruncError

# prctl(2) options and sub-operations (values from <linux/prctl.h>).
PR_SET_KEEPCAPS = 8
PR_CAPBSET_READ = 23
PR_CAPBSET_DROP = 24
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_RAISE = 2
PR_CAP_AMBIENT_CLEAR_ALL = 4

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
        with open(proc_path, "rb") as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return len(_NAMES_IN_ORDER) - 1


def to_mask(names, last=None, field="process.capabilities") -> int:
    """OR together the bits of `names`; skip those the kernel lacks (> last).

    Skipping rather than failing matches runc: a spec written for a newer kernel
    still runs, just without the capabilities this kernel cannot grant.
    """
    if last is None:
        last = last_cap()
    mask = 0
    for name in names or ():
        number = CAPABILITIES.get(name) if isinstance(name, str) else None
        if number is None:
            raise ConfigError(f"{field}: unknown capability {name!r}")
        if number <= last:
            mask |= 1 << number
    return mask


def mask_to_names(mask: int) -> list[str]:
    """The names of the bits set in `mask` (unknown bits as CAP_<n>), for messages."""
    return [CAPABILITY_NAMES.get(n, f"CAP_{n}") for n in range(mask.bit_length()) if mask >> n & 1]


def _provider(sys):
    # Imported on first use, not at module top, so unit tests never need the
    # compiled wrappers; the init has imported it long before it pivots.
    if sys is not None:
        return sys
    from libcontainer import syscalls

    return syscalls


def _strerror(exc: OSError) -> str:
    return exc.strerror or os.strerror(exc.errno or 0)


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

    def drop_bounding(self, sys=None) -> None:
        """Remove from the bounding set every capability not in `bounding`.

        Needs CAP_SETPCAP, so it must run before the uid change. Capabilities the
        thread already lacks are not dropped again, which lets an exec into a
        container that already has a small bounding set work without CAP_SETPCAP.
        """
        sys = _provider(sys)
        for number in range(self.last + 1):
            if self.bounding >> number & 1:
                continue
            if not sys.prctl(PR_CAPBSET_READ, number):
                continue
            try:
                sys.prctl(PR_CAPBSET_DROP, number)
            except OSError as exc:
                raise PyruncError(
                    f"capabilities: cannot drop {CAPABILITY_NAMES.get(number, number)} "
                    f"from the bounding set: {_strerror(exc)}"
                ) from exc

    def keep_across_setuid(self, sys=None) -> None:
        """Set PR_SET_KEEPCAPS so switching to a non-zero uid keeps permitted caps.

        Without it the kernel clears permitted and effective on setuid away from
        0, and apply() could not grant anything to a non-root user.
        """
        _provider(sys).prctl(PR_SET_KEEPCAPS, 1)

    def apply(self, sys=None) -> None:
        """After the uid/gid change: set effective/permitted/inheritable, then ambient."""
        sys = _provider(sys)
        self._set_eff_prm_inh(sys)
        self._set_ambient(sys)
        # The flag was only needed across the setuid; leave the process as a
        # plain execve would expect it.
        sys.prctl(PR_SET_KEEPCAPS, 0)

    def _set_eff_prm_inh(self, sys) -> None:
        try:
            sys.capset(self.effective, self.permitted, self.inheritable)
        except OSError as exc:
            raise PyruncError(
                "capabilities: capset(effective=%s, permitted=%s, inheritable=%s) failed: %s"
                % (
                    ",".join(mask_to_names(self.effective)) or "none",
                    ",".join(mask_to_names(self.permitted)) or "none",
                    ",".join(mask_to_names(self.inheritable)) or "none",
                    _strerror(exc),
                )
            ) from exc

    def _set_ambient(self, sys) -> None:
        # Clearing first makes the ambient set exactly what the spec lists,
        # whatever the init inherited.
        try:
            sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
        except OSError as exc:
            if exc.errno == errno.EINVAL and not self.ambient:
                return  # kernel before 4.3 has no ambient set; nothing asked for
            raise PyruncError(f"capabilities: cannot clear the ambient set: {_strerror(exc)}") from exc
        # The kernel refuses an ambient cap missing from permitted or
        # inheritable; runc's default config lists ambient caps with no
        # inheritable set, and runc only warns, so such caps are skipped.
        for name in mask_to_names(self.ambient & self.permitted & self.inheritable):
            self._raise_ambient(sys, name)

    def _raise_ambient(self, sys, name: str) -> None:
        try:
            sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAPABILITIES[name])
        except OSError as exc:
            hint = ""
            if exc.errno == errno.EPERM:
                hint = " (an ambient capability must also be in permitted and inheritable)"
            raise PyruncError(
                f"capabilities: cannot raise ambient capability {name}: {_strerror(exc)}{hint}"
            ) from exc
