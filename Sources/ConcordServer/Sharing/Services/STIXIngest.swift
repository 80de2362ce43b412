import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Adds STIX objects to a collection: each is validated, given its one TLP marking (the configured
/// default when it has none), checked against what the collection takes, and stored as a new
/// version with a `date_added` later than anything already in the collection. Valid objects of one
/// request are stored in one transaction; invalid ones are reported and leave nothing behind.
enum STIXIngest {
    /// What became of each object, as the TAXII status lists it.
    struct Outcome: Sendable {
        var successes: [TAXIIStatusDetail] = []
        var failures: [TAXIIStatusDetail] = []
    }

    /// An object that passed validation, with its label and version (nil: an observable, whose
    /// version is its first `date_added`).
    private struct Candidate: Sendable {
        let id: String
        let type: String
        var object: [String: JSONValue]
        let label: TLPLabel
        let version: Int64?
    }

    /// Who objects are stored for: the team that owns them and the person who shared them (nil
    /// when Concord itself shares, as with surge alerts).
    struct Owner: Sendable {
        let team: UUID
        let user: UUID?

        init(team: UUID, user: UUID?) {
            self.team = team
            self.user = user
        }

        init(_ principal: Principal) { self.init(team: principal.teamID, user: principal.userID) }
    }

    /// Stores `objects` in `target` for `owner`. `defaultLabel` marks objects that carry no TLP
    /// marking; nil refuses them.
    static func add(
        _ objects: [JSONValue], to target: ResolvedCollection, by owner: Owner, defaultLabel: TLPLabel?,
        on database: any Database, now: Date = Date()
    ) async throws -> Outcome {
        var outcome = Outcome()
        var candidates: [Candidate] = []
        for value in objects {
            switch prepare(value, for: target, defaultLabel: defaultLabel) {
            case .success(let candidate): candidates.append(candidate)
            case .failure(let failure): outcome.failures.append(failure.detail)
            }
        }
        guard !candidates.isEmpty else { return outcome }
        let valid = candidates
        let stored = try await database.transaction { db in
            try await store(valid, in: target, by: owner, now: now, on: db)
        }
        outcome.successes += stored.successes
        outcome.failures += stored.failures
        return outcome
    }

    private struct Refusal: Error {
        let detail: TAXIIStatusDetail
    }

    private static func prepare(_ value: JSONValue, for target: ResolvedCollection, defaultLabel: TLPLabel?)
        -> Result<Candidate, Refusal>
    {
        guard var object = value.object else {
            return .failure(Refusal(detail: .init(id: "", version: nil, message: "not a JSON object")))
        }
        let id = object["id"]?.string ?? ""
        let timestamp = (object["modified"] ?? object["created"])?.string.flatMap(STIXTimestamp.init)
        func refuse(_ message: String) -> Result<Candidate, Refusal> {
            .failure(Refusal(detail: .init(id: id, version: timestamp?.description, message: message)))
        }
        let problems = STIXObjectValidator.problems(object)
        if !problems.isEmpty { return refuse(problems.map(\.description).joined(separator: "; ")) }
        let type = object["type"]?.string ?? ""
        let label: TLPLabel
        if type == "marking-definition" {
            label = .clear  // the definitions themselves are public
        } else {
            let references = object["object_marking_refs"]?.array?.compactMap(\.string) ?? []
            switch TLPMarking.read(references) {
            case .label(let found):
                label = found
            case .conflicting(let labels):
                return refuse(
                    "carries \(labels.map(\.rawValue).joined(separator: " and ")); an object takes exactly one TLP marking"
                )
            case .missing:
                guard let defaultLabel else {
                    return refuse("carries no TLP marking; add one of the TLP 2.0 marking-definition ids")
                }
                label = defaultLabel
                object["object_marking_refs"] = .array(
                    (object["object_marking_refs"]?.array ?? []) + [.string(TLPMarking.id(of: defaultLabel))])
            }
        }
        if target.access.kind == .forum && label > .green {
            return refuse(
                "is \(label.rawValue); the forum-wide collection takes TLP:CLEAR and TLP:GREEN only, share it in your team's collection or a sharing group"
            )
        }
        return .success(
            Candidate(id: id, type: type, object: object, label: label, version: timestamp?.microseconds))
    }

    private static func store(
        _ candidates: [Candidate], in target: ResolvedCollection, by owner: Owner, now: Date,
        on db: any Database
    ) async throws -> Outcome {
        var outcome = Outcome()
        let existing = try await existingVersions(of: Set(candidates.map(\.id)), in: target.id, on: db)
        var fresh: [Candidate] = []
        var seen: [String: Set<Int64>] = [:]
        for candidate in candidates {
            let known = existing[candidate.id]
            if let known, known.owner != owner.team {
                outcome.failures.append(
                    .init(
                        id: candidate.id,
                        version: candidate.version.map { STIXTimestamp(microseconds: $0).description },
                        message: "another team created this object; only its creator adds versions"))
                continue
            }
            let versions = (known?.versions ?? []).union(seen[candidate.id] ?? [])
            let repeated = candidate.version.map(versions.contains) ?? !versions.isEmpty
            if repeated {
                let version = candidate.version ?? versions.min() ?? 0
                outcome.successes.append(
                    .init(
                        id: candidate.id, version: STIXTimestamp(microseconds: version).description,
                        message: "already in the collection"))
                continue
            }
            seen[candidate.id, default: []].insert(candidate.version ?? -1)
            fresh.append(candidate)
        }
        guard !fresh.isEmpty else { return outcome }
        let last = try await reserveDateAdded(count: fresh.count, in: target.id, now: now, on: db)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var rows: [StoredSTIXObject] = []
        rows.reserveCapacity(fresh.count)
        for (offset, candidate) in fresh.enumerated() {
            let row = StoredSTIXObject()
            row.collectionID = target.id
            row.stixID = candidate.id
            row.type = candidate.type
            row.specVersion = candidate.object["spec_version"]?.string ?? "2.1"
            row.dateAddedMicroseconds = last - Int64(fresh.count - 1 - offset)
            row.versionMicroseconds = candidate.version ?? row.dateAddedMicroseconds
            row.versionKey = TAXIIKeyset.versionKey(id: candidate.id, version: row.versionMicroseconds)
            row.createdByRef = candidate.object["created_by_ref"]?.string
            row.tlp = candidate.label.rawValue
            row.ownerTeamID = owner.team
            row.ownerUserID = owner.user
            row.revoked = candidate.object["revoked"] == .bool(true)
            row.body = String(decoding: try encoder.encode(JSONValue.object(candidate.object)), as: UTF8.self)
            rows.append(row)
        }
        try await markFirstAndLast(rows, existing: existing, in: target.id, on: db)
        for start in stride(from: 0, to: rows.count, by: 500) {
            try await Array(rows[start..<min(start + 500, rows.count)]).create(on: db)
        }
        try await CorrelationIndex.index(Array(zip(rows, fresh.map(\.object))), on: db)
        outcome.successes += rows.map {
            .init(id: $0.stixID, version: STIXTimestamp(microseconds: $0.versionMicroseconds).description, message: nil)
        }
        return outcome
    }

    /// The versions already stored for these ids, and the team that created each id.
    private static func existingVersions(of ids: Set<String>, in collection: UUID, on db: any Database) async throws
        -> [String: (owner: UUID, versions: Set<Int64>)]
    {
        var found: [String: (owner: UUID, versions: Set<Int64>)] = [:]
        let all = Array(ids)
        for start in stride(from: 0, to: all.count, by: 500) {
            let rows = try await StoredSTIXObject.query(on: db)
                .filter(\.$collectionID == collection)
                .filter(\.$stixID ~~ Array(all[start..<min(start + 500, all.count)]))
                .field(\.$stixID).field(\.$versionMicroseconds).field(\.$ownerTeamID)
                .all()
            for row in rows {
                found[row.stixID, default: (row.ownerTeamID, [])].versions.insert(row.versionMicroseconds)
            }
        }
        return found
    }

    /// Sets `is_first` and `is_last` on the new rows, and corrects them on the stored versions of
    /// the ids that gained one.
    private static func markFirstAndLast(
        _ rows: [StoredSTIXObject], existing: [String: (owner: UUID, versions: Set<Int64>)], in collection: UUID,
        on db: any Database
    ) async throws {
        let byID = Dictionary(grouping: rows, by: \.stixID)
        for (id, versions) in byID {
            let all = (existing[id]?.versions ?? []).union(versions.map(\.versionMicroseconds))
            let first = all.min() ?? 0
            let last = all.max() ?? 0
            for row in versions {
                row.isFirst = row.versionMicroseconds == first
                row.isLast = row.versionMicroseconds == last
            }
            guard existing[id] != nil else { continue }
            try await STIXVersionFlags.set(first: first, last: last, of: id, in: collection, on: db)
        }
    }

    /// Hands out `count` consecutive `date_added` values after the collection's last one (and no
    /// earlier than now), returning the last. The row update serialises concurrent writers, also
    /// across server instances on PostgreSQL, so values never repeat or go back.
    static func reserveDateAdded(count: Int, in collection: UUID, now: Date, on db: any Database) async throws
        -> Int64
    {
        let nowMicroseconds = STIXTimestamp(date: now).microseconds
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "sharing needs SQL") }
        let n = Int64(count)
        guard
            let row = try await sql.raw(
                """
                UPDATE sharing_collections SET last_added_us = CASE WHEN last_added_us + \(bind: n) > \(bind: nowMicroseconds)
                THEN last_added_us + \(bind: n) ELSE \(bind: nowMicroseconds) END
                WHERE id = \(bind: collection) RETURNING last_added_us
                """
            ).first()
        else { throw ConcordError.notFound("collection") }
        return try row.decode(column: "last_added_us", as: Int64.self)
    }
}
