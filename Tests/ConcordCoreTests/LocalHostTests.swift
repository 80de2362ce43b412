import ConcordCore
import Testing

/// Which hosts are this machine: decides Secure cookies, HSTS, open /metrics and webhook refusals.
@Suite struct LocalHostTests {
    @Test(arguments: [
        "localhost", "LOCALHOST", "a.localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]", "0:0:0:0:0:0:0:1",
    ])
    func thisMachine(host: String) { #expect(LocalHost.isThisMachine(host)) }

    @Test(arguments: ["concord.forum.example", "0.0.0.0", "192.0.2.1", "::", "localhost.example", "128.0.0.1"])
    func elsewhere(host: String) { #expect(!LocalHost.isThisMachine(host)) }
}
