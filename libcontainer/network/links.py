"""Bridge, veth pair, address and default route, through netlink (pyroute2).

The host end of the pair is named after the container (vp + 8 hex digits
of its id's hash: interface names have at most 15 bytes); the other end is
made directly in the container's network namespace, as eth0."""
import hashlib
import os

from libcontainer import errors

IP_FORWARD = "/proc/sys/net/ipv4/ip_forward"


def _iproute(**kwargs):
    try:
        from pyroute2 import IPRoute
    except ImportError:
        raise errors.PyruncError("network: pyroute2 is not installed "
                                 "(pip install pyroute2)") from None
    return IPRoute(**kwargs)


def host_veth_name(container_id):
    return "vp" + hashlib.sha256(container_id.encode()).hexdigest()[:8]


def ensure_bridge(name, gateway, prefix):
    """The bridge, up, with the gateway address; forwarding on (this
    namespace's: /proc/sys/net follows the reader's network namespace)."""
    with _iproute() as ipr:
        found = ipr.link_lookup(ifname=name)
        if not found:
            ipr.link("add", ifname=name, kind="bridge")
            found = ipr.link_lookup(ifname=name)
        index = found[0]
        if _kind(ipr, index) != "bridge":
            raise errors.PyruncError(f"network: {name} exists and is not a bridge")
        addresses = {a.get_attr("IFA_ADDRESS") for a in ipr.get_addr(index=index)}
        if gateway not in addresses:
            ipr.addr("add", index=index, address=gateway, prefixlen=prefix)
        ipr.link("set", index=index, state="up")
    with open(IP_FORWARD, "w") as f:
        f.write("1")


def _kind(ipr, index):
    info = ipr.get_links(index)[0].get_attr("IFLA_LINKINFO")
    return info.get_attr("IFLA_INFO_KIND") if info else None


def attach(container_id, pid, bridge, lease):
    """A veth pair from the bridge into the network namespace of `pid`,
    configured there. Returns the host end's name."""
    veth = host_veth_name(container_id)
    netns = f"/proc/{pid}/ns/net"
    fd = os.open(netns, os.O_RDONLY | os.O_CLOEXEC)
    try:
        with _iproute() as ipr:
            master = ipr.link_lookup(ifname=bridge)[0]
            ipr.link("add", ifname=veth, kind="veth", peer={"ifname": "eth0", "net_ns_fd": fd})
            index = ipr.link_lookup(ifname=veth)[0]
            ipr.link("set", index=index, master=master, state="up")
    finally:
        os.close(fd)
    with _iproute(netns=netns) as ipr:
        eth0 = ipr.link_lookup(ifname="eth0")[0]
        ipr.addr("add", index=eth0, address=lease["address"], prefixlen=lease["prefix"])
        ipr.link("set", index=eth0, state="up")
        ipr.link("set", index=ipr.link_lookup(ifname="lo")[0], state="up")
        ipr.route("add", dst="default", gateway=lease["gateway"])
    return veth


def detach(container_id):
    """Delete the host end (and so the pair) if it still exists: it goes by
    itself when the container's namespace dies."""
    with _iproute() as ipr:
        found = ipr.link_lookup(ifname=host_veth_name(container_id))
        if found:
            ipr.link("del", index=found[0])
