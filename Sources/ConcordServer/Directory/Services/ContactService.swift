import Fluent
import Vapor

/// Creates, changes and removes contacts for the API and the web alike: validation, the OpenPGP key
/// read by GnuPG, the audit line in the same transaction, and the routing table rebuilt afterwards
/// (24/7 contacts are part of every lookup answer). Callers have already asked the policy.
enum ContactService {
    static func create(_ input: ContactInput, for team: Team, caller: Caller) async throws -> Contact {
        try input.validate(creating: true)
        let contact = Contact()
        contact.$team.id = try team.requireID()
        contact.kind = input.kind ?? .generalEmail
        contact.value = input.value ?? ""
        contact.availability = input.availability ?? .businessHours
        contact.published = input.published ?? true
        contact.lastVerifiedOn = input.lastVerifiedOn
        try await applyKey(input.pgpKey, to: contact, caller: caller)
        try await caller.db.writeTransaction { db in
            try await contact.create(on: db)
            try await AuditLog.record(
                "contact.create", targetType: "contact", targetID: contact.id?.uuidString,
                summary: "\(team.shortName): added \(contact.kind.rawValue)", caller: caller, on: db)
        }
        try await caller.app.routingDirectory.rebuild(on: caller.db)
        return contact
    }

    static func update(_ contact: Contact, with input: ContactInput, of team: Team, caller: Caller) async throws {
        try input.validate(creating: false, existingKind: contact.kind)
        if let kind = input.kind { contact.kind = kind }
        if let value = input.value { contact.value = value }
        if let availability = input.availability { contact.availability = availability }
        if let published = input.published { contact.published = published }
        if let verified = input.lastVerifiedOn { contact.lastVerifiedOn = verified }
        if input.pgpKey != nil { try await applyKey(input.pgpKey, to: contact, caller: caller) }
        try await caller.db.writeTransaction { db in
            try await contact.save(on: db)
            try await AuditLog.record(
                "contact.update", targetType: "contact", targetID: contact.id?.uuidString,
                summary: "\(team.shortName): updated \(contact.kind.rawValue)", caller: caller, on: db)
        }
        try await caller.app.routingDirectory.rebuild(on: caller.db)
    }

    static func delete(_ contact: Contact, of team: Team, caller: Caller) async throws {
        try await caller.db.writeTransaction { db in
            try await contact.delete(on: db)
            try await AuditLog.record(
                "contact.delete", targetType: "contact", targetID: contact.id?.uuidString,
                summary: "\(team.shortName): removed \(contact.kind.rawValue)", caller: caller, on: db)
        }
        try await caller.app.routingDirectory.rebuild(on: caller.db)
    }

    /// The team and one of its contacts the viewer may see; 404 otherwise (a hidden contact is
    /// answered as missing, not as forbidden).
    static func find(team slug: String, contact id: UUID?, caller: Caller) async throws -> (Team, Contact) {
        try caller.policy.require(.readDirectory)
        let team = try await DirectoryQueries.team(slug: slug, on: caller.db)
        guard let id, let contact = team.contacts.first(where: { $0.id == id }),
            try !caller.policy.visible([contact], of: team.requireID()).isEmpty
        else { throw ConcordError.notFound("contact") }
        return (team, contact)
    }

    private static func applyKey(_ armored: String?, to contact: Contact, caller: Caller) async throws {
        guard let armored, !armored.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            if armored != nil { contact.apply(nil, armored: nil) }
            return
        }
        let configuration = caller.app.concord
        let reader = OpenPGPKeyReader(gnupg: caller.app.gnupg, home: configuration.gnupgHome)
        contact.apply(try await reader.read(armored, now: caller.clock.now()), armored: armored)
    }
}
