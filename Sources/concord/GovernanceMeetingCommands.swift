import ArgumentParser
import ConcordCore
import ConcordServer
import Foundation

/// `concord governance meeting …`: general meetings through the API (`/api/v1/governance/meetings`
/// and `/motions`), as the meeting's page runs them.
struct GovernanceMeetingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meeting",
        abstract: "General meetings: convene, open, check in, proxies, motions, votes (through the API).",
        subcommands: [
            MeetingList.self, MeetingShow.self, MeetingConvene.self, MeetingOpen.self, MeetingClose.self,
            MeetingCheckIn.self, MeetingProxy.self, MeetingMove.self, MotionSecond.self, MotionOpenVote.self,
            MotionVoteCommand.self, MotionCloseVote.self,
        ])

    /// A meeting as the command line prints it.
    static func print(_ meeting: MeetingDTO) {
        Swift.print("\(meeting.reference): \(meeting.title) (\(meeting.state))")
        Swift.print("  \(meeting.localStart)\(meeting.location.isEmpty ? "" : ", \(meeting.location)")")
        if let quorum = meeting.quorum { Swift.print("  quorum: \(quorum.text)") }
        Swift.print("  agenda: \(meeting.agenda.joined(separator: "; "))")
        for row in meeting.attendance {
            Swift.print("  present: \(row.teamName) (\(row.proxyHolder.map { "by proxy of \($0)" } ?? row.mode))")
        }
        for motion in meeting.motions { printMotion(motion) }
    }

    static func printMotion(_ motion: MotionDTO) {
        var line = "  \(motion.reference) [\(motion.state)] \(motion.title)"
        if let yes = motion.yes, let no = motion.no, let abstain = motion.abstain, let required = motion.required {
            line += ": yes \(yes), no \(no), abstain \(abstain); \(required) needed"
        } else if motion.state == "voting" {
            line += ": \(motion.votesCast) votes cast"
        }
        if let resolution = motion.resolution { line += " → \(resolution)" }
        Swift.print(line)
    }
}

/// The path of a meeting or motion reference, refused when it is no reference.
private func reference(_ text: String) throws -> String {
    guard !text.isEmpty, text.count <= 40, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
        throw CommandFailure(description: "'\(text)' is not a meeting or motion reference (AGM-2027, AGM-2027-M2)")
    }
    return text
}

/// `concord governance meeting list`.
struct MeetingList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The general meetings.")
    @OptionGroup var api: APIOptions

    func run() async throws {
        let meetings = try await api.client().get("/governance/meetings", as: [MeetingSummaryDTO].self)
        if meetings.isEmpty { print("no meeting convened") }
        for meeting in meetings {
            print("\(meeting.reference)  \(meeting.startsAt.formatted(.iso8601))  \(meeting.state)  \(meeting.title)")
        }
    }
}

/// `concord governance meeting show AGM-2027`.
struct MeetingShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A meeting: agenda, quorum, attendance, motions.")
    @OptionGroup var api: APIOptions
    @Argument var meeting: String

    func run() async throws {
        GovernanceMeetingCommand.print(
            try await api.client().get("/governance/meetings/\(try reference(meeting))", as: MeetingDTO.self))
    }
}

/// `concord governance meeting convene --title … --starts 2027-03-23T00:00:00Z --time-zone Asia/Seoul`.
struct MeetingConvene: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convene", abstract: "Convene a general meeting, at least the constitution's notice ahead.")
    @OptionGroup var api: APIOptions
    @Option var title: String
    @Option(help: "The start, ISO 8601 with its offset (2027-03-23T09:00:00+09:00).") var starts: String
    @Option(help: "The IANA time zone it is held in (Asia/Seoul).") var timeZone: String
    @Option(help: "annual (default) or extraordinary.") var kind: String = "annual"
    @Option var location: String = ""

    struct Body: Encodable {
        let kind: String
        let title: String
        let startsAt: Date
        let timeZone: String
        let location: String
    }

    func run() async throws {
        guard let start = try? Date(starts, strategy: .iso8601) else {
            throw CommandFailure(
                description: "--starts: '\(starts)' is not an ISO 8601 time (2027-03-23T09:00:00+09:00)")
        }
        let meeting = try await api.client().post(
            "/governance/meetings",
            Body(kind: kind, title: title, startsAt: start, timeZone: timeZone, location: location), as: MeetingDTO.self
        )
        print("convened \(meeting.reference): \(meeting.localStart)")
    }
}

/// A POST with an optional body that answers with a meeting.
private func postMeeting(_ api: APIOptions, _ path: String, _ body: [String: String] = [:]) async throws -> MeetingDTO {
    try await api.client().post(path, body, as: MeetingDTO.self)
}

/// A POST that answers with a motion.
private func postMotion(_ api: APIOptions, _ path: String, _ body: [String: String] = [:]) async throws -> MotionDTO {
    try await api.client().post(path, body, as: MotionDTO.self)
}

