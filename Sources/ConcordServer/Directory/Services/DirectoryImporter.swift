import ConcordCore
import Fluent
import SwiftCSV
import Vapor

/// Imports a `DirectoryDocument` (JSON) or the CSV export: every entry is checked against the
/// document and the database first, naming each bad field by its path (`teams[2].constituency.
/// prefixes[0]`); only a document without errors is written, in one transaction.
///
/// Economies and categories are matched by ISO code/name and slug, teams by slug; a team in the
/// document is updated in full (its constituency replaced; with JSON its contacts too, with CSV
/// only the three contact kinds the CSV carries).
enum DirectoryImporter {
    /// What an import changed.
    struct Summary: Content, Equatable {
        var economiesCreated = 0
        var teamsCreated = 0
        var teamsUpdated = 0
    }

    static func importDocument(
        _ document: DirectoryDocument, managedContactKinds: Set<Contact.Kind>? = nil,
        caller: Caller
    ) async throws -> Summary {
        try await importDocument(
            document, managedContactKinds: managedContactKinds, by: caller.actor, app: caller.app, on: caller.db)
    }

    /// The same for the command line, which has no principal.
    static func importDocument(
        _ document: DirectoryDocument, managedContactKinds: Set<Contact.Kind>? = nil, by actor: AuditLog.Actor,
        app: Application, on db: any Database
    ) async throws -> Summary {
        let now = app.clock.now()
        var validator = FieldValidator()
        validator.check(
            document.format == DirectoryDocument.formatName, "format", "must be \(DirectoryDocument.formatName)")

        // Economies and categories: the document's and the database's, by every key a team may use.
        let storedEconomies = try await Economy.query(on: db).all()
        var economyKeys = Set(
            storedEconomies.flatMap { [$0.name.lowercased(), $0.isoCode?.lowercased()].compactMap { $0 } })
        for (index, economy) in document.economies.enumerated() {
            let input = EconomyInput(name: economy.name, isoCode: economy.isoCode)
            do { try input.validate(creating: true) } catch let error as ConcordError {
                for field in error.fields { validator.fail("economies[\(index)].\(field.field)", field.detail) }
            }
            economyKeys.insert(economy.name.lowercased())
            if let code = economy.isoCode { economyKeys.insert(code.lowercased()) }
        }
        var categorySlugs = Set(try await MembershipCategory.query(on: db).all().map(\.slug))
        for (index, category) in document.categories.enumerated() {
            validator.check(TeamInput.isSlug(category.slug), "categories[\(index)].slug", "must be a slug")
            categorySlugs.insert(category.slug)
        }

        var seenSlugs = Set<String>()
        var normalised: [[(ConstituencyEntry.Kind, String)]] = []
        for (index, team) in document.teams.enumerated() {
            let path = "teams[\(index)]"
            validator.check(seenSlugs.insert(team.slug).inserted, "\(path).slug", "'\(team.slug)' appears twice")
            let input = TeamInput(
                slug: team.slug, shortName: team.shortName, fullName: team.fullName,
                hostOrganisation: team.hostOrganisation,
                economy: team.economy, category: team.category, joinedOn: team.joinedOn, mayVoteFrom: team.mayVoteFrom,
                website: team.website, businessHours: team.businessHours, timeZone: team.timeZone,
                acknowledgementMinutes: team.acknowledgementMinutes, description: team.description,
                isSecretariat: team.isSecretariat, internalNotes: team.internalNotes,
                rfc2350: team.rfc2350)
            do { try input.validate(creating: true) } catch let error as ConcordError {
                for field in error.fields { validator.fail("\(path).\(field.field)", field.detail) }
            }
            validator.check(
                economyKeys.contains(team.economy.lowercased()), "\(path).economy", "unknown economy '\(team.economy)'")
            validator.check(
                categorySlugs.contains(team.category), "\(path).category",
                "unknown membership category '\(team.category)'")
            validator.check(
                TeamStatus(rawValue: team.status) != nil, "\(path).status",
                "must be one of applied, active, suspended, former")
            let items = ConstituencyNormaliser.networkItems(
                prefixes: team.constituency.prefixes, asns: team.constituency.asns, domains: team.constituency.domains,
                field: "\(path).constituency.", validator: &validator)
            for (i, key) in team.constituency.economies.enumerated() {
                validator.check(
                    economyKeys.contains(key.lowercased()), "\(path).constituency.economies[\(i)]",
                    "unknown economy '\(key)'")
            }
            normalised.append(items)
            for (i, contact) in team.contacts.enumerated() {
                let kind = Contact.Kind(rawValue: contact.kind)
                validator.check(kind != nil, "\(path).contacts[\(i)].kind", "unknown contact kind '\(contact.kind)'")
                validator.check(
                    Contact.Availability(rawValue: contact.availability) != nil, "\(path).contacts[\(i)].availability",
                    "must be 24x7 or business-hours")
                let contactInput = ContactInput(
                    kind: kind, value: contact.value, lastVerifiedOn: contact.lastVerifiedOn, pgpKey: contact.pgpKey)
                do { try contactInput.validate(creating: true) } catch let error as ConcordError {
                    for field in error.fields where field.field != "kind" {
                        validator.fail("\(path).contacts[\(i)].\(field.field)", field.detail)
                    }
                }
            }
        }
        try validator.throwIfFailed()

        // Keys are read before the transaction: GnuPG runs outside the database.
        let reader = OpenPGPKeyReader(gnupg: app.gnupg, home: app.concord.gnupgHome)
        var keys: [String: OpenPGPKeyInfo] = [:]
        for team in document.teams {
            for contact in team.contacts {
                if let key = contact.pgpKey, !key.isEmpty, keys[key] == nil {
                    keys[key] = try await reader.read(key, now: now)
                }
            }
        }
        let parsedKeys = keys
        let constituencies = normalised
        let summary = try await db.writeTransaction { db in
            let summary = try await apply(
                document, constituencies: constituencies, keys: parsedKeys,
                managedContactKinds: managedContactKinds, now: now, on: db)
            try await AuditLog.record(
                "directory.import", by: actor, targetType: "directory", targetID: nil,
                summary:
                    "imported \(document.teams.count) team(s): \(summary.teamsCreated) new, \(summary.teamsUpdated) updated, \(summary.economiesCreated) new economies",
                on: db)
            return summary
        }
        try await app.routingDirectory.rebuild(on: db)
        return summary
    }

