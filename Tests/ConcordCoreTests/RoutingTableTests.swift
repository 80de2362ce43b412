import Testing

@testable import ConcordCore

@Suite struct RoutingTableTests {
    private let table = RoutingTable<String>(
        constituencies: [
            ("jpcert", .prefix(IPPrefix("203.0.113.0/24")!)), ("sector", .prefix(IPPrefix("203.0.113.0/25")!)),
            ("jpcert", .asn(ASNumber("AS64496")!)), ("jpcert", .domain(DomainName("jp.example")!)),
            ("sector", .domain(DomainName("bank.jp.example")!)), ("jpcert", .economy("JP")),
        ],
        secretariat: ["secretariat"])

    @Test func ipMatchesMostSpecificFirstWithReasons() {
        let matches = table.route(RoutingQuery("203.0.113.7")!)
        #expect(matches.map(\.team) == ["sector", "jpcert"])
        #expect(matches.map(\.reason.description) == ["in 203.0.113.0/25", "in 203.0.113.0/24"])
    }

    @Test func asnAndDomain() {
        #expect(table.route(RoutingQuery("AS64496")!).map(\.team) == ["jpcert"])
        #expect(table.route(RoutingQuery("www.BANK.jp.example.")!).map(\.team) == ["sector", "jpcert"])
    }

    @Test func fallsBackToNationalTeamThenSecretariat() {
        let unmatched = RoutingQuery("198.51.100.1")!
        #expect(table.route(unmatched, economy: "JP").map(\.reason) == [.nationalTeam(economy: "JP")])
        #expect(table.route(unmatched, economy: "KR").map(\.team) == ["secretariat"])
        #expect(table.route(unmatched).map(\.reason) == [.secretariat])
    }

    /// The feed import's shortcut answers the head of the full list, or nothing when it is empty.
    @Test(arguments: [
        "203.0.113.7", "203.0.113.200", "198.51.100.1", "AS64496", "AS64497", "www.bank.jp.example", "jp.example",
        "other.example", "  203.0.113.1 ",
    ])
    func mostSpecificTeamIsTheFirstDirectMatch(text: String) throws {
        let query = try #require(RoutingQuery(text))
        #expect(table.mostSpecificTeam(query) == table.directMatches(query).first?.team)
    }

    @Test func queryKinds() {
        #expect(RoutingQuery("64500") == .asn(ASNumber(value: 64500)!))
        #expect(RoutingQuery("2001:db8::1") == .ip(IPAddress("2001:db8::1")!))
        #expect(RoutingQuery("mail.example") == .domain(DomainName("mail.example")!))
        #expect(RoutingQuery("not a thing") == nil)
    }

    /// A refused lookup value says what it is not, as the person meant it.
    @Test(arguments: [
        ("300.1.1.1", "'300.1.1.1' is not an IPv4 address: each of its four numbers is 0 to 255"),
        ("198.51.100.999", "'198.51.100.999' is not an IPv4 address: each of its four numbers is 0 to 255"),
        ("2001:db8::g", "'2001:db8::g' is not an IPv6 address"),
    ])
    func refusalsNameWhatTheValueIsNot(value: String, refusal: String) {
        #expect(RoutingQuery(value) == nil)
        #expect(RoutingQuery.refusal(value) == refusal)
    }
}
