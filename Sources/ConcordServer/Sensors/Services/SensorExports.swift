import ConcordCore
import Foundation

/// The sensor network's tables as CSV (RFC 4180, CRLF). For an export meant for outside the forum
/// (`audience=outside`) source prefixes become keyed pseudonyms and sensors lose their darknet
/// prefix; counts, services and economies stay as they are. Every count of distinct sources has a
/// `distinct_sources_estimated` column beside it (true past 65,536, where HyperLogLog estimates).
enum SensorExports {
    /// The tables there are, by file name.
    static let tables = [
        "days", "services", "economies", "prefixes", "flags", "backscatter", "victims", "alerts", "sensors",
    ]

    /// Who the file is for.
    enum Audience: String, Sendable {
        case forum
        case outside
    }

    static func csv(
        _ table: String, overview: TrafficOverview, alerts: [SurgeAlertDTO], sensors: [SensorHealth],
        audience: Audience, pseudonym: (String) -> String
    ) -> String? {
        var rows: [[String]]
        switch table {
        case "days":
            rows = [["date", "packets", "distinct_sources", "distinct_sources_estimated", "hours_with_data"]]
            rows += overview.days.map(TrafficDayDTO.init).map {
                [$0.date, "\($0.packets)", "\($0.sources)", "\($0.sourcesEstimated)", "\($0.hoursWithData)"]
            }
        case "services", "backscatter":
            let scans = table == "services"
            rows = [
                [
                    "service", "protocol", "port", "packets", scans ? "distinct_sources" : "distinct_victims",
                    scans ? "distinct_sources_estimated" : "distinct_victims_estimated",
                ]
            ]
            rows += SensorTables.services(scans ? overview.services : overview.backscatter, top: .max).map {
                [$0.key, $0.protocolName ?? "", $0.port.map(String.init) ?? ""] + counts($0)
            }
        case "victims":
            rows = [["victim", "packets"]]
            rows += HourlyAggregate.topVictims(overview.victims, .max).map {
                [audience == .outside ? pseudonym($0.address.description) : $0.address.description, "\($0.packets)"]
            }
        case "economies":
            rows = [["economy", "packets", "distinct_sources", "distinct_sources_estimated"]]
            rows += SensorTables.rows(overview.economies, top: .max) { $0 == "--" ? "unknown" : $0 }.map {
                [$0.key] + counts($0)
            }
        case "prefixes":
            let outside = audience == .outside
            rows = [
                [
                    outside ? "source_prefix_pseudonym" : "source_prefix", "packets", "distinct_sources",
                    "distinct_sources_estimated",
                ]
            ]
            rows += SensorTables.rows(overview.prefixes, top: .max) {
                outside ? pseudonym($0.description) : $0.description
            }
            .map { [$0.key] + counts($0) }
        case "flags":
            rows = [["tcp_flag_pattern", "packets", "distinct_sources", "distinct_sources_estimated"]]
            rows += SensorTables.rows(overview.flagPatterns, top: .max) { $0.rawValue }.map { [$0.key] + counts($0) }
        case "alerts":
            rows = [
                [
                    "band_start", "band_end", "service", "distinct_sources", "packets", "baseline_median",
                    "baseline_mad", "baseline_days", "score",
                ]
            ]
            let formatter = ISO8601DateFormatter()
            rows += alerts.map {
                [
                    formatter.string(from: $0.bandStart), formatter.string(from: $0.bandEnd), $0.service,
                    "\($0.sources)", "\($0.packets)", DecimalText.oneDecimal($0.baselineMedian),
                    DecimalText.oneDecimal($0.baselineMAD), "\($0.baselineDays)", DecimalText.oneDecimal($0.score),
                ]
            }
        case "sensors":
            let outside = audience == .outside
            rows = [
                ["team", "sensor", "location"] + (outside ? [] : ["darknet_prefix"])
                    + ["state", "last_upload", "hours_last_24h", "uptime_this_month"]
            ]
            let formatter = ISO8601DateFormatter()
            rows += sensors.map {
                [$0.team, $0.name, $0.location] + (outside ? [] : [$0.prefix ?? ""])
                    + [
                        $0.state.rawValue, $0.lastUploadAt.map(formatter.string(from:)) ?? "", "\($0.hoursLastDay)",
                        DecimalText.oneDecimal($0.uptimeThisMonth * 100),
                    ]
            }
        default:
            return nil
        }
        return rows.map { $0.map(DirectoryExporter.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// Packets, distinct sources and whether the latter is an estimate.
    private static func counts(_ row: TrafficRowDTO) -> [String] {
        ["\(row.packets)", "\(row.sources)", "\(row.sourcesEstimated)"]
    }
}
