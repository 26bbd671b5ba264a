"""`pyrunc features`: what this runtime implements (runtime-spec features.md).

Every list is read from the table the code that applies the config uses, so
the document cannot claim more than pyrunc does: the namespace and
capability tables, the mount option parser's tables, the seccomp action,
operator and flag tables, the hook kinds the validator accepts. What pyrunc
does not do is absent or false (AppArmor, SELinux, Intel RDT, systemd's D-Bus
cgroup manager).
"""
from libcontainer.container import OCI_VERSION

OCI_VERSION_MIN = "1.0.0"

# Architectures as the spec names them; each is offered only when the
# installed libseccomp resolves it (libseccomp does the translation).
SPEC_ARCHES = (
    "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
    "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
    "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
    "SCMP_ARCH_PPC64LE", "SCMP_ARCH_RISCV64", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
    "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64",
)
# libseccomp release that first knew each filter attribute pyrunc maps a flag to.
_FLAG_SINCE = {"SECCOMP_FILTER_FLAG_TSYNC": (2, 2), "SECCOMP_FILTER_FLAG_LOG": (2, 4),
               "SECCOMP_FILTER_FLAG_SPEC_ALLOW": (2, 5)}


def _libseccomp():
    """The loaded libseccomp (ctypes), or None when it is not installed."""
    import ctypes
    try:
        return ctypes.CDLL("libseccomp.so.2")
    except OSError:
        return None


def libseccomp_version(lib=None):
    """"2.5.4", or None without libseccomp."""
    import ctypes
    lib = lib or _libseccomp()
    if lib is None:
        return None

    class Version(ctypes.Structure):
        _fields_ = [("major", ctypes.c_uint), ("minor", ctypes.c_uint), ("micro", ctypes.c_uint)]
    lib.seccomp_version.restype = ctypes.POINTER(Version)
    v = lib.seccomp_version().contents
    return f"{v.major}.{v.minor}.{v.micro}"


def mount_options():
    from libcontainer.plan import mounts
    return sorted(mounts.known_options())


def seccomp_features(lib=None):
    import ctypes
    from libcontainer import seccomp
    lib = lib or _libseccomp()
    if lib is None:
        return {"enabled": False}
    lib.seccomp_arch_resolve_name.restype = ctypes.c_uint32
    arches = [a for a in SPEC_ARCHES
              if lib.seccomp_arch_resolve_name(a[len("SCMP_ARCH_"):].lower().encode()) != 0]
    version = tuple(int(p) for p in libseccomp_version(lib).split("."))
    known = sorted(seccomp.FLAGS)
    return {
        "enabled": True,
        "actions": sorted(seccomp.ACTIONS),
        "operators": sorted(seccomp.OPERATORS),
        "archs": arches,
        "knownFlags": known,
        "supportedFlags": [f for f in known if version[:2] >= _FLAG_SINCE[f]],
    }


def features(lib=None):
    """The features document as a dict (key order as features.md shows it)."""
    from libcontainer import capabilities, namespaces
    from libcontainer.config import validate
    lib = lib or _libseccomp()
    annotations = {}
    if lib is not None:
        annotations["io.github.seccomp.libseccomp.version"] = libseccomp_version(lib)
    return {
        "ociVersionMin": OCI_VERSION_MIN,
        "ociVersionMax": OCI_VERSION,
        "hooks": list(validate._HOOK_KINDS),
        "mountOptions": mount_options(),
        "linux": {
            "namespaces": sorted(namespaces.NAMESPACES),
            "capabilities": list(capabilities._NAMES_IN_ORDER),
            # --systemd-cgroup makes systemd's paths itself, without systemd's
            # D-Bus manager: not what "systemd" means here.
            "cgroup": {"v1": True, "v2": True, "systemd": False, "systemdUser": False,
                       "rdma": False},
            "seccomp": seccomp_features(lib),
            "apparmor": {"enabled": False},
            "selinux": {"enabled": False},
            "intelRdt": {"enabled": False},
            # id-mapped binds (idmap, ridmap, mounts[].uidMappings): _nsexec/idmap.c
            "mountExtensions": {"idmap": {"enabled": True}},
        },
        "annotations": annotations,
    }
