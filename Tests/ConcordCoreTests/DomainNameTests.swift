import Testing

@testable import ConcordCore

@Suite struct DomainNameTests {
    @Test(arguments: [
        ("bücher", "bcher-kva"), ("münchen", "mnchen-3ya"), ("例え", "r8jz45g"), ("abc", "abc-"),
        ("ελληνικά", "hxargifdar"),
    ])
    func punycodeMatchesRFC3492(label: String, encoded: String) {
        #expect(Punycode.encode(label) == encoded)
    }

    @Test func normalisesCaseDotsAndUnicode() {
        #expect(DomainName("WWW.Example.")?.description == "www.example")
        #expect(DomainName("*.gov.example")?.description == "gov.example")
        #expect(DomainName("Bücher.example")?.description == "xn--bcher-kva.example")
        #expect(DomainName("例え。テスト")?.description == "xn--r8jz45g.xn--zckzah")
    }

    @Test(arguments: [
        "", "-bad.example", "bad-.example", "a..example", "sp ace.example",
        String(repeating: "a", count: 64) + ".example",
    ])
    func refusesMalformed(input: String) {
        #expect(DomainName(input) == nil)
    }

    @Test func suffixIndexPrefersTheLongestSuffix() {
        // setup
        let index = DomainSuffixIndex([(DomainName("example")!, "national"), (DomainName("gov.example")!, "gov")])
        // act
        let matches = index.matches(DomainName("Mail.GOV.example.")!)
        // validate
        #expect(matches.map(\.suffix.description) == ["gov.example", "example"])
        #expect(matches.map(\.values) == [["gov"], ["national"]])
        #expect(index.matches(DomainName("example.org")!).isEmpty)
        #expect(index.matches(DomainName("notexample")!).isEmpty)
    }

    @Test(arguments: ["300.1.1.1", "198.51.100.999", "198.51.100.1100", "999.1.1.1", "1.2.3", "example.123"])
    func aNameEndingInDigitsIsAMistypedAddressNotADomain(text: String) {
        guard case .failure(.numericTopLevel) = DomainName.parse(text) else {
            Issue.record("\(text) was accepted as a domain")
            return
        }
        #expect(Observable.detect(text) == nil)
    }

    @Test func namesWithDigitsElsewhereStayDomains() {
        #expect(DomainName("1password.example")?.description == "1password.example")
        #expect(DomainName("123.example")?.description == "123.example")
        #expect(DomainName("host-1.x9")?.description == "host-1.x9")
    }
}
