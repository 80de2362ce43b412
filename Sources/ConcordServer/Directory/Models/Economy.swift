import Fluent
import Foundation

/// A member economy, named as the forum writes it ("Hong Kong, China"), with its ISO 3166-1 code
/// where it has one.
// Fluent models are mutable reference types whose property wrappers are not Sendable; each instance
// is used by one task at a time, hence @unchecked.
final class Economy: Model, @unchecked Sendable {
    static let schema = "economies"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "iso_code") var isoCode: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, name: String, isoCode: String?) {
        self.id = id
        self.name = name
        self.isoCode = isoCode
    }
}
