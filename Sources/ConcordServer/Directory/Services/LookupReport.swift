import ConcordCore
import Foundation
import Vapor

/// The routing lookup for the command line: the same answer as `GET /api/v1/lookup`, as text or JSON.
public enum LookupReport {
    /// Answers `value` (an IP address, AS number or domain), optionally with an economy hint.
    public static func render(_ value: String, economy: String?, json: Bool, app: Application) async throws -> String {
        guard let query = RoutingQuery(value) else {
            throw ConcordError.invalid(field: "value", RoutingQuery.refusal(value))
        }
        let snapshot = try await app.routingDirectory.current(on: app.db)
        let answer = try LookupService.answer(query, economyHint: economy, snapshot: snapshot)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return String(decoding: try encoder.encode(answer), as: UTF8.self)
        }
        var lines: [String] = []
        for match in answer.matches {
            lines.append("\(match.team.shortName) (\(match.team.slug), \(match.team.economy)): \(match.reason)")
            for poc in match.team.pointsOfContact {
                lines.append("    \(poc.kind): \(poc.value)" + (poc.pgpFingerprint.map { "  key \($0)" } ?? ""))
            }
        }
        return lines.isEmpty ? "no team is responsible and no secretariat is configured" : lines.joined(separator: "\n")
    }
}
