import Crypto
import Foundation

/// The public board of a closed secret-ballot election: its header (the election, the method, the
/// seats, the candidates, the lot, how many teams voted and the roll's SHA-256), every ballot by
/// its tracking code in the codes' order (which says nothing of when it was cast), each entry
/// chained to the one before by SHA-256, and the published result. A team finds its tracking code
/// on it; anyone recounts it (`verify()`), and a changed, added or dropped ballot breaks the chain
/// or the count.
public struct ElectionBoard: Codable, Equatable, Sendable {
    /// The format this board is written in.
    public static let formatName = "concord-election-board/1"

    /// One ballot on the board.
    public struct Entry: Codable, Equatable, Sendable {
        public let trackingCode: String
        public let choices: [String]
        /// SHA-256 (lowercase hex) of the previous link's hash and this entry (`link(after:)`).
        public let hash: String

        public init(trackingCode: String, choices: [String], hash: String) {
            self.trackingCode = trackingCode
            self.choices = choices
            self.hash = hash
        }

        /// The hash this entry must carry after `previous`: SHA-256 of the previous hash, the
        /// tracking code and the choices, one a line.
        public func link(after previous: String) -> String {
            ElectionBoard.sha256(([previous, trackingCode] + choices).joined(separator: "\n") + "\n")
        }
    }

    public let format: String
    public let election: String
    public let title: String
    public let method: ElectionMethod
    public let seats: Int
    public let candidates: [String]
    /// The order the lot gave the candidates, drawn when the vote opened (ties go by it).
    public let lot: [String]
    /// How many teams voted, from the record kept apart from the ballots: one entry each.
    public let voters: Int
    /// SHA-256 of the roll of teams that could vote (their slugs sorted, one a line).
    public let rollSHA256: String
    /// SHA-256 of the header: the chain's first link.
    public let genesis: String
    public let entries: [Entry]
    /// The last entry's hash (the genesis when no one voted).
    public let head: String
    public let result: ElectionResult

    /// A board built from the ballots as cast (`codes` and `ballots` in the same order), counted.
    public init(
        election: String, title: String, method: ElectionMethod, seats: Int, candidates: [String], lot: [String],
        voters: Int, rollSHA256: String, ballots: [(trackingCode: String, ballot: ElectionBallot)]
    ) {
        format = Self.formatName
        self.election = election
        self.title = title
        self.method = method
        self.seats = seats
        self.candidates = candidates
        self.lot = lot
        self.voters = voters
        self.rollSHA256 = rollSHA256
        genesis = Self.genesis(
            election: election, method: method, seats: seats, candidates: candidates, lot: lot, voters: voters,
            rollSHA256: rollSHA256)
        var previous = genesis
        var entries: [Entry] = []
        for cast in ballots.sorted(by: { $0.trackingCode < $1.trackingCode }) {
            let unlinked = Entry(trackingCode: cast.trackingCode, choices: cast.ballot.choices, hash: "")
            let hash = unlinked.link(after: previous)
            entries.append(Entry(trackingCode: cast.trackingCode, choices: cast.ballot.choices, hash: hash))
            previous = hash
        }
        self.entries = entries
        head = previous
        result = ElectionCount.count(
            method: method, seats: seats, candidates: candidates, ballots: entries.map { ElectionBallot($0.choices) },
            lot: lot)
    }

