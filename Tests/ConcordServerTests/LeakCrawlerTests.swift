import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The leak crawler (issue 16): SingCERT's handler creates TLP:RED, AMBER+STRICT, AMBER and GREEN
/// objects (incidents with a comment and an attachment, STIX indicators and a sighting of each)
/// whose every text field carries a marker of its own, their numbers and ids being markers too;
/// the secretariat runs a drill SingCERT alone plays (its inject marked), and SingCERT's sensor
/// (name, location and private darknet marked) raises a surge alert (its id a marker); then every GET route of the route table (API, TAXII, web
/// pages, exports, audit, metrics) is requested as every role and anonymously, with every value
/// its parameters can take here, and no answer may carry a marker the TLP rules keep from that
/// principal. The rules are written out below from the TLP definitions, not asked of the policy,
/// so that the policy is what is tested.
@Suite struct LeakCrawlerTests {
    /// One object and the principals who may read it.
    struct Marked {
        let marker: String
        let readers: Set<Actor>
    }

    static let singcertMembers: Set<Actor> = [.observer, .handler, .teamAdmin]
    static let forumWide: Set<Actor> = [.secretariat, .forumAdmin]
    static let members = Set(Actor.allCases).subtracting([.anonymous])

    /// Who reads what, from the TLP 2.0 definitions as the forum applies them: RED only the people
    /// named (here the handler, its author); AMBER+STRICT the teams concerned and the forum-wide
    /// roles for incidents, the collection's team for shared objects; AMBER as well the
    /// constituents of the reporting national team (NUSCERT, under SingCERT); GREEN every member.
    static func readers(_ label: TLPLabel, incident: Bool) -> Set<Actor> {
        switch label {
        case .red: [.handler]
        case .amberStrict: incident ? singcertMembers.union(forumWide) : singcertMembers
        case .amber: (incident ? singcertMembers.union(forumWide) : singcertMembers).union([.teamAdminOther])
        case .green, .clear: members
        }
    }

    @Test func noAnswerCarriesAMarkerItsReaderMayNotSee() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let run = UUID().uuidString.prefix(8).lowercased()
            var marked: [Marked] = []
            var incidents: [String] = []
            var attachments: [(incident: String, id: String)] = []
            var objects: [String] = []
            let handler = try await WebSession.start(app, as: .handler)
            let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            let teamCollection = try singcert.requireID()
            for label in [TLPLabel.red, .amberStrict, .amber, .green] {
                let tag = "leak\(run)\(label.rawValue.filter(\.isLetter).lowercased())"
                // an incident, a comment on it and an attachment
                var body: [String: AnyEncodable] = [
                    "title": .init("\(tag)-title"), "description": .init("\(tag)-description"),
                    "classification": .init("malicious-code/c2-server"), "tlp": .init(label.rawValue),
                    "observables": .init([["value": "198.51.100.100"]]),
                ]
                if label == .red { body["recipients"] = .init(["handler@test.example"]) }
                let reported = try await IncidentTests.report(body, as: .handler, forum: forum, app: app)
                #expect(reported.status == .created, "\(reported.body.string)")
                let number = try reported.content.decode(IncidentDTO.self).number
                incidents.append(number)
                let comment = try await app.testing().send(
                    .POST, "/api/v1/incidents/\(number)/comments", headers: forum.headers(.handler),
                    body: json(["text": "\(tag)-comment"]))
                #expect(comment.status == .created)
                let upload = try await handler.upload(
                    "/incidents/\(number)/attachments", field: "file", filename: "\(tag)-file.txt",
                    data: Data("\(tag)-content".utf8), app: app)
                #expect(upload.status == .seeOther)
                let detail = try await app.testing().send(
                    .GET, "/api/v1/incidents/\(number)", headers: forum.headers(.handler)
                ).content.decode(IncidentDTO.self)
                attachments += detail.attachments.map { (number, $0.id.uuidString) }
                marked.append(Marked(marker: "\(tag)-", readers: Self.readers(label, incident: true)))
                marked.append(Marked(marker: number, readers: Self.readers(label, incident: true)))
                // a STIX indicator, in the team's collection (GREEN in the forum's)
                let stixTag = "stix\(run)\(label.rawValue.filter(\.isLetter).lowercased())"
                var indicator = STIXSamples.indicator(label: label)
                indicator["name"] = "\(stixTag)-name"
                indicator["description"] = "\(stixTag)-description"
                objects.append(indicator["id"] as? String ?? "")
                let collection = label == .green ? SharingCollections.forumID : teamCollection
                let added = taxiiJSON(
                    try await TAXIIClient(app: app, forum: forum, actor: .handler).add([indicator], to: collection))
                #expect(added["success_count"] as? Int == 1, "\(added)")
                marked.append(Marked(marker: "\(stixTag)-", readers: Self.readers(label, incident: false)))
                // its id names it too, and a sighting of it repeats the id
                let id = indicator["id"] as? String ?? ""
                marked.append(Marked(marker: id, readers: Self.readers(label, incident: false)))
                let sighting = try await app.testing().send(
                    .POST, "/api/v1/sharing/sightings", headers: forum.headers(.handler),
                    body: json([
                        "indicator": AnyEncodable(id), "collection": AnyEncodable(collection), "count": AnyEncodable(3),
                    ]))
                #expect(sighting.status == .created, "\(sighting.body.string)")
            }

