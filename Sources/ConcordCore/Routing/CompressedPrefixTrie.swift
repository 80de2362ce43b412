/// Longest-prefix match over IPv4 and IPv6 keys: a direct table for the family bit and the first
/// 16 address bits, then nodes of 6 bits each whose children and leaves are packed and found by
/// population count (the layout of Poptrie, Asai and Ohara, SIGCOMM 2015). Built once from the
/// whole table, read without locks.
///
/// A lookup answers the payload of the longest matching prefix, or -1.
@usableFromInline
struct CompressedPrefixTrie: Sendable {
    /// One 64-way node: bit `v` of `vector` says chunk value `v` leads to a child node; `leafVector`
    /// marks where a run of equal leaf payloads starts.
    @usableFromInline
    struct Node: Sendable {
        @usableFromInline var vector: UInt64 = 0
        @usableFromInline var leafVector: UInt64 = 0
        @usableFromInline var leafBase: UInt32 = 0
        @usableFromInline var childBase: UInt32 = 0
        /// Path compression: the top 4 bits count the 6-bit strides this node skips (0–10), the low
        /// 60 the key bits they must equal; on a mismatch the answer is `leaves[leafBase - 1]`.
        @usableFromInline var skip: UInt64 = 0
        init() {}
    }

    @usableFromInline static let directBits = 16
    @usableFromInline static let stride = 6
    @usableFromInline static let nodeFlag: UInt32 = 0x8000_0000

    /// Entry per 17-bit head (family bit, 16 address bits): `nodeFlag | node index`, or payload + 1
    /// (0 means no match).
    @usableFromInline let direct: [UInt32]
    @usableFromInline let nodes: [Node]
    @usableFromInline let leaves: [Int32]

    init(_ trie: BinaryPrefixTrie) {
        var builder = CompressedPrefixTrieBuilder()
        builder.build(trie)
        direct = builder.direct
        nodes = builder.nodes
        leaves = builder.leaves
    }

    /// The payload of the longest prefix containing the key, or -1.
    @inlinable @inline(__always)
    func lookup(family: IPAddress.Family, high: UInt64, low: UInt64) -> Int32 {
        let head = direct.withUnsafeBufferPointer { $0[Self.headIndex(family, high)] }
        if head & Self.nodeFlag == 0 { return Int32(bitPattern: head) &- 1 }
        return nodes.withUnsafeBufferPointer { nodes in
            var index = Int(head & ~Self.nodeFlag)
            var offset = Self.directBits
            while true {
                let node = nodes[index]
                let skipped = Int(truncatingIfNeeded: node.skip >> 60) * Self.stride
                if skipped != 0 {
                    if Self.bits(high, low, offset, skipped) != node.skip & Self.skipMask {
                        return leaves.withUnsafeBufferPointer { $0[Int(node.leafBase) - 1] }
                    }
                    offset += skipped
                }
                let bit: UInt64 = 1 << Self.chunk(high, low, offset)
                if node.vector & bit != 0 {
                    index = Int(node.childBase) + (node.vector & (bit &- 1)).nonzeroBitCount
                    offset += Self.stride
                } else {
                    let rank = (node.leafVector & (bit | (bit &- 1))).nonzeroBitCount
                    return leaves.withUnsafeBufferPointer { $0[Int(node.leafBase) + rank - 1] }
                }
            }
        }
    }

    @usableFromInline static let skipMask: UInt64 = (1 << 60) - 1
    @usableFromInline static let maximumSkip = 10

    /// `count` (1–60) key bits starting at `offset`, right-aligned (bits past 128 read as zero).
    @inlinable @inline(__always)
    static func bits(_ high: UInt64, _ low: UInt64, _ offset: Int, _ count: Int) -> UInt64 {
        let window: UInt64
        if offset == 0 {
            window = high
        } else if offset < 64 {
            window = (high << UInt64(offset)) | (low >> UInt64(64 - offset))
        } else if offset < 128 {
            window = low << UInt64(offset - 64)
        } else {
            window = 0
        }
        return window >> UInt64(64 - count)
    }

    /// The direct-table slot of a key: the family bit above the first 16 address bits.
    @inlinable @inline(__always)
    static func headIndex(_ family: IPAddress.Family, _ high: UInt64) -> Int {
        (family == .v6 ? 1 << directBits : 0) | Int(high >> 48)
    }

    /// Six key bits starting at `offset` (bits past 128 read as zero).
    @inlinable @inline(__always)
    static func chunk(_ high: UInt64, _ low: UInt64, _ offset: Int) -> UInt64 {
        if offset <= 58 { return (high >> UInt64(58 - offset)) & 63 }
        if offset >= 64 {
            return offset <= 122 ? (low >> UInt64(122 - offset)) & 63 : (low << UInt64(offset - 122)) & 63
        }
        let fromHigh = 64 - offset
        return ((high << UInt64(6 - fromHigh)) | (low >> UInt64(58 + fromHigh))) & 63
    }

