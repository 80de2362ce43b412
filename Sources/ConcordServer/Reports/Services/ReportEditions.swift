import ConcordCore
import Fluent
import SQLKit
import Vapor

/// The annual report's editions: built by the secretariat at a TLP (CLEAR: the public edition,
/// AMBER: the members') and a data cut-off, kept whole (HTML, PDF, `data.json`, `tables.csv`),
/// numbered per year from the year's counter, never changed afterwards. Members read them.
enum ReportEditions {
    /// An edition without its documents, as lists show it.
    struct Summary: Sendable {
        let number: Int
        let tlp: String
        let cutoff: Date
        let madeAt: Date
        let madeBy: String
        let inputsSHA256: String
    }

    /// The files of an edition, by the names the API and the command line use.
    enum File: String, CaseIterable, Sendable {
        case html = "report.html"
        case pdf = "report.pdf"
        case json = "data.json"
        case csv = "tables.csv"

        var contentType: HTTPMediaType {
            switch self {
            case .html: return .html
            case .pdf: return HTTPMediaType(type: "application", subType: "pdf")
            case .json: return .json
            case .csv: return HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            }
        }
    }

    /// The edition's label: `TLP:CLEAR` or `TLP:AMBER`, refused otherwise.
    static func label(_ text: String?) throws -> TLPLabel {
        guard let text, !text.isEmpty else { return .amber }
        guard
            let label = TLPLabel(
                rawValue: text.uppercased().hasPrefix("TLP:") ? text.uppercased() : "TLP:\(text.uppercased())"),
            EditionContents.editionLabels.contains(label)
        else {
            throw ConcordError.invalid(
                field: "tlp", "'\(text)' is no edition label: clear (the public edition) or amber (the members')")
        }
        return label
    }

    /// Builds, prints and keeps a new edition; the cut-off defaults to now and may not be later.
    static func build(year: Int?, tlp: TLPLabel, cutoff: Date?, caller: Caller) async throws -> Summary {
        try caller.policy.require(.manageReporting)
        let found = try await ReportingYears.find(year, on: caller.db)
        let now = caller.clock.now()
        if let cutoff, cutoff > now {
            throw ConcordError.invalid(field: "cutoff", "must not be later than now: records after it may still change")
        }
        let cut = cutoff ?? now
        let built = try await AnnualReportBuilder.build(year: found, tlp: tlp, cutoff: cut, caller: caller)
        let json = String(decoding: try AnnualReportBuilder.json(built.data), as: UTF8.self)
        let yearID = try found.requireID()
        // The number comes first, from the year's counter, in a transaction of its own: printing
        // takes seconds and must not hold the write lock. A print that fails leaves its number unused.
        let number: Int = try await caller.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            guard
                let number = try await sql.raw(
                    "UPDATE reporting_years SET editions = editions + 1 WHERE id = \(bind: yearID) RETURNING editions"
                ).first()?.decode(column: "editions", as: Int.self)
            else { throw ConcordError.notFound("reporting year") }
            return number
        }
        let provenance = ReportDocument.Provenance(
            edition: number, madeBy: caller.actor.name, madeAt: now, inputsSHA256: built.inputsSHA256)
        let html = try await ReportDocument.html(built.data, provenance: provenance, app: caller.app)
        let pdf = try await caller.app.reportPrinter.pdf(html: html)
        let edition = ReportEdition()
        edition.reportingYearID = yearID
        edition.number = number
        edition.tlp = tlp.rawValue
        edition.cutoff = cut
        edition.madeAt = now
        edition.madeBy = caller.actor.name
        edition.inputsSHA256 = built.inputsSHA256
        edition.dataJSON = json
        edition.html = html
        edition.csv = ReportDocument.csv(built.data)
        edition.pdf = pdf
        try await caller.db.writeTransaction { db in
            try await edition.create(on: db)
            try await AuditLog.record(
                "report.edition", targetType: "reporting-year", targetID: String(found.year),
                summary: "built edition \(number) of \(found.period.label) at \(tlp.rawValue), cut-off "
                    + NotificationText.utc(cut),
                caller: caller, on: db)
        }
        return Summary(
            number: number, tlp: tlp.rawValue, cutoff: cut, madeAt: now, madeBy: caller.actor.name,
            inputsSHA256: built.inputsSHA256)
    }

    /// The report as it would be now, as HTML (the secretariat's preview; nothing is kept).
    static func preview(year: Int?, tlp: TLPLabel, caller: Caller) async throws -> String {
        try caller.policy.require(.manageReporting)
        let found = try await ReportingYears.find(year, on: caller.db)
        let now = caller.clock.now()
        let built = try await AnnualReportBuilder.build(year: found, tlp: tlp, cutoff: now, caller: caller)
        return try await ReportDocument.html(
            built.data,
            provenance: .init(edition: nil, madeBy: caller.actor.name, madeAt: now, inputsSHA256: built.inputsSHA256),
            app: caller.app)
    }

    /// The year's editions, newest first (any member).
    static func list(year: Int?, caller: Caller) async throws -> (ReportingYear, [Summary]) {
        try caller.policy.require(.readDirectory)
        _ = try caller.requirePrincipal()
        let found = try await ReportingYears.find(year, on: caller.db)
        guard let sql = caller.db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
        let rows = try await sql.select()
            .columns("number", "tlp", "cutoff", "made_at", "made_by", "inputs_sha256")
            .from(ReportEdition.schema)
            .where("reporting_year_id", .equal, SQLBind(try found.requireID()))
            .orderBy("number", .descending)
            .all()
        let decoder = SQLRowDecoder()
        struct Row: Decodable {
            let number: Int
            let tlp: String
            let cutoff: Date
            let madeAt: Date
            let madeBy: String
            let inputsSHA256: String

            enum CodingKeys: String, CodingKey {
                case number, tlp, cutoff
                case madeAt = "made_at"
                case madeBy = "made_by"
                case inputsSHA256 = "inputs_sha256"
            }
        }
        return (
            found,
            try rows.map { row in
                let r = try row.decode(model: Row.self, with: decoder)
                return Summary(
                    number: r.number, tlp: r.tlp, cutoff: r.cutoff, madeAt: r.madeAt, madeBy: r.madeBy,
                    inputsSHA256: r.inputsSHA256)
            }
        )
    }

    /// One file of one edition (any member).
    static func file(year: Int?, number: Int?, name: String?, caller: Caller) async throws
        -> (data: Data, file: File, edition: ReportEdition, year: ReportingYear)
    {
        try caller.policy.require(.readDirectory)
        _ = try caller.requirePrincipal()
        let found = try await ReportingYears.find(year, on: caller.db)
        guard let file = name.flatMap(File.init(rawValue:)) else {
            throw ConcordError.notFound("file (report.html, report.pdf, data.json or tables.csv)")
        }
        guard let number,
            let edition = try await ReportEdition.query(on: caller.db)
                .filter(\.$reportingYearID == found.requireID()).filter(\.$number == number).first()
        else { throw ConcordError.notFound("edition") }
        let data: Data
        switch file {
        case .html: data = Data(edition.html.utf8)
        case .pdf: data = edition.pdf
        case .json: data = Data(edition.dataJSON.utf8)
        case .csv: data = Data(edition.csv.utf8)
        }
        return (data, file, edition, found)
    }
}
