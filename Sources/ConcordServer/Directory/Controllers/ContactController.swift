import Fluent
import Vapor

/// `/api/v1/teams/:team/contacts`: points of contact, with OpenPGP keys read by GnuPG.
struct ContactController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let contacts = routes.grouped(.constant(Paths.teams), ":team", .constant(Paths.contacts))
        contacts.get(use: list)
        contacts.post(use: create)
        contacts.patch(":contact", use: update)
        contacts.delete(":contact", use: delete)
    }

    @Sendable func list(req: Request) async throws -> [ContactDTO] {
        try req.policy.require(.readDirectory)
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        return try req.policy.visible(team.contacts, of: team.requireID()).map(ContactDTO.init)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.editTeam(team: team.requireID()))
        let input = try req.content.decode(ContactInput.self)
        try input.validate(creating: true)
        let contact = Contact()
        contact.$team.id = try team.requireID()
        contact.kind = input.kind ?? .generalEmail
        contact.value = input.value ?? ""
        contact.availability = input.availability ?? .businessHours
        contact.published = input.published ?? true
        contact.lastVerifiedOn = input.lastVerifiedOn
        try await applyKey(input.pgpKey, to: contact, req: req)
        try await req.db.transaction { db in
            try await contact.create(on: db)
            try await AuditLog.record("contact.create", targetType: "contact", targetID: contact.id?.uuidString,
                                      summary: "\(team.shortName): added \(contact.kind.rawValue)", request: req, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return try await ContactDTO(contact).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> ContactDTO {
        let (team, contact) = try await find(req)
        try req.policy.require(.editTeam(team: team.requireID()))
        let input = try req.content.decode(ContactInput.self)
        try input.validate(creating: false, existingKind: contact.kind)
        if let kind = input.kind { contact.kind = kind }
        if let value = input.value { contact.value = value }
        if let availability = input.availability { contact.availability = availability }
        if let published = input.published { contact.published = published }
        if let verified = input.lastVerifiedOn { contact.lastVerifiedOn = verified }
        if input.pgpKey != nil { try await applyKey(input.pgpKey, to: contact, req: req) }
        try await req.db.transaction { db in
            try await contact.save(on: db)
            try await AuditLog.record("contact.update", targetType: "contact", targetID: contact.id?.uuidString,
                                      summary: "\(team.shortName): updated \(contact.kind.rawValue)", request: req, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return try ContactDTO(contact)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        let (team, contact) = try await find(req)
        try req.policy.require(.editTeam(team: team.requireID()))
        try await req.db.transaction { db in
            try await contact.delete(on: db)
            try await AuditLog.record("contact.delete", targetType: "contact", targetID: contact.id?.uuidString,
                                      summary: "\(team.shortName): removed \(contact.kind.rawValue)", request: req, on: db)
        }
        try await req.application.routingDirectory.rebuild(on: req.db)
        return .noContent
    }

    private func find(_ req: Request) async throws -> (Team, Contact) {
        try req.policy.require(.readDirectory)
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        guard let id = req.parameters.get("contact", as: UUID.self),
            let contact = team.contacts.first(where: { $0.id == id })
        else { throw ConcordError.notFound("contact") }
        // A contact the viewer may not see is answered as missing, not as forbidden.
        guard try !req.policy.visible([contact], of: team.requireID()).isEmpty else { throw ConcordError.notFound("contact") }
        return (team, contact)
    }

    private func applyKey(_ armored: String?, to contact: Contact, req: Request) async throws {
        guard let armored, !armored.isEmpty else {
            if armored != nil { contact.apply(nil, armored: nil) }
            return
        }
        let reader = OpenPGPKeyReader(gpgPath: req.application.concord.gpgPath, home: req.application.concord.gnupgHome)
        contact.apply(try await reader.read(armored), armored: armored)
    }
}
