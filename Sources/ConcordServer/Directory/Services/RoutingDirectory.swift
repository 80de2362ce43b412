import ConcordCore
import Fluent
import Vapor

/// What the routing lookup answers about a team without touching the database.
struct TeamCard: Sendable, Codable, Equatable {
    /// One published point of contact that answers around the clock.
    struct PointOfContact: Sendable, Codable, Equatable {
        let kind: String
        let value: String
        let pgpFingerprint: String?
    }

    let id: UUID
    let slug: String
    let shortName: String
    let fullName: String
    let economy: String
    let pointsOfContact: [PointOfContact]
}

/// The routing table and team cards built from the directory at one moment.
struct RoutingSnapshot: Sendable {
    let table: RoutingTable<UUID>
    let teams: [UUID: TeamCard]
    /// Economy id by lower-case ISO code, to read a ccTLD as a hint.
    let economyByCode: [String: UUID]
    let economyNames: [UUID: String]
    /// For each team, the other teams with national responsibility for its economy: the team is
    /// their constituent, so TLP:AMBER shared with them reaches it (see `TLPRules`).
    let nationalTeamsOf: [UUID: Set<UUID>]
}

/// Holds the current `RoutingSnapshot`. Built on first use and rebuilt after every directory
/// change, never per request. Each `concord serve` process keeps its own, stamped with the
/// directory's `CacheRevision` it was read at: the instance that wrote rebuilds at once, the
/// others when `RevisionWatch` sees the revision move.
actor RoutingDirectory {
    private var snapshot: RoutingSnapshot?
    private var revision: Int64 = -1

    /// The snapshot, built now if there is none yet.
    func current(on database: any Database) async throws -> RoutingSnapshot {
        if let snapshot { return snapshot }
        return try await rebuild(on: database)
    }

    /// Rebuilds when `revision` (the directory's, as the caller just read it) is not the
    /// snapshot's; true when it did. A directory never read here stays unread until first needed.
    @discardableResult
    func refresh(ifNotAt revision: Int64, on database: any Database) async throws -> Bool {
        guard snapshot != nil, revision != self.revision else { return false }
        try await rebuild(on: database)
        return true
    }

    /// Reads the directory and replaces the snapshot, unless a rebuild that read a later revision
    /// finished first. The revision is read before the directory, so the data is at least as new.
    @discardableResult
    func rebuild(on database: any Database) async throws -> RoutingSnapshot {
        let readRevision = try await CacheRevision.directory.current(on: database)
        let teams = try await Team.query(on: database)
            .filter(\.$status ~~ [TeamStatus.active, TeamStatus.suspended])
            .with(\.$economy).with(\.$contacts).with(\.$constituency)
            .all()
        var items: [(UUID, ConstituencyItem)] = []
        var cards: [UUID: TeamCard] = [:]
        var secretariat: [UUID] = []
        var economyOf: [UUID: UUID] = [:]
        for team in teams {
            let id = try team.requireID()
            economyOf[id] = team.$economy.id
            if team.isSecretariat { secretariat.append(id) }
            items += team.constituency.compactMap { entry in entry.routingItem.map { (id, $0) } }
            let pocs = team.contacts
                .filter { $0.published && $0.availability == .always }
                .sorted { $0.kind.rawValue > $1.kind.rawValue }
                .map {
                    TeamCard.PointOfContact(kind: $0.kind.rawValue, value: $0.value, pgpFingerprint: $0.pgpFingerprint)
                }
            cards[id] = TeamCard(
                id: id, slug: team.slug, shortName: team.shortName, fullName: team.fullName,
                economy: team.economy.name, pointsOfContact: pocs)
        }
        let economies = try await Economy.query(on: database).all()
        let table = RoutingTable(constituencies: items, secretariat: secretariat)
        let nationalTeamsOf = economyOf.compactMapValues { economy -> Set<UUID>? in
            let national = Set(table.nationalTeams(of: economy.uuidString))
            return national.isEmpty ? nil : national
        }
        let snapshot = RoutingSnapshot(
            table: table,
            teams: cards,
            economyByCode: Dictionary(
                economies.compactMap { economy in
                    economy.isoCode.flatMap { code in economy.id.map { (code.lowercased(), $0) } }
                }, uniquingKeysWith: { first, _ in first }),
            economyNames: Dictionary(
                economies.compactMap { economy in economy.id.map { ($0, economy.name) } },
                uniquingKeysWith: { first, _ in first }),
            nationalTeamsOf: Dictionary(
                uniqueKeysWithValues: nationalTeamsOf.map { team, national in (team, national.subtracting([team])) }))
        if let newer = self.snapshot, readRevision < revision { return newer }
        self.snapshot = snapshot
        revision = readRevision
        return snapshot
    }
}

extension Application {
    private struct RoutingDirectoryKey: StorageKey { typealias Value = RoutingDirectory }

    /// The application's routing directory.
    var routingDirectory: RoutingDirectory {
        get {
            guard let directory = storage[RoutingDirectoryKey.self] else {
                fatalError("configure(_:with:) has not run: RoutingDirectory is missing")
            }
            return directory
        }
        set { storage[RoutingDirectoryKey.self] = newValue }
    }
}
