import Fluent
import Foundation

/// One `Idempotency-Key` a client sent with a POST: who sent it, a digest of the request, and,
/// once the first request succeeded, the answer a retry gets back. While the first request runs,
/// the row is `pending` with a lease; a request that died leaves it to expire.
// @unchecked Sendable: Fluent models are mutable reference types; each is used by one task at a time.
final class IdempotencyRecord: Model, @unchecked Sendable {
    static let schema = "idempotency_keys"

    /// Whether the first request is still running or has its answer stored.
    enum State: String, Codable, Sendable, CaseIterable {
        case pending
        case done
    }

    @ID(key: .id) var id: UUID?
    /// Whose key this is (`user:<id>`): keys of different clients never meet.
    @Field(key: "scope") var scope: String
    @Field(key: "key") var key: String
    /// SHA-256 of the method, path, query and body, in hex: the same key with another request is refused.
    @Field(key: "request_digest") var requestDigest: String
    @Field(key: "state") var state: State
    /// A pending row whose lease has run out belongs to a request that died; a retry takes it over.
    @Field(key: "lease_until") var leaseUntil: Date
    @OptionalField(key: "status") var status: Int?
    @OptionalField(key: "content_type") var contentType: String?
    @OptionalField(key: "location") var location: String?
    @OptionalField(key: "body") var body: Data?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
