import ConcordCore
import Foundation

/// Turns a plain-text notification into OpenPGP/MIME (RFC 3156) with the real GnuPG: signed with
/// the forum's key and encrypted to the contact's key in one OpenPGP message (§6.2), or, when the
/// contact has no usable key, `multipart/signed` only, with the reason.
struct OpenPGPMailComposer: Sendable {
    /// A composed message and how it is protected.
    struct Composed: Sendable {
        let content: MIMEEntity
        /// Why it is signed only (nil when encrypted).
        let unencryptedReason: String?
    }

    let gnupg: any GnuPGEngine
    let forumKey: ForumKey

    init(_ configuration: ConcordConfiguration, gnupg: any GnuPGEngine) {
        self.gnupg = gnupg
        forumKey = ForumKey(configuration, gnupg: gnupg)
    }

    /// Signs `text` and its `attachments` (with `signer`, the forum key's fingerprint, looked up
    /// when not given), and encrypts them when `recipientKey` is usable (`keyFinding` nil).
    func compose(
        _ text: String, attachments: [MIMEEntity] = [], recipientKey: String?, keyFinding: String?,
        signer: String? = nil
    ) async throws -> Composed {
        let boundary = "concord-\(UUID().uuidString.lowercased())"
        let inner =
            attachments.isEmpty
            ? MIMEEntity.plainText(text)
            : .mixed([.plainText(text)] + attachments, boundary: "mixed-\(UUID().uuidString.lowercased())")
        let signer = try await resolvedSigner(signer)
        var reason = "the contact has no OpenPGP key"
        if let finding = keyFinding {
            reason = "the contact's OpenPGP key is \(finding)"
        } else if let key = recipientKey {
            let encrypted = try await encrypt(inner.text, to: key, signer: signer)
            switch encrypted {
            case .success(let armored):
                return Composed(
                    content: .encrypted(armoredMessage: armored, boundary: boundary), unencryptedReason: nil)
            case .failure(let why): reason = why
            }
        }
        let signature = try await gnupg.run(
            home: forumKey.home,
            arguments: ["--armor", "--local-user", signer, "--digest-algo", "SHA256", "--detach-sign"],
            input: Data(inner.text.utf8))
        guard signature.status == 0, signature.stdout.contains("BEGIN PGP SIGNATURE") else {
            throw ConcordError(.unavailable, "gpg could not sign: \(Self.firstLine(signature.stderr))")
        }
        return Composed(
            content: .signed(inner, armoredSignature: signature.stdout, boundary: boundary), unencryptedReason: reason)
    }

    private func resolvedSigner(_ given: String?) async throws -> String {
        if let given { return given }
        return try await forumKey.fingerprint()
    }

    /// A reason the key cannot be used, as a failure rather than an error: the message then goes signed only.
    private enum EncryptionResult {
        case success(String)
        case failure(String)
    }

    private func encrypt(_ text: String, to key: String, signer: String) async throws -> EncryptionResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concord-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = folder.appendingPathComponent("recipient.asc")
        try Data(key.utf8).write(to: keyFile)
        // --recipient-file takes the key as given, without importing it into the forum's keyring.
        let run = try await gnupg.run(
            home: forumKey.home,
            arguments: [
                "--armor", "--local-user", signer, "--digest-algo", "SHA256", "--recipient-file", keyFile.path,
                "--sign", "--encrypt",
            ], input: Data(text.utf8))
        guard run.status == 0, run.stdout.contains("BEGIN PGP MESSAGE") else {
            return .failure("gpg could not encrypt to the contact's key (\(Self.firstLine(run.stderr)))")
        }
        return .success(run.stdout)
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first ?? "no message").prefix(200).description
    }
}
