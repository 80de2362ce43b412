import Fluent
import Foundation
import SQLKit

/// `is_first` and `is_last` of an object's stored versions, which `match[version]=first|last`
/// read: set again whenever a version is added or deleted.
enum STIXVersionFlags {
    /// Marks the versions `first` and `last` of `id` in `collection`, and no others.
    static func set(first: Int64, last: Int64, of id: String, in collection: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "sharing needs SQL") }
        try await sql.raw(
            """
            UPDATE stix_objects SET is_first = (version_us = \(bind: first)), is_last = (version_us = \(bind: last))
            WHERE collection_id = \(bind: collection) AND stix_id = \(bind: id)
            """
        ).run()
    }
}
