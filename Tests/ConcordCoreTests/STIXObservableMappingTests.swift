import ConcordCore
import Testing

/// Incident observables as STIX observables, and the canonical JSON their ids are made of.
@Suite struct STIXObservableMappingTests {
    @Test(arguments: [
        ("198.51.100.7", "ipv4-addr", #"{"value":"198.51.100.7"}"#),
        ("198.51.100.0/24", "ipv4-addr", #"{"value":"198.51.100.0/24"}"#),
        ("2001:db8::1", "ipv6-addr", #"{"value":"2001:db8::1"}"#),
        ("AS64500", "autonomous-system", #"{"number":64500}"#),
        ("www.sg.example", "domain-name", #"{"value":"www.sg.example"}"#),
        ("http://c2.sg.example/gate.php", "url", #"{"value":"http://c2.sg.example/gate.php"}"#),
        ("abuse@sg.example", "email-addr", #"{"value":"abuse@sg.example"}"#),
        ("D41D8CD98F00B204E9800998ECF8427E", "file", #"{"hashes":{"MD5":"d41d8cd98f00b204e9800998ecf8427e"}}"#),
    ])
    func everyKindHasItsSCO(value: String, type: String, canonical: String) throws {
        let observable = try #require(Observable.detect(value))
        let observation = STIXObservableMapping.observation(of: observable)
        #expect(observation.type == type)
        #expect(observation.contributingText == canonical)
    }

    @Test func canonicalTextSortsByCodeUnitsAndEscapesMinimally() {
        let value: JSONValue = ["b": 1, "a": ["x\n\u{1}\"\\", true, .null], "A": .number(2.5), "é": "é"]
        #expect(value.canonicalText == #"{"A":2.5,"a":["x\n\u0001\"\\",true,null],"b":1,"é":"é"}"#)
    }
}
