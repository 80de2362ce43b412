import Foundation

/// The URL filters of TAXII 2.1 §3.4 and §3.5 on the objects, object, manifest and versions
/// endpoints: `added_after`, `limit`, `next` and `match[id|type|version|spec_version]`, where a
/// comma inside one `match[...]` means OR and several `match[...]` mean AND.
public struct TAXIIFilter: Sendable, Equatable {
    /// Which versions of each object `match[version]` asks for (§3.4.2); several may be combined.
    public struct Versions: Sendable, Equatable {
        public var all = false
        public var first = false
        public var last = false
        /// Versions named by their timestamp, in microseconds.
        public var exact: Set<Int64> = []

        /// The standard's default: the latest version of each object.
        public static let latest = Versions(last: true)
        /// Every version (the versions endpoint).
        public static let every = Versions(all: true)
    }

    /// Only what was added after this instant (microseconds), exclusive.
    public var addedAfter: Int64?
    /// The largest page the client accepts; capped by the server's own largest page.
    public var limit: Int
    /// The opaque `next` value of the previous page.
    public var next: String?
    public var ids: [String] = []
    public var types: [String] = []
    public var versions = Versions.latest
    public var specVersions: [String] = []

    /// What is wrong with a request's filters, said as the client should read it.
    public struct Problem: Error, Equatable, Sendable {
        public let message: String
    }

    /// The filters of `query` (parameter name to its raw, percent-decoded value). `supported` names
    /// the `match[...]` fields this endpoint accepts; others are refused rather than ignored, so a
    /// client never mistakes an unfiltered answer for a filtered one.
    public static func parse(
        _ query: [String: String], pageSize: Int, supported: Set<String> = ["id", "type", "version", "spec_version"],
        defaultVersions: Versions = .latest
    ) throws(Problem) -> TAXIIFilter {
        var filter = TAXIIFilter(limit: pageSize)
        filter.versions = defaultVersions
        for (name, value) in query {
            switch name {
            case "added_after":
                guard let instant = STIXTimestamp(value) else {
                    throw Problem(message: "added_after must be a timestamp such as 2026-11-30T00:00:00.000000Z")
                }
                filter.addedAfter = instant.microseconds
            case "limit":
                guard let limit = Int(value), limit > 0 else {
                    throw Problem(message: "limit must be a positive integer")
                }
                filter.limit = min(limit, pageSize)
            case "next":
                guard !value.isEmpty else { throw Problem(message: "next must not be empty") }
                filter.next = value
            default:
                guard name.hasPrefix("match["), name.hasSuffix("]") else {
                    throw Problem(message: "unknown parameter \(name)")
                }
                let field = String(name.dropFirst(6).dropLast())
                guard supported.contains(field) else {
                    throw Problem(message: "this endpoint does not filter on match[\(field)]")
                }
                let values = value.split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                guard !values.contains(where: \.isEmpty) else {
                    throw Problem(message: "match[\(field)] has an empty value")
                }
                switch field {
                case "id": filter.ids = values
                case "type": filter.types = values
                case "spec_version": filter.specVersions = values
                default: filter.versions = try versions(values)
                }
            }
        }
        return filter
    }

    private static func versions(_ values: [String]) throws(Problem) -> Versions {
        var versions = Versions()
        for value in values {
            switch value {
            case "all": versions.all = true
            case "first": versions.first = true
            case "last": versions.last = true
            default:
                guard let instant = STIXTimestamp(value) else {
                    throw Problem(message: "match[version] takes first, last, all or timestamps, not \(value)")
                }
                versions.exact.insert(instant.microseconds)
            }
        }
        return versions
    }

    /// The filters that define the result set, in a fixed order, without `limit` and `next`: a
    /// cursor is bound to this text, so it cannot be replayed against another query.
    public var canonical: String {
        let version =
            (versions.all ? ["all"] : []) + (versions.first ? ["first"] : []) + (versions.last ? ["last"] : [])
            + versions.exact.sorted().map(String.init)
        return [
            "after=\(addedAfter.map(String.init) ?? "")", "id=\(ids.sorted().joined(separator: ","))",
            "type=\(types.sorted().joined(separator: ","))", "version=\(version.joined(separator: ","))",
            "spec=\(specVersions.sorted().joined(separator: ","))",
        ].joined(separator: "&")
    }
}
