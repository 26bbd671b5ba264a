"""Config fields pyrunc accepts but does not apply yet.

They are valid OCI config, so refusing them would break engines that always
send them; running without them silently
would hide a weaker container. create prints one warning line naming them.
"""
import os

_FIELDS = (
    ("linux", "intelRdt"), ("linux", "mountLabel"),
    ("process", "apparmorProfile"), ("process", "selinuxLabel"),
)
_RESOURCES = ("network",)
# Applied on cgroup v1 only (v2 has no such files).
_V1_ONLY_MEMORY = ("kernelTCP", "disableOOMKiller")


def not_applied(spec):
    """Dotted paths of the fields present in spec that pyrunc ignores here."""
    found = [f"{section}.{name}" for section, name in _FIELDS
             if (spec.get(section) or {}).get(name)]
    resources = (spec.get("linux") or {}).get("resources") or {}
    memory = resources.get("memory") or {}
    prefix = "linux.resources"
    found += [f"{prefix}.{name}" for name in _RESOURCES if resources.get(name)]
    if memory.get("kernel"):
        found.append(f"{prefix}.memory.kernel")  # deprecated; newer kernels ignore it
    if _pure_cgroup_v2():
        found += [f"{prefix}.memory.{name}" for name in _V1_ONLY_MEMORY if memory.get(name)]
    return found


def _pure_cgroup_v2():
    return os.path.exists("/sys/fs/cgroup/cgroup.controllers")
