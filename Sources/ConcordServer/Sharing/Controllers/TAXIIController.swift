import ConcordCore
import Crypto
import Fluent
import Vapor

/// The TAXII 2.1 server under `/taxii2/`: discovery, one API root (`forum`), its collections with
/// their objects, manifest and versions, and the status of Add Objects requests. Every read is
/// judged by the one policy, object by object; paging is by signed keyset cursors.
struct TAXIIController: RouteCollection {
    /// The API root's name in the path.
    static let rootName = "forum"
    /// The largest page the server gives, whatever `limit` asks.
    static let pageSize = 1000
    /// The largest request body (`max_content_length`).
    static let maxContentLength = 64 * 1024 * 1024
    /// Envelopes with more objects than this are stored in the background (status `pending`).
    static let backgroundThreshold = 1000

    func boot(routes: any RoutesBuilder) throws {
        typealias P = Paths.Sharing
        let taxii = routes.grouped(.constant(P.taxii)).grouped(
            TAXIIMiddleware(), TAXIIBasicAuthenticator(), BearerTokenAuthenticator())
        taxii.get(use: discovery)
        let root = taxii.grouped(.constant(Self.rootName))
        root.get(use: apiRoot)
        root.get(.constant(P.status), ":status", use: status)
        let collections = root.grouped(.constant(P.collections))
        collections.get(use: listCollections)
        collections.get(":collection", use: collection)
        collections.get(":collection", .constant(P.manifest), use: manifest)
        collections.get(":collection", .constant(P.objects), use: objects)
        // Vapor refuses a body of exactly `maxSize` bytes; the advertised maximum is taken.
        collections.grouped(IdempotencyMiddleware(bodyLimit: Self.maxContentLength + 1)).on(
            .POST, ":collection", .constant(P.objects),
            body: .collect(maxSize: ByteCount(value: Self.maxContentLength + 1)),
            use: addObjects)
        collections.get(":collection", .constant(P.objects), ":object", use: object)
        collections.delete(":collection", .constant(P.objects), ":object", use: deleteObject)
        collections.get(":collection", .constant(P.objects), ":object", .constant(P.versions), use: versions)
    }

    // MARK: Discovery, API root, collections

    func discovery(req: Request) async throws -> Response {
        _ = try caller(req)
        let root = baseURL(req) + Paths.Sharing.taxiiRoot(Self.rootName)
        return try Self.answer(
            TAXIIDiscovery(
                title: "Concord TAXII 2.1", description: "The forum's shared STIX 2.1 objects, under TLP 2.0",
                contact: req.application.concord.mail.fromAddress, default: root, apiRoots: [root]))
    }

    func apiRoot(req: Request) async throws -> Response {
        _ = try caller(req)
        return try Self.answer(
            TAXIIAPIRoot(
                title: "Concord forum", description: "The forum-wide, team and sharing-group collections",
                versions: [TAXIIMediaType.taxii], maxContentLength: Self.maxContentLength))
    }

    func listCollections(req: Request) async throws -> Response {
        _ = try caller(req)
        let policy = req.policy
        let resources = try await SharingCollections.all(on: req.db).compactMap { Self.resource($0, policy) }
        return try Self.answer(TAXIICollections(collections: resources))
    }

    func collection(req: Request) async throws -> Response {
        let found = try await target(req)
        guard let resource = Self.resource(found, req.policy) else { throw ConcordError.notFound("collection") }
        return try Self.answer(resource)
    }

    private static func resource(_ found: ResolvedCollection, _ policy: Policy) -> TAXIICollectionResource? {
        let canRead = policy.allows(.readCollection(found.access))
        let canWrite = policy.allows(.writeCollection(found.access))
        guard canRead || canWrite else { return nil }
        return TAXIICollectionResource(
            id: found.id.uuidString.lowercased(), title: found.collection.title,
            description: found.collection.summary, canRead: canRead, canWrite: canWrite,
            mediaTypes: [TAXIIMediaType.stix])
    }

    // MARK: Objects, manifest, versions

    func objects(req: Request) async throws -> Response {
        let (reader, filter, binding) = try await reading(req, supported: ["id", "type", "version", "spec_version"])
        let page = try await reader.page(filter, after: try start(req, filter, binding), on: req.db)
        if let principal = try caller(req) {
            try await STIXDeliveryLog.record(
                page.records, to: principal, by: .taxii, on: req.db, now: req.application.clock.now())
        }
        return envelope(page, binding: binding, req: req)
    }

    func object(req: Request) async throws -> Response {
        let id = try objectID(req)
        let (reader, filter, binding) = try await reading(req, supported: ["version", "spec_version"])
        let page = try await reader.page(filter, after: try start(req, filter, binding), id: id, on: req.db)
        if page.records.isEmpty && filter.next == nil { throw ConcordError.notFound("object \(id)") }
        if let principal = try caller(req) {
            try await STIXDeliveryLog.record(
                page.records, to: principal, by: .taxii, on: req.db, now: req.application.clock.now())
        }
        return envelope(page, binding: binding, req: req)
    }

