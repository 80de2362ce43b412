/// Names and addresses of this machine: `localhost` and its subdomains (RFC 6761), the IPv4
/// loopback range and `::1`, with or without the brackets of a URL.
public enum LocalHost {
    private static let loopbackV4 = IPPrefix("127.0.0.0/8")!
    private static let loopbackV6 = IPPrefix("::1/128")!

    /// Whether `host` (a name or an address) reaches only this machine.
    public static func isThisMachine(_ host: String) -> Bool {
        var bare = host.lowercased()
        if bare.hasPrefix("["), bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
        if bare == "localhost" || bare.hasSuffix(".localhost") { return true }
        guard let address = IPAddress(bare) else { return false }
        return loopbackV4.contains(address) || loopbackV6.contains(address)
    }
}
