import ConcordCore
import Fluent
import Foundation

/// Who a collection is for, as the policy judges it: the forum (every member), one team, or the
/// teams of a sharing group.
struct SharingAccess: Sendable, Equatable {
    let kind: SharingCollection.Kind
    /// The team of a team collection; the members of a group; empty for the forum.
    let teams: Set<UUID>

    /// The TLP audience of an object stored here: its owner, and the collection's teams as the
    /// ones it was shared with. RED: its author only.
    func audience(of object: StoredSTIXObject) -> TLPAudience {
        TLPAudience(
            label: object.tlp, ownerTeam: object.ownerTeamID.uuidString,
            ownerUser: object.ownerUserID?.uuidString, recipientTeams: Set(teams.map(\.uuidString)))
    }
}

/// A collection with the access that goes with it.
struct ResolvedCollection: Sendable {
    let collection: SharingCollection
    let access: SharingAccess

    var id: UUID { collection.id ?? SharingCollections.forumID }
}

/// Finds collections. Team collections carry their team's id; every team has one without a
/// migration, and its row is written the first time objects are added to it (reads write nothing).
enum SharingCollections {
    /// The forum-wide collection's id, the same in every installation.
    static let forumID = UUID(uuidString: "1f0c8a52-5b2c-4c1e-9a57-0c0ec0c0f0a1")!

    /// The collection `id` names, if it exists (a team's exists before its row is written).
    static func find(_ id: UUID, on database: any Database) async throws -> ResolvedCollection? {
        if let stored = try await SharingCollection.find(id, on: database) {
            return try await resolve(stored, on: database)
        }
        guard let team = try await Team.find(id, on: database) else { return nil }
        return try await resolve(try teamCollection(for: team), on: database)
    }

    /// Writes the collection's row if it is a team's that has none yet (a concurrent writer wins
    /// quietly). Call it before the transaction that adds objects: a failed insert would end a
    /// PostgreSQL transaction. `now` dates the row.
    static func store(_ collection: ResolvedCollection, at now: Date, on database: any Database) async throws {
        guard collection.collection.kind == .team,
            try await SharingCollection.find(collection.id, on: database) == nil
        else { return }
        do {
            collection.collection.createdAt = now
            try await collection.collection.create(on: database)
        } catch {
            guard try await SharingCollection.find(collection.id, on: database) != nil else { throw error }
        }
    }

    /// Every collection: the forum's, every team's and every group's.
    static func all(on database: any Database) async throws -> [ResolvedCollection] {
        let stored = try await SharingCollection.query(on: database).all()
        let teamsWithOne = Set(stored.compactMap(\.teamID))
        var collections = stored
        for team in try await Team.query(on: database).all() where !teamsWithOne.contains(try team.requireID()) {
            collections.append(try teamCollection(for: team))
        }
        let members = try await SharingGroupMember.query(on: database).all()
        let groups = Dictionary(grouping: members, by: { $0.$collection.id })
        return collections.map { collection in
            ResolvedCollection(collection: collection, access: access(of: collection, groups: groups))
        }
        .sorted { ($0.collection.kind.order, $0.collection.title) < ($1.collection.kind.order, $1.collection.title) }
    }

    private static func resolve(_ collection: SharingCollection, on database: any Database) async throws
        -> ResolvedCollection
    {
        var groups: [UUID: [SharingGroupMember]] = [:]
        if collection.kind == .group, let id = collection.id {
            groups[id] = try await SharingGroupMember.query(on: database).filter(\.$collection.$id == id).all()
        }
        return ResolvedCollection(collection: collection, access: access(of: collection, groups: groups))
    }

    private static func access(of collection: SharingCollection, groups: [UUID: [SharingGroupMember]])
        -> SharingAccess
    {
        switch collection.kind {
        case .forum: return SharingAccess(kind: .forum, teams: [])
        case .team: return SharingAccess(kind: .team, teams: Set([collection.teamID].compactMap { $0 }))
        case .group:
            return SharingAccess(kind: .group, teams: Set((groups[collection.id ?? forumID] ?? []).map(\.teamID)))
        }
    }

    /// A team's collection as its row will be written (`store`).
    private static func teamCollection(for team: Team) throws -> SharingCollection {
        let id = try team.requireID()
        return SharingCollection(
            id: id, kind: .team, teamID: id, title: team.shortName,
            summary: "\(team.shortName)'s own objects, at every TLP label")
    }
}

extension SharingCollection.Kind {
    /// Listing order: the forum's collection, then teams, then groups.
    fileprivate var order: Int {
        switch self {
        case .forum: return 0
        case .team: return 1
        case .group: return 2
        }
    }
}
