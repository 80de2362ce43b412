/// Route paths shared by the routes, the views, the redirects and the tests: the system's, the
/// directory's and the incidents' here, every other capability's in a namespace of its own beside its
/// controllers (`Paths.Drills`, `Paths.Sensors`, …). A route names its constant components through
/// these (`scripts/test` refuses a string literal in a route registration), and the page links are
/// checked against the registered routes by `PageLinkTests`.
enum Paths {
    static let api = "api/v1"
    static let health = "health"
    static let live = "live"
    static let ready = "ready"
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
    /// The forum-wide roles' pages, `/admin/…`.
    static let admin = "admin"

    // Static files.
    static let staticFiles = "static"
    static let stylesheet = "concord.css"
    static let drillBoardScript = "drill-board.js"
    static let countdownScript = "countdown.js"
    /// The stylesheet's address, for pages built outside Leaf.
    static let stylesheetURL = "/\(staticFiles)/\(stylesheet)"

    // The directory's exchange formats and web forms.
    static let directory = "directory"
    static let exportJSON = "export.json"
    static let exportCSV = "export.csv"
    static let importFile = "import"
    static let rfc2350 = "rfc2350.txt"
    static let vCard = "contacts.vcf"
    static let edit = "edit"
    static let verify = "verify"
    static let delete = "delete"

    /// The page of team `slug`, `/teams/singcert`, and a `#fragment` on it.
    static func teamPage(_ slug: String, at fragment: String? = nil) -> String {
        "/\(teams)/\(slug)" + (fragment.map { "#\($0)" } ?? "")
    }

    /// The desk: the home page after login (and `GET /api/v1/desk`).
    static let desk = "desk"
    static var deskPage: String { "/\(desk)" }

    // Incidents (API under `api`, pages at the root).
    static let inbox = "inbox"
    static let incidents = "incidents"
    static let newIncident = "new"
    static let preview = "preview"
    static let assignments = "assignments"
    static let close = "close"
    static let duplicateOf = "duplicate-of"
    static let comments = "comments"
    static let routing = "routing"
    static let share = "share"
    static let attachments = "attachments"

    /// The report form, `/incidents/new`.
    static var newIncidentPage: String { "/\(incidents)/\(newIncident)" }

    /// The page of incident `number`, `/incidents/INC-2026-000123`, and a `#fragment` on it.
    static func incidentPage(_ number: String, at fragment: String? = nil) -> String {
        "/\(incidents)/\(number)" + (fragment.map { "#\($0)" } ?? "")
    }
}
