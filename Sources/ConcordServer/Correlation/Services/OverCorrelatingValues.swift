import ConcordCore
import Fluent
import SQLKit
import Vapor

extension CorrelationIndex {
    /// A value seen in more places than `cap`: named, never matched.
    struct OverCorrelating: Content, Equatable {
        /// The value as an observable prints it.
        let value: String
        /// The correlation key (`kind:value`).
        let key: String
        /// In how many places: entries of the index and feed events.
        let places: Int
    }

    /// Every over-correlating value, most places first, warninglisted values left out: one query
    /// that counts the index and the feed events by value and keeps those above the cap.
    static func overCorrelating(on database: any Database) async throws -> [OverCorrelating] {
        guard let sql = database as? any SQLDatabase else { throw ConcordError(.unavailable, "correlation needs SQL") }
        let address = Observable.Kind.ipAddress.rawValue + ":"
        let domain = Observable.Kind.domain.rawValue + ":"
        let rows = try await sql.raw(
            """
            SELECT key, CAST(SUM(n) AS BIGINT) AS places FROM (
                SELECT key, COUNT(*) AS n FROM \(ident: CorrelationEntry.schema) GROUP BY key
                UNION ALL SELECT \(bind: address) || source_ip, COUNT(*) FROM \(ident: StoredFeedEvent.schema)
                    WHERE source_ip IS NOT NULL GROUP BY source_ip
                UNION ALL SELECT \(bind: domain) || source_fqdn, COUNT(*) FROM \(ident: StoredFeedEvent.schema)
                    WHERE source_fqdn IS NOT NULL GROUP BY source_fqdn
            ) counted GROUP BY key HAVING SUM(n) > \(bind: cap)
            """
        ).all()
        let benign = Set(try await WarninglistEntry.query(on: database).all().map(\.key))
        return try rows.compactMap { row in
            let key = try row.decode(column: "key", as: String.self)
            guard !benign.contains(key) else { return nil }
            let value = key.split(separator: ":", maxSplits: 1).last.map(String.init) ?? key
            return OverCorrelating(value: value, key: key, places: try row.decode(column: "places", as: Int.self))
        }
        .sorted { ($0.places, $1.key) > ($1.places, $0.key) }
    }
}
