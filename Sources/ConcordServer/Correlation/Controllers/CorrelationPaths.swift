extension Paths {
    /// Correlation: a value's sightings, the warninglist and the over-correlating values.
    enum Correlation {
        static let correlations = "correlations"
        static let warninglist = "warninglist"
        static let overCorrelating = "over-correlating"
    }
}
