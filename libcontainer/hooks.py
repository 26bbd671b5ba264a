"""OCI hooks (config.md "POSIX-platform Hooks"): programs run at points of
the lifecycle with the container's state JSON on their stdin.

    prestart, createRuntime  create, runtime namespace, before pivot_root (parent)
    createContainer          create, container namespaces, before pivot_root (init)
    startContainer           start, in the container, before process.args (init)
    poststart                start, runtime namespace, once the process runs (parent)
    poststop                 delete, runtime namespace, once all is gone (parent)

A failing hook of the first four fails the operation; of the last two it is
only reported (runtime.md "Lifecycle"). subprocess is imported only here,
and this module only when a config has hooks.

A hook's `env` is its whole environment; without one it gets the
environment of what runs it, as with runc: here, pyrunc's own (the init's
hooks get the container process's, see plan/create.py hook_ops).
"""
import os
import subprocess

from libcontainer import diagnostics, errors, json_text

FATAL = ("prestart", "createRuntime", "createContainer", "startContainer")


def has(spec, *kinds):
    hooks = spec.get("hooks") or {}
    return any(hooks.get(kind) for kind in kinds)


def state_object(spec, container_id, status, pid, bundle):
    """The container's state as runtime.md "State" has it (also what a
    seccomp agent gets, see seccomp_agent.py)."""
    return {"ociVersion": spec.get("ociVersion", "1.2.0"), "id": container_id,
            "status": status, "pid": pid, "bundle": bundle,
            "annotations": spec.get("annotations", {})}


def state_json(spec, container_id, status, pid, bundle):
    """The state a hook reads on stdin."""
    return json_text.dumps(state_object(spec, container_id, status, pid, bundle))


def run(spec, kind, state):
    """Run every hook of `kind` in order; see the module docstring for failures."""
    for index, hook in enumerate((spec.get("hooks") or {}).get(kind, [])):
        problem = _run_one(hook, state)
        if problem is None:
            continue
        message = f"hooks.{kind}[{index}] {hook['path']}: {problem}"
        if kind in FATAL:
            raise errors.PyruncError(message)
        diagnostics.warning(message)  # to --log: stderr may be the container's


def _run_one(hook, state):
    """None if the hook succeeded, else what went wrong, in a few words."""
    if "env" in hook:
        env = dict(item.partition("=")[::2] for item in hook["env"] or [])
    else:
        env = inherited_env()
    try:
        result = subprocess.run(hook.get("args") or [hook["path"]], executable=hook["path"],
                                input=state.encode(), env=env, capture_output=True,
                                timeout=hook.get("timeout"), cwd="/")
    except subprocess.TimeoutExpired:
        return f"timed out after {hook['timeout']} s"
    except OSError as exc:
        return exc.strerror or str(exc)
    if result.returncode == 0:
        return None
    said = result.stderr.decode(errors="replace").strip().splitlines()
    how = (f"killed by signal {-result.returncode}" if result.returncode < 0
           else f"exit status {result.returncode}")
    return how + (f": {said[-1]}" if said else "")


# What Python's start-up sets on its own in a C locale (PEP 538): LC_CTYPE.
_COERCED_LOCALES = ("C.UTF-8", "C.utf8", "UTF-8")
_AS_EXECED = "/proc/self/environ"


def inherited_env():
    """pyrunc's environment for a hook without `env`: os.environ, less the
    LC_CTYPE that Python's locale coercion added at start-up (runc's hooks
    get runc's environment exactly as it was run). /proc/self/environ holds
    the environment as exec'd, before Python changed anything."""
    env = dict(os.environ)
    if env.get("LC_CTYPE") in _COERCED_LOCALES:
        try:
            with open(_AS_EXECED, "rb") as f:
                given = f.read().split(b"\0")
        except OSError:
            return env
        if not any(item.startswith(b"LC_CTYPE=") for item in given):
            del env["LC_CTYPE"]
    return env
