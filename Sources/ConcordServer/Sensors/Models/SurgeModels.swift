import Fluent
import Foundation

/// A band of hours the surge monitor has judged, with how many alerts it raised: each band is
/// judged once, even with several servers running the monitor (the band start is unique).
// @unchecked Sendable: see Economy.
final class SurgeScanRecord: Model, @unchecked Sendable {
    static let schema = "sensor_surge_scans"

    @ID(key: .id) var id: UUID?
    /// The band's start, in seconds since 1970.
    @Field(key: "band_start") var bandStart: Int64
    @Field(key: "scanned_at") var scannedAt: Date
    @Field(key: "alerts") var alerts: Int

    init() {}
}

/// A surge of scanning the forum's sensors saw: a service whose distinct sources in one band of
/// hours rose far above the same band on earlier days.
// @unchecked Sendable: see Economy.
final class SurgeAlert: Model, @unchecked Sendable {
    static let schema = "sensor_surge_alerts"

    @ID(key: .id) var id: UUID?
    @Field(key: "band_start") var bandStart: Int64
    @Field(key: "band_hours") var bandHours: Int
    /// The IP protocol number and destination port (ICMP: type) of the service.
    @Field(key: "ip_protocol") var ipProtocol: Int
    @Field(key: "port") var port: Int
    /// Distinct sources in the band, over every sensor.
    @Field(key: "sources") var sources: Int
    @Field(key: "packets") var packets: Int64
    /// The baseline: median and median absolute deviation of the same band on earlier days.
    @Field(key: "baseline_median") var baselineMedian: Double
    @Field(key: "baseline_mad") var baselineMAD: Double
    @Field(key: "baseline_days") var baselineDays: Int
    /// How many robust standard deviations above the median.
    @Field(key: "score") var score: Double
    /// The one-line summary sent in the notifications.
    @Field(key: "summary") var summary: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
