import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Key parsing with the real GnuPG: a valid key, an expired key and garbage.
@Suite struct OpenPGPKeyTests {
    @Test(.needs(.gpg)) func validExpiredAndGarbageKeys() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let maker = DemoKeyMaker(gnupg: LiveGnuPG(path: "gpg"), now: app.clock.now())
            let valid = try await maker.makeKey(
                name: "SingCERT", email: "cert@sg.example", createdDaysAgo: 1, validDays: 365)
            let expired = try await maker.makeKey(
                name: "Old", email: "old@sg.example", createdDaysAgo: 400, validDays: 30)
            let cases: [(String, String?, Bool)] = [
                (valid, nil, true), (expired, "expired", true),
                (
                    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\ngarbage\n-----END PGP PUBLIC KEY BLOCK-----", "unparsable",
                    false
                ),
            ]
            for (key, finding, hasFingerprint) in cases {
                // act
                let response = try await app.testing().send(
                    .POST, "/api/v1/teams/singcert/contacts", headers: forum.headers(.teamAdmin),
                    body: json([
                        "kind": "emergency-email", "value": "cert@sg.example", "availability": "24x7", "pgpKey": key,
                    ]))
                // validate
                #expect(response.status == .created)
                let contact = try response.content.decode(ContactDTO.self)
                #expect(contact.pgp?.finding == finding)
                #expect((contact.pgp?.fingerprint?.count == 40) == hasFingerprint)
                if finding == nil {
                    #expect(contact.pgp?.userIds == ["SingCERT <cert@sg.example>"])
                    #expect(contact.pgp?.algorithm == "ed25519")
                    #expect((contact.pgp?.expiresAt ?? .distantPast) > Date().addingTimeInterval(300 * 86_400))
                }
            }
            // The directory checks report the findings.
            let checks = try await app.testing().send(
                .GET, "/api/v1/directory-checks", headers: forum.headers(.handler))
            let kinds = try checks.content.decode([DirectoryChecks.Finding].self).map(\.kind)
            #expect(kinds.contains("key-expired") && kinds.contains("key-unparsable"))
        }
    }
}
