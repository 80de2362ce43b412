import Fluent
import Vapor

/// Issues and checks API tokens. The secret is `concord_` followed by 32 random bytes in base64url;
/// only its SHA-256 is stored, so a database leak does not leak usable tokens.
enum TokenService {
    /// Creates a token for `user` and returns it with the secret, which is never stored.
    static func issue(
        for user: User, name: String, scopes: Set<TokenScope>, expiresAt: Date?, on database: any Database
    ) async throws -> (token: APIToken, secret: String) {
        let secret = randomSecret(prefix: "concord_")
        let token = APIToken(
            userID: try user.requireID(), name: name, tokenHash: hash(secret), scopes: scopes, expiresAt: expiresAt)
        try await token.save(on: database)
        return (token, secret)
    }

    /// `prefix` and 32 random bytes in base64url, without padding.
    static func randomSecret(prefix: String) -> String {
        prefix
            + Data([UInt8].random(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a secret.
    static func hash(_ secret: String) -> String {
        Hex.sha256(Data(secret.utf8))
    }
}
