/// A ballot's tracking code: 80 random bits in Crockford's base 32, four groups of four
/// (`K7Q2-9XMD-4HFA-P0ZR`). Only the team that voted is shown it; it finds its ballot on the board.
public enum TrackingCode {
    /// Crockford's alphabet: no I, L, O or U.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A new code from `generator` (the system's by default).
    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let symbols = (0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] }
        return stride(from: 0, to: 16, by: 4).map { String(symbols[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// A new code from the system's random source.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    /// The code as compared: upper case, without spaces or dashes, O read as 0 and I or L as 1.
    public static func normalized(_ code: String) -> String {
        String(
            code.uppercased().compactMap { character -> Character? in
                switch character {
                case " ", "-": return nil
                case "O": return "0"
                case "I", "L": return "1"
                default: return character
                }
            })
    }
}
