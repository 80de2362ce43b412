import Foundation
import Vapor

/// Planning a drill on the scenario library page (issue 17 §5): the form and its action, which
/// goes through `DrillPlanning` as the API does.
extension DrillWebController {
    /// The library page's "Plan a drill" form: a scenario, a title, and when it starts (`scenario`:
    /// its own start; `now`; `at`: the time in `at`, UTC).
    struct PlanForm: Content {
        var scenario: String?
        var title: String?
        var when: String?
        var at: String?
    }

    /// Plans a drill from the library page and opens its page; a refusal is named on the library page.
    @Sendable func plan(req: Request) async throws -> Response {
        try req.policy.require(.manageDrills)
        let form = try req.content.decode(PlanForm.self)
        do {
            guard let scenario = form.scenario.flatMap(UUID.init(uuidString:)) else {
                throw ConcordError.invalid(field: "scenario", "choose a scenario of the library")
            }
            var start: Date?
            var seconds: Int?
            switch form.when ?? "scenario" {
            case "now": seconds = 0
            case "at":
                start = Self.utcMinute(form.at ?? "")
                if start == nil {
                    throw ConcordError.invalid(
                        field: "start", "'\(form.at ?? "")' is not a time (YYYY-MM-DD HH:MM, UTC)")
                }
            default: break
            }
            let title = (form.title ?? "").trimmingCharacters(in: .whitespaces)
            let input = DrillInput(
                scenario: scenario, title: title.isEmpty ? nil : title, start: start, startsInSeconds: seconds,
                participants: nil)
            let drill = try await DrillPlanning.plan(input, caller: req.caller)
            return req.redirect(
                to: Paths.Drills.drillPage(try drill.requireID().uuidString.lowercased()), redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation {
            let problems =
                error.fields.isEmpty ? [error.detail] : error.fields.map { "Plan a drill: \($0.field) \($0.detail)" }
            return try await libraryPage(req, problems: problems, added: nil)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    /// `2026-12-07T09:00` (a browser's datetime-local) or `2026-12-07 09:00`, as UTC.
    static func utcMinute(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text.trimmingCharacters(in: .whitespaces)) { return date }
        }
        return nil
    }
}
