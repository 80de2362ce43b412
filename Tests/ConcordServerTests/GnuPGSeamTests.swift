import ConcordCore
import Foundation
import Testing

@testable import ConcordServer

/// What Concord asks of GnuPG when it protects a notification, seen through `ScriptedGnuPG`, and
/// what it does when gpg refuses: no real gpg runs here (the mail tests use the real one).
@Suite struct GnuPGSeamTests {
    private static let signer = "0123456789ABCDEF0123456789ABCDEF01234567"
    private static let configuration = ConcordConfiguration(dataDirectory: "/tmp/concord-seam", database: .sqliteMemory)

    @Test func aKeyGnuPGCannotEncryptToSendsTheMailSignedWithTheReason() async throws {
        let gnupg = ScriptedGnuPG { arguments in
            if arguments.contains("--encrypt") {
                return .init(status: 2, stdout: "", stderr: "gpg: key 89ABCDEF: expired\ngpg: encryption failed")
            }
            return .init(
                status: 0, stdout: "-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n", stderr: "")
        }
        let composer = OpenPGPMailComposer(Self.configuration, gnupg: gnupg)
        // act
        let composed = try await composer.compose(
            "Incident INC-2026-000001", recipientKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----", keyFinding: nil,
            signer: Self.signer)
        // validate
        #expect(composed.unencryptedReason == "gpg could not encrypt to the contact's key (gpg: key 89ABCDEF: expired)")
        #expect(composed.content.text.contains("multipart/signed"))
        let calls = gnupg.calls
        #expect(calls.count == 2)
        #expect(calls.allSatisfy { $0.home == Self.configuration.gnupgHome }, "the forum's own GnuPG home")
        #expect(calls.first?.arguments.contains("--recipient-file") == true)
        #expect(calls.last?.arguments.suffix(1) == ["--detach-sign"])
        #expect(calls.allSatisfy { $0.arguments.contains(Self.signer) }, "signed by the forum's key")
    }

    @Test func aSignatureGnuPGRefusesIsAnErrorNotAnUnsignedMail() async throws {
        let gnupg = ScriptedGnuPG { _ in .init(status: 2, stdout: "", stderr: "gpg: signing failed: No secret key") }
        let composer = OpenPGPMailComposer(Self.configuration, gnupg: gnupg)
        let error = await #expect(throws: ConcordError.self) {
            try await composer.compose("text", recipientKey: nil, keyFinding: nil, signer: Self.signer)
        }
        #expect(error?.detail == "gpg could not sign: gpg: signing failed: No secret key")
        #expect(gnupg.calls.count == 1, "no key: nothing to encrypt to, one signature asked for")
    }
}
