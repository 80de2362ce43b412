import Foundation

/// The values correlation compares, as keys: an observable's kind and normalised text
/// (`ip-address:198.51.100.7`, `domain:www.sg.example`, `sha256:…`), taken from incident
/// observables, STIX observables and the simple comparisons of STIX indicator patterns. Equal
/// facts written differently (upper-case hashes, `AS64500` or `64500`) get the same key.
public enum CorrelationKeys {
    /// The key of an observable.
    public static func key(of observable: Observable) -> String {
        "\(observable.kind.rawValue):\(observable.description)"
    }

    /// The keys a STIX object brings: an SCO's value, number or hashes; an indicator's pattern
    /// comparisons (`=` only, which say exactly one value).
    public static func keys(ofSTIX object: [String: JSONValue]) -> [String] {
        var keys: [String] = []
        for key in observables(ofSTIX: object).map(key(of:)) where !keys.contains(key) { keys.append(key) }
        return keys
    }

    /// The observables a STIX object names: an SCO's own, an indicator's compared values.
    public static func observables(ofSTIX object: [String: JSONValue]) -> [Observable] {
        let type = object["type"]?.string ?? ""
        var found: [Observable] = []
        switch type {
        case "ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr":
            if let value = object["value"]?.string, let observable = observable(type: type, value) {
                found.append(observable)
            }
        case "autonomous-system":
            if let number = object["number"]?.integer, let observable = observable(type: type, String(number)) {
                found.append(observable)
            }
        case "file":
            for (algorithm, value) in object["hashes"]?.object ?? [:] {
                if let text = value.string, let observable = hash(algorithm, text) { found.append(observable) }
            }
        case "indicator" where object["pattern_type"]?.string == "stix":
            found = patternValues(object["pattern"]?.string ?? "")
        default:
            break
        }
        return found
    }

    private static let comparison = try? NSRegularExpression(
        pattern:
            #"(ipv4-addr|ipv6-addr|domain-name|url|email-addr|autonomous-system|file):(value|number|hashes\.(?:'([A-Za-z0-9-]+)'|([A-Za-z0-9]+)))\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\d+))"#
    )

    /// The values of the `type:property = 'value'` comparisons in a pattern.
    static func patternValues(_ pattern: String) -> [Observable] {
        guard let comparison else { return [] }
        let text = pattern as NSString
        var found: [Observable] = []
        for match in comparison.matches(in: pattern, range: NSRange(location: 0, length: text.length)) {
            func group(_ index: Int) -> String? {
                let range = match.range(at: index)
                return range.location == NSNotFound ? nil : text.substring(with: range)
            }
            guard let type = group(1), let value = group(5) ?? group(6) else { continue }
            let unescaped = value.replacingOccurrences(of: "\\'", with: "'").replacingOccurrences(
                of: "\\\\", with: "\\")
            if type == "file" {
                if let algorithm = group(3) ?? group(4), let observable = hash(algorithm, unescaped) {
                    found.append(observable)
                }
            } else if let observable = observable(type: type, unescaped) {
                found.append(observable)
            }
        }
        return found
    }

    private static func observable(type: String, _ value: String) -> Observable? {
        switch type {
        case "ipv4-addr", "ipv6-addr":
            if case .success(let address) = Observable.parse(value, as: .ipAddress) { return address }
            if case .success(let prefix) = Observable.parse(value, as: .ipPrefix) { return prefix }
            return nil
        case "domain-name": return try? Observable.parse(value, as: .domain).get()
        case "url": return try? Observable.parse(value, as: .url).get()
        case "email-addr": return try? Observable.parse(value, as: .email).get()
        case "autonomous-system": return try? Observable.parse(value, as: .asn).get()
        default: return nil
        }
    }

    private static func hash(_ algorithm: String, _ value: String) -> Observable? {
        switch algorithm.uppercased() {
        case "MD5": return try? Observable.parse(value, as: .md5).get()
        case "SHA-1", "SHA1": return try? Observable.parse(value, as: .sha1).get()
        case "SHA-256", "SHA256": return try? Observable.parse(value, as: .sha256).get()
        default: return nil
        }
    }
}
