/// Longest-suffix match on domain names: `mail.gov.example` is answered by the entry for
/// `gov.example` before the one for `example`. Names are compared in their normalised form
/// (see `DomainName`), so case, a trailing dot and Unicode versus Punycode spelling do not matter.
public struct DomainSuffixIndex<Value: Sendable>: Sendable {
    private var table: [String: [Value]] = [:]

    /// Builds the index; values given for the same suffix are kept together.
    public init<S: Sequence>(_ pairs: S) where S.Element == (DomainName, Value) {
        for (name, value) in pairs { table[name.description, default: []].append(value) }
    }

    /// Every stored suffix of `name` with its values, longest suffix first.
    public func matches(_ name: DomainName) -> [(suffix: DomainName, values: [Value])] {
        name.suffixes.compactMap { suffix in table[suffix.description].map { (suffix, $0) } }
    }

    /// The values of the longest stored suffix of `name`, or nil.
    public func longestMatch(_ name: DomainName) -> [Value]? {
        for suffix in name.suffixes {
            if let values = table[suffix.description] { return values }
        }
        return nil
    }

    /// The number of distinct suffixes stored.
    public var count: Int { table.count }
}
