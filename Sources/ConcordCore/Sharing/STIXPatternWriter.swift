/// STIX patterns for single observables, as indicators made from MISP attributes carry them.
public enum STIXPatternWriter {
    /// `[ipv4-addr:value = '198.51.100.7']`, `[file:hashes.'SHA-256' = '…']`, `[autonomous-system:number = 64500]`.
    public static func pattern(for observation: STIXObservableMapping.Observation) -> String {
        func quoted(_ text: String) -> String {
            "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        if let number = observation.properties["number"]?.integer {
            return "[\(observation.type):number = \(number)]"
        }
        if let hashes = observation.properties["hashes"]?.object, let (algorithm, value) = hashes.first,
            let text = value.string
        {
            return "[\(observation.type):hashes.'\(algorithm)' = \(quoted(text))]"
        }
        return "[\(observation.type):value = \(quoted(observation.properties["value"]?.string ?? ""))]"
    }
}
