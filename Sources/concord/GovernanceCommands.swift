import ArgumentParser
import ConcordCore
import ConcordServer
import Foundation

/// `concord governance …`: the forum's constitution and offices, through the API
/// (`/api/v1/governance`), as the web page shows them.
struct GovernanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "governance",
        abstract: "The forum's constitution, offices, meetings, votes and elections (through the API).",
        subcommands: [
            GovernanceConstitution.self, GovernanceAdopt.self, GovernanceOffices.self, GovernanceMeetingCommand.self,
            GovernanceVoteCommand.self, GovernanceElectionCommand.self, GovernanceVerify.self,
        ])
}

/// `concord governance constitution [--on 2026-04-01] [--json]`.
struct GovernanceConstitution: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "constitution", abstract: "The constitution in force on a day, in sentences or as JSON.")

    @OptionGroup var api: APIOptions
    @Option(help: "The day (YYYY-MM-DD; default today, UTC).") var on: String?
    @Flag(help: "Print the rules as JSON (what `concord governance adopt` reads).") var json = false

    func run() async throws {
        if let on, CivilDate(on) == nil {
            throw CommandFailure(description: "--on: '\(on)' is not a date as YYYY-MM-DD")
        }
        let path = "/governance/constitution" + (on.map { "?on=\($0)" } ?? "")
        let constitution = try await api.client().get(path, as: ConstitutionDTO.self)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(constitution.rules), as: UTF8.self))
            return
        }
        print(
            "Constitution version \(constitution.version), in force from \(constitution.effectiveOn) "
                + "(adopted by \(constitution.adoptedBy))")
        for section in constitution.text {
            print("\n\(section.heading)")
            for line in section.lines { print("  - \(line)") }
        }
    }
}

/// `concord governance adopt rules.json` or `concord governance adopt --seeds-forum --effective-on 2003-02-01`.
struct GovernanceAdopt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adopt",
        abstract: "Adopt the founding constitution, once (later changes are resolutions of the members).")

    @OptionGroup var api: APIOptions
    @Argument(help: "The rules as JSON (`concord governance constitution --json` prints them).") var file: String?
    @Flag(help: "The seeds' forum's rules instead of a file.") var seedsForum = false
    @Option(help: "With --seeds-forum: the first day they apply (YYYY-MM-DD).") var effectiveOn: String?

    func run() async throws {
        let rules: Constitution
        if seedsForum {
            guard let effectiveOn, CivilDate(effectiveOn) != nil else {
                throw ValidationError("--seeds-forum needs --effective-on YYYY-MM-DD")
            }
            rules = Constitution.seedsForum(effectiveOn: effectiveOn)
        } else {
            guard let file else { throw ValidationError("give the rules' JSON file, or --seeds-forum") }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure(description: "cannot read \(file)")
            }
            do {
                rules = try JSONDecoder().decode(Constitution.self, from: data)
            } catch {
                throw CommandFailure(
                    description: "\(file) is not the constitution's JSON: \(DecodingErrorText.line(error))")
            }
        }
        guard rules.problems.isEmpty else {
            throw CommandFailure(description: "the rules cannot be applied: \(rules.problems.joined(separator: "; "))")
        }
        let adopted = try await api.client().post("/governance/constitution", rules, as: ConstitutionDTO.self)
        print("adopted the founding constitution (version \(adopted.version)), in force from \(adopted.effectiveOn)")
    }
}

/// `concord governance offices [--on DAY] [--team SLUG]`.
struct GovernanceOffices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offices", abstract: "Who holds the forum's offices on a day, or one team's every term.")

    @OptionGroup var api: APIOptions
    @Option(help: "The day (YYYY-MM-DD; default today, UTC).") var on: String?
    @Option(help: "A team's slug: its every term instead.") var team: String?

    func run() async throws {
        if let on, CivilDate(on) == nil {
            throw CommandFailure(description: "--on: '\(on)' is not a date as YYYY-MM-DD")
        }
        var query: [String] = []
        if let on { query.append("on=\(on)") }
        if let team {
            guard team.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw CommandFailure(description: "--team: '\(team)' is not a team's slug")
            }
            query.append("team=\(team)")
        }
        let path = "/governance/offices" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let terms = try await api.client().get(path, as: [OfficeTermDTO].self)
        if terms.isEmpty { print("no office holder recorded") }
        for term in terms {
            let office = term.officeName.padding(toLength: 32, withPad: " ", startingAt: 0)
            let name = term.teamName.padding(toLength: 16, withPad: " ", startingAt: 0)
            print("\(office)\(name)\(term.startsOn) to \(term.endsOn)  \(term.holder)")
        }
    }
}
