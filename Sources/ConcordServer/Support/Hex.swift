import Foundation
import Vapor

/// Lower-case hexadecimal of bytes, without a format string per byte (it is on the feed import's
/// hot path: one SHA-256 per event).
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var characters: [UInt8] = []
        characters.reserveCapacity(64)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// The SHA-256 of `data` in hex.
    static func sha256<D: DataProtocol>(_ data: D) -> String { string(SHA256.hash(data: data)) }
}
