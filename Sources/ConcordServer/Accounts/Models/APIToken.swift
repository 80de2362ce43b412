import Fluent
import Foundation

/// An API token. Only the SHA-256 of the secret is stored; the secret is shown once, at creation.
// @unchecked Sendable: see Economy.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "scopes") var scopes: String
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(userID: UUID, name: String, tokenHash: String, scopes: Set<TokenScope>, expiresAt: Date?) {
        self.$user.id = userID
        self.name = name
        self.tokenHash = tokenHash
        self.scopes = scopes.map(\.rawValue).sorted().joined(separator: " ")
        self.expiresAt = expiresAt
    }

    /// The scopes the token was granted.
    var scopeSet: Set<TokenScope> { Set(scopes.split(separator: " ").compactMap { TokenScope(rawValue: String($0)) }) }
}

/// What a machine token may do, on top of what its user's role allows.
enum TokenScope: String, CaseIterable, Codable, Sendable {
    /// Read what the user may read.
    case read
    /// Change what the user may change.
    case write
}
