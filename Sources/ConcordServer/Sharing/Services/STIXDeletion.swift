import Fluent
import Foundation

/// Deletes versions of one object from a collection and sets `is_first` and `is_last` again on
/// the versions that remain, in one transaction.
enum STIXDeletion {
    static func delete(_ rows: [StoredSTIXObject], of id: String, in collection: UUID, on database: any Database)
        async throws
    {
        try await database.writeTransaction { db in
            let ids = rows.compactMap(\.id)
            try await StoredSTIXObject.query(on: db).filter(\.$id ~~ ids).delete()
            let remaining = try await StoredSTIXObject.query(on: db)
                .filter(\.$collectionID == collection).filter(\.$stixID == id)
                .field(\.$versionMicroseconds).all().map(\.versionMicroseconds)
            guard let first = remaining.min(), let last = remaining.max() else {
                return try await CorrelationIndex.forget(id, in: collection, on: db)
            }
            try await STIXVersionFlags.set(first: first, last: last, of: id, in: collection, on: db)
        }
    }
}
