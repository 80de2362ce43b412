import ConcordCore
import Foundation
import Vapor

/// The words and the JSON of a surge notification. Alerts carry counts and services, never an
/// address, so they are TLP:GREEN: the forum's members may share them with their communities.
enum SurgeAlertText {
    static let tlp = TLPLabel.green

    /// `[TLP:GREEN] Sensor network: surge on tcp/23` (or `on 3 services`).
    static func subject(_ alerts: [SurgeAlert]) -> String {
        let what = alerts.count == 1 ? alerts[0].service.description : "\(alerts.count) services"
        return "[\(tlp.rawValue)] Sensor network: surge on \(what)"
    }

    static func body(_ alerts: [SurgeAlert]) -> String {
        var lines = [
            tlp.rawValue, "",
            "The forum's darknet sensors see more distinct sources scanning than usual at this time of day:", "",
        ]
        for alert in alerts {
            lines.append("  \(alert.summary)")
            lines.append(
                "    \(Figures.grouped(Int(alert.packets))) packets; baseline median \(DecimalText.oneDecimal(alert.baselineMedian)), "
                    + "MAD \(DecimalText.oneDecimal(alert.baselineMAD)); "
                    + "\(DecimalText.oneDecimal(alert.score)) robust standard deviations above it")
            lines.append(
                "    \(NotificationText.publicURL)/sensors/ports/\(Service.protocolName(alert.service.ipProtocol))/"
                    + "\(alert.port)")
        }
        lines += [
            "", "Band: \(bandText(alerts[0]))",
            "All alerts: \(NotificationText.publicURL)/sensors/alerts",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2026-11-29 06:00 to 12:00 UTC`.
    static func bandText(_ alert: SurgeAlert) -> String {
        let day = CivilDate(second: alert.bandStart)
        let from = Int((alert.bandStart - day.startSecond) / 3600)
        func clock(_ hour: Int) -> String { (hour < 10 ? "0" : "") + "\(hour):00" }
        return "\(day) \(clock(from)) to \(clock((from + alert.bandHours) % 24)) UTC"
    }

    /// The webhook's JSON: `{"event":"sensor.surge","tlp":"TLP:GREEN","alerts":[…]}`.
    static func webhookPayload(_ alerts: [SurgeAlert]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(
            SurgeWebhookPayload(
                event: NotificationPurpose.sensorSurge.webhookEvent, tlp: tlp.rawValue,
                alerts: alerts.map(SurgeAlertDTO.init)))
    }
}

/// The webhook body of a surge notification.
struct SurgeWebhookPayload: Codable, Sendable {
    let event: String
    let tlp: String
    let alerts: [SurgeAlertDTO]
}

/// A surge alert as the API, the webhook and the CSV export show it.
struct SurgeAlertDTO: Content, Equatable {
    let id: UUID
    /// `tcp/23`.
    let service: String
    let ipProtocol: Int
    let port: Int
    let bandStart: Date
    let bandEnd: Date
    let sources: Int
    let packets: Int64
    let baselineMedian: Double
    let baselineMAD: Double
    let baselineDays: Int
    let score: Double
    let summary: String
    let raisedAt: Date

    init(_ alert: SurgeAlert) {
        id = alert.id ?? UUID()
        service = alert.service.description
        ipProtocol = alert.ipProtocol
        port = alert.port
        bandStart = Date(timeIntervalSince1970: TimeInterval(alert.bandStart))
        bandEnd = Date(timeIntervalSince1970: TimeInterval(alert.bandStart + Int64(alert.bandHours) * 3600))
        sources = alert.sources
        packets = alert.packets
        baselineMedian = (alert.baselineMedian * 10).rounded() / 10
        baselineMAD = (alert.baselineMAD * 10).rounded() / 10
        baselineDays = alert.baselineDays
        score = (alert.score * 10).rounded() / 10
        summary = alert.summary
        raisedAt = alert.createdAt
    }
}
