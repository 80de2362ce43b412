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
