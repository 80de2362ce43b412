import ConcordCore
import Fluent
import Vapor

/// Reports incidents, moves assignments through the procedure and closes incidents. Every change
/// and its timeline lines are written in one transaction; the policy is asked before.
enum IncidentService {
    /// Validates, routes and stores a new incident; every routed team gets an assignment with its
    /// acknowledgement deadline.
    /// `input` is read after the policy allowed the caller to report.
    static func report(_ readInput: @autoclosure () throws -> IncidentInput, caller: Caller) async throws -> Incident {
        try caller.policy.require(.reportIncident)
        let input = try readInput()
        guard let principal = caller.principal else { throw ConcordError.unauthenticated }
        var validator = FieldValidator()
        let title = (input.title ?? "").trimmingCharacters(in: .whitespaces)
        validator.check(!title.isEmpty && title.count <= 200, "title", "must be 1–200 characters")
        let classification = input.classification.flatMap(RSITClassification.init)
        validator.check(
            classification != nil, "classification", "must be an RSIT taxonomy/type such as malicious-code/c2-server")
        let severity = IncidentSeverity(rawValue: input.severity ?? "medium")
        validator.check(severity != nil, "severity", "must be low, medium, high or critical")
        let tlp = TLPLabel(text: input.tlp ?? "TLP:AMBER")
        validator.check(tlp != nil, "tlp", "must be TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED")
        validator.check(!input.observables.isEmpty, "observables", "at least one observable is needed")
        var recipients: [User] = []
        if tlp == .red {
            let emails = (input.recipients ?? []).map { $0.lowercased() }
            validator.check(!emails.isEmpty, "recipients", "TLP:RED needs the people it is for")
            recipients = try await User.query(on: caller.db).filter(\.$email ~~ emails).all()
            for email in emails where !recipients.contains(where: { $0.email == email }) {
                validator.fail("recipients", "no user \(email)")
            }
        }
        let snapshot = try await caller.app.routingDirectory.current(on: caller.db)
        var (observables, routed) = IncidentRouter.route(
            input.observables, economy: input.economy, snapshot: snapshot, validator: &validator)
        let slugs = Dictionary(snapshot.teams.values.map { ($0.slug, $0.id) }, uniquingKeysWith: { first, _ in first })
        for (index, slug) in (input.addTeams ?? []).enumerated() {
            guard let id = slugs[slug] else {
                validator.fail("addTeams[\(index)]", "unknown team '\(slug)'")
                continue
            }
            if !routed.contains(where: { $0.id == id }) { routed.append((id, ["added by the reporter"])) }
        }
        for (index, slug) in (input.removeTeams ?? []).enumerated() {
            guard let id = slugs[slug] else {
                validator.fail("removeTeams[\(index)]", "unknown team '\(slug)'")
                continue
            }
            routed.removeAll { $0.id == id }
        }
        try validator.throwIfFailed()
        var seen = Set<String>()
        observables = observables.filter { seen.insert($0.description).inserted }
        let teams = try await Team.query(on: caller.db).filter(\.$id ~~ routed.map(\.id)).with(\.$contacts).all()
        let now = caller.clock.now()
        let incident = Incident()
        incident.title = title
        incident.details = input.description ?? ""
        incident.$reporterTeam.id = principal.teamID
        incident.$reporterUser.id = principal.userID
        incident.taxonomy = classification?.taxonomy ?? ""
        incident.type = classification?.type ?? ""
        incident.severity = severity?.rawValue ?? "medium"
        incident.tlp = tlp ?? .amber
        incident.firstSeen = input.firstSeen
        incident.reportedAt = now
        let routedTeams = routed
        let chosenRecipients = recipients
        let observed = observables
        try await caller.db.writeTransaction { db in
            incident.number = try await IncidentNumbers.next(at: now, on: db)
            try await incident.create(on: db)
            let id = try incident.requireID()
            for observable in observed {
                try await IncidentObservable(
                    incidentID: id, kind: observable.kind.rawValue, value: observable.description
                ).create(on: db)
            }
            try await CorrelationIndex.index(
                incident: id, keys: Set(observed.map(CorrelationKeys.key(of:))), at: now, on: db)
            for user in chosenRecipients {
                try await IncidentRecipient(incidentID: id, userID: try user.requireID()).create(on: db)
            }
            try await IncidentTimelineEntry(
                incidentID: id, at: now, actor: principal.email,
                text: "reported (\(incident.taxonomy)/\(incident.type), \(incident.tlp))"
            ).create(on: db)
            for (teamID, reasons) in routedTeams {
                let team = teams.first { $0.id == teamID }
                let deadline = team.map { serviceLevel(of: $0).acknowledgementDeadline(reportedAt: now) }
                let assignment = IncidentAssignment(
                    incidentID: id, teamID: teamID, reasons: reasons, deadline: deadline, notifiedAt: now)
                try await assignment.create(on: db)
                try await IncidentTimelineEntry(
                    incidentID: id, at: now, actor: "routing",
                    text: "assigned to \(team?.shortName ?? "?"): \(reasons.joined(separator: "; "))"
                ).create(on: db)
                try await Outbox.enqueue(.assigned, for: assignment, now: now, on: db)
            }
            try await AuditLog.record(
                "incident.report", targetType: "incident", targetID: incident.number,
                summary: "reported \(incident.number) to \(routedTeams.count) team(s)", caller: caller, on: db)
        }
        return incident
    }

