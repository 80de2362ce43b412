import ConcordCore
import Foundation
import Vapor

/// `concord feed import`: a feed file from disk, as the operator at the command line.
public enum FeedFileImport {
    /// What the command prints.
    public struct Summary: Sendable {
        public let lines: Int
        public let stored: Int
        public let duplicates: Int
        public let malformed: Int
        public let triaged: Int
        public let groups: Int
        public let errors: [String]
    }

    /// Imports `path`; `progress` hears (bytes read so far as lines, total bytes) after every batch.
    public static func run(
        path: String, format: String, feedName: String?, mapping: String, tlp: String, app: Application,
        progress: @escaping @Sendable (_ lines: Int) -> Void
    ) async throws -> Summary {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConcordError.invalid(field: "file", "cannot read \(path)")
        }
        defer { try? handle.close() }
        guard format == "intelmq" || format == "csv" else {
            throw ConcordError.invalid(field: "format", "must be intelmq or csv")
        }
        guard let label = TLPLabel(text: tlp), label != .red else {
            throw ConcordError.invalid(field: "tlp", "must be TLP:CLEAR, TLP:GREEN, TLP:AMBER or TLP:AMBER+STRICT")
        }
        let options = FeedImportOptions(
            format: format == "csv" ? .csv(mapping: try FeedMapping.parse(mapping)) : .intelmq, feedName: feedName,
            tlp: label, source: (path as NSString).lastPathComponent, importedBy: "cli")
        let snapshot = try await app.routingDirectory.current(on: app.db)
        let report = try await FeedImporter(db: app.db, snapshot: snapshot, options: options, clock: app.clock)
            .run(FileLines(handle: handle), progress: progress)
        return Summary(
            lines: report.lines, stored: report.stored, duplicates: report.duplicates, malformed: report.malformed,
            triaged: report.triaged, groups: report.groups ?? 0, errors: report.errors)
    }
}
