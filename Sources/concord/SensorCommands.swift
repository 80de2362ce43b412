import ArgumentParser
import ConcordCore
import Foundation

/// `concord sensor …`: the darknet sensor's tools. `summarize` is the quick look at captures.
struct SensorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensor", abstract: "Darknet sensor tools: read and summarize captures.",
        subcommands: [Summarize.self, SensorRun.self])

    struct Summarize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Totals, protocols and top destination ports of pcap/pcapng files (like capinfos, for a darknet)."
        )

        @Argument(help: "pcap or pcapng files.") var files: [String]
        @Flag(help: "Print JSON.") var json = false
        @Option(help: "How many services and economies to list.") var top = 10
        @Option(help: "Directory of the GeoIP country databases (Debian's geoip-database).")
        var geoip = GeoIPCountryDatabase.debianDirectory

        func run() throws {
            var summary = CaptureSummary()
            var failures: [String] = []
            let countries = try? GeoIPCountries(directory: geoip)
            if countries == nil {
                FileHandle.standardError.write(
                    Data("note: no GeoIP country data in \(geoip) (Debian: geoip-database); no source economies\n".utf8)
                )
            }
            for file in files {
                do {
                    try CaptureReader.read(path: file) { summary.add($0, countries: countries) }
                } catch {
                    failures.append("\(file): \(error)")
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let report = CaptureSummaryReport(summary, files: files, top: top, errors: failures)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(CaptureSummaryText.render(summary, top: top))
            }
            for failure in failures { FileHandle.standardError.write(Data("error: \(failure)\n".utf8)) }
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }
}

/// `concord sensor summarize --json`: the summary in stable keys.
struct CaptureSummaryReport: Encodable {
    struct EconomyRow: Encodable {
        /// ISO 3166 code; `--` for sources the country data does not place.
        let economy: String
        let packets: Int
        let sources: Int
    }

    struct ServiceRow: Encodable {
        let service: String
        let `protocol`: String
        let port: Int
        let packets: Int
        let sources: Int
    }

    let files: [String]
    let frames: Int
    let bytes: Int
    let packets: Int
    let laterFragments: Int
    let notIP: Int
    let malformed: [String: Int]
    let distinctSources: Int
    let firstSeen: String?
    let lastSeen: String?
    let protocols: [String: Int]
    let topServices: [ServiceRow]
    let topEconomies: [EconomyRow]
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
        distinctSources = summary.sources.count
        firstSeen = summary.firstSeen.map(CaptureSummaryText.time)
        lastSeen = summary.lastSeen.map(CaptureSummaryText.time)
        protocols = Dictionary(
            summary.packetsByProtocol.map { (Service.protocolName($0.key), $0.value) }, uniquingKeysWith: +)
        topServices = summary.topServices(top).map {
            ServiceRow(
                service: $0.service.description, protocol: Service.protocolName($0.service.ipProtocol),
                port: Int($0.service.port), packets: $0.packets, sources: $0.sources)
        }
        topEconomies = summary.topEconomies(top).map {
            EconomyRow(economy: $0.economy, packets: $0.packets, sources: $0.sources)
        }
        self.errors = errors
    }
}

/// The summary as text for people.
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
        lines.append("distinct sources: \(summary.sources.count)")
        lines.append("")
        lines.append("protocol     packets   share")
        for (number, count) in summary.packetsByProtocol.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            lines.append(
                pad(Service.protocolName(number), 10) + leftPad("\(count)", 10)
                    + leftPad(percent(count, of: summary.packets), 8))
        }
        lines.append("")
        lines.append("service        packets   sources")
        for row in summary.topServices(top) {
            lines.append(
                pad(row.service.description, 12) + leftPad("\(row.packets)", 10) + leftPad("\(row.sources)", 10))
        }
        if !summary.economies.isEmpty {
            lines.append("")
            lines.append("economy        packets   sources")
            for row in summary.topEconomies(top) {
                lines.append(pad(row.economy, 12) + leftPad("\(row.packets)", 10) + leftPad("\(row.sources)", 10))
            }
        }
        return lines.joined(separator: "\n")
    }

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
