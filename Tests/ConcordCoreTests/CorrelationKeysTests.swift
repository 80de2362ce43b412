import ConcordCore
import Testing

/// Correlation keys: the same fact gives the same key however a producer wrote it.
@Suite struct CorrelationKeysTests {
    @Test func patternsGiveTheirComparedValues() {
        let indicator: JSONValue = [
            "type": "indicator", "pattern_type": "stix",
            "pattern":
                "[ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'WWW.SG.Example'] AND [file:hashes.'SHA-256' = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'] AND [autonomous-system:number = 64500] AND [file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e'] AND [url:value = 'http://a.sg.example/it\\'s']",
        ]
        #expect(
            CorrelationKeys.keys(ofSTIX: indicator.object ?? [:]) == [
                "ip-address:198.51.100.7", "domain:www.sg.example",
                "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "asn:AS64500",
                "md5:d41d8cd98f00b204e9800998ecf8427e", "url:http://a.sg.example/it's",
            ])
    }

    @Test func observablesAndIncidentValuesShareKeys() throws {
        let sco: JSONValue = ["type": "ipv6-addr", "value": "2001:DB8::1"]
        let incident = try #require(Observable.detect("2001:db8:0::1"))
        #expect(CorrelationKeys.keys(ofSTIX: sco.object ?? [:]) == [CorrelationKeys.key(of: incident)])
        let asn: JSONValue = ["type": "autonomous-system", "number": 64500]
        #expect(
            CorrelationKeys.keys(ofSTIX: asn.object ?? [:]) == [
                CorrelationKeys.key(of: try #require(Observable.detect("AS64500")))
            ])
    }

    @Test func rangesAndOtherPatternLanguagesGiveNothing() {
        let range: JSONValue = [
            "type": "indicator", "pattern_type": "stix", "pattern": "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
        ]
        let sigma: JSONValue = [
            "type": "indicator", "pattern_type": "sigma", "pattern": "ipv4-addr:value = '198.51.100.7'",
        ]
        #expect(CorrelationKeys.keys(ofSTIX: range.object ?? [:]).isEmpty)
        #expect(CorrelationKeys.keys(ofSTIX: sigma.object ?? [:]).isEmpty)
    }
}
