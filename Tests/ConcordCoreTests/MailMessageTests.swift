import Foundation
import Testing

@testable import ConcordCore

@Suite struct MailMessageTests {
    @Test func asciiTextGoesSevenBitInCanonicalFormWithoutTrailingWhiteSpace() {
        let entity = MIMEEntity.plainText("TLP:AMBER  \nline two\t\n")
        #expect(entity.fields.map(\.value) == ["text/plain; charset=utf-8", "7bit"])
        #expect(entity.body == "TLP:AMBER\r\nline two\r\n")
        #expect(
            entity.text
                == "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nTLP:AMBER\r\nline two\r\n"
        )
    }

    @Test func nonASCIITextGoesBase64InLinesOf76() throws {
        let text = String(repeating: "東京の観測 ", count: 20)
        let entity = MIMEEntity.plainText(text)
        #expect(entity.fields.last?.value == "base64")
        let lines = entity.body.components(separatedBy: "\r\n")
        #expect(lines.dropLast().allSatisfy { $0.count == 76 } && (lines.last?.count ?? 0) <= 76)
        let decoded = try #require(Data(base64Encoded: lines.joined()))
        #expect(String(decoding: decoded, as: UTF8.self) == text.trimmingCharacters(in: .init(charactersIn: " ")))
    }

    @Test func subjectsAreEncodedWordsOnlyWhenTheyNeedToBe() throws {
        #expect(MailMessage.encodedWords("[TLP:GREEN] INC-2026-000001") == "[TLP:GREEN] INC-2026-000001")
        let encoded = MailMessage.encodedWords(String(repeating: "インシデント", count: 6))
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(
            words.count > 1 && words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        let decoded = try words.map { word in
            try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
        }
        #expect(decoded.map { String(decoding: $0, as: UTF8.self) }.joined() == String(repeating: "インシデント", count: 6))
    }

    @Test func aMessageHasItsHeadersInOrderAndAStableMessageID() {
        let message = MailMessage(
            from: "Concord <concord@forum.example>", to: ["cert@sg.example"], subject: "[TLP:CLEAR] test",
            date: Date(timeIntervalSince1970: 1_795_000_000), messageID: "abc@forum.example",
            content: .plainText("hello"))
        let text = message.text
        #expect(
            text.hasPrefix(
                "From: Concord <concord@forum.example>\r\nTo: cert@sg.example\r\nSubject: [TLP:CLEAR] test\r\n"))
        #expect(
            text.contains(
                "\r\nDate: Wed, 18 Nov 2026 11:06:40 +0000\r\nMessage-ID: <abc@forum.example>\r\nMIME-Version: 1.0\r\n")
        )
        #expect(text.hasSuffix("\r\n\r\nhello\r\n"))
    }

    @Test func signedAndEncryptedBodiesFollowRFC3156() {
        let inner = MIMEEntity.plainText("x")
        let signed = MIMEEntity.signed(
            inner, armoredSignature: "-----BEGIN PGP SIGNATURE-----\nAA\n-----END PGP SIGNATURE-----\n", boundary: "b1")
        #expect(
            signed.fields[0].value.contains(
                "multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\""))
        #expect(
            signed.body.contains("\r\n--b1\r\n" + inner.text + "\r\n--b1\r\nContent-Type: application/pgp-signature"))
        #expect(
            signed.body.contains("-----BEGIN PGP SIGNATURE-----\r\nAA\r\n-----END PGP SIGNATURE-----\r\n--b1--\r\n"))
        let encrypted = MIMEEntity.encrypted(
            armoredMessage: "-----BEGIN PGP MESSAGE-----\nBB\n-----END PGP MESSAGE-----", boundary: "b2")
        #expect(
            encrypted.fields[0].value == "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b2\"")
        #expect(encrypted.body.contains("--b2\r\nContent-Type: application/pgp-encrypted\r\n"))
        #expect(encrypted.body.contains("Version: 1\r\n"))
        #expect(encrypted.body.hasSuffix("-----END PGP MESSAGE-----\r\n--b2--\r\n"))
    }

    @Test func retriesBackOffExponentiallyUpToTheCeilingThenGiveUp() {
        let policy = RetryPolicy(first: 30, ceiling: 100, maxAttempts: 4)
        let now = Date(timeIntervalSince1970: 0)
        #expect(policy.nextAttempt(after: 1, failedAt: now) == Date(timeIntervalSince1970: 30))
        #expect(policy.nextAttempt(after: 2, failedAt: now) == Date(timeIntervalSince1970: 60))
        #expect(policy.nextAttempt(after: 3, failedAt: now) == Date(timeIntervalSince1970: 100))
        #expect(policy.nextAttempt(after: 4, failedAt: now) == nil)
        #expect(RetryPolicy.standard.nextAttempt(after: 12, failedAt: now) == nil)
    }
}

