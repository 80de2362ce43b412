/// Longest-prefix match for IPv4 and IPv6 in one API.
///
/// Built once from the whole table (a directory change rebuilds it; a request never does). Every
/// prefix keeps the values attached to it and a link to the next shorter prefix that contains it, so
/// a lookup can answer all matches, most specific first, for the price of one trie walk.
public struct PrefixIndex<Value: Sendable>: Sendable {
    /// One prefix of the table with the values attached to it.
    public struct Entry: Sendable {
        /// The prefix.
        public let prefix: IPPrefix
        /// The values stored under exactly this prefix, in insertion order.
        public internal(set) var values: [Value]
        /// Index of the next shorter prefix containing this one, or -1.
        public internal(set) var parent: Int32
    }

    /// The prefixes, sorted by family, address, then length.
    public let entries: [Entry]
    @usableFromInline let trie: CompressedPrefixTrie

    /// Builds the index. Values given for the same prefix are kept together.
    public init<S: Sequence>(_ pairs: S) where S.Element == (IPPrefix, Value) {
        var grouped: [IPPrefix: [Value]] = [:]
        for (prefix, value) in pairs { grouped[prefix, default: []].append(value) }
        var sorted = grouped.map { Entry(prefix: $0.key, values: $0.value, parent: -1) }
        sorted.sort { $0.prefix < $1.prefix }
        var stack: [Int] = []
        for index in sorted.indices {
            while let top = stack.last, !sorted[top].prefix.contains(sorted[index].prefix) { stack.removeLast() }
            sorted[index].parent = Int32(stack.last ?? -1)
            stack.append(index)
        }
        var binary = BinaryPrefixTrie()
        for (index, entry) in sorted.enumerated() {
            binary.insert(entry.prefix.address, length: entry.prefix.length, payload: Int32(index))
        }
        entries = sorted
        trie = CompressedPrefixTrie(binary)
    }

    /// Index into `entries` of the longest prefix containing `address`, or -1.
    @inlinable @inline(__always)
    public func longestMatchIndex(_ address: IPAddress) -> Int32 {
        trie.lookup(family: address.family, high: address.high, low: address.low)
    }

    /// The longest prefix containing `address`, or nil.
    public func longestMatch(_ address: IPAddress) -> Entry? {
        let index = longestMatchIndex(address)
        return index < 0 ? nil : entries[Int(index)]
    }

    /// Every prefix containing `address`, most specific first.
    public func matches(_ address: IPAddress) -> [Entry] {
        var result: [Entry] = []
        var index = longestMatchIndex(address)
        while index >= 0 {
            result.append(entries[Int(index)])
            index = entries[Int(index)].parent
        }
        return result
    }

    /// Bytes held by the lookup trie (not counting the entries).
    public var trieMemoryFootprint: Int { trie.memoryFootprint }
}
