import Vapor

/// An economy as the API shows it.
struct EconomyDTO: Content, Equatable {
    let id: UUID
    let name: String
    let isoCode: String?

    init(_ economy: Economy) throws {
        id = try economy.requireID()
        name = economy.name
        isoCode = economy.isoCode
    }
}

/// A membership category as the API shows it.
struct CategoryDTO: Content {
    let slug: String
    let name: String
    let mayVote: Bool
    let takesPartInDrills: Bool

    init(_ category: MembershipCategory) {
        slug = category.slug
        name = category.name
        mayVote = category.mayVote
        takesPartInDrills = category.takesPartInDrills
    }
}

/// A team in a list: enough to recognise it and open it.
struct TeamSummaryDTO: Content {
    let id: UUID
    let slug: String
    let shortName: String
    let fullName: String
    let economy: EconomyDTO
    let category: String
    let status: TeamStatus

    /// Needs `economy` and `category` eager-loaded.
    init(_ team: Team) throws {
        id = try team.requireID()
        slug = team.slug
        shortName = team.shortName
        fullName = team.fullName
        economy = try EconomyDTO(team.economy)
        category = team.category.slug
        status = team.status
    }
}

/// What GnuPG read from a contact's key.
struct OpenPGPKeyDTO: Content {
    let fingerprint: String?
    let userIds: [String]
    let algorithm: String?
    let createdAt: Date?
    let expiresAt: Date?
    let finding: String?
}

/// A point of contact.
struct ContactDTO: Content {
    let id: UUID
    let kind: Contact.Kind
    let value: String
    let availability: Contact.Availability
    let published: Bool
    let lastVerifiedOn: String?
    let pgp: OpenPGPKeyDTO?

    init(_ contact: Contact) throws {
        id = try contact.requireID()
        kind = contact.kind
        value = contact.value
        availability = contact.availability
        published = contact.published
        lastVerifiedOn = contact.lastVerifiedOn
        pgp =
            contact.pgpKey == nil
            ? nil
            : OpenPGPKeyDTO(
                fingerprint: contact.pgpFingerprint,
                userIds: contact.pgpUserIDs?.split(separator: "\n").map(String.init) ?? [],
                algorithm: contact.pgpAlgorithm, createdAt: contact.pgpCreatedAt, expiresAt: contact.pgpExpiresAt,
                finding: contact.pgpFinding)
    }
}

/// A team's constituency, grouped by kind.
struct ConstituencyDTO: Content, Equatable {
    var prefixes: [String]
    var asns: [String]
    var domains: [String]
    /// Economies the team has national responsibility for, by id.
    var economies: [UUID]

    init(prefixes: [String] = [], asns: [String] = [], domains: [String] = [], economies: [UUID] = []) {
        self.prefixes = prefixes
        self.asns = asns
        self.domains = domains
        self.economies = economies
    }

    init(_ entries: [ConstituencyEntry]) {
        self.init()
        for entry in entries.sorted(by: { $0.value < $1.value }) {
            switch entry.kind {
            case .prefix: prefixes.append(entry.value)
            case .asn: asns.append("AS\(entry.value)")
            case .domain: domains.append(entry.value)
            case .economy: if let id = UUID(uuidString: entry.value) { economies.append(id) }
            }
        }
    }
}

/// The RFC 2350 profile fields.
struct RFC2350DTO: Content, Equatable {
    var updatedOn: String?
    var distribution: String?
    var authenticity: String?
    var constituency: String?
    var sponsorship: String?
    var authority: String?
    var policies: String?
    var services: String?
    var reportingForms: String?
}

/// One dated status of a team.
struct StatusChangeDTO: Content {
    let status: TeamStatus
    let effectiveOn: String
    let note: String
}

/// A team with everything the viewer may see. Private fields are nil unless the policy allows them.
struct TeamDTO: Content {
    let id: UUID
    let slug: String
    let shortName: String
    let fullName: String
    let hostOrganisation: String
    let economy: EconomyDTO
    let category: CategoryDTO
    let status: TeamStatus
    let statusHistory: [StatusChangeDTO]
    let joinedOn: String?
    let mayVoteFrom: String?
    let website: String?
    let businessHours: String
    let timeZone: String
    let acknowledgementMinutes: Int?
    let description: String
    let isSecretariat: Bool
    let rfc2350: RFC2350DTO
    let constituency: ConstituencyDTO
    let contacts: [ContactDTO]
    /// Only for the team itself and the forum-wide roles.
    let internalNotes: String?

    /// Needs economy, category, contacts, constituency and status history eager-loaded.
    init(_ team: Team, policy: Policy) throws {
        let id = try team.requireID()
        self.id = id
        slug = team.slug
        shortName = team.shortName
        fullName = team.fullName
        hostOrganisation = team.hostOrganisation
        economy = try EconomyDTO(team.economy)
        category = CategoryDTO(team.category)
        status = team.status
        statusHistory = team.statusHistory.sorted { $0.effectiveOn < $1.effectiveOn }
            .map { StatusChangeDTO(status: $0.status, effectiveOn: $0.effectiveOn, note: $0.note) }
        joinedOn = team.joinedOn
        mayVoteFrom = team.mayVoteFrom
        website = team.website
        businessHours = team.businessHours
        timeZone = team.timeZone
        acknowledgementMinutes = team.acknowledgementMinutes
        description = team.teamDescription
        isSecretariat = team.isSecretariat
        rfc2350 = Self.profile(of: team)
        constituency = ConstituencyDTO(team.constituency)
        contacts = try policy.visible(team.contacts, of: id).sorted { $0.kind.rawValue < $1.kind.rawValue }.map(
            ContactDTO.init)
        internalNotes = policy.allows(.readTeamPrivate(team: id)) ? team.internalNotes : nil
    }

    /// A team's RFC 2350 fields.
    static func profile(of team: Team) -> RFC2350DTO {
        RFC2350DTO(
            updatedOn: team.rfc2350UpdatedOn, distribution: team.rfc2350Distribution,
            authenticity: team.rfc2350Authenticity, constituency: team.rfc2350Constituency,
            sponsorship: team.rfc2350Sponsorship, authority: team.rfc2350Authority, policies: team.rfc2350Policies,
            services: team.rfc2350Services, reportingForms: team.rfc2350ReportingForms)
    }
}
