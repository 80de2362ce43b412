import ConcordCore
import Fluent
import FluentSQL
import Foundation

/// An incident as a list line and the inbox need it: its own columns, the reporting team's slug,
/// and who its parties are (assignments and named recipients), for the policy and the state.
/// Read with SQL straight into values, without building Fluent models (a page of 50 spent most
/// of its time in that machinery).
struct IncidentListRow: Sendable {
    /// One team's assignment, as far as a list line needs it.
    struct Assignment: Sendable {
        let teamID: UUID
        let state: AssignmentState
        let escalations: Int
        let deadline: Date?
        var notifiedAt: Date? = nil
        var acknowledgedAt: Date? = nil
        var resolvedAt: Date? = nil
    }

    let id: UUID
    let number: String
    let title: String
    let taxonomy: String
    let type: String
    let severity: String
    let tlp: TLPLabel
    let reporterTeamID: UUID
    let reporterTeamSlug: String
    let reporterUserID: UUID
    let reportedAt: Date
    let closedAt: Date?
    /// The incident this one was merged into, if it is a duplicate.
    var duplicateOf: UUID? = nil
    var assignments: [Assignment] = []
    var recipientUserIDs: [UUID] = []

    /// The parties the policy judges the row by, as for a whole incident.
    var parties: IncidentParties {
        let assigned = Set(assignments.map(\.teamID.uuidString))
        return IncidentParties(
            audience: TLPAudience(
                label: tlp, ownerTeam: reporterTeamID.uuidString,
                ownerUser: reporterUserID.uuidString, recipientTeams: assigned,
                recipientUsers: Set(recipientUserIDs.map(\.uuidString))),
            assignedTeams: assigned)
    }

    var state: IncidentState {
        IncidentState.of(
            assignments: assignments.map(\.state),
            closedByReporter: closedAt != nil)
    }

    var summary: IncidentSummaryDTO {
        IncidentSummaryDTO(
            number: number, title: title, classification: "\(taxonomy)/\(type)", severity: severity, tlp: tlp,
            state: state, reporterTeam: reporterTeamSlug, reportedAt: reportedAt)
    }
}

/// Reads `IncidentListRow`s: one query for the incidents, one for their assignments, one for
/// their recipients, never one per row.
enum IncidentListRows {
    /// The incidents matching `condition` (SQL over the `incidents` table), at most `limit` from
    /// `offset` on, in `order` (newest first with the id breaking ties unless told), with their
    /// assignments and recipients.
    static func read(
        where condition: SQLQueryString, order: IncidentListOrder = .newest, limit: Int, offset: Int = 0,
        on db: any Database
    ) async throws -> [IncidentListRow] {
        let sql = try sqlDatabase(db)
        let incidents = Incident.schema
        let teams = Team.schema
        let query: SQLQueryString = """
            SELECT \(ident: incidents).\(ident: "id"), \(ident: "number"), \(ident: "title"), \(ident: "taxonomy"), \
            \(ident: "type"), \(ident: "severity"), \(ident: "tlp"), \(ident: "reporter_team_id"), \
            \(ident: "reporter_user_id"), \(ident: "reported_at"), \(ident: "closed_at"), \(ident: "duplicate_of_id"), \
            \(ident: teams).\(ident: "slug") AS \(ident: "reporter_team_slug") \
            FROM \(ident: incidents) JOIN \(ident: teams) \
            ON \(ident: teams).\(ident: "id") = \(ident: incidents).\(ident: "reporter_team_id") \
            WHERE \(condition) \
            ORDER BY \(order.sql) LIMIT \(literal: limit) OFFSET \(literal: max(offset, 0))
            """
        var rows = try await sql.raw(query).all().map(row(from:))
        guard !rows.isEmpty else { return rows }
        let ids = rows.map(\.id)
        let position = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        let assignments: SQLQueryString = """
            SELECT \(ident: "incident_id"), \(ident: "team_id"), \(ident: "state"), \(ident: "escalations"), \
            \(ident: "deadline"), \(ident: "notified_at"), \(ident: "acknowledged_at"), \(ident: "resolved_at") \
            FROM \(ident: IncidentAssignment.schema) WHERE \(ident: "incident_id") IN (\(binds: ids))
            """
        for assignment in try await sql.raw(assignments).all() {
            guard let index = position[try assignment.decode(column: "incident_id", as: UUID.self)] else { continue }
            rows[index].assignments.append(
                .init(
                    teamID: try assignment.decode(column: "team_id", as: UUID.self),
                    state: try assignment.decodeStored(
                        "state", of: IncidentAssignment.schema, as: AssignmentState.self),
                    escalations: try assignment.decode(column: "escalations", as: Int.self),
                    deadline: try assignment.decode(column: "deadline", as: Date?.self),
                    notifiedAt: try assignment.decode(column: "notified_at", as: Date?.self),
                    acknowledgedAt: try assignment.decode(column: "acknowledged_at", as: Date?.self),
                    resolvedAt: try assignment.decode(column: "resolved_at", as: Date?.self)))
        }
        let recipients: SQLQueryString = """
            SELECT \(ident: "incident_id"), \(ident: "user_id") FROM \(ident: IncidentRecipient.schema) \
            WHERE \(ident: "incident_id") IN (\(binds: ids))
            """
        for recipient in try await sql.raw(recipients).all() {
            guard let index = position[try recipient.decode(column: "incident_id", as: UUID.self)] else { continue }
            rows[index].recipientUserIDs.append(try recipient.decode(column: "user_id", as: UUID.self))
        }
        return rows
    }

    /// The time of each incident's newest timeline line, by incident id (absent when it has none).
    static func lastActivity(of ids: [UUID], on db: any Database) async throws -> [UUID: Date] {
        guard !ids.isEmpty else { return [:] }
        let query: SQLQueryString = """
            SELECT \(ident: "incident_id"), MAX(\(ident: "at")) AS \(ident: "last") \
            FROM \(ident: IncidentTimelineEntry.schema) WHERE \(ident: "incident_id") IN (\(binds: ids)) \
            GROUP BY \(ident: "incident_id")
            """
        var last: [UUID: Date] = [:]
        for row in try await sqlDatabase(db).raw(query).all() {
            last[try row.decode(column: "incident_id", as: UUID.self)] = try row.decode(column: "last", as: Date.self)
        }
        return last
    }

    private static func row(from row: any SQLRow) throws -> IncidentListRow {
        IncidentListRow(
            id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            taxonomy: try row.decode(column: "taxonomy", as: String.self),
            type: try row.decode(column: "type", as: String.self),
            severity: try row.decode(column: "severity", as: String.self),
            tlp: try row.decodeStored("tlp", of: Incident.schema, as: TLPLabel.self),
            reporterTeamID: try row.decode(column: "reporter_team_id", as: UUID.self),
            reporterTeamSlug: try row.decode(column: "reporter_team_slug", as: String.self),
            reporterUserID: try row.decode(column: "reporter_user_id", as: UUID.self),
            reportedAt: try row.decode(column: "reported_at", as: Date.self),
            closedAt: try row.decode(column: "closed_at", as: Date?.self),
            duplicateOf: try row.decode(column: "duplicate_of_id", as: UUID?.self))
    }

    private static func sqlDatabase(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else {
            throw ConcordError(.unavailable, "the incident list needs an SQL database")
        }
        return sql
    }
}
