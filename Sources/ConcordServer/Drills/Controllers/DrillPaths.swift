extension Paths {
    /// Drills: the scenario library, runs, their board, report and actions, on the API and the web.
    enum Drills {
        static let drills = "drills"
        /// The API's scenario library.
        static let scenarioLibrary = "drill-scenarios"
        /// The web's scenario library, under `drills`.
        static let scenarios = "scenarios"
        static let board = "board"
        static let events = "events"
        static let report = "report"
        static let reportCSV = "report.csv"
        static let reportJSON = "report.json"
        static let control = "control"
        static let injects = "injects"
        static let responses = "responses"
        static let respond = "respond"
        static let replies = "replies"
        static let actions = "actions"
        static let decision = "decision"
        static let files = "files"

        /// The page of drill `id`.
        static func drillPage(_ id: String) -> String { "/\(drills)/\(id)" }
    }
}
