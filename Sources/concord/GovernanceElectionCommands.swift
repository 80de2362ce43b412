import ArgumentParser
import AsyncHTTPClient
import ConcordCore
import ConcordServer
import Foundation

/// `concord governance election …`: elections at general meetings through the API
/// (`/api/v1/elections`), as their pages run them.
struct GovernanceElectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "election",
        abstract: "Elections: call, nominate, second, open, cast a secret ballot, close (through the API).",
        subcommands: [
            ElectionList.self, ElectionShow.self, ElectionCall.self, ElectionNominate.self, ElectionSecond.self,
            ElectionOpen.self, ElectionCast.self, ElectionClose.self,
        ])

    /// An election as the command line prints it.
    static func print(_ election: ElectionDTO) {
        Swift.print("\(election.reference): \(election.title) (\(election.state))")
        Swift.print(
            "  \(election.officeName), \(election.seats) seat(s) by \(election.method); term \(election.termStartsOn) "
                + "to \(election.termEndsOn); nominations close \(election.nominationsCloseAt.formatted(.iso8601))")
        for candidate in election.candidates {
            let standing =
                candidate.withdrawn
                ? "withdrawn" : candidate.secondedBy.map { "seconded by \($0)" } ?? "not yet seconded"
            Swift.print(
                "  candidate: \(candidate.teamName) (\(candidate.holder)), nominated by \(candidate.nominatedBy), "
                    + standing)
        }
        if let roll = election.roll, let digest = election.rollSHA256 {
            Swift.print("  roll: \(roll.count) voting members present or represented, SHA-256 \(digest)")
            Swift.print("  voted: \(election.voted.count) of \(roll.count)")
        }
        if let result = election.result {
            Swift.print("  \(result.ballots) ballot(s), \(result.blankBallots) blank")
            for (candidate, votes) in result.votes.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                Swift.print("    \(candidate): \(votes)")
            }
            Swift.print("  elected: \(result.elected.isEmpty ? "no one" : result.elected.joined(separator: ", "))")
        }
        if let head = election.boardHead { Swift.print("  board head: \(head)") }
        if let own = election.ownTeam, own.mayVote { Swift.print("  your team may vote") }
    }
}

/// The path of an election's reference, refused when it is no reference.
func electionReference(_ text: String) throws -> String {
    guard !text.isEmpty, text.count <= 40, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
        throw CommandFailure(description: "'\(text)' is not an election's reference (AGM-2027-E1)")
    }
    return text.uppercased()
}

/// `concord governance election list`.
struct ElectionList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The elections.")
    @OptionGroup var api: APIOptions

    func run() async throws {
        let elections = try await api.client().get("/elections", as: [ElectionSummaryDTO].self)
        if elections.isEmpty { print("no election called") }
        for election in elections {
            print(
                "\(election.reference)  \(election.state)  \(election.officeName), \(election.seats) seat(s) by "
                    + "\(election.method)" + (election.elected.map { "  elected: \($0.joined(separator: ", "))" } ?? "")
            )
        }
    }
}

/// `concord governance election show AGM-2027-E1`.
struct ElectionShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "An election: candidates, roll and SHA-256, who voted, result.")
    @OptionGroup var api: APIOptions
    @Argument var election: String

    func run() async throws {
        GovernanceElectionCommand.print(
            try await api.client().get("/elections/\(try electionReference(election))", as: ElectionDTO.self))
    }
}

/// `concord governance election call --meeting AGM-2027 --office chair --method plurality --nominations-close …`.
struct ElectionCall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Call an election at a meeting (seats and terms from the constitution).")
    @OptionGroup var api: APIOptions
    @Option var meeting: String
    @Option(help: "chair, deputy-chair or steering-committee.") var office: String
    @Option(help: "The steering committee's seat class, from 0.") var seatClass: Int?
    @Option(help: "plurality, approval, yes-no or stv.") var method: String
    @Option(help: "When nominations close (ISO 8601, 2027-01-20T01:00:00Z).") var nominationsClose: String
    @Option var title: String?
    @Option(help: "A vacancy: the seats to fill.") var seats: Int?
    @Option(help: "A vacancy: the last day of the term it is filled for.") var termEndsOn: String?

    struct Body: Encodable {
        let meeting: String
        let office: String
        let seatClass: Int?
        let method: String
        let nominationsCloseAt: String
        let title: String?
        let seats: Int?
        let termEndsOn: String?
    }

    func run() async throws {
        guard ElectionMethod(rawValue: method) != nil else {
            let methods = ElectionMethod.allCases.map(\.rawValue).joined(separator: ", ")
            throw CommandFailure(description: "--method: '\(method)' is not one of \(methods)")
        }
        guard (try? Date(nominationsClose, strategy: .iso8601)) != nil else {
            throw CommandFailure(description: "--nominations-close: '\(nominationsClose)' is not an ISO 8601 time")
        }
        let election = try await api.client().post(
            "/elections",
            Body(
                meeting: meeting, office: office, seatClass: seatClass, method: method,
                nominationsCloseAt: nominationsClose, title: title, seats: seats, termEndsOn: termEndsOn),
            as: ElectionDTO.self)
        print("called \(election.reference): \(election.title), \(election.seats) seat(s) by \(election.method)")
    }
}

