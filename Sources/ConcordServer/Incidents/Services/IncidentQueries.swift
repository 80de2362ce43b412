import ConcordCore
import Fluent
import FluentSQL
import Vapor

/// Loads incidents and turns them into what the viewer may see. An incident the policy hides is
/// answered as missing (404), so its number tells nothing.
enum IncidentQueries {
    /// The incident with this number and everything `IncidentDTO` needs, if the viewer may read it.
    static func visible(_ number: String, caller: Caller) async throws -> Incident {
        try caller.policy.require(.readDirectory)
        guard let incident = try await load(on: caller.db, { $0.filter(\.$number == number.uppercased()) }).first,
            caller.policy.allows(.readIncident(parties(of: incident)))
        else { throw ConcordError.notFound("incident \(number)") }
        return incident
    }

    /// The newest incidents the viewer may read (at most `limit`). SQL narrows to a superset of what
    /// the policy can admit (the viewer's team's incidents, CLEAR and GREEN ones, AMBER ones of the
    /// viewer's national teams, those naming the viewer, or all but RED for the forum-wide roles), so
    /// the list does not grow with the forum's history; the policy still decides every row.
    ///
    /// Pages run by keyset (`after`, newest first): each page is one query, however deep. `next`
    /// is where the following page starts, nil on the last; a page may hold fewer than `limit`
    /// when the policy or the state filter drops rows, and still have a next.
    static func visibleList(
        limit: Int, filter: IncidentListFilter = .init(), after: IncidentCursor? = nil, policy: Policy,
        on db: any Database
    ) async throws -> (incidents: [IncidentListRow], next: IncidentCursor?) {
        try policy.require(.readDirectory)
        var conditions = filter.conditions
        if let after { conditions.append(Self.rows(after: after)) }
        conditions.append(try Self.mayBeParty(policy))
        let candidates = try await IncidentListRows.read(
            where: conditions.joined(separator: " AND "), limit: limit, on: db)
        let next = candidates.count == limit ? candidates.last.map { IncidentCursor(id: $0.id) } : nil
        return (Self.admitted(candidates, filter: filter, policy: policy), next)
    }

    /// One page of the incidents the viewer may read, `limit` rows from `offset` in `order` (the
    /// inbox's pages: one query each, the database sorting and skipping). `more` says whether rows
    /// follow; as in `visibleList`, the policy may drop rows the SQL admitted.
    static func page(
        filter: IncidentListFilter, order: IncidentListOrder, offset: Int, limit: Int, policy: Policy,
        on db: any Database
    ) async throws -> (incidents: [IncidentListRow], more: Bool) {
        try policy.require(.readDirectory)
        let conditions = filter.conditions + [try Self.mayBeParty(policy)]
        let candidates = try await IncidentListRows.read(
            where: conditions.joined(separator: " AND "), order: order, limit: limit + 1, offset: offset, on: db)
        return (
            Self.admitted(Array(candidates.prefix(limit)), filter: filter, policy: policy), candidates.count > limit
        )
    }

    /// Every incident matching `filter` that the viewer may read, read in pages of `batch` (the
    /// statistics: figures count only what their reader may see).
    static func allVisible(filter: IncidentListFilter, policy: Policy, batch: Int = 10_000, on db: any Database)
        async throws -> [IncidentListRow]
    {
        var rows: [IncidentListRow] = []
        var offset = 0
        while true {
            let conditions = filter.conditions + [try Self.mayBeParty(policy)]
            let candidates = try await IncidentListRows.read(
                where: conditions.joined(separator: " AND "), limit: batch, offset: offset, on: db)
            rows += Self.admitted(candidates, filter: filter, policy: policy)
            guard candidates.count == batch else { return rows }
            offset += batch
        }
    }

    /// The rows the policy admits (and, for older callers, of the wanted state).
    private static func admitted(_ rows: [IncidentListRow], filter: IncidentListFilter, policy: Policy)
        -> [IncidentListRow]
    {
        rows.filter { row in
            guard policy.allows(.readIncident(row.parties)) else { return false }
            guard let wanted = filter.state else { return true }
            return row.state == wanted
        }
    }

