import ConcordCore
import Vapor

/// `GET /api/v1/statistics` and `GET /api/v1/statistics.csv`: a reporting year's incident figures
/// as JSON, and its table by RSIT taxonomy and month as CSV. Parameters: `year` (this year in UTC
/// unless given), `startMonth` (1–12: a fiscal year), `from` and `to` (dates narrowing the window,
/// `to` exclusive), `team` (slug), `economy` (ISO code), `class` (RSIT taxonomy or
/// `taxonomy/type`), `tlp`. Counted over what the caller may read.
struct StatisticsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.Reports.statistics), use: json)
        routes.get(.constant(Paths.Reports.statisticsCSV), use: csv)
    }

    @Sendable func json(req: Request) async throws -> StatisticsDTO {
        try req.policy.require(.readDirectory)
        return try await StatisticsService.figures(try Self.query(req), caller: req.caller)
    }

    @Sendable func csv(req: Request) async throws -> Response {
        try req.policy.require(.readDirectory)
        let figures = try await StatisticsService.figures(try Self.query(req), caller: req.caller)
        var lines = [(["taxonomy"] + figures.period.months + ["total"]).joined(separator: ",")]
        for row in figures.byTaxonomy {
            lines.append(([row.taxonomy] + row.months.map(String.init) + [String(row.total)]).joined(separator: ","))
        }
        lines.append(
            (["total"] + figures.monthTotals.map(String.init) + [String(figures.total)]).joined(separator: ","))
        let response = Response(status: .ok, body: .init(string: lines.joined(separator: "\r\n") + "\r\n"))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "statistics-\(figures.period.year).csv")
        return response
    }

    /// The query's parameters, each refused by name when wrong.
    static func query(_ req: Request) throws -> StatisticsService.Query {
        let thisYear =
            Calendar(identifier: .gregorian).dateComponents(
                in: TimeZone(identifier: "UTC")!, from: req.application.clock.now()
            ).year ?? 2026
        let year = try number(req, "year") ?? thisYear
        let startMonth = try number(req, "startMonth") ?? 1
        guard let period = ReportingPeriod(year: year, startMonth: startMonth) else {
            throw ConcordError.invalid(
                field: startMonth == 1 ? "year" : "startMonth", "a year 1970–9998 and a month 1–12")
        }
        var query = StatisticsService.Query(period: period)
        query.from = try date(req, "from")
        query.to = try date(req, "to")
        query.team = req.query[String.self, at: "team"].flatMap { $0.isEmpty ? nil : $0 }
        query.economy = req.query[String.self, at: "economy"].flatMap { $0.isEmpty ? nil : $0.uppercased() }
        if let text = req.query[String.self, at: "class"], !text.isEmpty {
            guard RSITClassification.names(text) else {
                throw ConcordError.invalid(field: "class", "'\(text)' is no RSIT taxonomy or taxonomy/type")
            }
            query.classification = text
        }
        if let text = req.query[String.self, at: "tlp"], !text.isEmpty {
            guard let label = TLPLabel(rawValue: text.uppercased()) else {
                throw ConcordError.invalid(field: "tlp", "'\(text)' is no TLP label (TLP:CLEAR … TLP:RED)")
            }
            query.tlp = label
        }
        return query
    }

    private static func number(_ req: Request, _ name: String) throws -> Int? {
        guard let text = req.query[String.self, at: name], !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw ConcordError.invalid(field: name, "'\(text)' is not a number") }
        return value
    }

    private static func date(_ req: Request, _ name: String) throws -> Date? {
        guard let text = req.query[String.self, at: name], !text.isEmpty else { return nil }
        guard let day = SensorNetwork.day(text) else {
            throw ConcordError.invalid(field: name, "'\(text)' is not a date as YYYY-MM-DD")
        }
        return Date(timeIntervalSince1970: TimeInterval(day))
    }
}
