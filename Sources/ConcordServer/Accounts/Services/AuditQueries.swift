import Fluent

/// The audit log as its reader may see it. A line about an object passes the same policy as the
/// object: a line about an incident the reader may not read (a TLP:RED one that does not name the
/// reader's team) is left out, so its title, file names, hashes and the number of teams it went to
/// reach no one the incident does not name, and neither does the fact that it exists.
enum AuditQueries {
    /// What the audit log narrows by: the actor (exactly, any case), the action (`token.create`, or
    /// every action of a kind: `incident.`), and the object (`incident` or `incident:INC-2026-000001`).
    struct Filter: Sendable {
        var actor: String?
        var action: String?
        var target: String?

        func apply(_ query: QueryBuilder<AuditEntry>) -> QueryBuilder<AuditEntry> {
            var query = query
            if let actor { query = query.filter(\.$actor == actor.lowercased()) }
            if let action {
                query = action.hasSuffix(".") ? query.filter(\.$action =~ action) : query.filter(\.$action == action)
            }
            if let target {
                let parts = target.split(separator: ":", maxSplits: 1).map(String.init)
                query = query.filter(\.$targetType == (parts.first ?? ""))
                if parts.count == 2 { query = query.filter(\.$targetID == parts[1]) }
            }
            return query
        }
    }

    /// The newest `limit` lines the caller may see, newest first, after `skip` of them.
    static func newest(limit: Int, filter: Filter = .init(), skip: Int = 0, caller: Caller) async throws
        -> [AuditEntry]
    {
        try caller.policy.require(.readAuditLog)
        var shown: [AuditEntry] = []
        var readable: [String: Bool] = [:]
        var offset = 0
        let batch = max(limit, 100)
        while shown.count < limit + skip {
            let page = try await filter.apply(AuditEntry.query(on: caller.db)).sort(\.$at, .descending)
                .sort(\.$id, .descending).range(offset..<(offset + batch)).all()
            offset += page.count
            for entry in page where shown.count < limit + skip {
                if try await mayRead(entry, caller: caller, known: &readable) { shown.append(entry) }
            }
            if page.count < batch { break }
        }
        return Array(shown.dropFirst(skip))
    }

    /// Whether the caller may read the object the line is about (every line not about an incident is
    /// the forum's own business, which the audit permission covers).
    private static func mayRead(_ entry: AuditEntry, caller: Caller, known: inout [String: Bool]) async throws
        -> Bool
    {
        guard entry.targetType == "incident", let number = entry.targetID else { return true }
        if let answer = known[number] { return answer }
        let answer: Bool
        do {
            _ = try await IncidentQueries.visible(number, caller: caller)
            answer = true
        } catch let error as ConcordError where error.code == .notFound {
            answer = false
        }
        known[number] = answer
        return answer
    }
}
