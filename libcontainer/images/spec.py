"""The config.json `run-image` writes: pyrunc's default spec, filled in from
the image's config (image-spec config.md; conversion.md says how each field
maps) and the flags. A normal bundle config: the user can read and edit it,
and `pyrunc create` runs it like any other."""
from libcontainer import errors
from libcontainer.config.defaults import default_spec

# What docker grants a container by default: enough for the usual programs
# (chown, ping, a shell's setuid) without the administrative ones.
DEFAULT_CAPABILITIES = [
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]
IMAGE_NAME = "org.opencontainers.image.ref.name"
STOP_SIGNAL = "org.opencontainers.image.stopSignal"


class Request:
    """What the user asked for, already checked (see options.py)."""

    def __init__(self, image, args=(), terminal=False, env=(), mounts=(), resources=None,
                 hostname="pyrunc", hooks=None):
        self.image, self.args, self.terminal, self.env = image, list(args), terminal, list(env)
        self.mounts, self.resources = list(mounts), resources or {}
        self.hostname, self.hooks = hostname, hooks


def build(image_config, request, users=None):
    """users: a users.Users on the container's root, for a User given by name."""
    spec = default_spec()
    spec["root"] = {"path": "rootfs", "readonly": False}
    spec["hostname"] = request.hostname
    spec["process"].update(
        args=_command(image_config, request), terminal=request.terminal,
        env=_environment(spec["process"]["env"], image_config, request.env),
        cwd=image_config.get("WorkingDir") or "/", user=_user(image_config.get("User"), users),
        noNewPrivileges=False)
    spec["process"]["capabilities"] = {
        kind: list(DEFAULT_CAPABILITIES) for kind in ("bounding", "effective", "permitted")}
    spec["mounts"] += request.mounts
    spec["linux"]["resources"].update(request.resources)
    spec["annotations"] = {IMAGE_NAME: request.image}
    if image_config.get("StopSignal"):
        spec["annotations"][STOP_SIGNAL] = image_config["StopSignal"]
    if request.hooks:
        spec["hooks"] = request.hooks
    return spec


def _command(image_config, request):
    """Entrypoint + (the given command, or the image's Cmd)."""
    args = list(image_config.get("Entrypoint") or []) + (
        request.args or list(image_config.get("Cmd") or []))
    if not args:
        raise errors.PyruncError(f"COMMAND: image {request.image} has no default command: "
                                 "give one after the image name")
    return args


def _environment(defaults, image_config, given):
    """Later wins by name: the defaults, the image's Env, then -e."""
    merged = {}
    for entry in defaults + list(image_config.get("Env") or []) + given:
        key, _, value = entry.partition("=")
        merged[key] = value
    return [f"{k}={v}" for k, v in merged.items()]


def _user(text, users):
    """UID[:GID], each a number or a name (looked up in the image's files)."""
    if not text:
        return {"uid": 0, "gid": 0}
    user, _, group = text.partition(":")
    if user.isdigit():
        uid, gid = int(user), 0
    else:
        uid, gid = _names(users, text).user(user)
    if group:
        gid = int(group) if group.isdigit() else _names(users, text).group(group)
    return {"uid": uid, "gid": gid}


def _names(users, text):
    if users is None:
        raise errors.PyruncError(f"image config User {text!r}: a name needs the image's "
                                 "/etc/passwd, and there is no root to read it from")
    return users
