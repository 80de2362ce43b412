import Foundation
import Testing

@testable import ConcordCore

/// Drill scenario files: the shipped example reads whole, and every kind of mistake is named
/// with its line, column and field.
@Suite struct ScenarioReaderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func problems(_ text: String, files: Set<String> = []) -> [String] {
        switch ScenarioReader.read(text, attachmentExists: { files.contains($0) }) {
        case .success: return []
        case .failure(let failure): return failure.problems.map(\.description)
        }
    }

    @Test func theShippedScenarioReadsWhole() throws {
        let folder = Self.repository.appendingPathComponent("scenarios/regional-c2-2026")
        let text = try String(contentsOf: folder.appendingPathComponent("scenario.yaml"), encoding: .utf8)
        let scenario = try ScenarioReader.read(text) { name in
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
        }.get()
        #expect(scenario.participants == .teams(["singcert", "jpcert-cc", "krcert-cc", "mycert", "thaicert"]))
        #expect(scenario.start == nil && scenario.durationSeconds == 4 * 3600)
        #expect(scenario.injects.map(\.id) == ["first-warning", "firewall-log", "hand-over"])
        #expect(scenario.injects.map(\.offsetSeconds) == [0, 45 * 60, 2 * 3600])
        #expect(scenario.injects.map(\.channel) == [.email, .web, .incident])
        #expect(scenario.injects[0].expectation == DrillExpectation(action: .acknowledge, withinSeconds: 1800))
        #expect(
            scenario.injects[1].expectation
                == DrillExpectation(action: .reportIncident(observables: ["203.0.113.50"]), withinSeconds: 3600))
        #expect(scenario.injects[1].attachments == ["firewall.log"])
        #expect(scenario.injects[2].recipients == .teams(["singcert"]))
        #expect(scenario.injects[2].expectation?.action == .notifyTeam("krcert-cc"))
        #expect(
            scenario.summary
                == "\"Regional C2 server behind a shared hosting provider\": 3 injects (1 email, 1 incident, 1 web) "
                + "for 5 teams over 4h")
    }

    @Test func everyMistakeIsNamedWithItsLine() {
        let text = """
            concord-scenario: 1
            title: Drill
            start: next tuesday
            duration: 2h
            participants: [singcert, jpcert-cc]
            injects:
              - id: warn
                at: 1h
                to: [singcert, mycert]
                channel: pigeon
                subject: "For {{team.name}} of {{team.country}}"
                body: Hello
                attachments: [log.txt, ../../etc/passwd]
                expect:
                  action: answer
                  within: 90m
              - id: warn
                at: 3h
                to: all
                channel: web
                subject: Second
                body: Later
                expect: {action: notify-team, team: krcert-cc, within: 10m, observables: [192.0.2.1]}
            """
        #expect(
            Self.problems(text, files: ["log.txt"]) == [
                "3:8: start: must be a date and time with its zone, as 2026-12-03T02:00:00Z",
                "9:9: injects[0].to: mycert is not among the participants",
                "10:14: injects[0].channel: must be one of incident, email, web",
                "11:14: injects[0].subject: unknown placeholder {{team.country}} (known: drill.start, drill.title, "
                    + "team.economy, team.full_name, team.name, team.slug)",
                "13:28: injects[0].attachments[1]: must be a path inside the scenario's folder, without .. or a leading /",
                "15:7: injects[0].expect.question: is required",
                "17:9: injects[1].id: \"warn\" is already the id of injects[0]",
                "18:9: injects[1].at: is after the drill's end (2h)",
                "23:13: injects[1].expect.within: the deadline falls after the drill's end (2h)",
                "23:41: injects[1].expect.team: krcert-cc is not among the participants",
                "23:78: injects[1].expect.observables: does not belong to the action notify-team",
            ])
    }

    @Test func missingAndUnknownFieldsAndWrongShapes() {
        #expect(
            Self.problems("title: T\nduration: 1h\nparticipants: everyone\nteams: []\ninjects: []\n") == [
                "1:1: concord-scenario: is required",
                "3:15: participants: must be all-full-members or a list of team slugs",
                "4:1: teams: unknown field (expected concord-scenario, title, storyline, start, duration, participants, "
                    + "injects)",
                "5:10: injects: must be a list of at least one inject",
            ])
        #expect(Self.problems("- just\n- a list\n") == ["1:1: a scenario must be a mapping of fields"])
        #expect(Self.problems("") == ["1:1: the file is empty"])
        #expect(Self.problems("title: [unclosed\n") == ["2:1: not valid YAML: did not find expected ',' or ']'"])
        #expect(
            Self.problems("title: a\nduration: 1h\ntitle: b\n")
                == ["1:1: title: appears more than once in the same mapping"])
        #expect(
            Self.problems("concord-scenario: 1\ntitle: a\nduration: 8d\nparticipants: [Bad Slug]\ninjects: [{}]")
                == [
                    "3:11: duration: must be more than 0 and at most 7d",
                    "4:16: participants[0]: must be a slug: lower-case letters, digits and hyphens",
                    "5:11: injects[0].id: is required", "5:11: injects[0].at: is required",
                    "5:11: injects[0].to: is required", "5:11: injects[0].channel: is required",
                    "5:11: injects[0].subject: is required", "5:11: injects[0].body: is required",
                ])
    }

    @Test func jsonIsReadToo() throws {
        let json = """
            {"concord-scenario": 1, "title": "Comms check", "start": "2026-12-03T02:00:00+08:00", "duration": "30m",
             "participants": "all-full-members",
             "injects": [{"id": "ping", "at": "0", "to": "all", "channel": "email", "subject": "Ping {{team.name}}",
                          "body": "Answer", "expect": {"action": "acknowledge", "within": "15m"}}]}
            """
        let scenario = try ScenarioReader.read(json).get()
        #expect(scenario.start == Date(timeIntervalSince1970: 1_796_234_400))
        #expect(scenario.participants == .allFullMembers)
        #expect(scenario.summary == "\"Comms check\": 1 inject (1 email) for all full members over 30m")
    }

    @Test func durationsReadAndWriteTheSameWay() {
        #expect(DrillDuration.seconds("1h30m") == 5400)
        #expect(DrillDuration.seconds("2d") == 172_800)
        #expect(DrillDuration.seconds("45s") == 45)
        #expect(DrillDuration.seconds("0") == 0)
        for bad in ["", "h", "1.5h", "30m1h", "1h1h", "90", "-5m", "1 h"] {
            #expect(DrillDuration.seconds(bad) == nil, "\(bad)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let seconds = Int.random(in: 0...(8 * 86_400), using: &generator)
            #expect(DrillDuration.seconds(DrillDuration.text(seconds)) == seconds)
        }
    }

    @Test func placeholdersAreFilledPerTeam() {
        let text = "Dear {{team.name}} ({{ team.economy }}), see {{unknown}} at {{drill.start"
        #expect(DrillPlaceholders.names(in: text) == ["team.name", "team.economy", "unknown"])
        #expect(
            DrillPlaceholders.fill(text, with: ["team.name": "SingCERT", "team.economy": "Singapore"])
                == "Dear SingCERT (Singapore), see {{unknown}} at {{drill.start")
    }
}
