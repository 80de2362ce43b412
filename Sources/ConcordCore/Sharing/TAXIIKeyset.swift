/// Where a TAXII page ended: the last record's `date_added` (microseconds) and its version key
/// (object id and version). The next page starts strictly after it in that order, so paging needs
/// no server state and loses or repeats nothing while new records arrive (they sort after it).
public struct TAXIIKeyset: Sendable, Hashable {
    public let dateAdded: Int64
    public let versionKey: String

    public init(dateAdded: Int64, versionKey: String) {
        self.dateAdded = dateAdded
        self.versionKey = versionKey
    }

    /// The key that orders the versions of one `date_added`: the STIX id, then the version's
    /// microseconds in 20 digits, so that text order is numeric order.
    public static func versionKey(id: String, version: Int64) -> String {
        let digits = String(version)
        return id + "/" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The cursor's payload, bound to `binding` (a digest of the query and the principal): the
    /// text the server signs.
    public func payload(binding: String) -> String {
        "1|\(dateAdded)|\(binding)|\(versionKey)"
    }

    /// The keyset in a payload, if it has this form and was bound to `binding`.
    public static func read(payload: String, binding: String) -> TAXIIKeyset? {
        let parts = payload.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "1", let dateAdded = Int64(parts[1]), parts[2] == binding,
            !parts[3].isEmpty
        else { return nil }
        return TAXIIKeyset(dateAdded: dateAdded, versionKey: String(parts[3]))
    }
}
