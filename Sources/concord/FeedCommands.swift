import ArgumentParser
import ConcordServer
import Foundation

/// `concord feed import FILE`: a bulk feed, routed, stored and grouped, with a progress bar.
struct FeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed", abstract: "Import bulk feeds (IntelMQ JSON lines or CSV).", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Route, store and group a feed file; importing the same file again stores nothing twice.")

        @Argument(help: "The file: one IntelMQ JSON object per line, or CSV with a header.") var file: String
        @Option(help: "intelmq or csv.") var format = "intelmq"
        @Option(help: "feed.name for events that do not carry one.") var feed: String?
        @Option(help: "CSV columns to IntelMQ fields: ip:source.ip,asn:source.asn,…") var map = ""
        @Option(help: "TLP of the notifications.") var tlp = "TLP:AMBER"
        @Flag(help: "No progress bar.") var quiet = false

        func run() async throws {
            let total = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
            let estimate = ProgressEstimate(path: file, bytes: total)
            let started = Date()
            let quiet = quiet
            // Beside a live server: never migrate its database from here.
            let summary = try await ApplicationRunner.withApplication(schema: .requireCurrent) { app in
                try await FeedFileImport.run(
                    path: file, format: format, feedName: feed, mapping: map, tlp: tlp, app: app
                ) { lines in
                    if !quiet { ProgressBar.draw(lines: lines, estimate: estimate, since: started) }
                }
            }
            if !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            print(
                "\(summary.lines) lines: \(summary.stored) stored, \(summary.duplicates) duplicates, "
                    + "\(summary.malformed) malformed, \(summary.triaged) to triage, \(summary.groups) notifications "
                    + "(\(Int(Double(summary.lines) / seconds)) lines/s)")
            for error in summary.errors { print("  \(error)") }
        }
    }
}

/// How many lines the file has, estimated from its size and its first 64 KiB.
struct ProgressEstimate: Sendable {
    let lines: Int?

    init(path: String, bytes: Int?) {
        guard let bytes, let handle = FileHandle(forReadingAtPath: path),
            let head = try? handle.read(upToCount: 65_536), !head.isEmpty
        else {
            lines = nil
            return
        }
        try? handle.close()
        let newlines = max(head.filter { $0 == 0x0A }.count, 1)
        lines = Int(Double(bytes) / Double(head.count) * Double(newlines))
    }
}

/// `[#########           ]  45%  450000 lines  52000/s` on standard error.
enum ProgressBar {
    static func draw(lines: Int, estimate: ProgressEstimate, since start: Date) {
        let rate = Int(Double(lines) / max(Date().timeIntervalSince(start), 0.001))
        var text = "\r"
        if let total = estimate.lines, total > 0 {
            let fraction = min(Double(lines) / Double(total), 1)
            let filled = Int(fraction * 30)
            text += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled) + "] "
            text += String(format: "%3d%%  ", Int(fraction * 100))
        }
        text += "\(lines) lines  \(rate)/s"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