    private static func apply(
        _ document: DirectoryDocument, constituencies: [[(ConstituencyEntry.Kind, String)]],
        keys: [String: OpenPGPKeyInfo],
        managedContactKinds: Set<Contact.Kind>?, now: Date, on db: any Database
    ) async throws -> Summary {
        var summary = Summary()
        for entry in document.categories
        where try await MembershipCategory.query(on: db).filter(\.$slug == entry.slug).count() == 0 {
            try await MembershipCategory(
                slug: entry.slug, name: entry.name, mayVote: entry.mayVote, takesPartInDrills: entry.takesPartInDrills
            ).create(on: db)
        }
        for entry in document.economies {
            var existing = try await Economy.query(on: db).filter(\.$name == entry.name).first()
            if existing == nil, let code = entry.isoCode {
                existing = try await Economy.query(on: db).filter(\.$isoCode == code).first()
            }
            if let existing {
                existing.name = entry.name
                existing.isoCode = entry.isoCode ?? existing.isoCode
                try await existing.save(on: db)
            } else {
                try await Economy(name: entry.name, isoCode: entry.isoCode).create(on: db)
                summary.economiesCreated += 1
            }
        }
        let economies = try await Economy.query(on: db).all()
        func economyID(_ key: String) -> UUID? {
            economies.first {
                $0.isoCode?.lowercased() == key.lowercased() || $0.name.lowercased() == key.lowercased()
            }?.id
        }
        for (index, entry) in document.teams.enumerated() {
            let existing = try await Team.query(on: db).filter(\.$slug == entry.slug).with(\.$contacts).first()
            let team = existing ?? Team()
            let previousStatus = existing?.status
            team.internalNotes = existing?.internalNotes ?? ""
            try await TeamWriter.apply(
                TeamInput(
                    slug: entry.slug, shortName: entry.shortName, fullName: entry.fullName,
                    hostOrganisation: entry.hostOrganisation,
                    economy: entry.economy, category: entry.category, joinedOn: entry.joinedOn,
                    mayVoteFrom: entry.mayVoteFrom,
                    website: entry.website, businessHours: entry.businessHours, timeZone: entry.timeZone,
                    acknowledgementMinutes: entry.acknowledgementMinutes, description: entry.description,
                    isSecretariat: entry.isSecretariat, internalNotes: entry.internalNotes, rfc2350: entry.rfc2350),
                to: team, on: db)
            // Validated with the whole document above; parsed here once.
            guard let status = TeamStatus(rawValue: entry.status) else {
                throw ConcordError.invalid(field: "status", "must be one of applied, active, suspended, former")
            }
            team.status = status
            try await team.save(on: db)
            let teamID = try team.requireID()
            if existing == nil { summary.teamsCreated += 1 } else { summary.teamsUpdated += 1 }
            if previousStatus != status {
                try await TeamStatusChange(
                    teamID: teamID, status: status, effectiveOn: entry.joinedOn ?? ISODate.string(now),
                    note: "imported"
                ).create(on: db)
            }
            try await ConstituencyEntry.query(on: db).filter(\.$team.$id == teamID).delete()
            var items = constituencies[index]
            items += entry.constituency.economies.compactMap { economyID($0).map { (.economy, $0.uuidString) } }
            var seen = Set<String>()
            for (kind, value) in items where seen.insert("\(kind.rawValue) \(value)").inserted {
                try await ConstituencyEntry(teamID: teamID, kind: kind, value: value).create(on: db)
            }
            try await replaceContacts(
                of: team, existing: existing?.contacts ?? [], with: entry.contacts, keys: keys,
                managedKinds: managedContactKinds, on: db)
        }
        return summary
    }

