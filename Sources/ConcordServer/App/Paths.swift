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
}
