import ConcordCore
import Foundation
import Vapor

/// One day of forum-wide traffic.
struct TrafficDayDTO: Content, Equatable {
    /// `2026-11-22` (UTC).
    let date: String
    let packets: Int
    let sources: Int
    /// Hours of the day some sensor delivered.
    let hoursWithData: Int

    init(_ day: TrafficOverview.Day) {
        date = SensorNetwork.dateText(day.start)
        packets = day.total.packets
        sources = day.total.sources.count
        hoursWithData = day.hoursWithData
    }

    init(day: Int64, tally: TrafficTally) {
        date = SensorNetwork.dateText(day)
        packets = tally.packets
        sources = tally.sources.count
        hoursWithData = 0
    }
}

/// A row of a top-N table: a service (`tcp/23`), an economy (`JP`), a source prefix or a TCP flag
/// pattern, with its packets and distinct sources over the span.
struct TrafficRowDTO: Content, Equatable {
    let key: String
    let packets: Int
    let sources: Int
    /// The service's protocol name and port, for links to its page (services only).
    var protocolName: String?
    var port: Int?
}

/// `GET /api/v1/sensor-network/overview`: the forum's traffic over a span of days.
struct TrafficOverviewDTO: Content {
    let from: String
    let until: String
    let packets: Int
    let sources: Int
    let days: [TrafficDayDTO]
    let services: [TrafficRowDTO]
    let economies: [TrafficRowDTO]
    let prefixes: [TrafficRowDTO]
    let flagPatterns: [TrafficRowDTO]

    init(_ overview: TrafficOverview, top: Int) {
        from = overview.days.first.map { SensorNetwork.dateText($0.start) } ?? ""
        until = overview.days.last.map { SensorNetwork.dateText($0.start) } ?? ""
        packets = overview.total.packets
        sources = overview.total.sources.count
        days = overview.days.map(TrafficDayDTO.init)
        services = SensorTables.services(overview, top: top)
        economies = SensorTables.rows(overview.economies, top: top) { $0 == "--" ? "unknown" : $0 }
        prefixes = SensorTables.rows(overview.prefixes, top: top) { $0.description }
        flagPatterns = SensorTables.rows(overview.flagPatterns, top: top) { $0.rawValue }
    }
}

/// `GET /api/v1/sensor-network/ports/{protocol}/{port}`: one service's days and its alerts.
struct PortHistoryDTO: Content {
    let service: String
    let protocolName: String
    let port: Int
    let packets: Int
    let sources: Int
    let days: [TrafficDayDTO]
    let alerts: [SurgeAlertDTO]
}

/// The rows of the overview's tables, biggest first (ties by key).
enum SensorTables {
    static func rows<Key: Comparable>(_ table: [Key: TrafficTally], top: Int, _ name: (Key) -> String)
        -> [TrafficRowDTO]
    {
        HourlyAggregate.top(table, top).map {
            TrafficRowDTO(key: name($0.key), packets: $0.tally.packets, sources: $0.tally.sources.count)
        }
    }

    static func services(_ overview: TrafficOverview, top: Int) -> [TrafficRowDTO] {
        HourlyAggregate.top(overview.services, top).map {
            TrafficRowDTO(
                key: $0.key.description, packets: $0.tally.packets, sources: $0.tally.sources.count,
                protocolName: Service.protocolName($0.key.ipProtocol), port: Int($0.key.port))
        }
    }

    /// `tcp`, `udp`, `icmp`, `icmpv6` or a number: the protocol in a port page's address.
    static func protocolNumber(_ text: String) -> UInt8? {
        switch text.lowercased() {
        case "tcp": return 6
        case "udp": return 17
        case "icmp": return 1
        case "icmpv6": return 58
        default: return UInt8(text.hasPrefix("proto-") ? String(text.dropFirst(6)) : text)
        }
    }
}
