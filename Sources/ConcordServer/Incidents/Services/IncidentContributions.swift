import ConcordCore
import Fluent
import Vapor

/// What people add to an incident after the report: comments, files, and the secretariat's
/// re-routing. Each change and its timeline line are one transaction. The policy is asked first,
/// once: the input is an autoclosure read only after it allowed the change, so a refused caller is
/// answered 403 whatever it sent.
enum IncidentContributions {
    /// A file as it was sent: its bytes, the name it was given and what the sender said it is.
    struct Upload {
        let data: ByteBuffer
        let filename: String
        let contentType: String?
    }

    /// The secretariat's change to the responsible teams (slugs), and why.
    struct Rerouting {
        let add: [String]
        let remove: [String]
        let note: String
    }

    /// A comment on the timeline.
    static func comment(_ readText: @autoclosure () throws -> String, on incident: Incident, caller: Caller)
        async throws
    {
        try caller.policy.require(.contributeToIncident(IncidentQueries.parties(of: incident)))
        let text = try readText().trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 10_000 else {
            throw ConcordError.invalid(field: "text", "must be 1–10000 characters")
        }
        let actor = caller.principal?.email ?? "?"
        let incidentID = try incident.requireID()
        try await caller.db.writeTransaction { db in
            try await IncidentTimelineEntry(
                incidentID: incidentID, at: caller.clock.now(), actor: actor, text: text, kind: "comment"
            )
            .create(on: db)
            try await AuditLog.record(
                "incident.comment", targetType: "incident", targetID: incident.number,
                summary: "commented on \(incident.number)", caller: caller, on: db)
        }
    }

    /// Stores a file under `DATA/attachments/<sha256>` and records it. Executables are refused:
    /// samples travel as password-protected archives, so no mail filter or viewer runs them.
    static func attach(_ readUpload: @autoclosure () throws -> Upload, to incident: Incident, caller: Caller)
        async throws -> IncidentAttachment
    {
        try caller.policy.require(.contributeToIncident(IncidentQueries.parties(of: incident)))
        let upload = try readUpload()
        let (data, filename, contentType) = (upload.data, upload.filename, upload.contentType)
        let name = (filename as NSString).lastPathComponent.trimmingCharacters(in: .whitespaces)
        var validator = FieldValidator()
        validator.check(!name.isEmpty && name.count <= 200, "filename", "must be 1–200 characters")
        validator.check(data.readableBytes > 0, "file", "is empty")
        let limit = caller.app.concord.attachmentMaxBytes
        validator.check(data.readableBytes <= limit, "file", "is larger than the limit of \(limit) bytes")
        let head = data.getBytes(at: data.readerIndex, length: min(4, data.readableBytes)) ?? []
        validator.check(
            !(head.starts(with: [0x4D, 0x5A]) || head.starts(with: [0x7F, 0x45, 0x4C, 0x46])), "file",
            "looks like an executable: send samples as a password-protected archive (zip or 7z, password 'infected')")
        try validator.throwIfFailed()
        let bytes = Data(buffer: data)
        let digest = Hex.sha256(bytes)
        let folder = (caller.app.concord.dataDirectory as NSString).appendingPathComponent("attachments")
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = (folder as NSString).appendingPathComponent(digest)
        if !FileManager.default.fileExists(atPath: path) {
            let temporary = path + ".\(UUID().uuidString).part"
            guard
                FileManager.default.createFile(
                    atPath: temporary, contents: bytes, attributes: [.posixPermissions: 0o600])
            else { throw ConcordError(.unavailable, "cannot store the attachment") }
            try? FileManager.default.moveItem(atPath: temporary, toPath: path)
            try? FileManager.default.removeItem(atPath: temporary)
        }
        let attachment = IncidentAttachment()
        attachment.$incident.id = try incident.requireID()
        attachment.filename = name
        attachment.contentType = contentType ?? "application/octet-stream"
        attachment.size = bytes.count
        attachment.sha256 = digest
        attachment.uploadedBy = caller.principal?.email ?? "?"
        attachment.uploadedAt = caller.clock.now()
        try await caller.db.writeTransaction { db in
            try await attachment.create(on: db)
            try await IncidentTimelineEntry(
                incidentID: attachment.$incident.id, at: attachment.uploadedAt, actor: attachment.uploadedBy,
                text: "attached \(name) (\(bytes.count) bytes, SHA-256 \(digest))"
            ).create(on: db)
            try await AuditLog.record(
                "incident.attach", targetType: "incident", targetID: incident.number,
                summary: "attached \(name) (\(digest))", caller: caller, on: db)
        }
        return attachment
    }

