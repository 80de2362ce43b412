import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Creates the correlation index and the warninglist, indexes feed events by source address and
/// name, and indexes the observables of the incidents already reported.
struct CreateCorrelationTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CorrelationEntry.schema)
            .id()
            .field("key", .string, .required)
            .field("source", .string, .required)
            .field("collection_id", .uuid)
            .field("stix_id", .string)
            .field("incident_id", .uuid)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(WarninglistEntry.schema)
            .id()
            .field("key", .string, .required)
            .field("value", .string, .required)
            .unique(on: "key")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "correlation_entries_by_key").on(CorrelationEntry.schema).column("key").run()
            try await sql.create(index: "feed_events_by_source_ip").on(StoredFeedEvent.schema).column("source_ip").run()
            try await sql.create(index: "feed_events_by_source_fqdn").on(StoredFeedEvent.schema)
                .column("source_fqdn").run()
        }
        for observable in try await IncidentObservable.query(on: database).all() {
            try await CorrelationIndex.index(incident: observable.$incident.id, [observable], on: database)
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "feed_events_by_source_fqdn").run()
            try await sql.drop(index: "feed_events_by_source_ip").run()
        }
        try await database.schema(WarninglistEntry.schema).delete()
        try await database.schema(CorrelationEntry.schema).delete()
    }
}
