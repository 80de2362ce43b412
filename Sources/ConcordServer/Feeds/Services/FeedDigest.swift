import ConcordCore
import Fluent
import Foundation

/// The aggregated notification of a feed group, made when it leaves: the text, the events as CSV
/// (the columns IntelMQ's mail add-on sends), and the webhook JSON.
struct FeedDigest: Sendable {
    /// How many events the webhook payload lists at most (the e-mail's CSV has all of them).
    static let webhookEventLimit = 1000
    static let csvColumns = [
        "time.source", "source.ip", "source.port", "source.asn", "source.fqdn", "source.geolocation.cc",
        "classification.taxonomy", "classification.type", "classification.identifier", "feed.name", "feed.provider",
    ]

    let subject: String
    let text: String
    let csv: String
    let payload: Payload
    let filename: String

    /// The webhook body.
    struct Payload: Codable, Sendable {
        let event: String
        let team: String
        let feed: String
        let classification: String
        let tlp: TLPLabel
        let windowStart: Date
        let windowEnd: Date
        let count: Int
        let events: [[String: String]]
    }

    static func load(groupID: UUID, on db: any Database) async throws -> FeedDigest? {
        guard let group = try await FeedGroup.query(on: db).filter(\.$id == groupID).with(\.$team).first() else {
            return nil
        }
        let events = try await StoredFeedEvent.query(on: db).filter(\.$groupID == groupID).sort(\.$timeSource).all()
        return FeedDigest(group: group, events: events)
    }

    init(group: FeedGroup, events: [StoredFeedEvent]) {
        let classification = "\(group.taxonomy)/\(group.type)"
        let rows = events.map(Self.row)
        subject =
            "[\(group.tlp)] \(events.count) \(classification) events from \(group.feedName) for \(group.team.shortName)"
        filename = "\(group.feedName)-\(group.type)-\(Self.stamp(group.windowStart)).csv"
            .replacingOccurrences(of: "/", with: "-")
        var lines = [
            group.tlp.rawValue, "",
            "Concord received \(events.count) events of \(classification) from the feed \(group.feedName) between "
                + "\(NotificationText.utc(group.windowStart)) and \(NotificationText.utc(group.windowEnd)) in "
                + "\(group.team.shortName)'s constituency.",
            "", "They are attached as \(filename). The first ones:",
        ]
        for row in rows.prefix(10) {
            lines.append(
                "  \(row["time.source"] ?? "")  \(row["source.ip"] ?? row["source.fqdn"] ?? "")"
                    + "  \(row["classification.identifier"] ?? "")")
        }
        lines += [
            "", "-- ", "Concord, the forum's coordination service. Handle this message as \(group.tlp).",
        ]
        text = lines.joined(separator: "\n")
        csv =
            ([Self.csvColumns.joined(separator: ",")]
            + rows.map { row in Self.csvColumns.map { DirectoryExporter.csvField(row[$0] ?? "") }.joined(separator: ",")
            })
            .joined(separator: "\r\n") + "\r\n"
        payload = Payload(
            event: NotificationPurpose.feedDigest.webhookEvent, team: group.team.slug, feed: group.feedName,
            classification: classification, tlp: group.tlp, windowStart: group.windowStart, windowEnd: group.windowEnd,
            count: events.count, events: Array(rows.prefix(Self.webhookEventLimit)))
    }

    private static func row(_ event: StoredFeedEvent) -> [String: String] {
        var row: [String: String] = [
            "classification.taxonomy": event.taxonomy, "classification.type": event.type, "feed.name": event.feedName,
        ]
        row["time.source"] = event.timeSource.map { $0.formatted(.iso8601) }
        row["source.ip"] = event.sourceIP
        row["source.port"] = event.sourcePort.map(String.init)
        row["source.asn"] = event.sourceASN.map(String.init)
        row["source.fqdn"] = event.sourceFQDN
        row["source.geolocation.cc"] = event.sourceCountry
        row["classification.identifier"] = event.identifier
        row["feed.provider"] = event.feedProvider
        return row
    }

    private static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .gmt
        formatter.dateFormat = "yyyyMMdd'T'HHmm"
        return formatter.string(from: date)
    }
}
