/// Longest-prefix match by binary search over the disjoint address ranges that a set of prefixes
/// cuts the address space into. Kept as the benchmark's second peer and as an independent oracle
/// in tests; `PrefixIndex` is what Concord uses.
public struct SortedRangeTable: Sendable {
    private var v4Starts: [UInt64] = []
    private var v4Values: [Int32] = []
    private var v6Starts: [(UInt64, UInt64)] = []
    private var v6Values: [Int32] = []

    /// Builds the ranges for `prefixes`, which must be sorted as `PrefixIndex.entries` are; a lookup
    /// answers the index of the longest matching prefix in that array, or -1.
    public init(sortedPrefixes prefixes: [IPPrefix]) {
        for family in [IPAddress.Family.v4, .v6] {
            var starts: [(UInt64, UInt64)] = [(0, 0)]
            var values: [Int32] = [-1]
            var stack: [Int] = []
            var cursor: (UInt64, UInt64)? = (0, 0)
            func emit(_ start: (UInt64, UInt64), _ value: Int32) {
                if let lastStart = starts.last, lastStart == start {
                    values[values.count - 1] = value
                    return
                }
                if values.last == value { return }
                starts.append(start)
                values.append(value)
            }
            func closeTop() {
                let top = stack.removeLast()
                let last = prefixes[top].lastAddress
                cursor = Self.successor((last.high, last.low), family: family)
                if let next = cursor { emit(next, Int32(stack.last ?? -1)) }
            }
            for (index, prefix) in prefixes.enumerated() where prefix.address.family == family {
                while let top = stack.last, !prefixes[top].contains(prefix) { closeTop() }
                emit((prefix.address.high, prefix.address.low), Int32(index))
                stack.append(index)
            }
            while !stack.isEmpty { closeTop() }
            if family == .v4 {
                v4Starts = starts.map(\.0)
                v4Values = values
            } else {
                v6Starts = starts
                v6Values = values
            }
        }
    }

    private static func successor(_ key: (UInt64, UInt64), family: IPAddress.Family) -> (UInt64, UInt64)? {
        if family == .v4 {
            let (next, overflow) = key.0.addingReportingOverflow(1 << 32)
            return overflow ? nil : (next, 0)
        }
        let (low, carry) = key.1.addingReportingOverflow(1)
        if !carry { return (key.0, low) }
        let (high, overflow) = key.0.addingReportingOverflow(1)
        return overflow ? nil : (high, 0)
    }

    /// Index of the longest prefix containing `address`, or -1.
    public func lookup(_ address: IPAddress) -> Int32 {
        if address.family == .v4 {
            return v4Starts.withUnsafeBufferPointer { starts in
                var low = 0
                var high = starts.count
                while high - low > 1 {
                    let mid = (low + high) >> 1
                    if starts[mid] <= address.high { low = mid } else { high = mid }
                }
                return v4Values[low]
            }
        }
        let key = (address.high, address.low)
        var low = 0
        var high = v6Starts.count
        while high - low > 1 {
            let mid = (low + high) >> 1
            if v6Starts[mid] <= key { low = mid } else { high = mid }
        }
        return v6Values[low]
    }
}

/// Longest-prefix match by checking every prefix: the naive peer of the benchmark, and the oracle
/// that the randomised tests compare the tries against.
public struct LinearPrefixScan: Sendable {
    private let prefixes: [IPPrefix]

    /// Keeps the prefixes in the order given; a lookup answers an index into them.
    public init(prefixes: [IPPrefix]) { self.prefixes = prefixes }

    /// Index of the longest prefix containing `address`, or -1.
    public func lookup(_ address: IPAddress) -> Int32 {
        var best: Int32 = -1
        var bestLength = -1
        for (index, prefix) in prefixes.enumerated() where prefix.length > bestLength && prefix.contains(address) {
            best = Int32(index)
            bestLength = prefix.length
        }
        return best
    }
}
