import Foundation
import Vapor

/// The server's own 32-byte secret. Webhook secrets and acknowledgement-link tokens are derived
/// from it with HMAC-SHA256, so neither is ever stored: a link's token is recomputed to check it,
/// and a webhook's secret when a delivery is signed.
struct ServerSecret: Sendable {
    private let key: SymmetricKey

    init(key: Data) { self.key = SymmetricKey(data: key) }

    /// `CONCORD_SECRET_KEY`, else (SQLite only) `DATA/secret.key`, created with 32 random bytes
    /// (mode 0600). On PostgreSQL the key is required: several instances share the database, and a
    /// cursor, link or session one of them signs must verify on every other, whose data folder
    /// holds a different file.
    static func load(_ configuration: ConcordConfiguration) throws -> ServerSecret {
        if let key = configuration.secretKey {
            guard key.count >= 32 else {
                throw ConcordError(.unavailable, "CONCORD_SECRET_KEY must be base64 of at least 32 bytes")
            }
            return ServerSecret(key: key)
        }
        if case .postgres = configuration.database {
            throw ConcordError(
                .unavailable,
                "CONCORD_SECRET_KEY is required on PostgreSQL (the same base64 of 32 random bytes on every instance;"
                    + " make one with `head -c 32 /dev/urandom | base64`)")
        }
        let path = (configuration.dataDirectory as NSString).appendingPathComponent("secret.key")
        if let stored = FileManager.default.contents(atPath: path), stored.count >= 32 {
            return ServerSecret(key: stored)
        }
        let fresh = Data([UInt8].random(count: 32))
        guard FileManager.default.createFile(atPath: path, contents: fresh, attributes: [.posixPermissions: 0o600])
        else { throw ConcordError(.unavailable, "cannot write \(path)") }
        return ServerSecret(key: fresh)
    }

    /// The HMAC secret of a team's webhook; a new `version` rotates it.
    func webhookSecret(team: UUID, version: Int) -> String {
        "whsec_" + derive("webhook|\(team.uuidString)|\(version)")
    }

    /// The token in an acknowledgement link: the link's id and its HMAC.
    func acknowledgementToken(link: UUID) -> String {
        link.uuidString.lowercased() + "." + derive("ack|\(link.uuidString)")
    }

    /// The link a token names, if its HMAC is right (compared in constant time).
    func acknowledgementLink(fromToken token: String) -> UUID? {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])) else { return nil }
        return CSRFMiddleware.constantTimeEqual(acknowledgementToken(link: id), token) ? id : nil
    }

    /// The token of a communication-check challenge's link: the challenge's id and its HMAC.
    func challengeToken(_ challenge: UUID) -> String {
        challenge.uuidString.lowercased() + "." + derive("challenge|\(challenge.uuidString)")
    }

    /// The challenge a token names, if its HMAC is right (compared in constant time).
    func challenge(fromToken token: String) -> UUID? {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])) else { return nil }
        return CSRFMiddleware.constantTimeEqual(challengeToken(id), token) ? id : nil
    }

    /// The pseudonym of a source prefix in exports meant for outside the forum: 16 hex digits of
    /// an HMAC keyed by the server secret, the same in every export (so trends can be followed)
    /// and not reversible without the key (so a /24 cannot be found by trying all 2^24 of them).
    func exportPseudonym(_ text: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("export|\(text)".utf8), using: key)
        return code.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// A TAXII `next` cursor: the payload in base64url, a dot, and its HMAC, so a client can hold
    /// it but not forge or alter it, and any server instance with the same secret can read it.
    func signedCursor(_ payload: String) -> String {
        Data(payload.utf8).base64URLEncoded + "." + derive("cursor|\(payload)")
    }

    /// The payload of a cursor this server signed; nil for anything else.
    func cursorPayload(_ cursor: String) -> String? {
        let parts = cursor.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, cursor.count < 4096 else { return nil }
        var base64 = parts[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        let payload = String(decoding: data, as: UTF8.self)
        return CSRFMiddleware.constantTimeEqual(signedCursor(payload), cursor) ? payload : nil
    }

    private func derive(_ label: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(label.utf8), using: key)).base64URLEncoded
    }
}

extension Data {
    /// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5).
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Application {
    private struct ServerSecretKey: StorageKey { typealias Value = ServerSecret }

    /// The secret `configure` loaded.
    var serverSecret: ServerSecret {
        get {
            guard let secret = storage[ServerSecretKey.self] else { fatalError("configure has not loaded the secret") }
            return secret
        }
        set { storage[ServerSecretKey.self] = newValue }
    }
}
