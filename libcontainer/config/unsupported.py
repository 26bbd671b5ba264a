"""Config fields pyrunc does not apply.

Security labels (AppArmor, SELinux) are refused: a container run without
the confinement asked for would be weaker than its config says, and pyrunc
applies none (engines set them only where the LSM is enabled). The other
fields are valid OCI config that engines send as a matter of course: create
accepts them and logs one warning naming them.
"""
import os

from libcontainer import errors

_FIELDS = (("linux", "intelRdt"),)
_LABELS = (("process", "apparmorProfile", "AppArmor"), ("process", "selinuxLabel", "SELinux"),
           ("linux", "mountLabel", "SELinux"))


def refuse_labels(spec):
    for section, name, lsm in _LABELS:
        if (spec.get(section) or {}).get(name):
            raise errors.ConfigError(
                f"{section}.{name}: {lsm} labels are not supported by pyrunc")
# Applied on cgroup v1 only (v2 has no such files, nor net_cls/net_prio).
_V1_ONLY_MEMORY = ("kernelTCP", "disableOOMKiller")


def not_applied(spec):
    """Dotted paths of the fields present in spec that pyrunc ignores here."""
    found = [f"{section}.{name}" for section, name in _FIELDS
             if (spec.get(section) or {}).get(name)]
    resources = (spec.get("linux") or {}).get("resources") or {}
    memory = resources.get("memory") or {}
    prefix = "linux.resources"
    if memory.get("kernel"):
        found.append(f"{prefix}.memory.kernel")  # deprecated; newer kernels ignore it
    if _pure_cgroup_v2():
        found += [f"{prefix}.memory.{name}" for name in _V1_ONLY_MEMORY if memory.get(name)]
        if resources.get("network"):
            found.append(f"{prefix}.network")
    return found


def _pure_cgroup_v2():
    return os.path.exists("/sys/fs/cgroup/cgroup.controllers")
