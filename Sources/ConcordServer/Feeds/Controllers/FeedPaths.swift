extension Paths {
    /// Bulk feeds: event imports, their reports and the triage view.
    enum Feeds {
        static let feeds = "feeds"
        static let events = "events"
        static let imports = "imports"
        static let triage = "triage"
    }
}