    func manifest(req: Request) async throws -> Response {
        let (reader, filter, binding) = try await reading(req, supported: ["id", "type", "version", "spec_version"])
        let page = try await reader.page(filter, after: try start(req, filter, binding), on: req.db)
        let records = page.records.map {
            TAXIIManifestRecord(
                id: $0.stixID, dateAdded: STIXTimestamp(microseconds: $0.dateAddedMicroseconds).description,
                version: $0.versionText,
                mediaType: TAXIIMediaType.stix)
        }
        let manifest = TAXIIManifest(
            more: page.more, next: next(page, binding, req), objects: records.isEmpty ? nil : records)
        return Self.dated(try Self.answer(manifest), page)
    }

    func versions(req: Request) async throws -> Response {
        let id = try objectID(req)
        let (reader, filter, binding) = try await reading(req, supported: ["spec_version"], versions: .every)
        let page = try await reader.page(filter, after: try start(req, filter, binding), id: id, on: req.db)
        if page.records.isEmpty && filter.next == nil { throw ConcordError.notFound("object \(id)") }
        let versions = page.records.map(\.versionText)
        return Self.dated(
            try Self.answer(
                TAXIIVersions(more: page.more, next: next(page, binding, req), versions: versions)), page)
    }

    func deleteObject(req: Request) async throws -> Response {
        let id = try objectID(req)
        let found = try await target(req)
        try req.policy.require(.writeCollection(found.access))
        let reader = STIXObjectReader(collection: found, policy: req.policy)
        let filter = try parse(req, supported: ["version", "spec_version"], versions: .every)
        let rows = try await reader.versions(of: id, filter, on: req.db)
        guard !rows.isEmpty else { throw ConcordError.notFound("object \(id)") }
        for row in rows { try req.policy.require(.deleteShared(ownerTeam: row.ownerTeamID)) }
        try await STIXDeletion.delete(rows, of: id, in: found.id, on: req.db)
        return Response(status: .ok, headers: ["Content-Type": TAXIIMediaType.taxii])
    }

    // MARK: Add objects and status

    func addObjects(req: Request) async throws -> Response {
        let principal = try principal(req)
        let found = try await target(req)
        try req.policy.require(.writeCollection(found.access))
        guard TAXIIMediaType.isTAXIIBody(req.headers.first(name: .contentType)) else {
            throw TAXIIError(
                status: .unsupportedMediaType,
                description:
                    "send Content-Type: \(TAXIIMediaType.taxii), not \(req.headers.first(name: .contentType) ?? "none")"
            )
        }
        let body = req.body.data ?? ByteBuffer()
        let submissions = try TAXIIEnvelopeParser.submissions(body)
        let label = req.application.concord.sharingDefaultLabel
        if submissions.count > Self.backgroundThreshold {
            let claim = try await TAXIIEnvelopeJobs.begin(
                submissions.map(\.value), envelope: body, in: found.id, by: principal,
                now: req.application.clock.now(), on: req.db)
            let pending = claim.status.document  // before the task touches the record
            let app = req.application
            app.backgroundWork.start {
                await TAXIIEnvelopeJobs.process(
                    submissions, claim: claim, in: found, by: .init(principal), defaultLabel: label, app: app)
            }
            return Self.answer(document: pending, status: .accepted)
        }
        let status = try TAXIIStatusService.pending(
            submissions.map(\.value), in: found.id, by: principal, now: req.application.clock.now())
        _ = try await STIXIngest.add(
            submissions, to: found, by: .init(principal), defaultLabel: label, on: req.db,
            now: req.application.clock.now(),
            whenStored: { outcome, db in try await TAXIIStatusService.store(status, outcome, on: db) })
        return Self.answer(document: status.document, status: .accepted)
    }

    func status(req: Request) async throws -> Response {
        let principal = try principal(req)
        guard let id = req.parameters.get("status").flatMap(UUID.init(uuidString:)),
            let record = try await TAXIIStatusRecord.find(id, on: req.db), record.userID == principal.userID
        else { throw ConcordError.notFound("status") }
        return Self.answer(document: record.document)
    }

    // MARK: Helpers

    /// The caller: a principal, or nil for an anonymous reader the policy lets in (TLP:CLEAR in
    /// the forum's collection, when `CONCORD_TAXII_ANONYMOUS` is on).
    private func caller(_ req: Request) throws -> Principal? {
        if req.auth.get(Principal.self) == nil && req.policy.anonymousReadsClear { return nil }
        return try principal(req)
    }

    private func principal(_ req: Request) throws -> Principal {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        guard principal.has(.read) else { throw ConcordError.forbidden }
        return principal
    }

