import ArgumentParser
import ConcordCore
import ConcordServer
import Foundation

/// `concord incident …`: report, list, show and acknowledge incidents through the API, as the
/// person whose token is given. It reads and writes the server's own DTOs.
struct IncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident", abstract: "Report, list, show and acknowledge incidents (through the API).",
        subcommands: [Report.self, List.self, Show.self, Acknowledge.self])

    /// `concord incident report --title T --classification C OBSERVABLE…`.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report an incident; every observable is routed to the team responsible for it.")

        @OptionGroup var api: APIOptions
        @Option(help: "What is happening, in a line.") var title: String
        @Option(help: "RSIT taxonomy/type, e.g. malicious-code/c2-server.") var classification: String
        @Option(help: "low, medium, high or critical.") var severity = "medium"
        @Option(help: "TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED.") var tlp = "TLP:AMBER"
        @Option(help: "What is happening and how to stop it.") var description = ""
        @Option(name: .customLong("recipient"), help: "For TLP:RED: a person it is for (repeat).")
        var recipients: [String] = []
        @Option(help: "ISO code of the economy to fall back to when nothing matches.") var economy: String?
        @Flag(help: "Only show where it would go.") var preview = false
        @Argument(help: "IP addresses, prefixes, AS numbers, domains, URLs, e-mail addresses, hashes.")
        var observables: [String]

        func run() async throws {
            let client = try api.client()
            let body = IncidentInput(
                title: title, description: description, classification: classification, severity: severity, tlp: tlp,
                recipients: recipients, observables: observables.map { ObservableInput(value: $0) }, economy: economy)
            if preview {
                let teams = try await client.post("/incidents/preview", body, as: [RoutedTeamDTO].self)
                for team in teams { print("\(team.teamName) (\(team.team)): \(team.reasons.joined(separator: "; "))") }
                return
            }
            let incident = try await client.post("/incidents", body, as: IncidentDTO.self, retrying: true)
            print("reported \(incident.number) (\(incident.state.rawValue))")
            for assignment in incident.assignments {
                print("  \(assignment.teamName): \(assignment.reasons.joined(separator: "; "))")
            }
        }
    }

    /// `concord incident list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest incidents you may see.")

        @OptionGroup var api: APIOptions
        @Option(help: "How many (1–1000).") var limit = 50
        @Option(help: "triage, open, resolved or closed.") var state: String?
        @Option(help: "A TLP 2.0 label.") var tlp: String?
        @Option(help: "An RSIT taxonomy or taxonomy/type.") var classification: String?
        @Option(help: "Assigned to this team (its slug).") var team: String?
        @Option(name: .customLong("search"), help: "An incident number, words of the title or an observable.")
        var search: String?
        @Flag(help: "Only incidents with an acknowledgement deadline passed.") var overdue = false

        func run() async throws {
            var query = URLComponents()
            query.queryItems =
                [URLQueryItem(name: "limit", value: String(limit))]
                + [("state", state), ("tlp", tlp), ("classification", classification), ("team", team), ("q", search)]
                .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
                + (overdue ? [URLQueryItem(name: "overdue", value: "true")] : [])
            query.percentEncodedQuery = query.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            let incidents = try await api.client().get(
                "/incidents?\(query.percentEncodedQuery ?? "")", as: [IncidentSummaryDTO].self)
            for incident in incidents {
                print(
                    [
                        incident.number, incident.state.rawValue, incident.tlp.rawValue, incident.reporterTeam,
                        incident.title,
                    ]
                    .joined(separator: "\t"))
            }
        }
    }

    /// `concord incident show NUMBER`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One incident: teams, states and timeline.")

        @OptionGroup var api: APIOptions
        @Argument(help: "The incident's number, e.g. INC-2026-000123.") var number: String
        @Flag(help: "Print the JSON.") var json = false

        func run() async throws {
            let incident = try await api.client().get("/incidents/\(number)", as: IncidentDTO.self)
            if json {
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(incident), as: UTF8.self))
                return
            }
            print("\(incident.number)  \(incident.tlp.rawValue)  \(incident.state.rawValue)\n\(incident.title)")
            print("\(incident.classification), \(incident.severity), reported by \(incident.reporterTeam)")
            print("observables: " + incident.observables.map(\.value).joined(separator: ", "))
            print("teams:")
            for assignment in incident.assignments {
                let deadline = assignment.deadline.map {
                    " (acknowledge by \(ISO8601DateFormatter().string(from: $0)))"
                }
                print(
                    "  \(assignment.teamName): \(assignment.state.rawValue)\(assignment.state == .notified ? deadline ?? "" : "")"
                )
            }
            print("timeline:")
            for line in incident.timeline {
                print("  \(ISO8601DateFormatter().string(from: line.at))  \(line.actor): \(line.text)")
            }
        }
    }

    /// `concord incident ack NUMBER --team SLUG`.
    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: "Acknowledge your team's assignment of an incident.")

        @OptionGroup var api: APIOptions
        @Argument(help: "The incident's number.") var number: String
        @Option(help: "The team whose assignment it is (its slug).") var team: String

        func run() async throws {
            let incident = try await api.client().post(
                "/incidents/\(number)/assignments/\(team)", ["event": "acknowledge"], as: IncidentDTO.self)
            let state = incident.assignments.first { $0.team == team }?.state.rawValue ?? "?"
            print("\(incident.number): \(team) is \(state)")
        }
    }
}
