"""The network hook's two halves, run by pyrunc as OCI hooks with the
container's state on stdin (runtime/network_hook.py is its command line):

    up    (createRuntime)  lease an address, check the ports, attach, map ports
    down  (poststop)       unmap, detach, release the lease

Each step of `up` is undone if a later one fails, so a failed create
leaves no lease, veth or rule behind."""
from libcontainer import errors
from libcontainer.network import firewall, leases, links


def up(state_root, container_id, pid, bridge, subnet, ports):
    store = leases.Leases(state_root)
    with store.locked():
        table = store.read()
        lease = leases.allocate(table, container_id, bridge, subnet, ports)
        store.write(table)
        try:
            _connect(container_id, pid, bridge, lease)
        except BaseException:
            _undo_quietly(container_id)
            table.pop(container_id, None)
            store.write(table)
            raise
    return lease


def _connect(container_id, pid, bridge, lease):
    if lease["ports"] and not firewall.available():
        raise errors.PyruncError("-p: port mappings need nftables (the nft command)")
    links.ensure_bridge(bridge, lease["gateway"], lease["prefix"])
    links.attach(container_id, pid, bridge, lease)
    if firewall.available():
        firewall.ensure_masquerade(bridge, lease["subnet"])
        firewall.map_ports(container_id, lease["address"], lease["ports"])


def _undo_quietly(container_id):
    """Best effort: the error that got us here is the one to report."""
    try:
        _disconnect(container_id)
    except Exception:
        pass


def _disconnect(container_id):
    if firewall.available():
        firewall.unmap_ports(container_id)
    links.detach(container_id)


def down(state_root, container_id):
    """Undo up; a container without a lease is not an error (delete may
    run this twice: as the poststop hook and as its own safety net)."""
    store = leases.Leases(state_root)
    if not store.exists():
        return None
    with store.locked():
        table = store.read()
        if container_id not in table:
            return None
        _disconnect(container_id)
        lease = table.pop(container_id)
        store.write(table)
    return lease
