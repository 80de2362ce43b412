import ConcordCore
import Fluent
import Foundation
import Vapor

/// A meeting's minutes, generated from its record and nothing else: as JSON (signed by the forum
/// key, a detached `.asc`), as HTML and as PDF (the annual report's headless Chromium). Until the
/// minutes are circulated and approved they are a draft, read by the forum-wide roles alone.
enum MeetingMinutes {
    /// The files a meeting's minutes are served as.
    static let files = ["minutes.json", "minutes.json.asc", "minutes.html", "minutes.pdf"]

    static func document(_ reference: String?, caller: Caller) async throws -> MinutesDocument {
        try caller.policy.require(.readDraftMinutes)
        let meeting = try await MeetingView.make(reference, caller: caller)
        let stored = try await Meetings.find(reference, on: caller.db)
        guard let adopted = try await Constitutions.inForce(on: MeetingRoll.day(of: stored), db: caller.db) else {
            throw ConcordError(.conflict, "no constitution is in force on the meeting's day")
        }
        let resolutions = meeting.motions.compactMap { motion -> MinutesDocument.Resolution? in
            motion.resolution.map {
                MinutesDocument.Resolution(
                    reference: $0, motion: motion.reference, title: motion.title, text: motion.text)
            }
        }
        return MinutesDocument(
            forum: caller.app.concord.forumName, meeting: meeting, constitutionVersion: adopted.row.version,
            constitutionEffectiveOn: adopted.row.effectiveOn, resolutions: resolutions,
            elections: try await elections(of: stored, db: caller.db), state: "draft")
    }

    /// The elections held at `meeting`, in their numbers' order, as the minutes record them.
    static func elections(of meeting: GeneralMeeting, db: any Database) async throws -> [MinutesDocument.Election] {
        let held = try await Election.query(on: db).filter(\.$meeting.$id == meeting.requireID()).all()
            .sorted {
                $0.reference.count == $1.reference.count
                    ? $0.reference < $1.reference : $0.reference.count < $1.reference.count
            }
        var records: [MinutesDocument.Election] = []
        for election in held {
            let candidates = try await Elections.candidates(of: election, db: db).filter(\.isStanding)
            let board = election.publishedBoard
            let count = board.map { board in
                board.result.votes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
                    .joined(separator: ", ") + "; \(board.result.ballots) ballots, \(board.result.blankBallots) blank"
            }
            records.append(
                MinutesDocument.Election(
                    reference: election.reference, title: election.title, method: election.method.rawValue,
                    seats: election.seats, state: election.state.rawValue,
                    candidates: candidates.map { "\($0.team.shortName) (\($0.holder))" },
                    opening: election.presentAtOpening.map {
                        "\($0) of \(election.votingMembersAtOpening ?? 0) voting members present or represented when the ballot opened"
                    },
                    count: count, elected: board?.result.elected ?? [], boardHead: board?.head))
        }
        return records
    }

    /// The JSON, the same bytes for the same record (sorted keys, ISO 8601 times).
    static func json(_ minutes: MinutesDocument) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(minutes)
    }

    static func html(_ minutes: MinutesDocument, app: Application) async throws -> String {
        let view = try await app.view.render("minutes", minutes).get()
        return String(buffer: view.data)
    }

    /// One of `files`: its bytes, its media type and the name it is downloaded as.
    static func file(_ name: String?, reference: String?, caller: Caller) async throws -> (
        data: Data, contentType: String, filename: String
    ) {
        try caller.policy.require(.readDraftMinutes)
        guard let name, files.contains(name) else { throw ConcordError.notFound("minutes file") }
        let minutes = try await document(reference, caller: caller)
        let app = caller.app
        let filename = "\(minutes.meeting.reference)-\(name)"
        switch name {
        case "minutes.json":
            return (try json(minutes), "application/json", filename)
        case "minutes.json.asc":
            let signature = try await ForumKey(app.concord, gnupg: app.gnupg).detachSign(json(minutes))
            return (Data(signature.utf8), "application/pgp-signature", filename)
        case "minutes.html":
            return (Data(try await html(minutes, app: app).utf8), "text/html; charset=utf-8", filename)
        default:
            return (
                try await app.reportPrinter.pdf(html: try await html(minutes, app: app)), "application/pdf", filename
            )
        }
    }
}
