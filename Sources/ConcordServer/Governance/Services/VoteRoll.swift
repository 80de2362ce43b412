import Crypto
import Foundation

/// The roll of a vote between meetings as the record publishes it: the voting members' slugs,
/// sorted, one a line, and the SHA-256 of exactly those bytes, so that anyone holding the list can
/// check it is the roll the vote was taken on (`printf '%s\n' slugs… | sha256sum`).
enum VoteRoll {
    /// The roll's text: the slugs sorted, each followed by a newline.
    static func text(_ slugs: [String]) -> String {
        slugs.sorted().map { $0 + "\n" }.joined()
    }

    /// The lowercase hex SHA-256 of `text(slugs)`.
    static func digest(_ slugs: [String]) -> String {
        SHA256.hash(data: Data(text(slugs).utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
