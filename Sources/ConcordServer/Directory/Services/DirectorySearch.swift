import ConcordCore
import Fluent
import Vapor

/// Directory search: by name, economy, and by IP, AS number or domain through the routing table.
enum DirectorySearch {
    /// Teams matching `text` (nil: all) in `economy` (nil: any), sorted by short name, with economy
    /// and category loaded.
    static func teams(matching text: String?, economy: String?, caller: Caller) async throws -> [Team] {
        var query = Team.query(on: caller.db).with(\.$economy).with(\.$category)
        if let economy, !economy.isEmpty {
            let economyID = try await DirectoryQueries.economy(economy, on: caller.db).requireID()
            query = query.filter(\.$economy.$id == economyID)
        }
        var teams = try await query.all()
        let needle = (text ?? "").trimmingCharacters(in: .whitespaces)
        if !needle.isEmpty {
            var routed: [UUID] = []
            if let routingQuery = RoutingQuery(needle),
                needle.contains(".") || needle.contains(":") || ASNumber(needle) != nil
            {
                let snapshot = try await caller.app.routingDirectory.current(on: caller.db)
                routed = snapshot.table.directMatches(routingQuery).map(\.team)
            }
            let lower = needle.lowercased()
            teams = teams.filter { team in
                routed.contains(team.id ?? UUID())
                    || [team.slug, team.shortName, team.fullName, team.economy.name].contains {
                        $0.lowercased().contains(lower)
                    }
            }
            // Routed teams first, most specific first, then name matches.
            teams.sort { lhs, rhs in
                let left = routed.firstIndex(of: lhs.id ?? UUID()) ?? Int.max
                let right = routed.firstIndex(of: rhs.id ?? UUID()) ?? Int.max
                return left != right ? left < right : lhs.shortName < rhs.shortName
            }
            return teams
        }
        return teams.sorted { $0.shortName < $1.shortName }
    }
}