    /// Where an attachment's bytes are.
    static func path(of attachment: IncidentAttachment, in configuration: ConcordConfiguration) -> String {
        ((configuration.dataDirectory as NSString).appendingPathComponent("attachments") as NSString)
            .appendingPathComponent(attachment.sha256)
    }

    /// The secretariat adds and removes responsible teams. New teams get an assignment with their
    /// deadline and are notified; removed teams' assignments (and their pending notifications) go.
    static func reroute(_ incident: Incident, _ readChange: @autoclosure () throws -> Rerouting, caller: Caller)
        async throws
    {
        try caller.policy.require(.rerouteIncident)
        let change = try readChange()
        let (add, remove, note) = (change.add, change.remove, change.note)
        var validator = FieldValidator()
        validator.check(!add.isEmpty || !remove.isEmpty, "addTeams", "name a team to add or remove")
        let slugs = Array(Set(add + remove))
        let teams = try await Team.query(on: caller.db).filter(\.$slug ~~ slugs).with(\.$contacts).all()
        for (field, list) in [("addTeams", add), ("removeTeams", remove)] {
            for (index, slug) in list.enumerated() where !teams.contains(where: { $0.slug == slug }) {
                validator.fail("\(field)[\(index)]", "unknown team '\(slug)'")
            }
        }
        for (index, slug) in add.enumerated() where incident.assignments.contains(where: { $0.team.slug == slug }) {
            validator.fail("addTeams[\(index)]", "'\(slug)' is assigned already")
        }
        for (index, slug) in remove.enumerated() where !incident.assignments.contains(where: { $0.team.slug == slug }) {
            validator.fail("removeTeams[\(index)]", "'\(slug)' is not assigned")
        }
        try validator.throwIfFailed()
        let now = caller.clock.now()
        let actor = caller.principal?.email ?? "?"
        let incidentID = try incident.requireID()
        let reason = note.trimmingCharacters(in: .whitespacesAndNewlines)
        let why = "added by the secretariat" + (reason.isEmpty ? "" : ": \(reason)")
        try await caller.db.writeTransaction { db in
            for team in teams where add.contains(team.slug) {
                let assignment = IncidentAssignment(
                    incidentID: incidentID, teamID: try team.requireID(), reasons: [why],
                    deadline: IncidentService.serviceLevel(of: team).acknowledgementDeadline(reportedAt: now),
                    notifiedAt: now)
                try await assignment.create(on: db)
                try await IncidentTimelineEntry(
                    incidentID: incidentID, at: now, actor: actor,
                    text: "re-routed: assigned to \(team.shortName) (\(why))"
                ).create(on: db)
                try await Outbox.enqueue(.assigned, for: assignment, now: now, on: db)
            }
            for assignment in incident.assignments where remove.contains(assignment.team.slug) {
                // What was not sent yet is no longer true; what was sent stays on record.
                try await OutboxMessage.query(on: db).filter(\.$assignment.$id == assignment.requireID())
                    .filter(\.$state == .pending).delete()
                try await assignment.delete(on: db)
                try await IncidentTimelineEntry(
                    incidentID: incidentID, at: now, actor: actor,
                    text: "re-routed: \(assignment.team.shortName) removed (was \(assignment.state))"
                        + (reason.isEmpty ? "" : ": \(reason)")
                ).create(on: db)
            }
            try await AuditLog.record(
                "incident.reroute", targetType: "incident", targetID: incident.number,
                summary:
                    "re-routed \(incident.number): +\(add.joined(separator: ",")) -\(remove.joined(separator: ","))",
                caller: caller, on: db)
        }
    }
}
