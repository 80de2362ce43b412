import ConcordCore
import Fluent
import FluentSQL
import Foundation

/// Judges each band of hours once it is over (and its hour of grace for late uploads has passed)
/// with `SurgeScan` over every sensor's hours, and for each surge stores an alert and queues its
/// notification to the secretariat and every team that runs a sensor, in one transaction with the
/// record that the band was judged. Bands of the last day that were missed (the server was down)
/// are caught up, oldest first. `concord serve` runs it every five minutes; tests pin the clock.
enum SurgeMonitor {
    /// Time after a band's end before it is judged: agents upload an hour after it closes.
    static let grace: Int64 = 3600

    /// Judges the bands due at `now`; returns the alerts raised.
    @discardableResult
    static func runDue(at now: Date, scan: SurgeScan, on db: any Database) async throws -> [SurgeAlert] {
        let length = Int64(scan.bandHours) * 3600
        let latest = scan.bandStart(containing: Int64(now.timeIntervalSince1970) - grace - length)
        let candidates = (0..<Int64(24 / scan.bandHours)).reversed().map { latest - $0 * length }
        let judged = Set(
            try await SurgeScanRecord.query(on: db).filter(\.$bandStart >= candidates[0]).all().map(\.bandStart))
        let due = candidates.filter { !judged.contains($0) }
        guard let first = due.first, let last = due.last else { return [] }
        let hours = try await self.hours(
            from: scan.hoursNeeded(forBandAt: first).lowerBound, through: scan.hoursNeeded(forBandAt: last).upperBound,
            on: db)
        var raised: [SurgeAlert] = []
        for band in due {
            let findings = scan.surges(inBandAt: band, from: hours)
            raised += try await record(band, findings, now: now, on: db)
        }
        return raised
    }

    /// Every sensor's hours in the range, as aggregates of services only (the rest is not needed).
    private static func hours(from lower: Int64, through upper: Int64, on db: any Database) async throws
        -> [HourlyAggregate]
    {
        let decoder = JSONDecoder()
        return try await SensorHour.query(on: db).filter(\.$hour >= lower).filter(\.$hour <= upper).all().map {
            let stored = try decoder.decode(HourlyAggregate.self, from: Data($0.aggregate.utf8))
            var slim = HourlyAggregate(hour: stored.hour)
            slim.total = stored.total
            slim.services = stored.services
            return slim
        }
    }

    /// Stores the band as judged with its alerts and their notifications; nothing when another
    /// server judged the band first. The transaction starts by claiming the band: the unique band
    /// start decides between instances racing, without a constraint violation in either's log.
    private static func record(_ band: Int64, _ findings: [SurgeFinding], now: Date, on db: any Database)
        async throws -> [SurgeAlert]
    {
        try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "not an SQL database") }
            let claimed = try await sql.insert(into: SurgeScanRecord.schema)
                .columns("id", "band_start", "scanned_at", "alerts")
                .values(SQLBind(UUID()), SQLBind(band), SQLBind(now), SQLBind(findings.count))
                .ignoringConflicts(with: ["band_start"])
                .returning("id").all()
            guard !claimed.isEmpty else { return [] }
            let alerts = findings.map { SurgeAlert($0, at: now) }
            for alert in alerts { try await alert.create(on: db) }
            if !alerts.isEmpty {
                try await notify(alerts, now: now, on: db)
                try await SurgeSharing.share(alerts, now: now, on: db)
            }
            return alerts
        }
    }

    /// One message per team for all the band's surges: the secretariat and every team with a sensor.
    private static func notify(_ alerts: [SurgeAlert], now: Date, on db: any Database) async throws {
        let operators = Set(try await Sensor.query(on: db).all().map(\.$team.id))
        let teams = try await Team.query(on: db).group(.or) {
            $0.filter(\.$isSecretariat == true).filter(\.$id ~~ Array(operators))
        }.with(\.$contacts).sort(\.$shortName).all()
        try await Outbox.enqueue(
            announcement: .sensorSurge, subject: SurgeAlertText.subject(alerts), text: SurgeAlertText.body(alerts),
            payload: try SurgeAlertText.webhookPayload(alerts), to: teams, now: now, on: db)
    }
}

extension SurgeAlert {
    /// The alert of a finding, raised at `now`.
    convenience init(_ finding: SurgeFinding, at now: Date) {
        self.init()
        id = UUID()
        bandStart = finding.bandStart
        bandHours = finding.bandHours
        ipProtocol = Int(finding.service.ipProtocol)
        port = Int(finding.service.port)
        sources = finding.verdict.value
        packets = Int64(finding.packets)
        baselineMedian = finding.verdict.median
        baselineMAD = finding.verdict.mad
        baselineDays = finding.verdict.historyCount
        score = finding.verdict.score
        summary = finding.summary
        createdAt = now
    }

    /// The service, `tcp/23`.
    var service: Service { Service(ipProtocol: UInt8(clamping: ipProtocol), port: UInt16(clamping: port)) }
}
