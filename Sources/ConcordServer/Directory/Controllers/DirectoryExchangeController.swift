import Fluent
import Vapor

/// Export and import of the directory, and a team's RFC 2350 text and vCard.
struct DirectoryExchangeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let directory = routes.grouped(.constant(Paths.directory))
        directory.get(.constant(Paths.exportJSON), use: exportJSON)
        directory.get(.constant(Paths.exportCSV), use: exportCSV)
        directory.on(.POST, .constant(Paths.importFile), body: .collect(maxSize: "20mb"), use: importDirectory)
        routes.get(.constant(Paths.teams), ":team", .constant(Paths.rfc2350), use: rfc2350)
        routes.get(.constant(Paths.teams), ":team", .constant(Paths.vCard), use: vCard)
    }

    @Sendable func exportJSON(req: Request) async throws -> Response {
        let document = try await DirectoryExporter.document(policy: req.policy, on: req.db)
        let response = try await document.encodeResponse(for: req)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"concord-directory.json\"")
        return response
    }

    @Sendable func exportCSV(req: Request) async throws -> Response {
        let document = try await DirectoryExporter.document(policy: req.policy, on: req.db)
        return Self.text(
            DirectoryExporter.csv(document), type: "text/csv; charset=utf-8", filename: "concord-directory.csv")
    }

    /// `application/json` (a `DirectoryDocument`) or `text/csv` (the CSV export); all or nothing.
    @Sendable func importDirectory(req: Request) async throws -> DirectoryImporter.Summary {
        try req.policy.require(.manageTeams)
        if req.headers.contentType?.subType == "csv" {
            let text = req.body.string ?? ""
            return try await DirectoryImporter.importDocument(
                try DirectoryImporter.document(fromCSV: text), managedContactKinds: DirectoryImporter.csvContactKinds,
                caller: req.caller)
        }
        return try await DirectoryImporter.importDocument(
            try req.content.decode(DirectoryDocument.self), caller: req.caller)
    }

    @Sendable func rfc2350(req: Request) async throws -> Response {
        try req.policy.require(.readDirectory)
        let team = try TeamDTO(
            try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db), policy: req.policy)
        return Self.text(
            TeamCardRenderers.rfc2350(team), type: "text/plain; charset=utf-8", filename: "\(team.slug)-rfc2350.txt")
    }

    @Sendable func vCard(req: Request) async throws -> Response {
        try req.policy.require(.readDirectory)
        let team = try TeamDTO(
            try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db), policy: req.policy)
        return Self.text(TeamCardRenderers.vCard(team), type: "text/vcard; charset=utf-8", filename: "\(team.slug).vcf")
    }

    /// A download: `body` as `type`, saved as `filename`.
    static func text(_ body: String, type: String, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }
}
