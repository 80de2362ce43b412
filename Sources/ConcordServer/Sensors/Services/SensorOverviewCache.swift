import ConcordCore
import Fluent
import Vapor

/// The sensor network's overview of a span, aggregated once per span and stored-hours revision:
/// the dashboard page and its three charts ask for the same span, and each of them then costs one
/// read of the revision counter instead of decoding every hour again. An upload bumps the
/// revision in its own transaction (`CacheRevision.sensorHours`), so every instance recomputes
/// after the next upload anywhere; nothing is kept that another instance could not invalidate.
actor SensorOverviewCache {
    private struct Key: Hashable {
        let firstDay: Int64
        let dayCount: Int
    }

    /// Spans kept at most; beyond, the cache starts again (spans are few: 7, 30, 90 days to today).
    static let capacity = 16
    private var entries: [Key: (revision: Int64, overview: TrafficOverview)] = [:]
    private(set) var computed = 0

    func overview(_ span: SensorNetwork.Span, on db: any Database) async throws -> TrafficOverview {
        let key = Key(firstDay: span.firstDay, dayCount: span.dayCount)
        // Read before aggregating: hours committed meanwhile make the entry older than the data,
        // never newer, so the next request recomputes.
        let revision = try await CacheRevision.sensorHours.current(on: db)
        if let entry = entries[key], entry.revision == revision { return entry.overview }
        let overview = try await SensorNetwork.overview(span, on: db)
        computed += 1
        if entries.count >= Self.capacity { entries.removeAll() }
        entries[key] = (revision, overview)
        return overview
    }
}

extension Application {
    private struct SensorOverviewCacheKey: StorageKey { typealias Value = SensorOverviewCache }

    /// The application's cache of sensor overviews (made at first use).
    var sensorOverviews: SensorOverviewCache {
        storage.get(SensorOverviewCacheKey.self)
            ?? {
                let cache = SensorOverviewCache()
                storage[SensorOverviewCacheKey.self] = cache
                return cache
            }()
    }
}
