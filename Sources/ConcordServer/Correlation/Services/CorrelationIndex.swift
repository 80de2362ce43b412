import ConcordCore
import Fluent
import Vapor

/// One place a value was also seen, as shown to someone allowed to see it.
struct CorrelationMatch: Content, Equatable {
    /// `stix`, `incident` or `feed`.
    let source: String
    /// The STIX id, the incident number or the feed's name.
    let reference: String
    let title: String
    let label: TLPLabel
    /// The TAXII collection of a STIX match.
    let collection: UUID?
}

/// What is known about one value.
struct CorrelationResult: Content {
    let key: String
    /// On the warninglist: known benign, never correlated.
    let warninglisted: Bool
    /// Seen in more than `CorrelationIndex.cap` places: listed, not matched.
    let overCorrelating: Bool
    let matches: [CorrelationMatch]
}

/// The correlation index: every value of every shared STIX object and every incident observable
/// under its key, and feed events through their own indexes. A lookup reads the index for one
/// key, then the policy judges every match, so nobody learns of a match (or that an object
/// exists) they could not read on its own page.
enum CorrelationIndex {
    /// More places than this and a value is "over-correlating" (a resolver, a CDN): it is named,
    /// not matched.
    static let cap = 200

    /// Indexes stored incident observables (the migration's backfill, dated by the database's clock:
    /// migrations run without the application's).
    static func index(incident id: UUID, _ observables: [IncidentObservable], on database: any Database) async throws {
        var keys: Set<String> = []
        for stored in observables {
            guard let kind = Observable.Kind(rawValue: stored.kind),
                case .success(let observable) = Observable.parse(stored.value, as: kind)
            else { continue }
            keys.insert(CorrelationKeys.key(of: observable))
        }
        try await index(incident: id, keys: keys, at: try await DatabaseClock.now(on: database), on: database)
    }

    /// Indexes an incident's observables by their keys.
    static func index(incident id: UUID, keys: Set<String>, at now: Date, on database: any Database) async throws {
        try await insert(keys.sorted().map { Entry(key: $0, source: .incident, incidentID: id) }, at: now, on: database)
    }

    /// Indexes stored STIX objects under their keys (`CorrelationKeys.keys(ofSTIX:)`).
    static func index(
        stix objects: [(collection: UUID, stixID: String, keys: [String])], at now: Date, on database: any Database
    )
        async throws
    {
        var entries: [Entry] = []
        entries.reserveCapacity(objects.count)
        for (collection, stixID, keys) in objects {
            for key in keys { entries.append(Entry(key: key, source: .stix, collectionID: collection, stixID: stixID)) }
        }
        try await insert(entries, at: now, on: database)
    }

    /// Forgets an object deleted from a collection.
    static func forget(_ stixID: String, in collection: UUID, on database: any Database) async throws {
        try await CorrelationEntry.query(on: database).filter(\.$collectionID == collection)
            .filter(\.$stixID == stixID).delete()
    }

    /// What the principal may know about `key`; `excluding` leaves out the incident being looked at.
    static func lookup(_ key: String, excluding incident: UUID? = nil, caller: Caller) async throws
        -> CorrelationResult
    {
        let db = caller.db
        if try await WarninglistEntry.query(on: db).filter(\.$key == key).first() != nil {
            return CorrelationResult(key: key, warninglisted: true, overCorrelating: false, matches: [])
        }
        let entries = try await CorrelationEntry.query(on: db).filter(\.$key == key).limit(cap + 1).all()
        let events = try await feedEvents(key, on: db)
        if entries.count + events.count > cap {
            return CorrelationResult(key: key, warninglisted: false, overCorrelating: true, matches: [])
        }
        var matches = try await stixMatches(entries.filter { $0.source == .stix }, caller: caller)
        let incidents = Set(entries.compactMap(\.incidentID)).subtracting([incident].compactMap { $0 })
        matches += try await incidentMatches(incidents, caller: caller)
        let visibleEvents = events.filter { event in
            event.teamID.map { caller.policy.allows(.readTeamPrivate(team: $0)) } ?? false
        }
        let imports = try await FeedImport.query(on: db).filter(\.$id ~~ Set(visibleEvents.map(\.importID))).all()
        let labels = Dictionary(uniqueKeysWithValues: imports.compactMap { row in row.id.map { ($0, row.tlp) } })
        for event in visibleEvents {
            matches.append(
                CorrelationMatch(
                    source: "feed", reference: event.feedName, title: "\(event.taxonomy)/\(event.type)",
                    label: labels[event.importID] ?? .amber, collection: nil))
        }
        return CorrelationResult(key: key, warninglisted: false, overCorrelating: false, matches: matches)
    }

