/// Which addresses Concord may connect to on a member's behalf (webhooks now, federation peers
/// later): public unicast only. Loopback, private (RFC 1918, unique-local), shared (100.64/10),
/// link-local (cloud metadata at 169.254.169.254 among it), multicast, reserved, documentation and
/// benchmarking ranges are refused, and an IPv4-mapped IPv6 address is judged as its IPv4 address,
/// so a webhook cannot make the server reach into its own network (server-side request forgery).
public enum OutboundAddress {
    /// The ranges that are never a public destination.
    public static let nonPublic: [IPPrefix] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
        "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10",
        "fec0::/10", "ff00::/8",
    ].map { IPPrefix($0)! }

    private static let mappedIPv4 = IPPrefix("::ffff:0:0/96")!

    /// Whether `address` is a public unicast address, or lies in one of `allowed` (the operator's
    /// explicit exceptions, such as a test receiver on loopback).
    public static func mayConnect(to address: IPAddress, allowed: [IPPrefix] = []) -> Bool {
        let judged = mappedIPv4.contains(address) ? IPAddress(v4: UInt32(truncatingIfNeeded: address.low)) : address
        if allowed.contains(where: { $0.contains(judged) || $0.contains(address) }) { return true }
        return !nonPublic.contains { $0.contains(judged) }
    }
}
