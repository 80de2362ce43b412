import Foundation
import Vapor

/// Directory export and import for the command line (`concord directory …`). The operator at the
/// command line holds the database credentials, so the export shows everything and the import is
/// audited as `cli`.
public enum DirectoryTransfer {
    /// The formats of the export.
    public enum Format: String, CaseIterable, Sendable {
        case json, csv
    }

    /// The whole directory in `format`.
    public static func export(_ format: Format, app: Application) async throws -> String {
        let document = try await DirectoryExporter.document(policy: .commandLine, on: app.db)
        switch format {
        case .csv:
            return DirectoryExporter.csv(document)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            return String(decoding: try encoder.encode(document), as: UTF8.self)
        }
    }

    /// Imports a JSON document or the CSV export (told apart by the first character); all or nothing.
    /// Returns a one-line summary.
    public static func importText(_ text: String, app: Application) async throws -> String {
        let summary: DirectoryImporter.Summary
        if text.drop(while: \.isWhitespace).first == "{" {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let document: DirectoryDocument
            do { document = try decoder.decode(DirectoryDocument.self, from: Data(text.utf8)) } catch {
                throw ConcordError(.malformedRequest, "the file is not a Concord directory document: \(error)")
            }
            summary = try await DirectoryImporter.importDocument(
                document, by: .commandLine(app.clock), app: app, on: app.db)
        } else {
            summary = try await DirectoryImporter.importDocument(
                try DirectoryImporter.document(fromCSV: text), managedContactKinds: DirectoryImporter.csvContactKinds,
                by: .commandLine(app.clock), app: app, on: app.db)
        }
        return "imported: \(summary.teamsCreated) team(s) created, \(summary.teamsUpdated) updated, "
            + "\(summary.economiesCreated) economie(s) created"
    }
}

extension Policy {
    /// The operator at the command line: everything, as the forum-wide roles see it.
    static let commandLine = Policy(
        principal: Principal(userID: UUID(), email: "cli", teamID: UUID(), role: .forumAdmin, scopes: nil))
}
