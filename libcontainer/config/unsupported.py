"""Config fields pyrunc accepts but does not apply yet.

They are valid OCI config, so refusing them would break engines that always
send them (podman sends a seccomp profile); running without them silently
would hide a weaker container. create prints one warning line naming them.
"""

_FIELDS = (
    ("linux", "seccomp"), ("linux", "intelRdt"), ("linux", "personality"),
    ("linux", "timeOffsets"), ("linux", "mountLabel"),
    ("process", "apparmorProfile"), ("process", "selinuxLabel"),
    ("process", "ioPriority"), ("process", "scheduler"), ("process", "execCPUAffinity"),
)
# The device cgroup rule every runc-style config carries: deny all. Anything
# beyond it is an allow-list pyrunc would not enforce.
_DENY_ALL = [{"allow": False, "access": "rwm"}]


def not_applied(spec):
    """Dotted paths of the fields present in spec that pyrunc ignores."""
    found = [f"{section}.{name}" for section, name in _FIELDS
             if (spec.get(section) or {}).get(name)]
    rules = ((spec.get("linux") or {}).get("resources") or {}).get("devices")
    if rules and rules != _DENY_ALL:
        found.append("linux.resources.devices")
    return found
