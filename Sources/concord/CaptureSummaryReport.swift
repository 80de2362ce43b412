import ConcordCore
import Foundation

/// `concord sensor summarize --json`: the summary in stable keys. Every count of distinct sources
/// says whether it is exact or an estimate, and the estimate's relative standard error.
struct CaptureSummaryReport: Encodable {
    /// Packets and distinct sources of one row (a service, an economy, backscatter of a service).
    struct Row: Encodable {
        let key: String
        let `protocol`: String?
        let port: Int?
        let packets: Int
        let sources: Int
        /// True when `sources` is a HyperLogLog estimate (more than 65,536 distinct sources).
        let sourcesEstimated: Bool
        /// The estimate's relative standard error (0.0041 is 0.41 %); 0 when exact.
        let sourcesStandardError: Double

        init(key: String, service: Service? = nil, tally: TrafficTally) {
            self.key = key
            self.protocol = service.map { Service.protocolName($0.ipProtocol) }
            port = service.map { Int($0.port) }
            packets = tally.packets
            sources = tally.sourceCount
            sourcesEstimated = tally.sourcesEstimated
            sourcesStandardError = tally.sources.standardError
        }
    }

    /// A victim of spoofed attacks and the backscatter it sent.
    struct VictimRow: Encodable {
        let address: String
        let packets: Int
    }

    let files: [String]
    let frames: Int
    let bytes: Int
    let packets: Int
    let laterFragments: Int
    let notIP: Int
    let malformed: [String: Int]
    let distinctSources: Int
    let distinctSourcesEstimated: Bool
    let distinctSourcesStandardError: Double
    let firstSeen: String?
    let lastSeen: String?
    let protocols: [String: Int]
    /// Scans, by the service scanned (destination port or ICMP type), most packets first.
    let topServices: [Row]
    /// Backscatter, by the victims' answering port (or ICMP error type); `sources` are victims.
    let backscatter: [Row]
    let backscatterPackets: Int
    let topVictims: [VictimRow]
    /// `economy` rows: ISO 3166 code, `--` for sources the country data does not place.
    let topEconomies: [Row]
    /// Files that could not be read to the end, with the byte offset; what came before is counted.
    let errors: [String]

    init(_ summary: CaptureSummary, files: [String], top: Int, errors: [String]) {
        self.files = files
        frames = summary.frames
        bytes = summary.bytes
        packets = summary.packets
        laterFragments = summary.laterFragments
        notIP = summary.notIP
        malformed = Dictionary(uniqueKeysWithValues: summary.malformed.map { ($0.key.rawValue, $0.value) })
        distinctSources = summary.sourceCount
        distinctSourcesEstimated = !summary.sources.isExact
        distinctSourcesStandardError = summary.sources.standardError
        firstSeen = summary.firstSeen.map(CaptureSummaryText.time)
        lastSeen = summary.lastSeen.map(CaptureSummaryText.time)
        protocols = Dictionary(
            summary.packetsByProtocol.map { (Service.protocolName($0.key), $0.value) }, uniquingKeysWith: +)
        topServices = summary.topServices(top).map {
            Row(key: $0.service.description, service: $0.service, tally: $0.tally)
        }
        backscatter = summary.topBackscatter(top).map {
            Row(key: $0.service.description, service: $0.service, tally: $0.tally)
        }
        backscatterPackets = summary.backscatter.values.reduce(0) { $0 + $1.packets }
        topVictims = summary.topVictims(top).map { VictimRow(address: $0.address.description, packets: $0.packets) }
        topEconomies = summary.topEconomies(top).map { Row(key: $0.economy, tally: $0.tally) }
        self.errors = errors
    }
}

/// The summary as text for people; an estimated count of sources is printed as `≈139,111`.
enum CaptureSummaryText {
    static func render(_ summary: CaptureSummary, top: Int) -> String {
        var lines: [String] = []
        lines.append("frames:           \(summary.frames) (\(summary.bytes) bytes on the wire)")
        if let first = summary.firstSeen, let last = summary.lastSeen {
            lines.append("first, last:      \(time(first)), \(time(last))")
        }
        lines.append(
            "IP packets:       \(summary.packets) (+ \(summary.laterFragments) later fragments of them)")
        lines.append("not IP:           \(summary.notIP)")
        let malformed = summary.malformed.values.reduce(0, +)
        lines.append("malformed:        \(malformed)")
        for (reason, count) in summary.malformed.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            lines.append("  \(reason.rawValue): \(count)")
        }
        lines.append(
            "distinct sources: "
                + sources(summary.sourceCount, estimated: !summary.sources.isExact))
        lines.append("")
        lines.append("protocol     packets   share")
        for (number, count) in summary.packetsByProtocol.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            lines.append(
                pad(Service.protocolName(number), 10) + leftPad("\(count)", 10)
                    + leftPad(percent(count, of: summary.packets), 8))
        }
        var estimated = !summary.sources.isExact
        func table(_ title: String, _ counted: String, _ rows: [(String, TrafficTally)]) {
            guard !rows.isEmpty else { return }
            lines.append("")
            lines.append(pad(title, 12) + leftPad("packets", 10) + leftPad(counted, 10))
            for (key, tally) in rows {
                estimated = estimated || tally.sourcesEstimated
                lines.append(
                    pad(key, 12) + leftPad("\(tally.packets)", 10)
                        + leftPad(sources(tally.sourceCount, estimated: tally.sourcesEstimated), 10))
            }
        }
        table("scanned", "sources", summary.topServices(top).map { ($0.service.description, $0.tally) })
        table("backscatter", "victims", summary.topBackscatter(top).map { ($0.service.description, $0.tally) })
        if !summary.victims.isEmpty {
            lines.append("")
            lines.append(pad("victim", 24) + leftPad("packets", 9))
            for row in summary.topVictims(top) {
                lines.append(pad(row.address.description, 24) + leftPad("\(row.packets)", 9))
            }
        }
        table("economy", "sources", summary.topEconomies(top).map { ($0.economy, $0.tally) })
        if estimated {
            lines.append("")
            lines.append(
                "≈: estimated (more than \(DistinctCounter.exactLimit) distinct sources), relative standard error "
                    + String(format: "%.2f %%", DistinctCounter.sketchStandardError * 100))
        }
        return lines.joined(separator: "\n")
    }

    static func sources(_ count: Int, estimated: Bool) -> String { (estimated ? "≈" : "") + "\(count)" }

    static func time(_ nanoseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(nanoseconds) / 1e9)
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private static func percent(_ count: Int, of total: Int) -> String {
        guard total > 0 else { return "-" }
        return String(format: "%.1f%%", Double(count) * 100 / Double(total))
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
