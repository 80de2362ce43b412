import Vapor

/// The directory as one portable document: what `export.json` writes and `import` reads.
/// Economies are referred to by ISO code (or name when there is none) and categories by slug, so a
/// document moves between Concord instances; ids are never part of it.
struct DirectoryDocument: Content, Equatable {
    static let formatName = "concord-directory/1"

    /// A membership category.
    struct Category: Content, Equatable {
        var slug: String
        var name: String
        var mayVote: Bool
        var takesPartInDrills: Bool
    }

    /// An economy.
    struct EconomyEntry: Content, Equatable {
        var name: String
        var isoCode: String?
    }

    /// A team's constituency; economies by ISO code or name.
    struct Constituency: Content, Equatable {
        var prefixes: [String] = []
        var asns: [String] = []
        var domains: [String] = []
        var economies: [String] = []
    }

    /// A point of contact.
    struct ContactEntry: Content, Equatable {
        var kind: String
        var value: String
        var availability: String
        var published: Bool
        var lastVerifiedOn: String?
        var pgpKey: String?
    }

    /// A team.
    struct TeamEntry: Content, Equatable {
        var slug: String
        var shortName: String
        var fullName: String
        var hostOrganisation: String
        var economy: String
        var category: String
        var status: String
        var joinedOn: String?
        var mayVoteFrom: String?
        var website: String?
        var businessHours: String
        var timeZone: String
        /// The team's acknowledgement promise in minutes; nil keeps the stored one, 0 clears it.
        var acknowledgementMinutes: Int?
        /// Nil (as from CSV) keeps the stored description.
        var description: String?
        var isSecretariat: Bool
        var internalNotes: String?
        /// Nil (as from CSV) keeps the stored profile.
        var rfc2350: RFC2350DTO?
        var constituency: Constituency
        var contacts: [ContactEntry]
    }

    var format: String
    var categories: [Category]
    var economies: [EconomyEntry]
    var teams: [TeamEntry]
}
