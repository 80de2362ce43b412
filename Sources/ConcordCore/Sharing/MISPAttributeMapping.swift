/// MISP attribute types and STIX observables, both ways. An attribute whose type Concord maps
/// becomes an `Observable` (and so an SCO or an indicator pattern); the way back picks the MISP
/// type an observable is written as when nothing better is known. Composite types (`ip-dst|port`,
/// `filename|sha256`, `domain|ip`) give their observable part.
public enum MISPAttributeMapping {
    /// The observable a MISP attribute carries; nil for types Concord does not share.
    public static func observable(type: String, value: String) -> Observable? {
        let parts = value.split(separator: "|", maxSplits: 1).map(String.init)
        switch type {
        case "ip-src", "ip-dst":
            return try? Observable.parse(value, as: value.contains("/") ? .ipPrefix : .ipAddress).get()
        case "ip-src|port", "ip-dst|port":
            return try? Observable.parse(parts.first ?? "", as: .ipAddress).get()
        case "domain", "hostname":
            return try? Observable.parse(value, as: .domain).get()
        case "domain|ip", "hostname|port":
            return try? Observable.parse(parts.first ?? "", as: .domain).get()
        case "url", "link", "uri":
            return try? Observable.parse(value, as: .url).get()
        case "email", "email-src", "email-dst":
            return try? Observable.parse(value, as: .email).get()
        case "md5", "sha1", "sha256":
            return try? Observable.parse(value, as: hashKind(type)).get()
        case "filename|md5", "filename|sha1", "filename|sha256":
            return try? Observable.parse(parts.last ?? "", as: hashKind(String(type.dropFirst("filename|".count))))
                .get()
        case "AS":
            return try? Observable.parse(value, as: .asn).get()
        default:
            return nil
        }
    }

    /// The MISP type and category an observable is written as.
    public static func attribute(of observable: Observable) -> (type: String, category: String) {
        switch observable {
        case .ipAddress, .ipPrefix: return ("ip-dst", "Network activity")
        case .asn: return ("AS", "Network activity")
        case .domain: return ("domain", "Network activity")
        case .url: return ("url", "Network activity")
        case .email: return ("email-src", "Payload delivery")
        case .md5: return ("md5", "Payload delivery")
        case .sha1: return ("sha1", "Payload delivery")
        case .sha256: return ("sha256", "Payload delivery")
        }
    }

    /// The MISP value of an observable (an AS number without its `AS`).
    public static func value(of observable: Observable) -> String {
        if case .asn(let asn) = observable { return String(asn.value) }
        return observable.description
    }

    private static func hashKind(_ type: String) -> Observable.Kind {
        type == "md5" ? .md5 : type == "sha1" ? .sha1 : .sha256
    }
}
