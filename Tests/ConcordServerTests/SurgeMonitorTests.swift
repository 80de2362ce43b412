import ConcordCore
import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The sensor network on the hub: a synthetic surge uploaded by two teams' sensors raises one alert
/// (once, whatever the number of monitors), its notification reaches the secretariat and the
/// sensor teams by signed mail, and the dashboard, port page, charts and exports show the traffic
/// with the darknet prefixes and source addresses kept in the forum.
@Suite(.serialized) struct SurgeMonitorTests {
    static let telnet = Service(ipProtocol: 6, port: 23)
    static let smb = Service(ipProtocol: 6, port: 445)
    /// 2026-11-01 00:00 UTC; the surge is on 2026-11-08 from 06:00 to 12:00.
    static let start: Int64 = 1_793_491_200
    static let surgeBand = start + 7 * 86_400 + 6 * 3600
    static let scan = SurgeScan(bandHours: 6, baselineDays: 7)

    /// Eight days of two sensors: telnet from 40 scanners and SMB from 100 every hour; in the surge
    /// band 500 telnet scanners, 100 of them seen by both sensors.
    static let uploads: (first: [HourlyAggregate], second: [HourlyAggregate]) = {
        var first: [HourlyAggregate] = []
        var second: [HourlyAggregate] = []
        for hour in stride(from: start, to: start + 8 * 86_400, by: 3600) {
            let surging = (surgeBand..<(surgeBand + 6 * 3600)).contains(hour)
            first.append(
                SyntheticScanning.hour(hour, scanners: [telnet: surging ? 0..<300 : 0..<40, smb: 1000..<1100]))
            second.append(SyntheticScanning.hour(hour, scanners: [telnet: surging ? 200..<500 : 20..<40]))
        }
        return (first, second)
    }()

    /// Registers a sensor for SingCERT and one for NUSCERT, uploads the eight days, and gives the
    /// secretariat and NUSCERT an e-mail contact.
    static func network(_ app: Application) async throws -> TestForum {
        let forum = try await TestForum.seed(app)
        let teams = try await Team.query(on: app.db).all()
        for (slug, name, prefix, hours) in [
            ("singcert", "sg-1", "203.0.113.0/25", uploads.first),
            ("nuscert", "nus-1", "203.0.113.128/25", uploads.second),
        ] {
            guard let team = teams.first(where: { $0.slug == slug }) else { throw ConcordError(.notFound, slug) }
            let sensor = Sensor()
            sensor.$team.id = try team.requireID()
            sensor.name = name
            sensor.prefix = prefix
            sensor.location = "test"
            sensor.tokenHash = TokenService.hash("sensor_\(name)")
            sensor.createdAt = Date(timeIntervalSince1970: TimeInterval(start))
            try await sensor.create(on: app.db)
            _ = try await SensorHub.receive(
                SensorUploadPayload(id: UUID(), hours: hours), from: sensor, at: app.clock.now(), on: app.db)
        }
        for (slug, address) in [("jpcert-cc", "duty@jpcert.example"), ("nuscert", "cert@nus.sg.example")] {
            guard let team = teams.first(where: { $0.slug == slug }) else { continue }
            let contact = Contact()
            contact.$team.id = try team.requireID()
            contact.kind = .emergencyEmail
            contact.value = address
            contact.availability = .always
            contact.published = true
            try await contact.create(on: app.db)
        }
        return forum
    }

    static var afterTheSurge: Date { Date(timeIntervalSince1970: TimeInterval(surgeBand + 6 * 3600 + 3600 + 60)) }

