"""A bridge network for containers, set up by an OCI hook pyrunc ships
(`python3 -I -m runtime.network_hook`, see hook.py): createRuntime attaches the container's
network namespace to a bridge with a veth pair, an address, a default route
and port mappings; poststop undoes it.

The "host" is whatever network namespace the hook runs in (the runtime's):
the bridge, the NAT rules and ip_forward are made there.

    leases    the persistent address allocator and port registry (a file under --root)
    links     bridge, veth pair, address and route, through netlink (pyroute2)
    firewall  masquerade and port mappings with nftables (the `nft` command)
    hook      the hook's up and down, each undoing its own work on failure
    teardown  the release delete runs as a safety net (a removed or failed poststop)
"""
DEFAULT_BRIDGE = "pyrunc0"
DEFAULT_SUBNET = "10.77.0.0/24"
