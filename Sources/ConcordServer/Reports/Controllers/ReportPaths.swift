extension Paths {
    /// The statistics and the annual report.
    enum Reports {
        static let statistics = "statistics"
        static let statisticsCSV = "statistics.csv"
    }
}