    /// The chain's first link: SHA-256 of the format and the header's fields, one a line.
    public static func genesis(
        election: String, method: ElectionMethod, seats: Int, candidates: [String], lot: [String], voters: Int,
        rollSHA256: String
    ) -> String {
        let lines = [
            formatName, election, method.rawValue, String(seats), candidates.joined(separator: ","),
            lot.joined(separator: ","), String(voters), rollSHA256,
        ]
        return sha256(lines.joined(separator: "\n") + "\n")
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The entry carrying `trackingCode` (codes are compared without case, spaces or dashes).
    public func entry(trackingCode: String) -> Entry? {
        let wanted = TrackingCode.normalized(trackingCode)
        return entries.first { TrackingCode.normalized($0.trackingCode) == wanted }
    }
}

/// What recounting a board from itself found.
public enum BoardVerdict: Equatable, Sendable, CustomStringConvertible {
    /// Every link holds and the recount gives the published result.
    case matches(ballots: Int, elected: [String])
    case unknownFormat(String)
    /// The header's fields do not give the genesis the chain starts from.
    case headerAltered
    /// The entry at `index` (0-based) does not follow from the one before: it was changed, or one
    /// before it was changed, added or dropped.
    case brokenLink(index: Int, trackingCode: String)
    /// The last link is not the published head: an entry was dropped or added at the end.
    case headMismatch(expected: String, found: String)
    /// Not one entry per team that voted.
    case ballotCountMismatch(entries: Int, voters: Int)
    /// Two entries carry the same tracking code.
    case duplicateTrackingCode(String)
    /// An entry the count could not take.
    case invalidBallot(index: Int, trackingCode: String, reason: String)
    /// The chain holds, but the recount differs from the published result.
    case resultMismatch(published: [String], recounted: [String])

    public var matches: Bool {
        if case .matches = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .matches(let ballots, let elected):
            return "the board holds: \(ballots) ballots, every link intact; the recount elects "
                + (elected.isEmpty ? "no one" : elected.joined(separator: ", ")) + ", as published"
        case .unknownFormat(let format): return "not a Concord election board (format '\(format)')"
        case .headerAltered: return "the board's header was altered: it does not give the chain's first link"
        case .brokenLink(let index, let code):
            return
                "the chain breaks at ballot \(index + 1) (tracking code \(code)): it or one before it was changed, added or dropped"
        case .headMismatch(let expected, let found):
            return
                "the chain ends at \(found), not at the published head \(expected): a ballot was dropped or added at its end"
        case .ballotCountMismatch(let entries, let voters):
            return "\(entries) ballots on the board for \(voters) teams that voted"
        case .duplicateTrackingCode(let code): return "tracking code \(code) is on the board twice"
        case .invalidBallot(let index, let code, let reason):
            return "ballot \(index + 1) (tracking code \(code)) cannot be counted: \(reason)"
        case .resultMismatch(let published, let recounted):
            return "the recount elects \(recounted.isEmpty ? "no one" : recounted.joined(separator: ", ")), "
                + "but the board publishes \(published.isEmpty ? "no one" : published.joined(separator: ", "))"
        }
    }
}

extension ElectionBoard {
    /// Recounts the board from itself: the header's genesis, every link in turn, the head, one
    /// entry per team that voted, every ballot valid, and the recount against the published result.
    public func verify() -> BoardVerdict {
        guard format == Self.formatName else { return .unknownFormat(format) }
        let expectedGenesis = Self.genesis(
            election: election, method: method, seats: seats, candidates: candidates, lot: lot, voters: voters,
            rollSHA256: rollSHA256)
        guard genesis == expectedGenesis else { return .headerAltered }
        var previous = genesis
        var seen = Set<String>()
        for (index, entry) in entries.enumerated() {
            guard entry.hash == entry.link(after: previous) else {
                return .brokenLink(index: index, trackingCode: entry.trackingCode)
            }
            guard seen.insert(TrackingCode.normalized(entry.trackingCode)).inserted else {
                return .duplicateTrackingCode(entry.trackingCode)
            }
            do {
                _ = try ElectionBallot.validated(entry.choices, method: method, seats: seats, candidates: candidates)
            } catch {
                return .invalidBallot(index: index, trackingCode: entry.trackingCode, reason: error.description)
            }
            previous = entry.hash
        }
        guard previous == head else { return .headMismatch(expected: head, found: previous) }
        guard entries.count == voters else { return .ballotCountMismatch(entries: entries.count, voters: voters) }
        let recount = ElectionCount.count(
            method: method, seats: seats, candidates: candidates, ballots: entries.map { ElectionBallot($0.choices) },
            lot: lot)
        guard recount == result else { return .resultMismatch(published: result.elected, recounted: recount.elected) }
        return .matches(ballots: entries.count, elected: recount.elected)
    }
}
