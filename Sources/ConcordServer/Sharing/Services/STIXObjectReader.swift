import ConcordCore
import Fluent
import Foundation

/// Reads a collection a page at a time, in `date_added` order, for one principal: the TAXII
/// filters narrow the query in the database, then the policy judges every row by its TLP label,
/// so a page holds only what the principal may see and `more` is true only when more of that
/// exists. Paging continues from a keyset, never from an offset.
struct STIXObjectReader {
    let collection: ResolvedCollection
    let policy: Policy

    /// One page and where it ended.
    struct Page {
        let records: [StoredSTIXObject]
        let more: Bool
        /// The keyset to continue after, when `more`.
        let end: TAXIIKeyset?
    }

    /// Up to `filter.limit` records after `start`, of object `id` when given.
    func page(_ filter: TAXIIFilter, after start: TAXIIKeyset?, id: String? = nil, on database: any Database)
        async throws -> Page
    {
        var accepted: [StoredSTIXObject] = []
        var position = start
        let batch = filter.limit + 1
        while accepted.count <= filter.limit {
            let rows = try await query(filter, after: position, id: id, on: database).limit(batch).all()
            accepted += rows.filter(visible)
            guard rows.count == batch, let last = rows.last else { break }
            position = TAXIIKeyset(dateAdded: last.dateAddedMicroseconds, versionKey: last.versionKey)
        }
        let records = Array(accepted.prefix(filter.limit))
        let more = accepted.count > filter.limit
        let end = records.last.map { TAXIIKeyset(dateAdded: $0.dateAddedMicroseconds, versionKey: $0.versionKey) }
        return Page(records: records, more: more, end: more ? end : nil)
    }

    /// Every stored version of `id` the principal may see, whatever the filters (for DELETE).
    func versions(of id: String, _ filter: TAXIIFilter, on database: any Database) async throws -> [StoredSTIXObject] {
        try await query(filter, after: nil, id: id, on: database).all().filter(visible)
    }

    /// Whether the policy lets the principal read this row.
    func visible(_ row: StoredSTIXObject) -> Bool {
        policy.allows(.readMarked(collection.access.audience(of: row)))
    }

    private func query(_ filter: TAXIIFilter, after start: TAXIIKeyset?, id: String?, on database: any Database)
        -> QueryBuilder<StoredSTIXObject>
    {
        let query = StoredSTIXObject.query(on: database).filter(\.$collectionID == collection.id)
        if let id { query.filter(\.$stixID == id) }
        if !filter.ids.isEmpty { query.filter(\.$stixID ~~ filter.ids) }
        if !filter.types.isEmpty { query.filter(\.$type ~~ filter.types) }
        if !filter.specVersions.isEmpty { query.filter(\.$specVersion ~~ filter.specVersions) }
        if let after = filter.addedAfter { query.filter(\.$dateAddedMicroseconds > after) }
        let versions = filter.versions
        if !versions.all {
            query.group(.or) { or in
                if versions.first { or.filter(\.$isFirst == true) }
                if versions.last { or.filter(\.$isLast == true) }
                if !versions.exact.isEmpty { or.filter(\.$versionMicroseconds ~~ Array(versions.exact)) }
            }
        }
        // Only the author reads RED here; skipping the others in SQL spares the policy the work.
        if let user = policy.principal?.userID {
            query.group(.or) { $0.filter(\.$tlp != TLPLabel.red).filter(\.$ownerUserID == user) }
        } else {
            query.filter(\.$tlp == TLPLabel.clear)  // anonymous readers see CLEAR at most
        }
        if start == nil && filter.addedAfter == nil {
            // A range on date_added, even an open one, leads the planner to the paging index
            // (collection, date_added, version key) instead of sorting the whole collection.
            query.filter(\.$dateAddedMicroseconds >= 0)
        }
        if let start {
            // The range alone is what lets the planner start the index scan at the cursor; the OR
            // below is not a range it can seek by, and without this a deep page scanned every row
            // before it.
            query.filter(\.$dateAddedMicroseconds >= start.dateAdded)
            query.group(.or) { or in
                or.filter(\.$dateAddedMicroseconds > start.dateAdded)
                or.group(.and) {
                    $0.filter(\.$dateAddedMicroseconds == start.dateAdded).filter(\.$versionKey > start.versionKey)
                }
            }
        }
        return query.sort(\.$dateAddedMicroseconds).sort(\.$versionKey)
    }
}
