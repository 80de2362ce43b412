import ConcordCore
import Foundation
import Vapor

/// One day of forum-wide traffic.
struct TrafficDayDTO: Content, Equatable {
    /// `2026-11-22` (UTC).
    let date: String
    let packets: Int
    let sources: Int
    /// True when `sources` is an estimate (more than 65,536 distinct sources), with its relative
    /// standard error; 0 when exact.
    let sourcesEstimated: Bool
    let sourcesStandardError: Double
    /// Hours of the day some sensor delivered.
    let hoursWithData: Int

    init(_ day: TrafficOverview.Day) {
        self.init(day: day.start, tally: day.total, hoursWithData: day.hoursWithData)
    }

    init(day: Int64, tally: TrafficTally, hoursWithData: Int = 0) {
        date = SensorNetwork.dateText(day)
        packets = tally.packets
        sources = tally.sourceCount
        sourcesEstimated = tally.sourcesEstimated
        sourcesStandardError = tally.sources.standardError
        self.hoursWithData = hoursWithData
    }
}

/// A row of a top-N table: a service (`tcp/23`), an economy (`JP`), a source prefix, a TCP flag
/// pattern or a service's backscatter, with its packets and distinct sources over the span.
struct TrafficRowDTO: Content, Equatable {
    let key: String
    let packets: Int
    let sources: Int
    /// True when `sources` is an estimate, with its relative standard error; 0 when exact.
    let sourcesEstimated: Bool
    let sourcesStandardError: Double
    /// The service's protocol name and port, for links to its page (services only).
    var protocolName: String?
    var port: Int?

    init(key: String, tally: TrafficTally, protocolName: String? = nil, port: Int? = nil) {
        self.key = key
        packets = tally.packets
        sources = tally.sourceCount
        sourcesEstimated = tally.sourcesEstimated
        sourcesStandardError = tally.sources.standardError
        self.protocolName = protocolName
        self.port = port
    }
}

/// A victim of spoofed attacks, by the backscatter it sent into the darknet.
struct VictimRowDTO: Content, Equatable {
    let address: String
    let packets: Int
}

/// `GET /api/v1/sensor-network/overview`: the forum's traffic over a span of days.
struct TrafficOverviewDTO: Content {
    let from: String
    let until: String
    let packets: Int
    let sources: Int
    let sourcesEstimated: Bool
    let sourcesStandardError: Double
    let days: [TrafficDayDTO]
    /// Scans, by the service scanned.
    let services: [TrafficRowDTO]
    let economies: [TrafficRowDTO]
    let prefixes: [TrafficRowDTO]
    let flagPatterns: [TrafficRowDTO]
    /// Backscatter (SYN-ACK, RST, ICMP errors: victims answering spoofed packets), by the victims'
    /// answering service; its `sources` are distinct victims.
    let backscatter: [TrafficRowDTO]
    let victims: [VictimRowDTO]

    init(_ overview: TrafficOverview, top: Int) {
        from = overview.days.first.map { SensorNetwork.dateText($0.start) } ?? ""
        until = overview.days.last.map { SensorNetwork.dateText($0.start) } ?? ""
        packets = overview.total.packets
        sources = overview.total.sourceCount
        sourcesEstimated = overview.total.sourcesEstimated
        sourcesStandardError = overview.total.sources.standardError
        days = overview.days.map(TrafficDayDTO.init)
        services = SensorTables.services(overview.services, top: top)
        economies = SensorTables.rows(overview.economies, top: top) { $0 == "--" ? "unknown" : $0 }
        prefixes = SensorTables.rows(overview.prefixes, top: top) { $0.description }
        flagPatterns = SensorTables.rows(overview.flagPatterns, top: top) { $0.rawValue }
        backscatter = SensorTables.services(overview.backscatter, top: top)
        victims = HourlyAggregate.topVictims(overview.victims, top).map {
            VictimRowDTO(address: $0.address.description, packets: $0.packets)
        }
    }
}

/// `GET /api/v1/sensor-network/ports/{protocol}/{port}`: one service's days and its alerts.
struct PortHistoryDTO: Content {
    let service: String
    let protocolName: String
    let port: Int
    let packets: Int
    let sources: Int
    let sourcesEstimated: Bool
    let sourcesStandardError: Double
    let days: [TrafficDayDTO]
    let alerts: [SurgeAlertDTO]
}

/// The rows of the overview's tables, biggest first (ties by key).
enum SensorTables {
    static func rows<Key: Comparable>(_ table: [Key: TrafficTally], top: Int, _ name: (Key) -> String)
        -> [TrafficRowDTO]
    {
        HourlyAggregate.top(table, top).map { TrafficRowDTO(key: name($0.key), tally: $0.tally) }
    }

    /// Services by distinct sources (as the surge monitor ranks them: many scanners, not one busy
    /// one), ties by packets.
    static func services(_ table: [Service: TrafficTally], top: Int) -> [TrafficRowDTO] {
        HourlyAggregate.topBySources(table, top).map {
            TrafficRowDTO(
                key: $0.key.description, tally: $0.tally, protocolName: Service.protocolName($0.key.ipProtocol),
                port: Int($0.key.port))
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