    private static func replaceContacts(
        of team: Team, existing: [Contact], with entries: [DirectoryDocument.ContactEntry],
        keys: [String: OpenPGPKeyInfo],
        managedKinds: Set<Contact.Kind>?, on db: any Database
    ) async throws {
        let managed = existing.filter { managedKinds?.contains($0.kind) ?? true }
        for entry in entries {
            guard let kind = Contact.Kind(rawValue: entry.kind),
                let availability = Contact.Availability(rawValue: entry.availability)
            else { continue }
            let previous = managed.first { $0.kind == kind && $0.value == entry.value }
            let contact = Contact()
            contact.$team.id = try team.requireID()
            contact.kind = kind
            contact.value = entry.value
            contact.availability = availability
            contact.published = entry.published
            contact.lastVerifiedOn = entry.lastVerifiedOn ?? previous?.lastVerifiedOn
            if let key = entry.pgpKey, !key.isEmpty {
                contact.apply(keys[key], armored: key)
            } else if let previous {
                // The CSV carries no keys: keep the one already stored for the same address.
                contact.copyKey(from: previous)
            }
            try await contact.create(on: db)
        }
        for old in managed { try await old.delete(on: db) }
    }

    /// Reads the CSV export back into a document (categories and economies must already exist).
    static func document(fromCSV text: String) throws -> DirectoryDocument {
        let csv: CSV<Named>
        do { csv = try CSV<Named>(string: text, delimiter: .comma) } catch {
            throw ConcordError(.malformedRequest, "the CSV could not be read: \(error)")
        }
        let missing = DirectoryExporter.csvColumns.filter { !csv.header.contains($0) }
        guard missing.isEmpty else {
            throw ConcordError.invalid(field: "header", "missing column(s): \(missing.joined(separator: ", "))")
        }
        func cell(_ row: [String: String], _ column: String) -> String {
            let value = row[column] ?? ""
            if value.hasPrefix("'"), let second = value.dropFirst().first, "=+-@".contains(second) {
                return String(value.dropFirst())
            }
            return value
        }
        func list(_ row: [String: String], _ column: String) -> [String] {
            cell(row, column).split(separator: " ").map(String.init)
        }
        return DirectoryDocument(
            format: DirectoryDocument.formatName, categories: [], economies: [],
            teams: csv.rows.map { row in
                let optional = { (column: String) -> String? in
                    let value = cell(row, column)
                    return value.isEmpty ? nil : value
                }
                var contacts: [DirectoryDocument.ContactEntry] = []
                for (column, kind, availability) in [
                    ("phone_24x7", Contact.Kind.phone247, Contact.Availability.always),
                    ("emergency_email", .emergencyEmail, .always), ("general_email", .generalEmail, .businessHours),
                ] {
                    if let value = optional(column) {
                        contacts.append(
                            .init(
                                kind: kind.rawValue, value: value, availability: availability.rawValue, published: true)
                        )
                    }
                }
                return DirectoryDocument.TeamEntry(
                    slug: cell(row, "slug"), shortName: cell(row, "short_name"), fullName: cell(row, "full_name"),
                    hostOrganisation: cell(row, "host_organisation"), economy: cell(row, "economy"),
                    category: cell(row, "category"),
                    status: cell(row, "status"), joinedOn: optional("joined_on"),
                    mayVoteFrom: optional("may_vote_from"),
                    website: optional("website"), businessHours: cell(row, "business_hours"),
                    timeZone: cell(row, "time_zone"),
                    description: nil, isSecretariat: cell(row, "is_secretariat") == "true", internalNotes: nil,
                    rfc2350: nil,
                    constituency: .init(
                        prefixes: list(row, "prefixes"), asns: list(row, "asns"), domains: list(row, "domains"),
                        economies: list(row, "national_economies")),
                    contacts: contacts)
            })
    }

    /// The contact kinds a CSV import manages.
    static let csvContactKinds: Set<Contact.Kind> = [.phone247, .emergencyEmail, .generalEmail]
}
