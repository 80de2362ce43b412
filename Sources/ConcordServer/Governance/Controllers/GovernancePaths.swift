extension Paths {
    /// The forum's governance: its constitution and offices.
    enum Governance {
        /// `/api/v1/governance` and the web page `/governance`.
        static let governance = "governance"
        static let constitution = "constitution"
        static let versions = "versions"
        static let offices = "offices"
    }
}
