import Foundation
import Testing

@testable import ConcordCore

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try Array(text.utf8).withUnsafeBytes { try JSONParser.parse($0) }
    }

    private func failure(_ bytes: [UInt8]) -> JSONParser.Failure? {
        do {
            _ = try bytes.withUnsafeBytes { try JSONParser.parse($0) }
            return nil
        } catch let error as JSONParser.Failure {
            return error
        } catch {
            Issue.record("not a JSONParser.Failure: \(error)")
            return nil
        }
    }

    @Test func readsEveryKindOfValue() throws {
        // setup
        let text = #"""
            { "s": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00", "i": -42, "big": 9223372036854775808, "d": 1.5e3,
              "z": 0, "t": true, "f": false, "n": null, "a": [1, "x", [], {}], "o": {"k": [null]} }
            """#
        // act
        let value = try parse(text)
        // validate
        let expected: JSONValue = [
            "s": "a\"b\\c/d\n\té😀", "i": -42, "big": .number(9_223_372_036_854_775_808), "d": .number(1500),
            "z": 0, "t": true, "f": false, "n": .null, "a": [1, "x", [], [:]], "o": ["k": [.null]],
        ]
        #expect(value == expected)
    }

    /// Random documents written by Foundation's encoder read back to the same value.
    @Test func agreesWithFoundationOnRandomDocuments() throws {
        var generator = SplitMix64(seed: 0x5EED)
        let encoder = JSONEncoder()
        for _ in 0..<300 {
            // setup
            let original = randomValue(depth: 0, using: &generator)
            let text = String(decoding: try encoder.encode(original), as: UTF8.self)
            // act / validate
            #expect(try parse(text) == original, "\(text)")
        }
    }

    @Test(arguments: [
        (#"{"a": 1, "b": {"c": 2, "c": 3}}"#, "the key \"c\" is repeated"),
        ("[1, 2", "expected , or ] in an array"),
        (#"{"a" 1}"#, "expected : after a key"),
        ("01", "more text after the JSON value"),
        ("1.", "a fraction needs digits"),
        ("-", "a number needs digits"),
        ("1e400", "a number out of range"),
        ("tru", "unexpected character"),
        (#""\ud800""#, "a lone surrogate escape"),
        (#""\x""#, "an unknown escape \\x"),
        ("\"a\u{01}b\"", "a control character inside a string"),
        (#""abc"#, "the string does not end"),
        ("{} {}", "more text after the JSON value"),
        ("", "the text ends where a value should be"),
    ])
    func refusesWhatIsNotStrictJSON(text: String, reason: String) {
        #expect(failure(Array(text.utf8))?.reason == reason)
    }

    @Test func refusesBytesThatAreNotUTF8AndDeepNesting() {
        #expect(failure([0x22, 0xC3, 0x28, 0x22])?.reason == "a string that is not UTF-8")
        #expect(failure([0x22, 0x5C, 0x6E, 0xFF, 0x22])?.reason == "a string that is not UTF-8")
        let deep =
            String(repeating: "[", count: JSONParser.maximumDepth + 1)
            + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(failure(Array(deep.utf8))?.reason == "nested deeper than \(JSONParser.maximumDepth)")
        let allowed =
            String(repeating: "[", count: JSONParser.maximumDepth)
            + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(failure(Array(allowed.utf8)) == nil)
    }

    @Test func anEnvelopeKeepsEachElementsText() throws {
        // setup
        let first = #"{"type": "indicator", "name": "caf\u00e9"}"#
        let second = "{\"type\":\"note\",\n \"content\": \"é\"}"
        let text = " {\"more\": false, \"objects\": [ \(first) ,\(second)], \"next\": \"x\"} "
        // act
        let envelope = try Array(text.utf8).withUnsafeBytes { try JSONParser.envelope($0, listing: "objects") }
        // validate
        #expect(envelope.members == ["more": false, "next": "x"])
        #expect(envelope.elements?.map(\.text) == [first, second])
        #expect(
            envelope.elements?.map(\.value) == [
                ["type": "indicator", "name": "café"], ["type": "note", "content": "é"],
            ])
    }

    @Test func anEnvelopeWithoutTheListOrWithItTwice() throws {
        func envelope(_ text: String) throws -> JSONParser.Envelope {
            try Array(text.utf8).withUnsafeBytes { try JSONParser.envelope($0, listing: "objects") }
        }
        let notAList = try envelope(#"{"objects": {"a": 1}}"#)
        #expect(notAList.elements == nil)
        #expect(notAList.members["objects"] == ["a": 1])
        #expect(try envelope("{}").elements == nil)
        #expect(throws: JSONParser.Failure.self) { try envelope(#"{"objects": [], "objects": []}"#) }
        #expect(throws: JSONParser.Failure.self) { try envelope("[]") }
    }

    private func randomValue(depth: Int, using generator: inout SplitMix64) -> JSONValue {
        let kind = Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &generator)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &generator))
        case 3: return .number(Double.random(in: -1e6...1e6, using: &generator).rounded() + 0.25)
        case 4: return .string(randomString(using: &generator))
        case 5:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                members[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }

    private func randomString(using generator: inout SplitMix64) -> String {
        let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\u{01}", "é", "中", "😀", "\u{7F}"]
        return String(
            (0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

@Suite struct JSONTextTests {
    @Test func quotedStringsReadBackAsTheyWere() throws {
        var generator = SplitMix64(seed: 7)
        let alphabet: [Character] = [
            "a", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "é", "😀",
        ]
        for _ in 0..<200 {
            // setup
            let text = String(
                (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            // act
            let quoted = JSONText.quoted(text)
            // validate
            #expect(try Array(quoted.utf8).withUnsafeBytes { try JSONParser.parse($0) } == .string(text))
        }
        #expect(JSONText.quoted("a/b\u{01}\"") == #""a/b\u0001\"""#)
    }
}
