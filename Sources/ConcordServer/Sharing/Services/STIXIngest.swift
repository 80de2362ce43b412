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
        /// The text it was sent as, while the object is unchanged.
        var text: String?
        let label: TLPLabel
        let version: Int64?
        /// Its correlation keys (`CorrelationKeys.keys(ofSTIX:)`).
        let keys: [String]
    }

    /// An object to add and, when it came as JSON text, that text: an object stored unchanged is
    /// stored as it was sent, byte for byte, and not encoded again.
    struct Submission: Sendable {
        let value: JSONValue
        let text: String?
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
        on database: any Database, now: Date
    ) async throws -> Outcome {
        try await add(
            objects.map { Submission(value: $0, text: nil) }, to: target, by: owner, defaultLabel: defaultLabel,
            on: database, now: now)
    }

    /// Stores `submissions` as `add(_:to:by:defaultLabel:on:now:)` does.
    ///
    /// `whenStored` runs inside the transaction that stores the objects, with the whole outcome
    /// (a TAXII status written with them, so none is left pending by a crash).
    static func add(
        _ submissions: [Submission], to target: ResolvedCollection, by owner: Owner, defaultLabel: TLPLabel?,
        on database: any Database, now: Date,
        whenStored: (@Sendable (Outcome, any Database) async throws -> Void)? = nil
    ) async throws -> Outcome {
        var outcome = Outcome()
        var candidates: [Candidate] = []
        for prepared in await prepareAll(submissions, for: target, defaultLabel: defaultLabel) {
            switch prepared {
            case .success(let candidate): candidates.append(candidate)
            case .failure(let failure): outcome.failures.append(failure.detail)
            }
        }
        guard !candidates.isEmpty else {
            if let whenStored {
                try await database.writeTransaction { [outcome] db in try await whenStored(outcome, db) }
            }
            return outcome
        }
        let (valid, refused) = (candidates, outcome)
        try await SharingCollections.store(target, at: now, on: database)
        return try await database.writeTransaction { db in
            if valid.count > 100 { try await SQLiteBulkWrites.prepare(db) }
            // The write comes first: on SQLite a transaction that read first cannot write once
            // another connection has committed (SQLITE_BUSY_SNAPSHOT), while one that writes
            // first waits its turn. Objects already stored leave their values unused.
            let last = try await reserveDateAdded(count: valid.count, in: target.id, now: now, on: db)
            let stored = try await store(valid, in: target, by: owner, dateAddedUpTo: last, at: now, on: db)
            var outcome = refused
            outcome.successes += stored.successes
            outcome.failures += stored.failures
            try await whenStored?(outcome, db)
            return outcome
        }
    }

    private struct Refusal: Error {
        let detail: TAXIIStatusDetail
    }

    /// Validates, labels and keys every submission, on every core when there are many: this is the
    /// part of a large envelope that is all computing (each pattern is parsed to be checked, and
    /// read again for its correlation keys).
    private static func prepareAll(
        _ submissions: [Submission], for target: ResolvedCollection, defaultLabel: TLPLabel?
    ) async -> [Result<Candidate, Refusal>] {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        guard submissions.count >= 1000, workers > 1 else {
            return submissions.map { prepare($0, for: target, defaultLabel: defaultLabel) }
        }
        let size = (submissions.count + workers - 1) / workers
        return await withTaskGroup(of: (Int, [Result<Candidate, Refusal>]).self) { group in
            for start in stride(from: 0, to: submissions.count, by: size) {
                let slice = submissions[start..<min(start + size, submissions.count)]
                group.addTask { (start, slice.map { prepare($0, for: target, defaultLabel: defaultLabel) }) }
            }
            var parts: [(Int, [Result<Candidate, Refusal>])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    private static func prepare(_ submission: Submission, for target: ResolvedCollection, defaultLabel: TLPLabel?)
        -> Result<Candidate, Refusal>
    {
        var text = submission.text
        guard var object = submission.value.object else {
            return .failure(Refusal(detail: .init(id: "", version: nil, message: "not a JSON object")))
        }
        let id = object["id"]?.string ?? ""
        let timestamp = (object["modified"] ?? object["created"])?.string.flatMap(STIXTimestamp.init)
        func refuse(_ message: String) -> Result<Candidate, Refusal> {
            .failure(
                Refusal(
                    detail: .init(
                        id: id, version: (object["modified"] ?? object["created"])?.string ?? timestamp?.description,
                        message: message)))
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
                text = nil
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
            Candidate(
                id: id, type: type, object: object, text: text, label: label, version: timestamp?.microseconds,
                keys: CorrelationKeys.keys(ofSTIX: object)))
    }

    /// Stores what is new among `candidates`, the last of them at `date_added` `last`.
    private static func store(
        _ candidates: [Candidate], in target: ResolvedCollection, by owner: Owner, dateAddedUpTo last: Int64,
        at now: Date, on db: any Database
    ) async throws -> Outcome {
        var outcome = Outcome()
        let existing = try await existingVersions(of: Set(candidates.map(\.id)), in: target.id, on: db)
        var fresh: [Candidate] = []
        var seen: [String: Set<Int64>] = [:]
        for candidate in candidates {
            let known = existing[candidate.id]
            // Only the creator adds versions: not another team, and not a teammate of the author of
            // a TLP:RED object (which only its author may read). One answer for both, which does not
            // say which, nor what the object is.
            if let known, known.owner != owner.team || (known.redAuthors.contains { $0 != owner.user }) {
                outcome.failures.append(
                    .init(
                        id: candidate.id,
                        version: candidate.version.map {
                            STIXVersionText.of(
                                modified: (candidate.object["modified"] ?? candidate.object["created"])?.string,
                                microseconds: $0)
                        },
                        message: "not accepted: only the creator of an object adds versions of it"))
                continue
            }
            let versions = (known?.versions ?? []).union(seen[candidate.id] ?? [])
            let repeated = candidate.version.map(versions.contains) ?? !versions.isEmpty
            if repeated {
                let version = candidate.version ?? versions.min() ?? 0
                outcome.successes.append(
                    .init(
                        id: candidate.id,
                        version: STIXVersionText.of(
                            modified: (candidate.object["modified"] ?? candidate.object["created"])?.string,
                            microseconds: version),
                        message: "already in the collection"))
                continue
            }
            seen[candidate.id, default: []].insert(candidate.version ?? -1)
            fresh.append(candidate)
        }
        guard !fresh.isEmpty else { return outcome }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var rows: [STIXObjectRow] = []
        rows.reserveCapacity(fresh.count)
        for (offset, candidate) in fresh.enumerated() {
            let dateAdded = last - Int64(fresh.count - 1 - offset)
            let version = candidate.version ?? dateAdded
            rows.append(
                STIXObjectRow(
                    collectionID: target.id, stixID: candidate.id, type: candidate.type,
                    specVersion: candidate.object["spec_version"]?.string ?? "2.1", versionMicroseconds: version,
                    dateAddedMicroseconds: dateAdded,
                    versionKey: TAXIIKeyset.versionKey(id: candidate.id, version: version),
                    createdByRef: candidate.object["created_by_ref"]?.string, tlp: candidate.label,
                    ownerTeamID: owner.team, ownerUserID: owner.user,
                    revoked: candidate.object["revoked"] == .bool(true),
                    body: try candidate.text
                        ?? String(decoding: encoder.encode(JSONValue.object(candidate.object)), as: UTF8.self)))
        }
        try await markFirstAndLast(&rows, existing: existing, in: target.id, on: db)
        try await STIXObjectRow.insert(rows, on: db)
        try await CorrelationIndex.index(
            stix: fresh.map { (collection: target.id, stixID: $0.id, keys: $0.keys) }, at: now, on: db)
        outcome.successes += rows.map {
            .init(
                id: $0.stixID, version: STIXVersionText.of(body: $0.body, microseconds: $0.versionMicroseconds),
                message: nil)
        }
        return outcome
    }

    /// What is stored under one id: the team that created it, its versions, and the authors of its
    /// TLP:RED versions (nil: a version without a user, which no teammate may read either).
    private struct Existing {
        var owner: UUID
        var versions: Set<Int64> = []
        var redAuthors: [UUID?] = []
    }

    /// The versions already stored for these ids, and the team that created each id.
    private static func existingVersions(of ids: Set<String>, in collection: UUID, on db: any Database) async throws
        -> [String: Existing]
    {
        var found: [String: Existing] = [:]
        let all = Array(ids)
        for start in stride(from: 0, to: all.count, by: 500) {
            let rows = try await StoredSTIXObject.query(on: db)
                .filter(\.$collectionID == collection)
                .filter(\.$stixID ~~ Array(all[start..<min(start + 500, all.count)]))
                .field(\.$stixID).field(\.$versionMicroseconds).field(\.$ownerTeamID).field(\.$tlp)
                .field(\.$ownerUserID)
                .all()
            for row in rows {
                found[row.stixID, default: Existing(owner: row.ownerTeamID)].versions.insert(row.versionMicroseconds)
                if row.tlp == .red { found[row.stixID]?.redAuthors.append(row.ownerUserID) }
            }
        }
        return found
    }

    /// Sets `is_first` and `is_last` on the new rows, and corrects them on the stored versions of
    /// the ids that gained one.
    private static func markFirstAndLast(
        _ rows: inout [STIXObjectRow], existing: [String: Existing], in collection: UUID,
        on db: any Database
    ) async throws {
        let byID = Dictionary(grouping: rows.indices, by: { rows[$0].stixID })
        for (id, indices) in byID {
            let all = (existing[id]?.versions ?? []).union(indices.map { rows[$0].versionMicroseconds })
            let first = all.min() ?? 0
            let last = all.max() ?? 0
            for index in indices {
                rows[index].isFirst = rows[index].versionMicroseconds == first
                rows[index].isLast = rows[index].versionMicroseconds == last
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