    /// Bytes held by the lookup structure.
    var memoryFootprint: Int {
        direct.count * 4 + nodes.count * MemoryLayout<Node>.stride + leaves.count * 4
    }
}

/// Fills the arrays of a `CompressedPrefixTrie` from a binary trie.
struct CompressedPrefixTrieBuilder {
    typealias Node = CompressedPrefixTrie.Node
    private(set) var direct: [UInt32] = []
    private(set) var nodes: [Node] = []
    private(set) var leaves: [Int32] = []

    mutating func build(_ trie: BinaryPrefixTrie) {
        let headBits = CompressedPrefixTrie.directBits + 1
        direct = [UInt32](repeating: 0, count: 1 << headBits)
        var heads: [(node: Int32, best: Int32)] = []
        heads.reserveCapacity(1 << headBits)
        // The root (before the family bit) holds no payload; a /0 route sits on the family node.
        Self.expand(trie, node: 0, depth: 0, levels: headBits, best: -1, skipOwnValue: true, into: &heads)
        for (index, head) in heads.enumerated() {
            if trie.hasChildren(head.node) {
                let slot = nodes.count
                nodes.append(Node())
                direct[index] = CompressedPrefixTrie.nodeFlag | UInt32(slot)
                compile(trie, binary: head.node, best: head.best, slot: slot)
            } else {
                direct[index] = UInt32(bitPattern: head.best &+ 1)
            }
        }
    }

    /// The 64 chunk results of the stride below `binary`.
    private static func chunks(_ trie: BinaryPrefixTrie, _ binary: Int32, _ best: Int32) -> [(node: Int32, best: Int32)]
    {
        var chunks: [(node: Int32, best: Int32)] = []
        chunks.reserveCapacity(1 << CompressedPrefixTrie.stride)
        expand(
            trie, node: binary, depth: 0, levels: CompressedPrefixTrie.stride, best: best, skipOwnValue: true,
            into: &chunks)
        return chunks
    }

    /// Walks `levels` bits below `node`, appending for each of the 2^levels paths the node reached
    /// (or -1) and the best payload seen on the way.
    private static func expand(
        _ trie: BinaryPrefixTrie, node: Int32, depth: Int, levels: Int, best: Int32, skipOwnValue: Bool,
        into out: inout [(node: Int32, best: Int32)]
    ) {
        var best = best
        if !skipOwnValue, trie.payload(node) >= 0 { best = trie.payload(node) }
        if depth == levels {
            out.append((node, best))
            return
        }
        if node < 0 {
            out.append(contentsOf: repeatElement((node: Int32(-1), best: best), count: 1 << (levels - depth)))
            return
        }
        for bit in 0...1 {
            expand(
                trie, node: trie.child(node, bit), depth: depth + 1, levels: levels, best: best,
                skipOwnValue: false, into: &out)
        }
    }

    /// Fills `nodes[slot]` for the binary node at a stride boundary; children are reserved
    /// contiguously before any of them is filled, as the population-count addressing needs.
    private mutating func compile(_ trie: BinaryPrefixTrie, binary: Int32, best: Int32, slot: Int) {
        var binary = binary
        var chunks = Self.chunks(trie, binary, best)
        // Path compression: a stride with one way down and no prefix ending in it is skipped.
        var skipCount: UInt64 = 0
        var skipBits: UInt64 = 0
        while skipCount < CompressedPrefixTrie.maximumSkip {
            let down = chunks.indices.filter { trie.hasChildren(chunks[$0].node) }
            guard down.count == 1, chunks.allSatisfy({ $0.best == best }) else { break }
            skipBits = skipBits << 6 | UInt64(down[0])
            skipCount += 1
            binary = chunks[down[0]].node
            chunks = Self.chunks(trie, binary, best)
        }
        var node = Node()
        if skipCount > 0 {
            node.skip = skipCount << 60 | skipBits
            leaves.append(best)  // the answer when the key leaves the skipped path
        }
        node.leafBase = UInt32(leaves.count)
        var previousLeaf: Int32? = nil
        var children: [(node: Int32, best: Int32)] = []
        for (value, chunk) in chunks.enumerated() {
            if trie.hasChildren(chunk.node) {
                node.vector |= 1 << UInt64(value)
                children.append(chunk)
            } else if chunk.best != previousLeaf {
                node.leafVector |= 1 << UInt64(value)
                leaves.append(chunk.best)
                previousLeaf = chunk.best
            }
        }
        node.childBase = UInt32(nodes.count)
        nodes.append(contentsOf: repeatElement(Node(), count: children.count))
        nodes[slot] = node
        for (offset, child) in children.enumerated() {
            compile(trie, binary: child.node, best: child.best, slot: Int(node.childBase) + offset)
        }
    }
}
