import Crypto
import Foundation

/// RFC 6238 time-based one-time passwords (HMAC-SHA-1, 30-second steps, 6 digits), as every
/// authenticator app produces them. Secrets travel as RFC 4648 Base32.
enum TOTP {
    /// The code for `secret` at `time`.
    static func code(secret: [UInt8], time: Date, digits: Int = 6, step: TimeInterval = 30) -> String {
        var counter = UInt64(max(0, time.timeIntervalSince1970) / step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// Whether `code` is right for `secret` now, allowing one step of clock drift either way.
    static func verify(_ code: String, secret: [UInt8], now: Date) -> Bool {
        matchingStep(code, secret: secret, now: now) != nil
    }

    /// The time step (seconds since 1970 / 30) whose code `code` is, within one step of `now`
    /// either way; nil when it is none of them. A login takes a step only once (RFC 6238 §5.2).
    static func matchingStep(_ code: String, secret: [UInt8], now: Date) -> Int64? {
        let trimmed = code.filter(\.isNumber)
        guard trimmed.count == 6 else { return nil }
        let current = Int64(max(0, now.timeIntervalSince1970) / 30)
        return (current - 1...current + 1).last { step in
            CSRFMiddleware.constantTimeEqual(
                Self.code(secret: secret, time: Date(timeIntervalSince1970: Double(step) * 30)), trimmed)
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    /// RFC 4648 Base32 without padding.
    static func base32(_ bytes: [UInt8]) -> String {
        var output = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return output
    }

    /// Decodes Base32 (case-insensitive, spaces and padding ignored); nil for other characters.
    static func base32Decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for character in text.uppercased() where character != "=" && character != " " {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = buffer << 5 | UInt32(value)
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return output
    }
}
