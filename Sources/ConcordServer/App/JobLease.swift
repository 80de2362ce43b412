import Fluent
import Foundation
import SQLKit
import Vapor

/// One row per periodic job naming the instance that runs it: with several instances on one
/// database, each due run of the escalation scan, the surge monitor or a purge happens on one of
/// them. The holder renews its lease on every run; when it dies, the lease runs out and the next
/// instance to ask takes the job over. Leases are measured by the database's clock.
enum JobLease {
    static let table = "job_leases"

    /// Takes or renews the lease on `job` for `holder` for `seconds`; false while another live
    /// instance holds it. One statement: the primary key decides between instances asking at once.
    static func claim(_ job: String, holder: String, seconds: Double, on db: any Database) async throws -> Bool {
        try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "job leases need SQL") }
            let now =
                sql.dialect.name == "postgresql"
                ? "extract(epoch FROM clock_timestamp())::float8" : "((julianday('now') - 2440587.5) * 86400.0)"
            let rows = try await sql.raw(
                """
                INSERT INTO job_leases (name, holder, lease_until) VALUES (\(bind: job), \(bind: holder), \
                \(unsafeRaw: now) + \(bind: seconds)) \
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until \
                WHERE job_leases.holder = excluded.holder OR job_leases.lease_until <= \(unsafeRaw: now) \
                RETURNING name
                """
            ).all()
            return !rows.isEmpty
        }
    }
}

extension Application {
    private struct InstanceKey: StorageKey { typealias Value = String }

    /// This process's name in job leases: made once per application, never reused.
    var instanceName: String {
        if let name = storage[InstanceKey.self] { return name }
        let name =
            "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/"
            + UUID().uuidString.prefix(8).lowercased()
        storage[InstanceKey.self] = name
        return name
    }
}
