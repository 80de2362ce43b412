import ConcordCore
import Foundation
import SQLKit

/// What `GET /incidents` and the inbox narrow by: TLP label, reporting team, assigned team,
/// reported since, state, classification, a search, what is overdue, and whom it involves. Each is
/// a condition in SQL, so pages are cut by the database.
struct IncidentListFilter: Sendable {
    var tlp: TLPLabel?
    var reporterTeam: UUID?
    var assignedTeam: UUID?
    var since: Date?
    /// Reported before this time.
    var until: Date?
    var state: IncidentState?
    /// An RSIT taxonomy (`intrusions`) or a full classification (`intrusions/system-compromise`).
    var classification: String?
    /// An incident number, words of the title, or an observable's exact value.
    var search: String?
    /// Only open incidents with an assignment not acknowledged by its deadline, as of this time.
    var overdueAt: Date?
    /// Only incidents the team reported or was assigned, or the user reported or is named in.
    var involving: Involvement?

    /// A team and one of its users, for `involving`.
    struct Involvement: Sendable {
        let team: UUID
        let user: UUID
    }

    /// The conditions over the `incidents` table, to be joined with AND.
    var conditions: [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let tlp { conditions.append("\(Self.column("tlp")) = \(bind: tlp.rawValue)") }
        if let reporterTeam { conditions.append("\(Self.column("reporter_team_id")) = \(bind: reporterTeam)") }
        if let assignedTeam {
            conditions.append(IncidentQueries.ids(in: IncidentAssignment.schema, where: "team_id", is: [assignedTeam]))
        }
        if let since { conditions.append("\(Self.column("reported_at")) >= \(bind: since)") }
        if let until { conditions.append("\(Self.column("reported_at")) < \(bind: until)") }
        if let state { conditions.append(Self.condition(for: state)) }
        if let classification {
            let parts = classification.split(separator: "/", maxSplits: 1).map(String.init)
            conditions.append("\(Self.column("taxonomy")) = \(bind: parts.first ?? "")")
            if parts.count == 2 { conditions.append("\(Self.column("type")) = \(bind: parts[1])") }
        }
        if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            conditions.append(Self.matching(search))
        }
        if let overdueAt {
            conditions.append(
                """
                (\(Self.column("closed_at")) IS NULL AND \(Self.assignmentExists(
                    "\(ident: "state") = \(bind: AssignmentState.notified.rawValue) AND \(ident: "deadline") < \(bind: overdueAt)")))
                """)
        }
        if let involving {
            conditions.append(
                """
                (\(Self.column("reporter_team_id")) = \(bind: involving.team) OR \
                \(Self.column("reporter_user_id")) = \(bind: involving.user) OR \
                \(IncidentQueries.ids(in: IncidentAssignment.schema, where: "team_id", is: [involving.team])) OR \
                \(IncidentQueries.ids(in: IncidentRecipient.schema, where: "user_id", is: [involving.user])))
                """)
        }
        return conditions
    }

    static func column(_ name: String) -> SQLQueryString { "\(ident: Incident.schema).\(ident: name)" }

    /// `EXISTS` an assignment of the row's incident meeting `condition` (none: any assignment).
    static func assignmentExists(_ condition: SQLQueryString? = nil) -> SQLQueryString {
        let base: SQLQueryString = """
            EXISTS (SELECT 1 FROM \(ident: IncidentAssignment.schema) WHERE \
            \(ident: IncidentAssignment.schema).\(ident: "incident_id") = \(column("id"))
            """
        return condition.map { "\(base) AND \($0))" } ?? "\(base))"
    }

    /// The state as `IncidentState.of` derives it, in SQL.
    static func condition(for state: IncidentState) -> SQLQueryString {
        let unfinished = assignmentExists(
            "\(ident: "state") NOT IN (\(binds: [AssignmentState.resolved.rawValue, AssignmentState.declined.rawValue]))"
        )
        let open: SQLQueryString = "\(column("closed_at")) IS NULL"
        switch state {
        case .closed: return "\(column("closed_at")) IS NOT NULL"
        case .triage: return "(\(open) AND NOT \(assignmentExists()))"
        case .open: return "(\(open) AND \(unfinished))"
        case .resolved: return "(\(open) AND \(assignmentExists()) AND NOT \(unfinished))"
        }
    }

    /// The number exactly, the title containing the text (any case), or an observable equal to it.
    static func matching(_ text: String) -> SQLQueryString {
        let lowered = text.lowercased()
        let pattern =
            "%"
            + lowered.replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "%", with: "!%")
            .replacingOccurrences(of: "_", with: "!_") + "%"
        return """
            (\(column("number")) = \(bind: text.uppercased()) OR \
            LOWER(\(column("title"))) LIKE \(bind: pattern) ESCAPE '!' OR \
            \(column("id")) IN (SELECT \(ident: "incident_id") FROM \(ident: IncidentObservable.schema) \
            WHERE LOWER(\(ident: "value")) = \(bind: lowered)))
            """
    }
}

/// The order of a list of incidents: newest first, or the earliest deadline still waiting for an
/// acknowledgement first (of `team` when given: "our deadline"), incidents without one last.
enum IncidentListOrder: Sendable, Equatable {
    case newest
    case deadline(team: UUID?)

    var sql: SQLQueryString {
        let newest: SQLQueryString = """
            \(IncidentListFilter.column("reported_at")) DESC, \(IncidentListFilter.column("id")) DESC
            """
        switch self {
        case .newest:
            return newest
        case .deadline(let team):
            let assignments = IncidentAssignment.schema
            var waiting: SQLQueryString = """
                SELECT MIN(\(ident: "deadline")) FROM \(ident: assignments) WHERE \
                \(ident: assignments).\(ident: "incident_id") = \(IncidentListFilter.column("id")) AND \
                \(ident: "state") = \(bind: AssignmentState.notified.rawValue)
                """
            if let team { waiting = "\(waiting) AND \(ident: "team_id") = \(bind: team)" }
            return "CASE WHEN (\(waiting)) IS NULL THEN 1 ELSE 0 END, (\(waiting)), \(newest)"
        }
    }
}
