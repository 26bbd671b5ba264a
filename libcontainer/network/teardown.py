"""delete's safety net for run-image containers: whatever network lease a
container still holds (its poststop hook removed from the config, or
failed) is released; a container without one costs a stat."""
from libcontainer.network import leases


def release(state_root, container_id):
    store = leases.Leases(state_root)
    if not store.exists() or container_id not in store.read():
        return
    from libcontainer.network import hook
    hook.down(state_root, container_id)
