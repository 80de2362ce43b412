import Fluent
import Vapor

/// Builds the `DirectoryDocument` a viewer may see (private contacts and internal notes only for
/// their own team, or everything for the forum-wide roles) and writes it as CSV.
enum DirectoryExporter {
    static func document(policy: Policy, on db: any Database) async throws -> DirectoryDocument {
        try policy.require(.readDirectory)
        let economies = try await Economy.query(on: db).sort(\.$name).all()
        let economyKey = Dictionary(
            economies.compactMap { economy in economy.id.map { ($0, economy.isoCode ?? economy.name) } },
            uniquingKeysWith: { first, _ in first })
        let teams = try await Team.query(on: db).with(\.$economy).with(\.$category).with(\.$contacts).with(
            \.$constituency
        )
        .sort(\.$slug).all()
        return DirectoryDocument(
            format: DirectoryDocument.formatName,
            categories: try await MembershipCategory.query(on: db).sort(\.$slug).all().map {
                .init(slug: $0.slug, name: $0.name, mayVote: $0.mayVote, takesPartInDrills: $0.takesPartInDrills)
            },
            economies: economies.map { .init(name: $0.name, isoCode: $0.isoCode) },
            teams: try teams.map { team in
                let id = try team.requireID()
                let grouped = ConstituencyDTO(team.constituency)
                return .init(
                    slug: team.slug, shortName: team.shortName, fullName: team.fullName,
                    hostOrganisation: team.hostOrganisation,
                    economy: team.economy.isoCode ?? team.economy.name, category: team.category.slug,
                    status: team.status.rawValue,
                    joinedOn: team.joinedOn, mayVoteFrom: team.mayVoteFrom, website: team.website,
                    businessHours: team.businessHours, timeZone: team.timeZone,
                    acknowledgementMinutes: team.acknowledgementMinutes, description: team.teamDescription,
                    isSecretariat: team.isSecretariat,
                    internalNotes: policy.allows(.readTeamPrivate(team: id)) ? team.internalNotes : nil,
                    rfc2350: TeamDTO.profile(of: team),
                    constituency: .init(
                        prefixes: grouped.prefixes, asns: grouped.asns, domains: grouped.domains,
                        economies: grouped.economies.compactMap { economyKey[$0] }),
                    contacts: policy.visible(team.contacts, of: id).sorted {
                        ($0.kind.rawValue, $0.value) < ($1.kind.rawValue, $1.value)
                    }.map {
                        .init(
                            kind: $0.kind.rawValue, value: $0.value, availability: $0.availability.rawValue,
                            published: $0.published, lastVerifiedOn: $0.lastVerifiedOn, pgpKey: $0.pgpKey)
                    })
            })
    }

    /// The CSV columns, one row per team. Lists are separated by spaces; contacts are the published
    /// 24/7 phone, emergency e-mail and general e-mail (the JSON document carries everything else).
    static let csvColumns = [
        "slug", "short_name", "full_name", "host_organisation", "economy", "category", "status", "joined_on",
        "may_vote_from", "website", "business_hours", "time_zone", "is_secretariat", "prefixes", "asns", "domains",
        "national_economies", "phone_24x7", "emergency_email", "general_email",
    ]

    static func csv(_ document: DirectoryDocument) -> String {
        var lines = [csvColumns.joined(separator: ",")]
        for team in document.teams {
            func contact(_ kind: Contact.Kind) -> String {
                team.contacts.first { $0.kind == kind.rawValue && $0.published }?.value ?? ""
            }
            let fields = [
                team.slug, team.shortName, team.fullName, team.hostOrganisation, team.economy, team.category,
                team.status,
                team.joinedOn ?? "", team.mayVoteFrom ?? "", team.website ?? "", team.businessHours, team.timeZone,
                team.isSecretariat ? "true" : "false", team.constituency.prefixes.joined(separator: " "),
                team.constituency.asns.joined(separator: " "), team.constituency.domains.joined(separator: " "),
                team.constituency.economies.joined(separator: " "), contact(.phone247), contact(.emergencyEmail),
                contact(.generalEmail),
            ]
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting. A cell that a spreadsheet would run as a formula (leading =, +, - or @) gets
    /// a leading ' unless it is a phone number; the importer removes it again.
    static func csvField(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first), !value.allSatisfy({ "+-() 0123456789".contains($0) }) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
