import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Sensor figures say what they are (issue 16 §2): on the hub, a service scanned by more than
/// 65,536 sources shows an estimate, marked in the API (with its standard error), the CSV and the
/// web (≈), while small counts stay exact and unmarked; backscatter has its own table and never
/// counts among the ports scanned.
@Suite struct SensorFiguresTests {
    /// 2026-11-08 00:00 UTC.
    static let hour: Int64 = 1_794_096_000

    /// One hour: tcp/23 scanned by 70,000 sources, tcp/445 by 50, and 30 victims' web servers
    /// answering spoofed SYNs with SYN-ACKs from port 80.
    static func busyHour() -> HourlyAggregate {
        var aggregate = SyntheticScanning.hour(
            hour, scanners: [Service(ipProtocol: 6, port: 23): 0..<70_000, Service(ipProtocol: 6, port: 445): 0..<50],
            packetsPerScanner: 1)
        for victim in 0..<30 {
            for _ in 0..<4 {
                aggregate.add(
                    PacketSummary(
                        timestamp: hour * 1_000_000_000, source: IPAddress(v4: 0xC000_0200 | UInt32(victim)),
                        destination: IPAddress("203.0.113.7")!, ipProtocol: 6, sourcePort: 80, destinationPort: 44_444,
                        tcpFlags: 0x12, length: 60))
            }
        }
        return aggregate
    }

    @Test func estimatesAreMarkedAndBackscatterStandsApart() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
            let sensor = Sensor()
            sensor.$team.id = try singcert.requireID()
            sensor.name = "sg-busy"
            sensor.prefix = "203.0.113.0/24"
            sensor.location = "test"
            sensor.tokenHash = TokenService.hash("sensor_busy")
            sensor.createdAt = app.clock.now()
            try await sensor.create(on: app.db)
            _ = try await SensorHub.receive(
                SensorUploadPayload(id: UUID(), hours: [Self.busyHour()]), from: sensor, at: app.clock.now(),
                on: app.db)
            let span = "days=1&until=2026-11-08"
            // act
            let overview = try await app.testing().send(
                .GET, "/api/v1/sensor-network/overview?\(span)", headers: forum.headers(.observer)
            ).content.decode(TrafficOverviewDTO.self)
            let csv = try await app.testing().send(
                .GET, "/api/v1/sensor-network/export/services.csv?\(span)", headers: forum.headers(.observer)
            ).body.string
            let web = try await WebSession.start(app, as: .observer)
            let dashboard = try await web.send(.GET, "/sensors/dashboard?\(span)", form: [:], app: app).body.string
            // validate
            let telnet = try #require(overview.services.first { $0.key == "tcp/23" })
            let smb = try #require(overview.services.first { $0.key == "tcp/445" })
            #expect(telnet.sourcesEstimated && abs(telnet.sourcesStandardError - 0.0041) < 0.0001)
            #expect(abs(Double(telnet.sources - 70_000)) / 70_000 < 0.0123, "within three standard errors")
            #expect(telnet.sources <= telnet.packets)
            #expect(!smb.sourcesEstimated && smb.sources == 50 && smb.sourcesStandardError == 0)
            #expect(!overview.services.contains { $0.key == "tcp/44444" }, "backscatter is not a port scanned")
            #expect(overview.backscatter.map(\.key) == ["tcp/80"])
            #expect(overview.backscatter.first?.packets == 120 && overview.backscatter.first?.sources == 30)
            #expect(overview.victims.first?.address == "192.0.2.0" && overview.victims.allSatisfy { $0.packets == 4 })
            #expect(overview.sourcesEstimated && overview.days.first?.sourcesEstimated == true)
            #expect(csv.contains("tcp/23,tcp,23,70000,\(telnet.sources),true\r\n"))
            #expect(csv.contains("tcp/445,tcp,445,50,50,false\r\n"))
            #expect(dashboard.contains(">≈\(telnet.sources)<") && dashboard.contains(">50<"))
            #expect(dashboard.contains("id=\"backscatter\"") && dashboard.contains("<code>192.0.2.0</code>"))
        }
    }
}
