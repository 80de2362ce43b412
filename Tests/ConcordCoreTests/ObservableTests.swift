import Testing

@testable import ConcordCore

@Suite struct ObservableTests {
    @Test(arguments: [
        ("203.0.113.7", Observable.Kind.ipAddress, "203.0.113.7"), ("2001:DB8::1", .ipAddress, "2001:db8::1"),
        ("198.51.100.0/24", .ipPrefix, "198.51.100.0/24"), ("as64496", .asn, "AS64496"),
        ("Mail.Example.", .domain, "mail.example"),
        ("HTTPS://Evil.Example/path?q=1", .url, "https://evil.example/path?q=1"),
        ("Phish@Bank.Example", .email, "Phish@bank.example"),
        ("D41D8CD98F00B204E9800998ECF8427E", .md5, "d41d8cd98f00b204e9800998ecf8427e"),
        ("da39a3ee5e6b4b0d3255bfef95601890afd80709", .sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        (
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", .sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        ),
    ])
    func parsesAndNormalises(input: String, kind: Observable.Kind, normalised: String) throws {
        let observable = try Observable.parse(input, as: kind).get()
        #expect(observable.description == normalised)
        #expect(observable.kind == kind)
        #expect(Observable.detect(input) == observable, "detection finds the same")
    }

    @Test(arguments: [
        ("203.0.113.256", Observable.Kind.ipAddress), ("203.0.113.7/24", .ipPrefix), ("AS0", .asn),
        ("localhost", .domain),
        ("javascript:alert(1)", .url), ("http://", .url), ("nobody@", .email), ("abc", .md5),
        ("zz" + String(repeating: "0", count: 38), .sha1),
    ])
    func refusesMalformed(input: String, kind: Observable.Kind) {
        guard case .failure(let error) = Observable.parse(input, as: kind) else {
            Issue.record("\(input) was accepted as \(kind)")
            return
        }
        #expect(!error.description.isEmpty)
    }

    @Test func routingQueries() throws {
        #expect(
            try Observable.parse("198.51.100.0/25", as: .ipPrefix).get().routingQuery == RoutingQuery("198.51.100.0"))
        #expect(
            try Observable.parse("http://[2001:db8::5]:8080/x", as: .url).get().routingQuery
                == RoutingQuery("2001:db8::5"))
        #expect(
            try Observable.parse("https://www.bank.example/login", as: .url).get().routingQuery
                == RoutingQuery("www.bank.example"))
        #expect(
            try Observable.parse("x@mail.gov.example", as: .email).get().routingQuery
                == RoutingQuery("mail.gov.example"))
        #expect(try Observable.parse("d41d8cd98f00b204e9800998ecf8427e", as: .md5).get().routingQuery == nil)
    }

    @Test func rsitClassifications() {
        #expect(RSITClassification("Malicious-Code/C2-Server")?.description == "malicious-code/c2-server")
        #expect(RSITClassification("intrusion-attempts/brute-force") != nil)
        #expect(RSITClassification("vulnerable/vulnerable-system") != nil)
        #expect(RSITClassification("malicious-code/brute-force") == nil)
        #expect(RSITClassification("attribution/nation-state") == nil)
        #expect(RSITClassification("malicious-code") == nil)
        #expect(RSITClassification.taxonomies.count == 11)
    }
}
