import ConcordCore
import Fluent
import Foundation
import SQLKit

/// General meetings: the secretariat convenes one with the constitution's notice, opens it, and
/// closes it; everyone in the forum reads it.
enum Meetings {
    /// What convening a meeting takes.
    struct Convening: Sendable {
        var kind: MeetingKind?
        var title: String?
        var startsAt: Date?
        var timeZone: String?
        var location: String?
        var agenda: [AgendaItem]?
    }

    /// The default agenda of an annual general meeting.
    static let annualAgenda: [AgendaItem] = [
        AgendaItem(kind: "reports", title: "Activity reports"), AgendaItem(kind: "plans", title: "Future plans"),
        AgendaItem(kind: "new-members", title: "New members"), AgendaItem(kind: "elections", title: "Elections"),
        AgendaItem(kind: "other-business", title: "Other business"),
    ]

    /// 403 unless the caller runs meetings or represents its team at them (a handler or an
    /// administrator): checked before anything is looked up, so that a refusal says nothing.
    static func requireParticipant(_ caller: Caller) throws {
        let principal = try caller.requirePrincipal()
        guard caller.policy.allows(.runMeetings) || caller.policy.allows(.actForTeamInMeeting(team: principal.teamID))
        else { throw ConcordError.forbidden }
    }

    /// The meeting by reference, or 404.
    static func find(_ reference: String?, on db: any Database) async throws -> GeneralMeeting {
        guard let reference,
            let meeting = try await GeneralMeeting.query(on: db).filter(\.$reference == reference).first()
        else { throw ConcordError.notFound("meeting") }
        return meeting
    }

    /// Every meeting, latest first.
    static func list(caller: Caller) async throws -> [GeneralMeeting] {
        try caller.policy.require(.readGovernance)
        return try await GeneralMeeting.query(on: caller.db).sort(\.$startsAt, .descending).all()
    }

    /// Convenes a meeting at least the constitution's notice ahead; 409 when one with its
    /// reference exists (decided by the unique key).
    static func convene(_ input: Convening, caller: Caller) async throws -> GeneralMeeting {
        try caller.policy.require(.runMeetings)
        let now = caller.clock.now()
        var problems: [ConcordError.FieldError] = []
        let title = input.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if title.isEmpty || title.count > 200 {
            problems.append(.init(field: "title", detail: "must be 1–200 characters"))
        }
        let zone = input.timeZone.flatMap(TimeZone.init(identifier:))
        if zone == nil { problems.append(.init(field: "timeZone", detail: "must be an IANA time zone (Asia/Tokyo)")) }
        let location = input.location?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if location.count > 200 { problems.append(.init(field: "location", detail: "must be at most 200 characters")) }
        let agenda = input.agenda ?? annualAgenda
        if agenda.isEmpty || agenda.count > 40 || agenda.contains(where: { $0.title.isEmpty || $0.title.count > 200 }) {
            problems.append(.init(field: "agenda", detail: "must hold 1–40 items, each titled in 1–200 characters"))
        }
        let today = CivilDate(second: Int64(now.timeIntervalSince1970))
        let rules = try await Constitutions.inForce(on: today, db: caller.db)?.rules
        if rules == nil {
            throw ConcordError(.conflict, "the forum has adopted no constitution yet: adopt the founding rules first")
        }
        if let startsAt = input.startsAt, let rules {
            let earliest = now.addingTimeInterval(Double(rules.generalMeeting.noticeDays) * 86_400)
            if startsAt < earliest {
                problems.append(
                    .init(
                        field: "startsAt",
                        detail: "the constitution requires \(rules.generalMeeting.noticeDays) days' notice: "
                            + "the earliest start is \(ISODate.string(earliest))"))
            }
        } else if input.startsAt == nil {
            problems.append(.init(field: "startsAt", detail: "is required"))
        }
        guard problems.isEmpty, let startsAt = input.startsAt, let zone else { throw ConcordError.invalid(problems) }
        let kind = input.kind ?? .annual
        let meeting = GeneralMeeting()
        meeting.id = UUID()
        meeting.kind = kind
        meeting.title = title
        meeting.startsAt = startsAt
        meeting.timeZone = zone.identifier
        meeting.location = location
        meeting.agenda = String(decoding: try JSONEncoder().encode(agenda), as: UTF8.self)
        meeting.state = .convened
        meeting.convenedAt = now
        meeting.convenedBy = caller.actor.name
        meeting.motions = 0
        meeting.resolutions = 0
        let day = MeetingRoll.day(of: meeting)
        meeting.reference = kind == .annual ? "AGM-\(day.year)" : "EGM-\(day)"
        do {
            try await caller.db.writeTransaction { db in
                try await meeting.create(on: db)
                try await AuditLog.record(
                    "governance.meeting.convene", targetType: "meeting", targetID: meeting.reference,
                    summary:
                        "convened \(meeting.reference), \(title), for \(ISODate.string(startsAt)) (\(zone.identifier))",
                    caller: caller, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ConcordError(.conflict, "\(meeting.reference) is convened already")
        }
        return meeting
    }

    /// Opens (`convened` → `open`) or closes (`open` → `closed`) a meeting, decided by one
    /// conditional write; a meeting with a vote still open does not close.
    static func move(_ reference: String?, to state: MeetingState, caller: Caller) async throws -> GeneralMeeting {
        try caller.policy.require(.runMeetings)
        let meeting = try await find(reference, on: caller.db)
        let from: MeetingState = state == .open ? .convened : .open
        let now = caller.clock.now()
        try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            let column = state == .open ? "opened_at" : "closed_at"
            let moved = try await sql.raw(
                """
                UPDATE general_meetings SET state = \(bind: state.rawValue), \(unsafeRaw: column) = \(bind: now)
                WHERE id = \(bind: meeting.requireID()) AND state = \(bind: from.rawValue) RETURNING id
                """
            ).all()
            guard !moved.isEmpty else {
                throw ConcordError(.conflict, "\(meeting.reference) is \(meeting.state.rawValue), not \(from.rawValue)")
            }
            if state == .closed {
                let voting = try await Motion.query(on: db).filter(\.$meeting.$id == meeting.requireID())
                    .filter(\.$state == .voting).count()
                if voting > 0 { throw ConcordError(.conflict, "a vote is still open: close it before the meeting") }
            }
            try await AuditLog.record(
                "governance.meeting.\(state == .open ? "open" : "close")", targetType: "meeting",
                targetID: meeting.reference, summary: "\(state == .open ? "opened" : "closed") \(meeting.reference)",
                caller: caller, on: db)
        }
        return try await find(reference, on: caller.db)
    }
}
