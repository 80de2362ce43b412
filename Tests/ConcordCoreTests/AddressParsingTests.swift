import Testing

@testable import ConcordCore

@Suite struct AddressParsingTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"), ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"), ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("::", "::"), (" 198.51.100.255 ", "198.51.100.255"),
    ])
    func parsesAndPrintsCanonically(input: String, canonical: String) {
        #expect(IPAddress(input)?.description == canonical)
    }

    @Test(arguments: ["", "256.1.1.1", "1.2.3", "2001:db8::1::2", "example.org", "fe80::1%eth0", "1.2.3.4.5"])
    func refusesGarbage(input: String) {
        #expect(IPAddress(input) == nil)
    }

    @Test func prefixesAreStrictAboutHostBits() {
        // setup / act
        let result = IPPrefix.parse("203.0.113.7/24")
        // validate
        #expect(result == .failure(.hostBitsSet(suggestion: "203.0.113.0/24")))
        #expect(IPPrefix("203.0.113.0/25")?.length == 25)
        #expect(IPPrefix("2001:db8::/32")?.description == "2001:db8::/32")
        #expect(IPPrefix("192.0.2.1")?.length == 32)
        #expect(IPPrefix.parse("192.0.2.0/33") == .failure(.badLength("33")))
        #expect(IPPrefix.parse("192.0.2.0/-1") == .failure(.badLength("-1")))
        #expect(IPPrefix.parse("nonsense/8") == .failure(.notAnAddress("nonsense")))
    }

    @Test func prefixContainment() {
        let prefix = IPPrefix("203.0.113.0/25")!
        #expect(prefix.contains(IPAddress("203.0.113.127")!))
        #expect(!prefix.contains(IPAddress("203.0.113.128")!))
        #expect(!prefix.contains(IPAddress("::ffff:203.0.113.1")!))
        #expect(prefix.lastAddress.description == "203.0.113.127")
        #expect(IPPrefix("2001:db8::/33")!.lastAddress.description == "2001:db8:7fff:ffff:ffff:ffff:ffff:ffff")
    }

    @Test func asNumbers() {
        #expect(ASNumber("AS64496")?.value == 64496)
        #expect(ASNumber("64511")?.description == "AS64511")
        #expect(ASNumber("4294967294") != nil)
        #expect(ASNumber("4294967295") == nil)
        #expect(ASNumber("0") == nil)
        #expect(ASNumber("AS-1") == nil)
        #expect(ASNumber("99999999999") == nil)
    }

    /// White space at either end is dropped (tabs, no-break spaces, line ends); inside, it stays.
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"), ("\t192.0.2.1 ", "192.0.2.1"), ("\u{00A0}AS64500\r\n", "AS64500"),
        ("  ", ""), ("", ""), ("a b", "a b"), (" é ", "é"), ("é", "é"),
    ])
    func trimmingSpaces(text: String, trimmed: String) {
        #expect(text.trimmingSpaces == trimmed)
    }
}
