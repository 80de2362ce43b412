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
            constitutionEffectiveOn: adopted.row.effectiveOn, resolutions: resolutions, state: "draft")
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

    /// One of `files` as a response.
    static func response(_ file: String?, reference: String?, req: Request) async throws -> Response {
        try req.policy.require(.readDraftMinutes)
        guard let file, files.contains(file) else { throw ConcordError.notFound("minutes file") }
        let minutes = try await document(reference, caller: req.caller)
        let body: Data
        let type: String
        switch file {
        case "minutes.json":
            body = try json(minutes)
            type = "application/json"
        case "minutes.json.asc":
            body = Data(
                try await ForumKey(req.application.concord, gnupg: req.application.gnupg).detachSign(json(minutes)).utf8
            )
            type = "application/pgp-signature"
        case "minutes.html":
            body = Data(try await html(minutes, app: req.application).utf8)
            type = "text/html; charset=utf-8"
        default:
            body = try await req.application.reportPrinter.pdf(html: try await html(minutes, app: req.application))
            type = "application/pdf"
        }
        let response = Response(status: .ok, body: .init(data: body))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "inline; filename=\"\(minutes.meeting.reference)-\(file)\"")
        return response
    }
}
