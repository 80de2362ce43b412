/// Route paths shared by the routes, the views, the OpenAPI document and the tests.
enum Paths {
    static let api = "api/v1"
    static let health = "health"
    static let openAPI = "openapi.yaml"
    static let metrics = "metrics"
    static let economies = "economies"
    static let categories = "categories"
    static let teams = "teams"
    static let contacts = "contacts"
    static let constituency = "constituency"
    static let status = "status"
    static let lookup = "lookup"
    static let checks = "directory-checks"
    static let audit = "audit"
    static let me = "me"

    // Incidents (API under `api`, pages at the root).
    static let inbox = "inbox"
    static let incidents = "incidents"
    static let newIncident = "new"
    static let preview = "preview"
    static let assignments = "assignments"
    static let close = "close"
    static let comments = "comments"
    static let routing = "routing"
    static let share = "share"
    static let attachments = "attachments"

    /// The page of incident `number`, `/incidents/INC-2026-000123`, and a `#fragment` on it.
    static func incidentPage(_ number: String, at fragment: String? = nil) -> String {
        "/\(incidents)/\(number)" + (fragment.map { "#\($0)" } ?? "")
    }
}
