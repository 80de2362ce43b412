import ConcordCore
import Fluent
import Vapor

/// The editions page: every edition with its downloads, and the secretariat's form to build one.
extension ReportingWebController {
    struct BuildForm: Content {
        var tlp: String?
        var cutoff: String?
    }

    struct EditionLine: Encodable {
        let number: Int
        let tlp: String
        let tlpClass: String
        let cutoff: String
        let madeAt: String
        let madeBy: String
        let inputsSHA256: String
    }

    struct EditionsPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let year: Int
        let period: String
        let editions: [EditionLine]
        let manages: Bool
        let flash: String?
        let errors: [ConcordError.FieldError]
    }

    // MARK: Editions

    @Sendable func editions(req: Request) async throws -> Response {
        let flash = req.session.data[Self.flashKey]
        if flash != nil { req.session.data[Self.flashKey] = nil }
        return try await renderEditions(req, flash: flash)
    }

    @Sendable func buildEdition(req: Request) async throws -> Response {
        try req.policy.require(.manageReporting)
        let form = try req.content.decode(BuildForm.self)
        do {
            let year = req.parameters.get("year", as: Int.self)
            let cutoff = try Self.day(form.cutoff, field: "cutoff")
            let summary = try await ReportEditions.build(
                year: year, tlp: try ReportEditions.label(form.tlp),
                cutoff: cutoff.map { min($0, req.application.clock.now()) }, caller: req.caller)
            req.session.data[Self.flashKey] =
                "Edition \(summary.number) (\(summary.tlp)) is built: HTML, PDF, data.json and tables.csv below."
            return req.redirect(to: ReportPaths.yearPage(year ?? 0) + "/\(P.editions)", redirectType: .normal)
        } catch let error as ConcordError where [.validation, .unavailable].contains(error.code) {
            return try await renderEditions(
                req, errors: Self.fields(error),
                status: error.code == .validation ? .unprocessableEntity : .serviceUnavailable)
        }
    }

    func renderEditions(
        _ req: Request, flash: String? = nil, errors: [ConcordError.FieldError] = [], status: HTTPStatus = .ok
    ) async throws -> Response {
        let (year, editions) = try await ReportEditions.list(
            year: req.parameters.get("year", as: Int.self), caller: req.caller)
        let page = EditionsPage(
            viewer: try await req.webViewer(), csrf: req.csrfToken, year: year.year, period: year.period.label,
            editions: editions.map {
                EditionLine(
                    number: $0.number, tlp: $0.tlp,
                    tlpClass: $0.tlp.replacingOccurrences(of: "TLP:", with: "").lowercased(),
                    cutoff: NotificationText.utc($0.cutoff), madeAt: NotificationText.utc($0.madeAt), madeBy: $0.madeBy,
                    inputsSHA256: $0.inputsSHA256)
            }, manages: req.policy.allows(.manageReporting), flash: flash, errors: errors)
        return try await req.view.render("report-editions", page).encodeResponse(status: status, for: req)
    }

}