@Suite struct FeedLineTests {
    @Test func csvFieldsFollowRFC4180Quoting() {
        #expect(FeedLineFormat.csvFields("a,\"b,c\",\"d \"\"e\"\"\",") == ["a", "b,c", "d \"e\"", ""])
        #expect(FeedLineFormat.csvFields("x,\"open") == nil)
        #expect(FeedLineFormat.csvFields("one\r") == ["one"])
    }

    @Test func intelMQFieldsTakeNumbersAsTextAndRefuseNesting() {
        #expect(
            FeedLineFormat.intelMQFields(#"{"source.asn": 64500, "source.ip": "192.0.2.1", "x": null}"#) == [
                "source.asn": "64500", "source.ip": "192.0.2.1",
            ])
        #expect(FeedLineFormat.intelMQFields(#"{"source": {"ip": "192.0.2.1"}}"#) == nil)
        #expect(FeedLineFormat.intelMQFields("[1, 2]") == nil)
    }

    @Test func eventsNeedAClassificationAndSomethingToRouteBy() throws {
        let base = [
            "classification.taxonomy": "vulnerable", "classification.type": "vulnerable-system", "feed.name": "f",
        ]
        func reason(_ fields: [String: String]) -> String? {
            if case .failure(let error) = FeedEventReader.read(fields, line: 3, feedName: nil) {
                return error.description
            }
            return nil
        }
        #expect(reason(base) == "line 3: nothing to route by: give source.ip, source.asn or source.fqdn")
        #expect(
            reason(base.merging(["source.ip": "192.0.2.1", "source.port": "70000"]) { $1 })
                == "line 3: source.port '70000' is not a port")
        #expect(
            reason(["source.ip": "192.0.2.1", "feed.name": "f"])
                == "line 3: classification.taxonomy and classification.type are required")
        let event = try FeedEventReader.read(
            base.merging([
                "source.fqdn": "Host.Example.", "time.source": "2026-11-22T01:02:03.5Z", "source.geolocation.cc": "sg",
            ]) { $1 },
            line: 1, feedName: nil
        ).get()
        #expect(event.sourceFQDN?.description == "host.example" && event.sourceCountry == "SG")
        #expect(event.timeSource == Date(timeIntervalSince1970: 1_795_309_323.5))
    }
}

@Suite struct FlatJSONScannerTests {
    /// The scanner agrees with Foundation's JSON reader on every flat object, escapes included.
    @Test func agreesWithFoundationOnFlatObjects() throws {
        let lines = [
            #"{"a":"b","n":-12.5e3,"t":true,"f":false,"z":null}"#,
            #" { "q" : "say \"hi\" \\ \/ \n\t" , "u":"\u00e9\u6771\ud83d\ude00" } "#,
            #"{}"#,
            #"{"source.ip":"192.0.2.1","source.asn":64500}"#,
        ]
        for line in lines {
            let scanned = try #require(FlatJSONScanner.fields(Substring(line)))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for (key, value) in object {
                switch value {
                case let text as String: #expect(scanned[key] == text, "\(key) in \(line)")
                case is NSNull: #expect(scanned[key] == nil)
                case let number as NSNumber:
                    #expect(
                        scanned[key].flatMap(Double.init) == number.doubleValue
                            || scanned[key] == (number.boolValue ? "true" : "false"))
                default: Issue.record("unexpected \(value)")
                }
            }
            #expect(scanned.count == object.filter { !($0.value is NSNull) }.count)
        }
    }

    @Test func refusesWhatIsNotAFlatObject() {
        for line in [
            #"{"a":{"b":1}}"#, #"{"a":[1]}"#, #"[1]"#, #"{"a":"b""#, #"{"a":"b"} x"#, #"{"a":"\q"}"#,
            "{\"a\":\"\u{1}\"}", #"{"a":tru}"#, "",
        ] {
            #expect(FlatJSONScanner.fields(Substring(line)) == nil, "\(line)")
        }
    }
}