            // a drill SingCERT alone plays, its inject marked; a sensor of SingCERT's and a surge alert
            let drillTag = "drill\(run)"
            let drill = try await Self.drill(tag: drillTag, forum: forum, app: app)
            marked.append(Marked(marker: "\(drillTag)-", readers: Self.singcertMembers.union(Self.forumWide)))
            let sensorTag = "sensor\(run)"
            let (alert, prefix) = try await Self.sensorAlert(tag: sensorTag, forum: forum, app: app)
            marked.append(Marked(marker: "\(sensorTag)-", readers: Self.members))
            marked.append(Marked(marker: prefix, readers: Self.singcertMembers.union(Self.forumWide)))
            marked.append(Marked(marker: alert, readers: Self.members))

            // act: every GET route, with every value its parameters take here, as everyone
            let values: [String: [String]] = [
                ":team": ["singcert", "nuscert", "jpcert-cc"], ":incident": incidents,
                ":collection": [SharingCollections.forumID, teamCollection].map { $0.uuidString.lowercased() },
                ":object": objects, ":economy": ["SG", "JP"], ":category": ["full"],
                ":file": ["sensors.csv", "alerts.csv", "prefixes.csv", "victims.csv"], ":protocol": ["tcp"],
                ":port": ["23"], ":drill": [drill.uuidString],
            ]
            var paths: [String] = []
            for route in app.routes.all where route.method == .GET {
                paths += Self.expand(route.path, values: values, attachments: attachments)
            }
            // The board's event stream sends the board (crawled as JSON at …/board) until the drill ends.
            paths.removeAll { $0.hasSuffix("/board/events") }
            var sessions: [Actor: WebSession] = [:]
            for actor in Actor.allCases { sessions[actor] = try await WebSession.start(app, as: actor) }
            var leaks: [String] = []
            var seen: [String: Set<Actor>] = [:]
            var requests = 0
            for path in paths {
                for actor in Actor.allCases {
                    let text = try await Self.get(path, as: actor, forum: forum, session: sessions[actor]!, app: app)
                    requests += 1
                    // An id the request itself names comes back in its 404 (the asker knew it already).
                    for object in marked where text.contains(object.marker) && !path.contains(object.marker) {
                        seen[object.marker, default: []].insert(actor)
                        if !object.readers.contains(actor) { leaks.append("\(object.marker) → \(actor) at \(path)") }
                    }
                }
            }
            // validate
            print("leak crawler: \(paths.count) paths × \(Actor.allCases.count) principals = \(requests) requests")
            #expect(leaks.isEmpty, "markers where the TLP rules forbid them: \(leaks.sorted())")
            for object in marked {
                // the crawl reaches every object: someone allowed sees it somewhere
                #expect(!(seen[object.marker] ?? []).isEmpty, "no route showed \(object.marker) to its readers")
            }
            #expect(requests > 1000)
        }
    }

    /// Plans a drill in which SingCERT plays (JPCERT/CC runs it) and releases its one inject, whose
    /// subject and body carry `tag`; returns the drill's id.
    static func drill(tag: String, forum: TestForum, app: Application) async throws -> UUID {
        let scenario = """
            concord-scenario: 1
            title: \(tag)-title
            duration: 1h
            participants: [singcert]
            injects:
              - id: warning
                at: 0m
                to: all
                channel: web
                subject: \(tag)-subject
                body: \(tag)-body
                expect: {action: acknowledge, within: 30m}
            """
        let start = Date(timeIntervalSince1970: 1_796_263_200)
        let clock = ManualDrillClock(start)
        app.drillClock = clock
        let uploaded = try await app.testing().send(
            .POST, "/api/v1/drill-scenarios", headers: forum.headers(.secretariat),
            body: try DrillTests.body(DrillScenarioInput(source: scenario, files: [:])))
        #expect(uploaded.status == .created, "\(uploaded.body.string)")
        let created = try await app.testing().send(
            .POST, "/api/v1/drills", headers: forum.headers(.secretariat),
            body: try DrillTests.body(
                DrillInput(
                    scenario: try uploaded.content.decode(DrillScenarioDTO.self).id, title: nil, start: start,
                    participants: [
                        .init(team: "singcert", part: nil, partner: nil),
                        .init(team: "jpcert-cc", part: "control", partner: nil),
                    ])))
        #expect(created.status == .created, "\(created.body.string)")
        #expect(try await DrillScheduler.runDue(at: clock.now(), mailedAt: app.clock.now(), on: app.db) == 1)
        return try created.content.decode(DrillDTO.self).id
    }

    /// Registers a sensor for SingCERT whose name and location carry `tag`, uploads the surge of
    /// `SurgeMonitorTests` through it and lets the monitor raise its alert; returns the alert's id
    /// and the sensor's darknet (which only SingCERT and the forum-wide roles may read).
    static func sensorAlert(tag: String, forum: TestForum, app: Application) async throws -> (String, String) {
        let prefix = "203.0.113.160/27"
        let registered = try await app.testing().send(
            .POST, "/api/v1/teams/singcert/sensors", headers: forum.headers(.teamAdmin),
            body: json(["name": "\(tag)-name", "prefix": prefix, "location": "\(tag)-location"]))
        #expect(registered.status == .created, "\(registered.body.string)")
        let sensor = try #require(try await Sensor.query(on: app.db).filter(\.$prefix == prefix).first())
        _ = try await SensorHub.receive(
            SensorUploadPayload(id: UUID(), hours: SurgeMonitorTests.uploads.first), from: sensor,
            at: app.clock.now(), on: app.db)
        let alerts = try await SurgeMonitor.runDue(
            at: SurgeMonitorTests.afterTheSurge, scan: SurgeMonitorTests.scan, on: app.db)
        let alert = try #require(alerts.first)
        return (try alert.requireID().uuidString, prefix)
    }

    /// The concrete paths of a route: each parameter takes each of its values (an attachment only
    /// with its incident); parameters with no value here take an id that names nothing.
    static func expand(
        _ path: [PathComponent], values: [String: [String]], attachments: [(incident: String, id: String)]
    )
        -> [String]
    {
        var results: [[String]] = [[]]
        var incidentIndex: Int?
        for component in path {
            switch component {
            case .constant(let text):
                results = results.map { $0 + [text] }
            case .parameter(let name):
                if name == "attachment", let index = incidentIndex {
                    results = results.flatMap { prefix in
                        attachments.filter { $0.incident == prefix[index] }.map { prefix + [$0.id] }
                    }
                    continue
                }
                if name == "incident" { incidentIndex = results.first?.count }
                let options = values[":\(name)"] ?? [UUID().uuidString.lowercased()]
                let suffix =
                    path.last == component && name == "port" && path.contains(.constant("charts")) ? ".svg" : ""
                results = results.flatMap { prefix in options.map { prefix + [$0 + suffix] } }
            case .anything, .catchall:
                results = results.map { $0 + ["x"] }
            }
        }
        return results.map { "/" + $0.joined(separator: "/") }
    }

    /// The answer's text as `actor` gets it: a bearer token on the API and TAXII, the session cookie
    /// on the web (anonymous: neither).
    static func get(_ path: String, as actor: Actor, forum: TestForum, session: WebSession, app: Application)
        async throws -> String
    {
        if path.hasPrefix("/api/") || path == "/metrics" || path.hasPrefix("/taxii2") {
            var headers = forum.headers(actor)
            if path.hasPrefix("/taxii2") { headers.replaceOrAdd(name: .accept, value: TAXIIMediaType.taxii) }
            return try await app.testing().send(.GET, path, headers: headers).body.string
        }
        return try await session.send(.GET, path, form: [:], app: app).body.string
    }
}
