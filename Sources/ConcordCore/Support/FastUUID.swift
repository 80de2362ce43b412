import Foundation

extension UUID {
    /// A random (version 4) UUID from the system generator (`getrandom`). Foundation's `UUID()`
    /// on Linux opens `/dev/urandom` for each one, which was a twentieth of storing an envelope of
    /// 10,000 objects with their 20,000 row ids.
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        return make(generator.next(), generator.next(), version: 4)
    }

    /// A time-ordered (version 7, RFC 9562) UUID: the first 48 bits are the Unix time in
    /// milliseconds, the rest random. Row ids made this way arrive in their index's order, so a
    /// batch of inserts appends to the index instead of landing on random pages of it.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let random: UInt64 = generator.next()
        return make((milliseconds << 16) | (random & 0xFFFF), generator.next(), version: 7)
    }

    /// The UUID of these 128 bits (big-endian) with its version and the RFC 9562 variant set.
    private static func make(_ high: UInt64, _ low: UInt64, version: UInt8) -> UUID {
        var bytes = (high.bigEndian, low.bigEndian)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = raw[6] & 0x0F | version << 4
            raw[8] = raw[8] & 0x3F | 0x80
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }
}
