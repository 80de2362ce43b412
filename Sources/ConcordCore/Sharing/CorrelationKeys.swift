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

    private static let comparedTypes: Set<String> = [
        "ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "autonomous-system", "file",
    ]

    /// The values of the `type:property = 'value'` comparisons in a pattern (`value`, `number` or
    /// `hashes.ALGORITHM` compared with `=`), read from the pattern's tokens.
    static func patternValues(_ pattern: String) -> [Observable] {
        guard let tokens = try? STIXPatternParser.tokenize(pattern).map(\.token) else { return [] }
        var found: [Observable] = []
        var index = 0
        func symbol(_ offset: Int, _ expected: String) -> Bool {
            index + offset < tokens.count && tokens[index + offset] == .symbol(expected)
        }
        while index < tokens.count {
            defer { index += 1 }
            guard case .word(let type) = tokens[index], comparedTypes.contains(type), symbol(1, ":"),
                index + 2 < tokens.count, case .word(let property) = tokens[index + 2]
            else { continue }
            var algorithm: String?
            var valueAt = index + 4
            if property == "hashes" {
                guard symbol(3, "."), index + 4 < tokens.count else { continue }
                switch tokens[index + 4] {
                case .string(let name), .word(let name): algorithm = name
                default: continue
                }
                valueAt = index + 6
            } else if property != "value" && property != "number" {
                continue
            }
            guard tokens.indices.contains(valueAt), tokens[valueAt - 1] == .symbol("=") else { continue }
            let value: String
            switch tokens[valueAt] {
            case .string(let text): value = text
            case .number(let digits) where digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber): value = digits
            default: continue
            }
            if type == "file" {
                if let algorithm, let observable = hash(algorithm, value) { found.append(observable) }
            } else if algorithm == nil, let observable = observable(type: type, value) {
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
