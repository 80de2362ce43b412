import ConcordCore

/// Cuts documentation prefixes into smaller ones for the demo forum.
enum IPPrefixText {
    /// The `index`-th sub-prefix of length `newLength` inside `prefix`, as text.
    static func sub(_ prefix: String, newLength: Int, index: Int) -> String? {
        guard let parent = IPPrefix(prefix), newLength > parent.length, index < 1 << min(newLength - parent.length, 16)
        else { return nil }
        let shift = parent.address.bitWidth - newLength
        let address = parent.address
        let high: UInt64
        let low: UInt64
        if address.family == .v4 {
            high = address.high | (UInt64(index) << UInt64(shift + 32))
            low = 0
            return IPPrefix(network: IPAddress(v4: UInt32(truncatingIfNeeded: high >> 32)), length: newLength)
                .description
        }
        if shift >= 64 {
            high = address.high | (UInt64(index) << UInt64(shift - 64))
            low = address.low
        } else {
            high = address.high
            low = address.low | (UInt64(index) << UInt64(shift))
        }
        return IPPrefix(network: IPAddress(v6High: high, low: low), length: newLength).description
    }
}