/// `concord governance election nominate AGM-2027-E1 --holder … --statement … [--team slug]`.
struct ElectionNominate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nominate", abstract: "Nominate your own team, or (a voting member) another team.")
    @OptionGroup var api: APIOptions
    @Argument var election: String
    @Option(help: "The candidate team (default: your own).") var team: String?
    @Option(help: "The person who would hold the office.") var holder: String
    @Option var statement: String

    func run() async throws {
        var body = ["holder": holder, "statement": statement]
        if let team { body["team"] = team }
        let nominated = try await api.client().post(
            "/elections/\(try electionReference(election))/nominations", body, as: ElectionDTO.self)
        print(
            "nominated in \(nominated.reference): \(team ?? nominated.ownTeam?.team ?? "your team"); it needs a seconder"
        )
    }
}

/// `concord governance election second AGM-2027-E1 TEAM`.
struct ElectionSecond: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "second", abstract: "Second a candidate for your team (a voting member).")
    @OptionGroup var api: APIOptions
    @Argument var election: String
    @Argument var team: String

    func run() async throws {
        let seconded = try await api.client().post(
            "/elections/\(try electionReference(election))/nominations/\(try electionReference(team).lowercased())/second",
            [String: String](), as: ElectionDTO.self)
        print("seconded \(team) in \(seconded.reference)")
    }
}

/// `concord governance election open AGM-2027-E1`.
struct ElectionOpen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open the ballot at the meeting (only at quorum).")
    @OptionGroup var api: APIOptions
    @Argument var election: String

    func run() async throws {
        let opened = try await api.client().post(
            "/elections/\(try electionReference(election))/open", [String: String](), as: ElectionDTO.self)
        print(
            "\(opened.reference) open: \(opened.presentAtOpening ?? 0) of \(opened.votingMembersAtOpening ?? 0) voting "
                + "members present or represented; lot \(opened.lot?.joined(separator: ", ") ?? "")")
    }
}

/// `concord governance election cast AGM-2027-E1 CHOICE… [--for TEAM]`.
struct ElectionCast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cast",
        abstract: "Cast your team's secret ballot: the candidates marked, ranked for stv, or yes/no/abstain.")
    @OptionGroup var api: APIOptions
    @Argument var election: String
    @Argument(help: "Candidates' slugs (first preference first for stv); none for a blank ballot.") var choices:
        [String] = []
    @Option(name: .customLong("for"), help: "A team whose proxy your team holds.") var team: String?

    struct Body: Encodable {
        let choices: [String]
        let team: String?
    }

    func run() async throws {
        let receipt = try await api.client().post(
            "/elections/\(try electionReference(election))/ballots", Body(choices: choices, team: team),
            as: ElectionBallotReceiptDTO.self)
        print("ballot taken for \(receipt.team) in \(receipt.election)")
        print("tracking code: \(receipt.trackingCode)")
        print(receipt.note)
    }
}

/// `concord governance election close AGM-2027-E1`.
struct ElectionClose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "Close the ballot: count it, publish the board, give the elected their terms.")
    @OptionGroup var api: APIOptions
    @Argument var election: String

    func run() async throws {
        GovernanceElectionCommand.print(
            try await api.client().post(
                "/elections/\(try electionReference(election))/close", [String: String](), as: ElectionDTO.self))
    }
}

/// `concord governance verify FILE|URL`: recounts an election's board from the board alone. Exit 0
/// when every link holds and the recount is the published result; 1 naming the ballot or link
/// that breaks, or the result that differs.
struct GovernanceVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recount an election's public board (a file, or its URL) and check its hash chain.")
    @Argument(help: "The board as JSON: a file, - for standard input, or https://…/api/v1/elections/REF/board.")
    var board: String
    @Option(help: "Also find this tracking code on the board and print its choices.") var trackingCode: String?

    func run() async throws {
        let data = try await Self.read(board)
        let decoded: ElectionBoard
        do {
            decoded = try JSONDecoder().decode(ElectionBoard.self, from: data)
        } catch {
            throw CommandFailure(description: "\(board): not an election board (\(Self.reason(error)))")
        }
        let verdict = decoded.verify()
        print("\(decoded.election): \(decoded.title)")
        print(verdict.description)
        if let trackingCode {
            if let entry = decoded.entry(trackingCode: trackingCode) {
                print(
                    "tracking code \(entry.trackingCode): "
                        + (entry.choices.isEmpty ? "blank" : entry.choices.joined(separator: ", ")))
            } else {
                print("tracking code \(trackingCode) is not on the board")
                throw ExitCode(1)
            }
        }
        if !verdict.matches { throw ExitCode(1) }
    }

    static func read(_ source: String) async throws -> Data {
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            var request = HTTPClientRequest(url: source)
            request.headers.add(name: "Accept", value: "application/json")
            let response: HTTPClientResponse
            do {
                response = try await APIClient.http.execute(request, timeout: .seconds(30))
            } catch {
                throw CommandFailure(description: "cannot fetch \(source) (\(APIClient.transportReason(error)))")
            }
            let data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
            guard response.status.code == 200 else {
                throw CommandFailure(
                    description: "\(source) answered \(response.status.code): \(APIClient.problemDetail(data))")
            }
            return data
        }
        let data =
            source == "-"
            ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: source)
        guard let data, !data.isEmpty else {
            throw CommandFailure(description: "\(source): cannot be read, or is empty")
        }
        return data
    }

    static func reason(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .keyNotFound(let key, _): return "no \(key.stringValue)"
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
            @unknown default: return "unreadable"
            }
        }
        return "unreadable"
    }
}
