/// A one-bit-per-level trie used only while building a `CompressedPrefixTrie`.
/// Nodes live in parallel arrays (index 0 is the root) so that a million prefixes cost no
/// per-node allocation. The first key bit is the family (0: IPv4, 1: IPv6), then the address bits,
/// so both families share one trie and a lookup never branches on the family.
struct BinaryPrefixTrie {
    private(set) var zero: [Int32] = [-1]
    private(set) var one: [Int32] = [-1]
    private(set) var value: [Int32] = [-1]

    /// Stores `payload` under the prefix (family bit, then the first `length` address bits).
    mutating func insert(_ address: IPAddress, length: Int, payload: Int32) {
        var node = 0
        for depth in 0...length {
            let bit = depth == 0 ? address.family == .v6 : address.bit(depth - 1)
            var next = bit ? one[node] : zero[node]
            if next < 0 {
                next = Int32(value.count)
                zero.append(-1)
                one.append(-1)
                value.append(-1)
                if bit { one[node] = next } else { zero[node] = next }
            }
            node = Int(next)
        }
        value[node] = payload
    }

    func child(_ node: Int32, _ bit: Int) -> Int32 { node < 0 ? -1 : (bit == 0 ? zero[Int(node)] : one[Int(node)]) }
    func payload(_ node: Int32) -> Int32 { node < 0 ? -1 : value[Int(node)] }
    func hasChildren(_ node: Int32) -> Bool { node >= 0 && (zero[Int(node)] >= 0 || one[Int(node)] >= 0) }
}
