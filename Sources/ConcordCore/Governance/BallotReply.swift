import Foundation

/// A ballot sent as a reply mail: one line `VOTE <reference> YES|NO|ABSTAIN` in the text the
/// team's key signed. Quoted lines (`> …`, the call for votes the reply quotes) are not read, and a
/// reply with two different vote lines is refused rather than guessed at.
public struct BallotReply: Equatable, Sendable {
    /// The vote's reference, `VOTE-2027-1`.
    public let reference: String
    public let choice: VoteChoice

    public init(reference: String, choice: VoteChoice) {
        self.reference = reference
        self.choice = choice
    }

    /// Why a signed text is not a ballot.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case noVoteLine
        case twoVoteLines
        case malformed(String)

        public var description: String {
            switch self {
            case .noVoteLine: return "holds no line VOTE <reference> YES|NO|ABSTAIN"
            case .twoVoteLines: return "holds two different VOTE lines: send one"
            case .malformed(let line):
                return "has a line '\(line.prefix(80))' that is not VOTE <reference> YES|NO|ABSTAIN"
            }
        }
    }

    /// The ballot in `signedText` (the text between the clearsign armour's header and signature).
    public static func parse(_ signedText: String) -> Result<BallotReply, Refusal> {
        var found: [BallotReply] = []
        for raw in signedText.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.hasPrefix(">") else { continue }
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = words.first, first.uppercased() == "VOTE" else { continue }
            guard words.count == 3, let choice = VoteChoice(rawValue: words[2].lowercased()) else {
                return .failure(.malformed(line))
            }
            let ballot = BallotReply(reference: words[1].uppercased(), choice: choice)
            if !found.contains(ballot) { found.append(ballot) }
        }
        guard let ballot = found.first else { return .failure(.noVoteLine) }
        guard found.count == 1 else { return .failure(.twoVoteLines) }
        return .success(ballot)
    }
}