    /// A superset, in SQL, of the incidents the policy can admit for the viewer: who is a party,
    /// as subqueries (the lists of ids would grow with the forum's history).
    private static func mayBeParty(_ policy: Policy) throws -> SQLQueryString {
        guard let principal = policy.principal else { throw ConcordError.unauthenticated }
        let table = Incident.schema
        func column(_ name: String) -> SQLQueryString { "\(ident: table).\(ident: name)" }
        var party: [SQLQueryString] = []
        if principal.role.isForumWide {
            party.append("\(column("tlp")) <> \(bind: TLPLabel.red.rawValue)")
        } else {
            party.append("\(column("tlp")) IN (\(binds: [TLPLabel.clear.rawValue, TLPLabel.green.rawValue]))")
            party.append("\(column("reporter_team_id")) = \(bind: principal.teamID)")
            party.append(Self.ids(in: IncidentAssignment.schema, where: "team_id", is: [principal.teamID]))
            let national = Array(principal.nationalTeams)
            if !national.isEmpty {
                let assignedToNational = Self.ids(in: IncidentAssignment.schema, where: "team_id", is: national)
                party.append(
                    """
                    (\(column("tlp")) = \(bind: TLPLabel.amber.rawValue) AND \
                    (\(column("reporter_team_id")) IN (\(binds: national)) OR \(assignedToNational)))
                    """)
            }
        }
        party.append("\(column("reporter_user_id")) = \(bind: principal.userID)")
        party.append(Self.ids(in: IncidentRecipient.schema, where: "user_id", is: [principal.userID]))
        return "(\(party.joined(separator: " OR ")))"
    }

    static func parties(of incident: Incident) -> IncidentParties {
        IncidentParties(
            audience: TLPAudience(
                label: incident.tlp, ownerTeam: incident.$reporterTeam.id.uuidString,
                ownerUser: incident.$reporterUser.id.uuidString,
                recipientTeams: Set(incident.assignments.map { $0.$team.id.uuidString }),
                recipientUsers: Set(incident.recipients.map { $0.$user.id.uuidString })),
            assignedTeams: Set(incident.assignments.map { $0.$team.id.uuidString }))
    }

    private static func load(
        on db: any Database, _ narrow: (QueryBuilder<Incident>) -> QueryBuilder<Incident>
    ) async throws -> [Incident] {
        try await narrow(Incident.query(on: db))
            .with(\.$reporterTeam).with(\.$reporterUser).with(\.$observables).with(\.$recipients) { $0.with(\.$user) }
            .with(\.$assignments) { $0.with(\.$team) }.with(\.$timeline).with(\.$attachments)
            .all()
    }

    /// `incidents.id IN (SELECT incident_id FROM table WHERE column IN values)`.
    static func ids(in table: String, where column: String, is values: [UUID]) -> SQLQueryString {
        """
        (\(ident: Incident.schema).\(ident: "id") IN (SELECT \(ident: "incident_id") FROM \(ident: table) \
        WHERE \(ident: column) IN (\(binds: values))))
        """
    }

    /// The rows after the cursor's in the list's order (reported time descending, then id), against
    /// the cursor row's time as stored.
    private static func rows(after cursor: IncidentCursor) -> SQLQueryString {
        let table = Incident.schema
        let boundary: SQLQueryString =
            "(SELECT \(ident: "reported_at") FROM \(ident: table) WHERE \(ident: "id") = \(bind: cursor.id))"
        return """
            (\(ident: table).\(ident: "reported_at") < \(boundary) OR (\(ident: table).\(ident: "reported_at") = \
            \(boundary) AND \(ident: table).\(ident: "id") < \(bind: cursor.id)))
            """
    }

    static func state(of incident: Incident) -> IncidentState {
        IncidentState.of(
            assignments: incident.assignments.map(\.state),
            closedByReporter: incident.closedAt != nil)
    }

    static func detail(_ incident: Incident) -> IncidentDTO {
        IncidentDTO(
            number: incident.number, title: incident.title, description: incident.details,
            classification: "\(incident.taxonomy)/\(incident.type)", severity: incident.severity, tlp: incident.tlp,
            recipients: incident.recipients.map(\.user.email).sorted(), state: state(of: incident),
            reporterTeam: incident.reporterTeam.slug, reporter: incident.reporterUser.email,
            firstSeen: incident.firstSeen,
            reportedAt: incident.reportedAt, closedAt: incident.closedAt,
            observables: incident.observables.map { ObservableDTO(kind: $0.kind, value: $0.value) },
            assignments: incident.assignments.sorted { $0.team.shortName < $1.team.shortName }.map {
                AssignmentDTO(
                    team: $0.team.slug, teamName: $0.team.shortName, state: $0.state, escalations: $0.escalations,
                    deadline: $0.deadline, reasons: $0.reasons.split(separator: "\n").map(String.init),
                    declineReason: $0.declineReason)
            },
            timeline: incident.timeline.sorted { $0.at < $1.at }.map {
                TimelineDTO(at: $0.at, actor: $0.actor, text: $0.text, kind: $0.kind)
            },
            attachments: incident.attachments.sorted { $0.uploadedAt < $1.uploadedAt }.map {
                AttachmentDTO(
                    id: $0.id ?? UUID(), filename: $0.filename, contentType: $0.contentType, size: $0.size,
                    sha256: $0.sha256, uploadedBy: $0.uploadedBy, uploadedAt: $0.uploadedAt)
            })
    }
}