    private static func stixMatches(_ entries: [CorrelationEntry], caller: Caller) async throws
        -> [CorrelationMatch]
    {
        var matches: [CorrelationMatch] = []
        for (collectionID, inCollection) in Dictionary(grouping: entries, by: { $0.collectionID ?? UUID() }) {
            guard let collection = try await SharingCollections.find(collectionID, on: caller.db),
                caller.policy.allows(.readCollection(collection.access))
            else { continue }
            let reader = STIXObjectReader(collection: collection, policy: caller.policy)
            let rows = try await StoredSTIXObject.query(on: caller.db).filter(\.$collectionID == collectionID)
                .filter(\.$stixID ~~ Set(inCollection.compactMap(\.stixID))).filter(\.$isLast == true).all()
            for row in rows where reader.visible(row) {
                let body = (try? JSONDecoder().decode([String: JSONValue].self, from: Data(row.body.utf8))) ?? [:]
                matches.append(
                    CorrelationMatch(
                        source: "stix", reference: row.stixID, title: body["name"]?.string ?? row.type, label: row.tlp,
                        collection: collectionID))
            }
        }
        return matches.sorted { ($0.reference) < ($1.reference) }
    }

    private static func incidentMatches(_ ids: Set<UUID>, caller: Caller) async throws -> [CorrelationMatch] {
        guard !ids.isEmpty else { return [] }
        let incidents = try await Incident.query(on: caller.db).filter(\.$id ~~ ids)
            .with(\.$assignments).with(\.$recipients).all()
        return
            incidents
            .filter { caller.policy.allows(.readIncident(IncidentQueries.parties(of: $0))) }
            .sorted { $0.number < $1.number }
            .map {
                CorrelationMatch(
                    source: "incident", reference: $0.number, title: $0.title, label: $0.tlp, collection: nil)
            }
    }

    /// Feed events whose source address or name is the key's value.
    private static func feedEvents(_ key: String, on db: any Database) async throws -> [StoredFeedEvent] {
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return [] }
        let query = StoredFeedEvent.query(on: db)
        switch parts[0] {
        case Observable.Kind.ipAddress.rawValue: query.filter(\.$sourceIP == parts[1])
        case Observable.Kind.domain.rawValue: query.filter(\.$sourceFQDN == parts[1])
        default: return []
        }
        return try await query.limit(cap + 1).all()
    }

    /// A row of `correlation_entries` to write.
    private struct Entry {
        var key: String
        var source: CorrelationEntry.Source
        var collectionID: UUID? = nil
        var stixID: String? = nil
        var incidentID: UUID? = nil
    }

    /// Writes entries a statement per 1,000 (7 parameters each): a Fluent model insert per entry
    /// cost more than the rest of indexing.
    private static func insert(_ entries: [Entry], at now: Date, on database: any Database) async throws {
        let rows: [[SQLiteBulkWrites.Value]] = entries.map { entry in
            [
                .uuid(UUID.timeOrdered()), .text(entry.key), .text(entry.source.rawValue), .uuid(entry.collectionID),
                .text(entry.stixID), .uuid(entry.incidentID), .date(now),
            ]
        }
        try await SQLiteBulkWrites.insert(
            into: CorrelationEntry.schema,
            columns: ["id", "key", "source", "collection_id", "stix_id", "incident_id", "created_at"], rows: rows,
            perStatement: 1000, on: database)
    }
}
