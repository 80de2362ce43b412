import ConcordCore
import Foundation
import Testing

/// STIX 2.1 objects on the way into the store: valid objects of every kind pass; each broken rule is
/// reported against its property; identifiers, timestamps and TLP markings read as the standard says.
@Suite struct STIXObjectValidatorTests {
    static let identity = "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"
    static let green = TLPMarking.id(of: .green)

    static func object(_ json: String) throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: Data(json.utf8))
    }

    /// One valid object of each kind Concord handles most: SDO, SRO, SCO, meta.
    static let valid = [
        """
        {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
         "created":"2026-11-22T10:00:00.000Z","modified":"2026-11-22T10:00:00.000Z","created_by_ref":"\(identity)",
         "name":"C2","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix",
         "valid_from":"2026-11-22T10:00:00Z","object_marking_refs":["\(green)"],"confidence":80,"labels":["c2"]}
        """,
        """
        {"type":"observed-data","spec_version":"2.1","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",
         "created":"2026-11-22T10:00:00.000Z","modified":"2026-11-22T10:00:00.000Z",
         "first_observed":"2026-11-21T00:00:00Z","last_observed":"2026-11-22T00:00:00Z","number_observed":3,
         "object_refs":["ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"]}
        """,
        #"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.7"}"#,
        #"{"type":"autonomous-system","spec_version":"2.1","id":"autonomous-system--f720c34b-98ae-597f-ade5-27ef6e8b9f3d","number":64500}"#,
        """
        {"type":"relationship","spec_version":"2.1","id":"relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad",
         "created":"2026-11-22T10:00:00.000Z","modified":"2026-11-22T10:00:00.000Z","relationship_type":"indicates",
         "source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
         "target_ref":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"}
        """,
        """
        {"type":"report","spec_version":"2.1","id":"report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3",
         "created":"2026-11-22T10:00:00.000Z","modified":"2026-11-22T10:00:00.000Z","name":"INC-2026-000123",
         "published":"2026-11-22T10:00:00Z","object_refs":["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]}
        """,
        """
        {"type":"marking-definition","spec_version":"2.1","id":"\(green)","created":"2022-10-01T00:00:00.000Z",
         "name":"TLP:GREEN","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":
         {"extension_type":"property-extension","tlp_2_0":"green"}}}
        """,
        """
        {"type":"x-forum-drill","spec_version":"2.1","id":"x-forum-drill--5c7a0e2b-6a8f-4d3e-9c1b-2f4e6a8b0c1d",
         "created":"2026-11-22T10:00:00.000Z","modified":"2026-11-22T10:00:00.000Z","anything":{"goes":[1,2]}}
        """,
    ]

    @Test func validObjectsOfEveryKindPass() throws {
        for json in Self.valid {
            let problems = STIXObjectValidator.problems(try Self.object(json))
            #expect(problems.isEmpty, "\(problems) in \(json.prefix(60))")
        }
    }

    @Test(arguments: [
        ("type", #""type":"indicator""#, #""type":"Indicator""#),
        ("id", #""id":"indicator--8e2e2d2b"#, #""id":"malware--8e2e2d2b"#),
        ("id", #"4cbf-938f"#, #"1cbf-938f"#),  // a version 1 UUID
        ("spec_version", #""spec_version":"2.1""#, #""spec_version":"2.0""#),
        ("created", #""created":"2026-11-22T10:00:00.000Z""#, #""created":"2026-11-22t10:00:00.000z""#),
        ("modified", #""modified":"2026-11-22T10:00:00.000Z""#, #""modified":"2026-11-21T10:00:00.000Z""#),
        ("pattern_type", #""pattern_type":"stix","#, ""),
        ("valid_from", #""valid_from":"2026-11-22T10:00:00Z""#, #""valid_from":"2026-02-30T10:00:00Z""#),
        ("created_by_ref", #""created_by_ref":"identity--"#, #""created_by_ref":"malware--"#),
        (
            "object_marking_refs", #""object_marking_refs":["marking-definition--"#,
            #""object_marking_refs":["identity--"#
        ),
        ("confidence", #""confidence":80"#, #""confidence":101"#),
        ("labels", #""labels":["c2"]"#, #""labels":[2]"#),
    ])
    func eachBrokenRuleNamesItsProperty(property: String, from: String, to: String) throws {
        let json = Self.valid[0].replacingOccurrences(of: from, with: to)
        #expect(json != Self.valid[0], "the mutation applies")
        let problems = STIXObjectValidator.problems(try Self.object(json))
        #expect(problems.map(\.property).contains(property), "\(problems)")
    }

    @Test func observablesAndRangesAreChecked() throws {
        let wrongFamily = try Self.object(
            #"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"2001:db8::1"}"#)
        let badAS = try Self.object(
            #"{"type":"autonomous-system","id":"autonomous-system--f720c34b-98ae-597f-ade5-27ef6e8b9f3d","number":-1}"#)
        let observed = try Self.object(
            Self.valid[1].replacingOccurrences(of: #""number_observed":3"#, with: #""number_observed":0"#)
                .replacingOccurrences(of: #""last_observed":"2026-11-22"#, with: #""last_observed":"2026-11-20"#))
        #expect(STIXObjectValidator.problems(wrongFamily).map(\.property) == ["value"])
        #expect(STIXObjectValidator.problems(badAS).map(\.property) == ["number"])
        #expect(Set(STIXObjectValidator.problems(observed).map(\.property)) == ["number_observed", "last_observed"])
        #expect(STIXObjectValidator.problems(["id": .string("x")]).map(\.property) == ["type"])
    }

    @Test func identifiersAndTimestampsReadAsTheStandardSays() {
        #expect(STIXIdentifier("x-acme-thing--6ba7b810-9dad-41d1-80b4-00c04fd430c8")?.type == "x-acme-thing")
        #expect(STIXIdentifier("in--6ba7b810-9dad-41d1-80b4-00c04fd430c8") == nil, "types have 3 characters or more")
        #expect(STIXIdentifier("indicator-6ba7b810-9dad-41d1-80b4-00c04fd430c8") == nil)
        #expect(STIXIdentifier("bad-type---6ba7b810-9dad-41d1-80b4-00c04fd430c8") == nil)
        let time = STIXTimestamp("2026-11-22T10:00:00.1234567Z")
        #expect(time?.description == "2026-11-22T10:00:00.123456Z", "kept to the microsecond")
        #expect(STIXTimestamp("2026-11-22T10:00:00Z")?.microseconds == 1_795_341_600_000_000)
        #expect(STIXTimestamp("2026-11-22T10:00:00+00:00") == nil && STIXTimestamp("2026-11-22T10:00:00.Z") == nil)
        #expect(STIXTimestamp("1969-12-31T23:59:59.5Z")?.description == "1969-12-31T23:59:59.500000Z")
    }

    @Test func anObjectCarriesOneTLPLabel() {
        #expect(TLPMarking.read([TLPMarking.id(of: .amberStrict)]) == .label(.amberStrict))
        #expect(TLPMarking.read(["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"]) == .label(.clear))
        #expect(TLPMarking.read([TLPMarking.id(of: .red), TLPMarking.id(of: .green)]) == .conflicting([.green, .red]))
        #expect(TLPMarking.read([TLPMarking.id(of: .green), Self.green.uppercased()]) == .label(.green))
        #expect(
            TLPMarking.read(["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Self.green]) == .label(.green))
        #expect(TLPMarking.read([]) == .missing)
        #expect(Set(TLPLabel.allCases.map(TLPMarking.id(of:))).count == 5)
    }
}
