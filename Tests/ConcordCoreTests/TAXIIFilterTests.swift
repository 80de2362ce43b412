import ConcordCore
import Testing

/// TAXII 2.1 URL filters, keyset cursors and media types: what a client may send, what is refused
/// with a message, and the orders paging relies on.
@Suite struct TAXIIFilterTests {
    @Test func filtersAreReadWithCommasAsOr() throws {
        let filter = try TAXIIFilter.parse(
            [
                "added_after": "2026-11-30T01:02:03.5Z", "limit": "7",
                "match[type]": "indicator,malware", "match[id]": "indicator--a", "match[spec_version]": "2.1",
                "match[version]": "first,2026-01-01T00:00:00Z",
            ], pageSize: 1000)
        #expect(filter.addedAfter == STIXTimestamp("2026-11-30T01:02:03.500000Z")?.microseconds)
        #expect(filter.limit == 7)
        #expect(filter.types == ["indicator", "malware"])
        #expect(filter.ids == ["indicator--a"])
        #expect(filter.specVersions == ["2.1"])
        #expect(filter.versions.first && !filter.versions.last && !filter.versions.all)
        #expect(filter.versions.exact == [STIXTimestamp("2026-01-01T00:00:00Z")!.microseconds])
    }

    @Test func theDefaultIsTheLastVersionAndTheServersPage() throws {
        let filter = try TAXIIFilter.parse([:], pageSize: 1000)
        #expect(filter.versions == .latest)
        #expect(filter.limit == 1000)
        #expect(try TAXIIFilter.parse(["limit": "5000"], pageSize: 1000).limit == 1000)
        #expect(try TAXIIFilter.parse([:], pageSize: 50, defaultVersions: .every).versions == .every)
    }

    @Test(arguments: [
        (["limit": "0"], "limit must be a positive integer"),
        (["limit": "ten"], "limit must be a positive integer"),
        (["added_after": "yesterday"], "added_after must be a timestamp"),
        (["match[version]": "newest"], "match[version] takes first, last, all or timestamps, not newest"),
        (["match[type]": "indicator,"], "match[type] has an empty value"),
        (["match[colour]": "red"], "this endpoint does not filter on match[colour]"),
        (["sort": "asc"], "unknown parameter sort"),
    ])
    func badFiltersAreRefusedWithAReason(query: [String: String], message: String) {
        #expect {
            try TAXIIFilter.parse(query, pageSize: 100)
        } throws: { error in
            (error as? TAXIIFilter.Problem)?.message.hasPrefix(message) == true
        }
    }

    @Test func anEndpointRefusesTheFiltersItDoesNotHave() {
        #expect(throws: TAXIIFilter.Problem.self) {
            try TAXIIFilter.parse(["match[type]": "indicator"], pageSize: 10, supported: ["version", "spec_version"])
        }
    }

    @Test func theCanonicalFormIgnoresOrderLimitAndCursor() throws {
        let one = try TAXIIFilter.parse(["match[type]": "malware,indicator", "limit": "3", "next": "x"], pageSize: 9)
        let two = try TAXIIFilter.parse(["match[type]": "indicator,malware"], pageSize: 9)
        let other = try TAXIIFilter.parse(["match[type]": "indicator"], pageSize: 9)
        #expect(one.canonical == two.canonical)
        #expect(one.canonical != other.canonical)
    }

    @Test func keysetPayloadsAreBoundToTheirQuery() {
        let keyset = TAXIIKeyset(dateAdded: 1_700_000_000_123_456, versionKey: "indicator--a|b/00000000000000000001")
        let payload = keyset.payload(binding: "abc")
        #expect(TAXIIKeyset.read(payload: payload, binding: "abc") == keyset)
        #expect(TAXIIKeyset.read(payload: payload, binding: "abd") == nil)
        #expect(TAXIIKeyset.read(payload: "2|1|abc|x", binding: "abc") == nil)
        #expect(TAXIIKeyset.read(payload: "1|1|abc|", binding: "abc") == nil)
    }

    @Test func versionKeysSortAsTheirNumbers() {
        let versions: [Int64] = [5, 40, 1_700_000_000_000_000, 300, 1_800_000_000_000_000]
        let keys = versions.map { TAXIIKeyset.versionKey(id: "indicator--x", version: $0) }
        #expect(keys.sorted() == versions.sorted().map { TAXIIKeyset.versionKey(id: "indicator--x", version: $0) })
    }

    @Test(
        arguments: [
            (nil, true), ("application/taxii+json;version=2.1", true), ("application/taxii+json", true),
            ("Application/TAXII+JSON; Version=\"2.1\"", true), ("*/*", true), ("text/html, application/*;q=0.5", true),
            ("application/taxii+json;version=2.0", false), ("application/json", false), ("text/html", false),
            ("application/taxii+json;version=2.1;q=0", false),
        ] as [(String?, Bool)])
    func acceptHeaders(header: String?, accepted: Bool) {
        #expect(TAXIIMediaType.accepts(header) == accepted)
    }

    @Test func onlyTAXIIEnvelopesArePosted() {
        #expect(TAXIIMediaType.isTAXIIBody("application/taxii+json;version=2.1"))
        #expect(TAXIIMediaType.isTAXIIBody("application/taxii+json; charset=utf-8"))
        #expect(!TAXIIMediaType.isTAXIIBody("application/json"))
        #expect(!TAXIIMediaType.isTAXIIBody("application/stix+json;version=2.1"))
        #expect(!TAXIIMediaType.isTAXIIBody(nil))
    }
}
