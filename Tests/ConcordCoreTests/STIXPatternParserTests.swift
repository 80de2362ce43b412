import ConcordCore
import Testing

/// STIX patterns: the standard's own examples (STIX 2.1 §9.9) parse; broken ones are refused with
/// the place where they go wrong.
@Suite struct STIXPatternParserTests {
    @Test(arguments: [
        "[ipv4-addr:value = '198.51.100.1/32']",
        "[ipv4-addr:value = '203.0.113.1' OR ipv4-addr:value = '203.0.113.2']",
        "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name LIKE 'pdf%']",
        "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32'] FOLLOWEDBY [domain-name:value = 'example.com'] WITHIN 600 SECONDS",
        "([file:name = 'foo.dll'] AND [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:name = 'fooproc' OR process:name = 'procfoo']",
        "[file:size > 1024 AND file:size <= 2048.5] REPEATS 5 TIMES",
        "[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']",
        "[ipv4-addr:value ISSUBSET '198.51.100.0/24' AND ipv4-addr:value NOT IN ('198.51.100.1', '198.51.100.2')]",
        "[file:mime_type = 'application/x-pdf' AND EXISTS file:extensions.'windows-pebinary-ext'] START t'2026-01-01T00:00:00Z' STOP t'2026-12-31T00:00:00Z'",
        "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=' OR artifact:payload_bin = h'48656c6c6f']",
        "[user-account:is_privileged = true]",
        "[network-traffic:src_port = -1]",
    ])
    func theStandardsExamplesParse(pattern: String) {
        #expect(
            STIXPatternParser.failure(in: pattern) == nil,
            "\(String(describing: STIXPatternParser.failure(in: pattern)))")
    }

    @Test(arguments: [
        ("ipv4-addr:value = '198.51.100.1'", 0),  // no brackets
        ("[ipv4-addr:value = '198.51.100.1'", 33),  // not closed
        ("[ipv4-addr:value == '198.51.100.1']", 18),
        ("[ipv4-addr:value = '198.51.100.1] ", 19),  // the string is not closed
        ("[ipv4-addr value = '1.2.3.4']", 11),
        ("[a:value = 'x']", 1),  // type names have three characters or more
        ("[file:name = 'x'] WITHIN SECONDS", 25),
        ("[file:name = 'x'] REPEATS 0 TIMES", 26),
        ("[file:name = 'x'] START t'2026-13-01T00:00:00Z' STOP t'2026-12-31T00:00:00Z'", 24),
        ("[file:name = 'x'] AND", 21),
        ("[file:name IN ()]", 15),
        ("[artifact:payload_bin = h'4']", 24),
        ("[file:name = 'a\\nb']", 15),
        ("[file:name LIKE 3]", 16),
    ])
    func brokenPatternsSayWhere(pattern: String, offset: Int) {
        let failure = STIXPatternParser.failure(in: pattern)
        #expect(failure?.offset == offset, "\(String(describing: failure))")
    }

    @Test func anIndicatorWithABrokenPatternIsRefused() throws {
        let json = STIXObjectValidatorTests.valid[0].replacingOccurrences(
            of: "[ipv4-addr:value = '198.51.100.7']", with: "[ipv4-addr:value = '198.51.100.7'")
        let problems = STIXObjectValidator.problems(try STIXObjectValidatorTests.object(json))
        #expect(problems.map(\.property) == ["pattern"] && problems[0].message.contains("character 33"))
    }
}
