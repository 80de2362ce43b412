import ArgumentParser
import ConcordCore
import ConcordServer
import Foundation

/// `concord governance vote …`: votes between meetings through the API (`/api/v1/governance/votes`),
/// as their pages run them; `reply` posts a reply mail as the forum's mailbox does.
struct GovernanceVoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vote",
        abstract: "Votes between meetings: propose, cast, withdraw, post a signed reply (through the API).",
        subcommands: [VoteList.self, VoteShow.self, VotePropose.self, VoteCast.self, VoteWithdraw.self, VoteReply.self])

    /// A vote as the command line prints it.
    static func print(_ vote: GovernanceVoteDTO) {
        Swift.print("\(vote.reference): \(vote.title) (\(vote.state))\(vote.resolution.map { " → \($0)" } ?? "")")
        Swift.print("  \(vote.kind); needs \(vote.majority); \(vote.quorumRule)")
        Swift.print("  voting opens \(vote.localOpens), closes \(vote.localCloses)")
        if let roll = vote.roll, let digest = vote.rollSHA256 {
            Swift.print("  roll: \(roll.count) voting members, SHA-256 \(digest)")
        }
        for ballot in vote.ballots {
            Swift.print(
                "  ballot: \(ballot.teamName) \(ballot.choice ?? "(shown at the close)") by \(ballot.channel)"
                    + (ballot.signed ? ", signed" : ""))
        }
        if let participation = vote.participation { Swift.print("  \(participation.text)") }
        if let count = vote.count, let judgement = vote.judgement {
            Swift.print("  yes \(count.yes), no \(count.no), abstain \(count.abstain); \(judgement.required) needed")
        }
        if let own = vote.ownTeam, own.mayVote { Swift.print("  your team may vote: \(vote.ballotLine)") }
    }
}

/// The path of a vote's reference, refused when it is no reference.
private func voteReference(_ text: String) throws -> String {
    guard !text.isEmpty, text.count <= 40, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
        throw CommandFailure(description: "'\(text)' is not a vote's reference (VOTE-2027-1)")
    }
    return text
}

/// `concord governance vote list`.
struct VoteList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The votes between meetings.")
    @OptionGroup var api: APIOptions

    func run() async throws {
        let votes = try await api.client().get("/governance/votes", as: [GovernanceVoteSummaryDTO].self)
        if votes.isEmpty { print("no vote proposed") }
        for vote in votes {
            print(
                "\(vote.reference)  closes \(vote.closesAt.formatted(.iso8601))  \(vote.state)"
                    + "\(vote.resolution.map { " \($0)" } ?? "")  \(vote.title)")
        }
    }
}

/// `concord governance vote show VOTE-2027-1`.
struct VoteShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A vote: its periods, roll and SHA-256, ballots, result.")
    @OptionGroup var api: APIOptions
    @Argument var vote: String

    func run() async throws {
        GovernanceVoteCommand.print(
            try await api.client().get("/governance/votes/\(try voteReference(vote))", as: GovernanceVoteDTO.self))
    }
}

/// `concord governance vote propose --title … --text … [--kind ordinary] [--time-zone Asia/Tokyo]`.
struct VotePropose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose", abstract: "Propose a vote: discussion, then voting, as the constitution sets.")
    @OptionGroup var api: APIOptions
    @Option var title: String
    @Option(help: "The text voted on (or --text-file).") var text: String?
    @Option(help: "A file holding the text.") var textFile: String?
    @Option(help: "ordinary (default), admission, revocation or constitution-change.") var kind: String = "ordinary"
    @Option(help: "The IANA time zone its days are counted in (default: the secretariat's).") var timeZone: String?

    func run() async throws {
        guard DecisionKind(rawValue: kind) != nil else {
            throw CommandFailure(
                description:
                    "--kind: '\(kind)' is not one of \(DecisionKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var body = ["kind": kind, "title": title]
        if let textFile {
            guard let data = FileManager.default.contents(atPath: textFile) else {
                throw CommandFailure(description: "\(textFile): cannot be read")
            }
            body["text"] = String(decoding: data, as: UTF8.self)
        } else if let text {
            body["text"] = text
        } else {
            throw CommandFailure(description: "give the text with --text or --text-file")
        }
        if let timeZone { body["timeZone"] = timeZone }
        let vote = try await api.client().post("/governance/votes", body, as: GovernanceVoteDTO.self)
        print("proposed \(vote.reference): voting opens \(vote.localOpens), closes \(vote.localCloses)")
    }
}

/// `concord governance vote cast VOTE-2027-1 yes`.
struct VoteCast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cast", abstract: "Cast your team's ballot (once; it is final).")
    @OptionGroup var api: APIOptions
    @Argument var vote: String
    @Argument(help: "yes, no or abstain.") var choice: String

    func run() async throws {
        guard VoteChoice(rawValue: choice) != nil else {
            throw CommandFailure(description: "'\(choice)' is not a ballot: yes, no or abstain")
        }
        let voted = try await api.client().post(
            "/governance/votes/\(try voteReference(vote))/ballots", ["choice": choice], as: GovernanceVoteDTO.self)
        print("recorded: \(voted.ownTeam?.team ?? "your team") voted \(choice) in \(voted.reference)")
    }
}

/// `concord governance vote withdraw VOTE-2027-1`.
struct VoteWithdraw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "Withdraw a vote that has not closed.")
    @OptionGroup var api: APIOptions
    @Argument var vote: String

    func run() async throws {
        let vote = try await api.client().post(
            "/governance/votes/\(try voteReference(vote))/withdraw", [String: String](), as: GovernanceVoteDTO.self)
        print("\(vote.reference) is \(vote.state)")
    }
}

/// `concord governance vote reply MAIL-FILE`: posts a reply mail (the raw message) as the forum's
/// mailbox does; a counted ballot prints its receipt.
struct VoteReply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply", abstract: "Post a signed reply mail carrying a ballot (- reads standard input).")
    @OptionGroup var api: APIOptions
    @Argument(help: "The mail as received, headers and body.") var file: String

    func run() async throws {
        let data =
            file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
        guard let data, !data.isEmpty else { throw CommandFailure(description: "\(file): cannot be read, or is empty") }
        let counted = try await api.client().send(
            .POST, "/governance/vote-replies", body: data, contentType: "text/plain; charset=utf-8",
            as: VoteReplyReceiptDTO.self)
        print("counted: \(counted.team) voted \(counted.choice) in \(counted.vote)")
        print(counted.receipt)
    }
}
