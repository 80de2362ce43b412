import ConcordCore
import Testing

/// Which addresses a webhook may reach: public unicast only, unless the operator names a range.
@Suite struct OutboundAddressTests {
    @Test(arguments: ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "198.51.99.1", "172.32.0.1"])
    func publicAddressesMayBeReached(text: String) throws {
        #expect(OutboundAddress.mayConnect(to: try #require(IPAddress(text))))
    }

    @Test(arguments: [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
        "224.0.0.1", "255.255.255.255", "192.0.2.10", "::1", "::", "fe80::1", "fd00::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2001:db8::1",
    ])
    func inwardAndReservedAddressesMayNot(text: String) throws {
        #expect(!OutboundAddress.mayConnect(to: try #require(IPAddress(text))))
    }

    @Test func anOperatorRangeIsTheOnlyException() throws {
        let loopback = try #require(IPAddress("127.0.0.1"))
        let allowed = [try #require(IPPrefix("127.0.0.0/8"))]
        #expect(OutboundAddress.mayConnect(to: loopback, allowed: allowed))
        #expect(OutboundAddress.mayConnect(to: try #require(IPAddress("::ffff:127.0.0.1")), allowed: allowed))
        #expect(!OutboundAddress.mayConnect(to: try #require(IPAddress("10.0.0.1")), allowed: allowed))
    }
}
