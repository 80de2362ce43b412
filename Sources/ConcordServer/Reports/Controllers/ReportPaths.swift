extension Paths {
    /// The statistics and the annual report.
    enum Reports {
        static let statistics = "statistics"
        static let statisticsCSV = "statistics.csv"
        /// `/api/v1/reporting-years`.
        static let reportingYears = "reporting-years"
        static let submissions = "submissions"
        static let countsCSV = "counts.csv"
        static let template = "template.csv"
        static let submit = "submit"
        static let accept = "accept"
        static let giveBack = "return"
        static let categoryMapping = "category-mapping"
        /// The web pages: `/reports`.
        static let reports = "reports"
        static let chairMessage = "chair-message"
        static let upload = "upload"
        static let categories = "categories"
        static let editions = "editions"
        static let preview = "preview"
    }
}

enum ReportPaths {
    /// `/reports/2026/submissions/singcert`.
    static func submissionPage(year: Int, team: String) -> String {
        "/\(Paths.Reports.reports)/\(year)/\(Paths.Reports.submissions)/\(team)"
    }

    /// `/reports/2026`.
    static func yearPage(_ year: Int) -> String { "/\(Paths.Reports.reports)/\(year)" }
}
