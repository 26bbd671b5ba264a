"""`exec --cgroup`: the exec'd process joins an existing cgroup below the
container's instead of the container's own (runc-exec(8)).

    --cgroup PATH                        every hierarchy (v2: the only one)
    --cgroup CONTROLLER[,CONTROLLER]:PATH  those hierarchies (v1), repeatable

PATH is taken below the container's cgroup ("/x" too); it must stay there
and exist: pyrunc never makes it (nor does runc).
"""
import posixpath

from libcontainer.errors import PyruncError

from . import manager as m

ALL = ""  # the key of a PATH given without controllers


def parse(args) -> dict:
    """["memory,pids:sub", ...] -> {"memory": "sub", "pids": "sub"}; a PATH
    alone -> {"": PATH}, which must then be the only --cgroup."""
    wanted = {}
    for arg in args:
        parts = arg.split(":")
        if len(parts) > 2:
            raise PyruncError(f"--cgroup {arg!r}: must be PATH or CONTROLLER[,CONTROLLER]:PATH")
        if len(parts) == 1:
            if len(args) != 1:
                raise PyruncError(f"--cgroup {arg!r}: a PATH without CONTROLLER: must be "
                                  "the only --cgroup")
            wanted[ALL] = arg
            continue
        for controller in parts[0].split(","):
            if not controller:
                raise PyruncError(f"--cgroup {arg!r}: empty controller name")
            if controller in wanted:
                raise PyruncError(f"--cgroup {arg!r}: controller {controller} given twice")
            wanted[controller] = parts[1]
    return wanted


def below(container_path: str, sub: str, arg: str) -> str:
    """The sub-cgroup's path; refused when it climbs out of the container's."""
    path = posixpath.normpath(posixpath.join(container_path, sub.lstrip("/")))
    top = container_path.rstrip("/") or "/"
    if path != top and not path.startswith(top.rstrip("/") + "/"):
        raise PyruncError(f"--cgroup {arg!r}: not a sub-cgroup of the container's cgroup")
    return path


def directories(manager, wanted: dict) -> list:
    """Every cgroup directory the process joins, checked to exist."""
    if manager.version == 2:
        return [_existing(manager.fs, _v2_dir(manager, wanted))]
    return [_existing(manager.fs, d) for d in _v1_dirs(manager, wanted)]


def _v2_dir(manager, wanted):
    named = [c for c in wanted if c != ALL]
    if named:
        raise PyruncError(f"--cgroup {named[0] + ':' + wanted[named[0]]!r}: cgroup v2 has "
                          "one hierarchy, give the PATH alone")
    path = below(manager.path, wanted[ALL], wanted[ALL])
    return posixpath.join(manager.mount_point, path.lstrip("/"))


def _v1_dirs(manager, wanted):
    known = {c for cg in manager.cgroups for c in cg.hierarchy.controllers}
    for controller in wanted:
        if controller != ALL and controller not in known:
            raise PyruncError(f"--cgroup {controller + ':' + wanted[controller]!r}: no "
                              f"{controller} hierarchy is mounted")
    dirs = []
    for cg in manager.cgroups:
        subs = {wanted[c] for c in cg.hierarchy.controllers if c in wanted}
        if ALL in wanted:
            subs = {wanted[ALL]}
        if len(subs) > 1:
            raise PyruncError(f"--cgroup: {' and '.join(sorted(subs))} for the one hierarchy "
                              f"of {','.join(cg.hierarchy.controllers)}")
        sub = subs.pop() if subs else ""
        path = below(cg.path, sub, sub)
        dirs.append(posixpath.join(cg.hierarchy.mount_point, path.lstrip("/")))
    return dirs


def _existing(fs, directory):
    if not fs.isdir(directory):
        raise PyruncError(f"--cgroup: no cgroup {directory} (make it first)")
    return directory


def join(manager, pid: int, dirs: list) -> None:
    """Move pid into each of dirs (from directories())."""
    for directory in dirs:
        m.add_pid_to(manager.fs, directory, pid)