    @Test(.needs(.python, .msmtp, .gpg))
    func aSyntheticSurgeRaisesOneAlertWhoseMailReachesTheSecretariatAndTheSensorTeams() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withApp { app in
            // setup
            _ = try await Self.network(app)
            try await MailRig.configure(app, sink: sink)
            // act
            let tooEarly = try await SurgeMonitor.runDue(
                at: Self.afterTheSurge.addingTimeInterval(-120), scan: Self.scan, on: app.db)
            let raised = try await SurgeMonitor.runDue(at: Self.afterTheSurge, scan: Self.scan, on: app.db)
            let again = try await SurgeMonitor.runDue(at: Self.afterTheSurge, scan: Self.scan, on: app.db)
            try await OutboxWorker(application: app).runDue(at: Self.afterTheSurge)
            let mail = try await sink.waitFor(3)
            // validate
            #expect(tooEarly.isEmpty, "the band is judged only after its hour of grace")
            let alert = try #require(raised.first)
            #expect(raised.count == 1 && alert.service == Self.telnet && alert.bandStart == Self.surgeBand)
            #expect(abs(alert.sources - 500) <= 25 && alert.baselineMedian == 40 && alert.baselineDays == 7)
            let stored = try await SurgeAlert.query(on: app.db).count()
            #expect(again.isEmpty && stored == 1)
            // The forum reads it by TAXII too: a TLP:GREEN report by the secretariat.
            let reports = try await StoredSTIXObject.query(on: app.db).filter(\.$type == "report").all()
            #expect(reports.count == 1 && reports.first?.collectionID == SharingCollections.forumID)
            #expect(
                reports.first?.tlp.rawValue == "TLP:GREEN" && reports.first?.body.contains("surge on tcp/23") == true)
            let judged = try await SurgeScanRecord.query(on: app.db).sort(\.$bandStart).all().map(\.bandStart)
            #expect(judged.contains(Self.surgeBand) && Set(judged).count == judged.count)
            let messages = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "sensor-surge").with(\.$team)
                .all()
            #expect(Set(messages.map(\.team.slug)) == ["jpcert-cc", "singcert", "nuscert"])
            #expect(messages.allSatisfy { $0.state == .sent && $0.body.contains("tcp/23: ") })
            #expect(
                messages.filter { $0.channel == .email }.allSatisfy {
                    $0.body.contains("{{public-url}}/sensors/ports/tcp/23\n")
                })
            let subjects = mail.compactMap { ReceivedMail.header("Subject", in: $0) }
            #expect(subjects == Array(repeating: "[TLP:GREEN] Sensor network: surge on tcp/23", count: 3))
            #expect(mail.allSatisfy { ReceivedMail.header("X-Concord-Notification", in: $0) == "sensor-surge" })
        }
    }

    @Test func twoMonitorsJudgeABandOnce() async throws {
        try await withApp { app in
            // setup
            _ = try await Self.network(app)
            // act
            async let one = SurgeMonitor.runDue(at: Self.afterTheSurge, scan: Self.scan, on: app.db)
            async let two = SurgeMonitor.runDue(at: Self.afterTheSurge, scan: Self.scan, on: app.db)
            let raised = try await one.count + two.count
            // validate
            #expect(raised == 1)
            #expect(try await SurgeAlert.query(on: app.db).count() == 1)
            let messages = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "sensor-surge").count()
            #expect(messages == 3, "one notification per team, not two")
        }
    }

    @Test func theDashboardPortPageChartsAndExportsShowTheNetwork() async throws {
        try await withApp { app in
            // setup
            let forum = try await Self.network(app)
            try await SurgeMonitor.runDue(at: Self.afterTheSurge, scan: Self.scan, on: app.db)
            let span = "days=8&until=2026-11-08"
            func get(_ path: String, as actor: Actor = .handler) async throws -> TestingHTTPResponse {
                try await app.testing().send(.GET, path, headers: forum.headers(actor))
            }
            // act
            let overview = try await get("/api/v1/sensor-network/overview?\(span)").content.decode(
                TrafficOverviewDTO.self)
            let port = try await get("/api/v1/sensor-network/ports/tcp/23?\(span)").content.decode(
                PortHistoryDTO.self)
            let inside = try await get("/api/v1/sensor-network/export/prefixes.csv?\(span)").body.string
            let outside = try await get("/api/v1/sensor-network/export/prefixes.csv?\(span)&audience=outside").body
                .string
            let sensors = try await get("/api/v1/sensor-network/export/sensors.csv").body.string
            let badDays = try await get("/api/v1/sensor-network/overview?days=0")
            let badTable = try await get("/api/v1/sensor-network/export/passwords.csv")
            let web = try await WebSession.start(app, as: .teamAdminOther)
            let dashboard = try await web.send(.GET, "/sensors/dashboard?\(span)", form: [:], app: app).body.string
            let chart = try await web.send(.GET, "/sensors/charts/ports/tcp/23.svg?\(span)", form: [:], app: app)
            let topPorts = try await web.send(.GET, "/sensors/charts/top-ports.svg?\(span)", form: [:], app: app)
            let justAfter = Date(timeIntervalSince1970: TimeInterval(Self.start + 8 * 86_400 + 1800))
            app.clock = FixedClock(justAfter)  // the sensors page judges health at the application's time
            let list = try await web.send(.GET, "/sensors", form: [:], app: app).body.string
            let health = try await SensorNetwork.health(now: justAfter, on: app.db)
            // validate
            #expect(overview.days.map(\.date) == (1...8).map { "2026-11-0\($0)" })
            #expect(overview.days.allSatisfy { $0.hoursWithData == 24 })
            #expect(
                overview.services.map(\.key).prefix(2) == ["tcp/23", "tcp/445"], "by distinct sources, not packets")
            #expect(port.days.prefix(7).allSatisfy { $0.sources == 40 } && abs(port.days[7].sources - 500) <= 25)
            #expect(port.days[7].packets == 2 * 24 * 60 + 6 * 2 * (600 - 60), "both sensors' packets of the surge day")
            #expect(port.alerts.count == 1 && port.alerts.first?.service == "tcp/23")
            #expect(
                inside.contains("\r\n")
                    && inside.split(separator: "\r\n").dropFirst().allSatisfy { $0.contains("/24,") })
            let pseudonyms = outside.split(separator: "\r\n").dropFirst().map { String($0.prefix { $0 != "," }) }
            #expect(outside.hasPrefix("source_prefix_pseudonym,") && !outside.contains("."))
            #expect(pseudonyms.count == inside.split(separator: "\r\n").count - 1)
            #expect(pseudonyms.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
            #expect(sensors.contains("203.0.113.0/25") && !sensors.contains("203.0.113.128/25"), "own team only")
            #expect(badDays.status == .unprocessableEntity && badTable.status == .notFound)
            #expect(
                dashboard.contains("/sensors/charts/top-ports.svg?days=8&amp;until=2026-11-08")
                    && dashboard.contains("tcp/23"))
            #expect(chart.headers.contentType?.description.hasPrefix("image/svg+xml") == true)
            #expect(chart.body.string.contains("tcp/23: distinct sources per day"))
            #expect(topPorts.body.string.contains("tcp/23 (surge alert)"), "the alerting series is marked")
            #expect(!topPorts.body.string.contains("tcp/445 (surge alert)"))
            #expect(health.map(\.name) == ["nus-1", "sg-1"] && health.allSatisfy { $0.state == .ok })
            #expect(health.allSatisfy { $0.hoursPerDay == [24, 24, 24, 24, 24, 24, 0] && $0.hoursLastDay == 23 })
            #expect(health.allSatisfy { $0.months.map(\.month) == ["2026-11"] && $0.uptimeThisMonth == 1 })
            #expect(list.contains("sg-1") && list.contains("nus-1") && !list.contains("203.0.113.0/25"))
            let sparklineText = list.firstMatch(of: #/class="sparkline" src="[^"]*" alt="([^"]*)"/#).map {
                String($0.output.1)
            }
            #expect(sparklineText == "24, 24, 24, 24, 24, 24, 0 hours", "uptime as a sparkline")
        }
    }
}