/// `concord governance meeting open AGM-2027`.
struct MeetingOpen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "Open a convened meeting.")
    @OptionGroup var api: APIOptions
    @Argument var meeting: String

    func run() async throws {
        GovernanceMeetingCommand.print(
            try await postMeeting(api, "/governance/meetings/\(try reference(meeting))/open"))
    }
}

/// `concord governance meeting close AGM-2027`.
struct MeetingClose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Close an open meeting.")
    @OptionGroup var api: APIOptions
    @Argument var meeting: String

    func run() async throws {
        GovernanceMeetingCommand.print(
            try await postMeeting(api, "/governance/meetings/\(try reference(meeting))/close"))
    }
}

/// `concord governance meeting check-in AGM-2027 --team singcert [--online]`.
struct MeetingCheckIn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-in", abstract: "Check a team in.")
    @OptionGroup var api: APIOptions
    @Argument var meeting: String
    @Option var team: String
    @Flag(help: "Present online (default: in person).") var online = false

    func run() async throws {
        let answer = try await postMeeting(
            api, "/governance/meetings/\(try reference(meeting))/attendance",
            ["team": team, "mode": online ? "online" : "in-person"])
        print(answer.quorum?.text ?? "checked in")
    }
}

/// `concord governance meeting proxy AGM-2027 --giver nuscert --holder singcert`.
struct MeetingProxy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy", abstract: "Give a voting member's proxy to a present voting member.")
    @OptionGroup var api: APIOptions
    @Argument var meeting: String
    @Option var giver: String
    @Option var holder: String

    func run() async throws {
        let answer = try await postMeeting(
            api, "/governance/meetings/\(try reference(meeting))/proxies", ["giver": giver, "holder": holder])
        print(answer.quorum?.text ?? "proxy given")
    }
}

/// `concord governance meeting move AGM-2027 --mover singcert --title … --text … [--seconder …] [--amends …]`.
struct MeetingMove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move", abstract: "Propose a motion or an amendment (its text: the motion's whole new text).")
    @OptionGroup var api: APIOptions
    @Argument var meeting: String
    @Option var mover: String
    @Option var title: String
    @Option var text: String
    @Option var seconder: String?
    @Option(help: "The motion this amends (AGM-2027-M1).") var amends: String?
    @Option(help: "ordinary (default), admission, revocation, constitution-change.") var kind: String = "ordinary"

    func run() async throws {
        var body = ["mover": mover, "title": title, "text": text, "kind": kind]
        if let seconder { body["seconder"] = seconder }
        if let amends { body["amends"] = amends }
        let motion = try await postMotion(api, "/governance/meetings/\(try reference(meeting))/motions", body)
        print("proposed \(motion.reference): \(motion.title) (needs \(motion.majority))")
    }
}

/// `concord governance meeting second AGM-2027-M1 --team jpcert-cc`.
struct MotionSecond: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "second", abstract: "Second a motion.")
    @OptionGroup var api: APIOptions
    @Argument var motion: String
    @Option var team: String

    func run() async throws {
        GovernanceMeetingCommand.printMotion(
            try await postMotion(api, "/governance/motions/\(try reference(motion))/second", ["team": team]))
    }
}

/// `concord governance meeting open-vote AGM-2027-M1`.
struct MotionOpenVote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open-vote", abstract: "Open the vote on a motion (refused below quorum).")
    @OptionGroup var api: APIOptions
    @Argument var motion: String

    func run() async throws {
        let opened = try await postMotion(api, "/governance/motions/\(try reference(motion))/open")
        print("the vote on \(opened.reference) is open: \(opened.quorumAtOpening ?? "")")
    }
}

/// `concord governance meeting vote AGM-2027-M1 yes [--team nuscert]`.
struct MotionVoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vote", abstract: "Cast your team's named vote, or a represented team's as its proxy holder.")
    @OptionGroup var api: APIOptions
    @Argument var motion: String
    @Argument(help: "yes, no or abstain.") var choice: String
    @Option(help: "The team voted for (default: your own).") var team: String?

    func run() async throws {
        guard VoteChoice(rawValue: choice) != nil else {
            throw CommandFailure(description: "'\(choice)' is not a vote: yes, no or abstain")
        }
        var body = ["choice": choice]
        if let team { body["team"] = team }
        let voted = try await postMotion(api, "/governance/motions/\(try reference(motion))/votes", body)
        print("recorded: \(voted.votesCast) votes cast on \(voted.reference)")
    }
}

/// `concord governance meeting close-vote AGM-2027-M1`.
struct MotionCloseVote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close-vote", abstract: "Close the vote and print the judgement.")
    @OptionGroup var api: APIOptions
    @Argument var motion: String

    func run() async throws {
        GovernanceMeetingCommand.printMotion(
            try await postMotion(api, "/governance/motions/\(try reference(motion))/close"))
    }
}