    /// The collection in the path; one the principal may neither read nor write does not exist.
    private func target(_ req: Request) async throws -> ResolvedCollection {
        _ = try caller(req)
        guard let text = req.parameters.get("collection"), let id = UUID(uuidString: text),
            let found = try await SharingCollections.find(id, on: req.db),
            req.policy.allows(.readCollection(found.access)) || req.policy.allows(.writeCollection(found.access))
        else { throw ConcordError.notFound("collection") }
        return found
    }

    private func reading(_ req: Request, supported: Set<String>, versions: TAXIIFilter.Versions = .latest)
        async throws -> (STIXObjectReader, TAXIIFilter, String)
    {
        let found = try await target(req)
        try req.policy.require(.readCollection(found.access))
        let filter = try parse(req, supported: supported, versions: versions)
        let who = try caller(req)?.userID.uuidString ?? "anonymous"
        var path = req.url.path
        while path.hasSuffix("/") { path.removeLast() }
        let digest = SHA256.hash(data: Data("\(path)|\(filter.canonical)|\(who)".utf8))
        let binding = digest.prefix(12).map { String(format: "%02x", $0) }.joined()
        return (STIXObjectReader(collection: found, policy: req.policy), filter, binding)
    }

    private func parse(_ req: Request, supported: Set<String>, versions: TAXIIFilter.Versions) throws -> TAXIIFilter {
        var query: [String: String] = [:]
        for pair in (req.url.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            let name = decoded(parts[0])
            let value = parts.count > 1 ? decoded(parts[1]) : ""
            query[name] = query[name].map { $0 + "," + value } ?? value
        }
        do {
            return try TAXIIFilter.parse(
                query, pageSize: Self.pageSize, supported: supported, defaultVersions: versions)
        } catch {
            throw TAXIIError(status: .badRequest, description: error.message)
        }
    }

    private func start(_ req: Request, _ filter: TAXIIFilter, _ binding: String) throws -> TAXIIKeyset? {
        guard let next = filter.next else { return nil }
        guard let payload = req.application.serverSecret.cursorPayload(next),
            let keyset = TAXIIKeyset.read(payload: payload, binding: binding)
        else {
            throw TAXIIError(
                status: .badRequest, description: "next is not a cursor this server gave you for this query")
        }
        return keyset
    }

    private func next(_ page: STIXObjectReader.Page, _ binding: String, _ req: Request) -> String? {
        page.end.map { req.application.serverSecret.signedCursor($0.payload(binding: binding)) }
    }

    private func objectID(_ req: Request) throws -> String {
        guard let id = req.parameters.get("object"), STIXIdentifier(id) != nil else {
            throw ConcordError.notFound("object")
        }
        return id
    }

    /// An envelope of stored JSON, written without decoding it again.
    private func envelope(_ page: STIXObjectReader.Page, binding: String, req: Request) -> Response {
        var buffer = ByteBufferAllocator().buffer(capacity: page.records.reduce(64) { $0 + $1.body.utf8.count + 1 })
        buffer.writeString("{\"more\":\(page.more)")
        if let next = next(page, binding, req) { buffer.writeString(",\"next\":\"\(next)\"") }
        if !page.records.isEmpty {
            buffer.writeString(",\"objects\":[")
            for (index, record) in page.records.enumerated() {
                if index > 0 { buffer.writeString(",") }
                buffer.writeString(record.body)
            }
            buffer.writeString("]")
        }
        buffer.writeString("}")
        let response = Response(
            status: .ok, headers: ["Content-Type": TAXIIMediaType.taxii], body: .init(buffer: buffer))
        return Self.dated(response, page)
    }

    /// Adds `X-TAXII-Date-Added-First` and `-Last` (§3.3.1) when the page has records.
    private static func dated(_ response: Response, _ page: STIXObjectReader.Page) -> Response {
        if let first = page.records.first, let last = page.records.last {
            response.headers.replaceOrAdd(
                name: "X-TAXII-Date-Added-First",
                value: STIXTimestamp(microseconds: first.dateAddedMicroseconds).description)
            response.headers.replaceOrAdd(
                name: "X-TAXII-Date-Added-Last",
                value: STIXTimestamp(microseconds: last.dateAddedMicroseconds).description)
        }
        return response
    }

    private static func answer<Body: Encodable>(_ body: Body, status: HTTPResponseStatus = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status, headers: ["Content-Type": TAXIIMediaType.taxii], body: .init(data: try encoder.encode(body))
        )
    }

    /// A resource already rendered as JSON.
    private static func answer(document: String, status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": TAXIIMediaType.taxii], body: .init(string: document))
    }

    /// This server's address as the client reached it: the public URL's scheme and the `Host` header.
    private func baseURL(_ req: Request) -> String {
        let configured = req.application.concord.publicURL
        guard let host = req.headers.first(name: .host), !host.isEmpty, !host.contains("/") else { return configured }
        let scheme = configured.hasPrefix("https://") ? "https" : "http"
        return "\(scheme)://\(host)"
    }
}
