import Fluent
import Vapor

/// What this instance last saw of each `CacheRevision`, and what it does when one moves: the
/// directory's rebuilds the routing snapshot, the outbox's wakes the outbox worker, the sensor
/// hours' prepares the dashboard's default span. Checked by a
/// poll every half second and, on PostgreSQL, at once on each notification (`RevisionListener`).
actor RevisionWatch {
    private var seen: [CacheRevision: Int64] = [:]

    /// Reads the revisions and acts on those that moved since the last check. The first check
    /// acts on all of them (a change may have committed while the instance started).
    func check(_ app: Application) async throws {
        let revisions = try await CacheRevision.all(on: app.db)
        for revision in CacheRevision.allCases {
            let value = revisions[revision] ?? 0
            if let last = seen[revision], last == value { continue }
            switch revision {
            case .directory: try await app.routingDirectory.refresh(ifNotAt: value, on: app.db)
            case .outbox: app.jobWakeups.wake(OutboxWorker.jobName)
            case .sensorHours: await Self.warmSensorOverview(app)
            case .sensors: break  // read where used
            }
            seen[revision] = value
        }
    }
}

extension RevisionWatch {
    /// The dashboard's default span (30 days to today) aggregated before anyone asks: at start-up
    /// and after each upload, when only the days the upload wrote are read again. A failure here
    /// is the next viewer's to pay, never the watch's.
    static func warmSensorOverview(_ app: Application) async {
        do {
            let span = try SensorNetwork.Span.from(days: nil, until: nil, now: app.clock.now())
            _ = try await app.sensorOverviews.overview(span, on: app.db)
        } catch {
            app.logger.debug("sensor overview not prepared: \(String(reflecting: error))")
        }
    }
}

/// Keeps every instance's caches current with the database's revisions: a poll every 500 ms on
/// every database, and on PostgreSQL a `LISTEN` for changes as they commit. Called by
/// `concord serve`.
public func useRevisionWatch(_ app: Application) {
    let watch = RevisionWatch()
    app.lifecycle.use(PeriodicJob(name: "revision watch", interval: .milliseconds(500)) { try await watch.check($0) })
    if case .postgres(let url) = app.concord.database {
        app.lifecycle.use(RevisionListener(url: url, watch: watch))
    }
}
