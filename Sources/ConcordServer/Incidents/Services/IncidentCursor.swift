import Foundation

/// Where the next page of `GET /incidents` starts: after the incident with `id`, in the list's
/// order (newest first, the id breaking ties). The page's query compares with that row's stored
/// time in SQL, so no time makes a round trip through Swift (SQLite's driver rounds to the
/// microsecond on reading). Held by the client signed by the server's secret
/// (`ServerSecret.signedCursor`), so it cannot be forged and any instance can read it.
struct IncidentCursor: Equatable, Sendable {
    let id: UUID

    init(id: UUID) {
        self.id = id
    }

    /// The text that is signed.
    var payload: String { "incidents|\(id.uuidString.lowercased())" }

    /// Reads a payload made by `payload`; nil for anything else.
    init?(payload: String) {
        let parts = payload.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "incidents", let id = UUID(uuidString: String(parts[1])) else { return nil }
        self.init(id: id)
    }
}