    /// Applies a procedure event to `team`'s assignment; 409 for a transition the procedure refuses.
    /// `event` is read after the policy allowed the caller to work the team's assignment.
    static func apply(
        _ readEvent: @autoclosure () throws -> AssignmentEvent, to incident: Incident, team: Team, caller: Caller
    ) async throws {
        try caller.policy.require(.workAssignment(team: try team.requireID()))
        let event = try readEvent()
        guard let assignment = incident.assignments.first(where: { $0.$team.id == team.id }) else {
            throw ConcordError.notFound("assignment of \(team.shortName)")
        }
        var procedure = assignment.procedure
        let actions: [AssignmentAction]
        do { actions = try procedure.handle(event, at: caller.clock.now()) } catch {
            throw ConcordError(.conflict, error.description)
        }
        assignment.move(to: procedure.state, at: caller.clock.now())
        assignment.escalations = procedure.escalations
        if case .decline(let reason) = event { assignment.declineReason = reason }
        let actor = caller.principal?.email ?? "?"
        let newState = procedure.state
        try await caller.db.writeTransaction { db in
            try await perform(
                actions, on: assignment, teamName: team.shortName, actor: actor, at: caller.clock.now(),
                on: db)
            try await AuditLog.record(
                "incident.assignment", targetType: "incident", targetID: incident.number,
                summary: "\(team.shortName): \(newState.rawValue)", caller: caller, on: db)
        }
    }

    /// Carries out what the procedure asked for, in the caller's transaction: deadlines, timeline
    /// lines, and notifications queued in the outbox. The API, the acknowledgement links and the
    /// scheduler all go through here.
    static func perform(
        _ actions: [AssignmentAction], on assignment: IncidentAssignment, teamName: String, actor: String, at now: Date,
        on db: any Database
    ) async throws {
        var change = "changed"
        for action in actions {
            switch action {
            case .cancelDeadline: assignment.deadline = nil
            case .scheduleDeadline(let at): assignment.deadline = at
            case .recordTimeline(let text): change = text
            default: continue
            }
        }
        try await assignment.save(on: db)
        // Notifications last, so that they carry the new deadline and state.
        for action in actions {
            switch action {
            case .cancelDeadline, .scheduleDeadline: continue
            case .recordTimeline(let text):
                try await IncidentTimelineEntry(
                    incidentID: assignment.$incident.id, at: now, actor: actor, text: "\(teamName): \(text)"
                ).create(on: db)
            case .notifyNextChannel: try await Outbox.enqueue(.reminder, for: assignment, now: now, on: db)
            case .alertSecretariat: try await Outbox.enqueue(.secretariatAlert, for: assignment, now: now, on: db)
            case .informReporter: try await Outbox.enqueue(.update, for: assignment, note: change, now: now, on: db)
            }
        }
    }

    /// The reporter closes the incident.
    static func close(_ incident: Incident, caller: Caller) async throws {
        try caller.policy.require(.closeIncident(reporterTeam: incident.$reporterTeam.id))
        guard incident.closedAt == nil else { throw ConcordError(.conflict, "\(incident.number) is closed already") }
        let now = caller.clock.now()
        incident.closedAt = now
        try await caller.db.writeTransaction { db in
            try await incident.save(on: db)
            try await IncidentTimelineEntry(
                incidentID: try incident.requireID(), at: now,
                actor: caller.principal?.email ?? "?", text: "closed by the reporter"
            ).create(on: db)
            try await AuditLog.record(
                "incident.close", targetType: "incident", targetID: incident.number,
                summary: "closed \(incident.number)", caller: caller, on: db)
        }
    }

    /// The team's service level: its own promise if it makes one; else 24/7 when it publishes a 24/7
    /// contact, else its business hours.
    static func serviceLevel(of team: Team) -> ServiceLevel {
        ServiceLevel(
            alwaysAvailable: team.contacts.contains { $0.published && $0.availability == .always },
            businessHours: BusinessHours(team.businessHours) ?? .officeHours,
            timeZone: TimeZone(identifier: team.timeZone) ?? .gmt,
            promised: team.acknowledgementMinutes.map { TimeInterval($0) * 60 })
    }
}
