import ConcordCore
import Vapor

/// The annual report's editions on the API: `POST /reporting-years/{year}/editions` builds one
/// (the secretariat; HTML, PDF, `data.json`, `tables.csv`), `GET …/editions` lists them,
/// `GET …/editions/{number}/{file}` downloads a file, `GET …/preview?tlp=` shows the report as it
/// would be now.
struct ReportEditionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let year = routes.grouped(.constant(Paths.Reports.reportingYears), ":year")
        year.post(.constant(Paths.Reports.editions), use: build)
        year.get(.constant(Paths.Reports.editions), use: list)
        year.get(.constant(Paths.Reports.editions), ":number", ":file", use: Self.file)
        year.get(.constant(Paths.Reports.preview), use: Self.preview)
    }

    @Sendable func build(req: Request) async throws -> Response {
        try req.policy.require(.manageReporting)
        let input = try req.content.decode(BuildEditionInput.self)
        let year = req.parameters.get("year", as: Int.self)
        let summary = try await ReportEditions.build(
            year: year, tlp: try ReportEditions.label(input.tlp), cutoff: input.cutoff, caller: req.caller)
        let dto = ReportEditionDTO(year: year ?? 0, summary)
        let response = try await dto.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/\(Paths.api)\(dto.files["report.pdf"] ?? "")")
        return response
    }

    @Sendable func list(req: Request) async throws -> [ReportEditionDTO] {
        let (year, editions) = try await ReportEditions.list(
            year: req.parameters.get("year", as: Int.self), caller: req.caller)
        return editions.map { ReportEditionDTO(year: year.year, $0) }
    }

    /// A file of an edition; the HTML with a policy that allows only its own inline style.
    @Sendable static func file(req: Request) async throws -> Response {
        let found = try await ReportEditions.file(
            year: req.parameters.get("year", as: Int.self), number: req.parameters.get("number", as: Int.self),
            name: req.parameters.get("file"), caller: req.caller)
        let response = Response(status: .ok, body: .init(data: found.data))
        response.headers.contentType = found.file.contentType
        let name = "annual-report-\(found.year.year)-edition-\(found.edition.number)-\(found.file.rawValue)"
        response.headers.contentDisposition = .init(
            found.file == .html ? .inline : .attachment, filename: name)
        if found.file == .html { Self.restrict(response, html: found.edition.html) }
        return response
    }

    @Sendable static func preview(req: Request) async throws -> Response {
        try req.policy.require(.manageReporting)
        let html = try await ReportEditions.preview(
            year: req.parameters.get("year", as: Int.self),
            tlp: try ReportEditions.label(req.query[String.self, at: "tlp"]), caller: req.caller)
        let response = Response(status: .ok, body: .init(string: html))
        response.headers.contentType = .html
        Self.restrict(response, html: html)
        return response
    }

    /// The report page's Content Security Policy: nothing but its own inline style sheet (by hash)
    /// and inline images.
    static func restrict(_ response: Response, html: String) {
        var style = ""
        if let start = html.range(of: "<style>"),
            let end = html.range(of: "</style>", range: start.upperBound..<html.endIndex)
        {
            style = String(html[start.upperBound..<end.lowerBound])
        }
        response.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value: "default-src 'none'; style-src 'sha256-\(ReportDocument.styleHash(style))'; img-src data:; "
                + "frame-ancestors 'none'; form-action 'none'")
    }
}
