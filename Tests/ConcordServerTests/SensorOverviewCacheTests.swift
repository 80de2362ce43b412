import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The dashboard's aggregation is done once per span until an upload arrives (issue 17 §6): the
/// page and its three charts share one computation, an upload on any instance (a bump of the
/// stored-hours revision) makes the next request see the new hours, and a second application on
/// the same database (another instance) is never served an overview older than the data.
@Suite struct SensorOverviewCacheTests {
    static let hour: Int64 = 1_794_096_000  // 2026-11-08 00:00 UTC

    static func sensor(_ app: Application) async throws -> Sensor {
        let singcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "singcert").first())
        let sensor = Sensor()
        sensor.$team.id = try singcert.requireID()
        sensor.name = "sg-cache"
        sensor.prefix = "203.0.113.0/24"
        sensor.location = "test"
        sensor.tokenHash = TokenService.hash("sensor_cache")
        sensor.createdAt = app.clock.now()
        try await sensor.create(on: app.db)
        return sensor
    }

    static func upload(_ scanners: Range<Int>, hour: Int64, to sensor: Sensor, app: Application) async throws {
        let aggregate = SyntheticScanning.hour(
            hour, scanners: [Service(ipProtocol: 6, port: 23): scanners], packetsPerScanner: 1)
        _ = try await SensorHub.receive(
            SensorUploadPayload(id: UUID(), hours: [aggregate]), from: sensor, at: app.clock.now(), on: app.db)
    }

    @Test func theDashboardAndItsChartsAggregateOnceUntilAnUploadArrives() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let sensor = try await Self.sensor(app)
            try await Self.upload(0..<40, hour: Self.hour, to: sensor, app: app)
            let web = try await WebSession.start(app, as: .observer)
            let span = "days=7&until=2026-11-08"
            for path in [
                "/sensors/dashboard?\(span)", "/sensors/charts/traffic.svg?\(span)",
                "/sensors/charts/sources.svg?\(span)", "/sensors/charts/top-ports.svg?\(span)",
            ] {
                #expect(try await web.send(.GET, path, form: [:], app: app).status == .ok, "\(path)")
            }
            #expect(await app.sensorOverviews.computed == 1, "one aggregation for the page and its charts")

            try await Self.upload(40..<100, hour: Self.hour + 3600, to: sensor, app: app)
            let after = try await app.testing().send(
                .GET, "/api/v1/sensor-network/overview?\(span)", headers: forum.headers(.observer)
            ).content.decode(TrafficOverviewDTO.self)
            #expect(await app.sensorOverviews.computed == 2, "the upload made the cached overview old")
            #expect(after.packets == 100, "the new hour is counted")
        }
    }

    @Test func anotherInstanceSeesAnUploadMadeElsewhere() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let sensor = try await Self.sensor(app)
            try await Self.upload(0..<10, hour: Self.hour, to: sensor, app: app)
            let span = try SensorNetwork.Span.from(days: 1, until: "2026-11-08", now: Date())
            let other = SensorOverviewCache()  // a second instance's cache, on the same database
            #expect(try await other.overview(span, on: app.db).total.packets == 10)
            try await Self.upload(10..<25, hour: Self.hour + 7200, to: sensor, app: app)  // through this instance
            #expect(try await other.overview(span, on: app.db).total.packets == 25)
            #expect(try await other.overview(span, on: app.db).total.packets == 25)
            #expect(await other.computed == 2)
        }
    }

    @Test func emptyTablesSayWhyAndTodayIsMarkedAsSoFar() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let now = Date(timeIntervalSince1970: TimeInterval(Self.hour + 5 * 3600))  // 05:00 on the 8th
            app.clock = FixedClock(now)
            let sensor = try await Self.sensor(app)
            try await Self.upload(0..<10, hour: Self.hour, to: sensor, app: app)  // no GeoIP: no economies
            let web = try await WebSession.start(app, as: .observer)
            let today = try await web.send(.GET, "/sensors/dashboard?days=7", form: [:], app: app).body.string
            #expect(today.contains(#"id="top-economies-empty""#) && today.contains("apt install geoip-database"))
            #expect(!today.contains(#"<table id="top-economies">"#))
            #expect(today.contains(#"<tr class="partial"><td>2026-11-08 <span class="tag""#))
            let chart = try await web.send(.GET, "/sensors/charts/traffic.svg?days=7", form: [:], app: app)
            #expect(chart.body.string.contains("Packets per day, all sensors (11-08 is today: so far)"))
            let past = try await web.send(.GET, "/sensors/dashboard?days=7&until=2026-11-07", form: [:], app: app)
            #expect(!past.body.string.contains(#"class="partial""#), "a past day is whole")
            #expect(past.body.string.contains(#"id="top-ports-empty""#), "no scan before the 8th")
        }
    }

    /// After an upload, only the days whose hours it wrote are read again; the joined overview is the
    /// one a full aggregation gives, on both databases.
    @Test func anUploadRecomputesOnlyTheDaysItWrote() async throws {
        try await withApp { app in
            // setup: five days of hours, aggregated once
            _ = try await TestForum.seed(app)
            let sensor = try await Self.sensor(app)
            let first = Self.hour - 4 * 86_400
            for day in 0..<5 {
                try await Self.upload(
                    (day * 10)..<(day * 10 + 25), hour: first + Int64(day) * 86_400 + 7200, to: sensor, app: app)
            }
            let span = try SensorNetwork.Span.from(days: 7, until: "2026-11-08", now: Date())
            let cache = SensorOverviewCache()
            _ = try await cache.overview(span, on: app.db)
            let daysAtFirst = await cache.daysComputed

            // act: a later hour of the last day, and the same scanners again in an hour of day 2
            try await Self.upload(200..<230, hour: Self.hour + 3 * 3600, to: sensor, app: app)
            try await Self.upload(20..<45, hour: first + 2 * 86_400 + 7200, to: sensor, app: app)
            let cached = try await cache.overview(span, on: app.db)
            let full = try await SensorNetwork.overview(span, on: app.db)

            // validate
            #expect(daysAtFirst == 5, "the two days without hours are not read")
            #expect(await cache.daysComputed == 5 + 2, "only the two days written are read again")
            #expect(cached == full)
            #expect(cached.total.packets == 5 * 25 + 30 + 25)
            #expect(cached.days.map(\.hoursWithData) == [0, 0, 1, 1, 1, 1, 2])
        }
    }

    /// The watch that follows the revisions prepares the dashboard's default span after an upload,
    /// so its next viewer does not pay the aggregation.
    @Test func theRevisionWatchPreparesTheDefaultSpanAfterAnUpload() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            app.clock = FixedClock(Date(timeIntervalSince1970: TimeInterval(Self.hour + 5 * 3600)))
            let sensor = try await Self.sensor(app)
            let watch = RevisionWatch()
            try await watch.check(app)
            let atStart = await app.sensorOverviews.computed

            // act
            try await Self.upload(0..<30, hour: Self.hour + 3600, to: sensor, app: app)
            try await watch.check(app)
            let web = try await WebSession.start(app, as: .observer)
            let page = try await web.send(.GET, "/sensors/dashboard", form: [:], app: app)
            let overview = try await app.testing().send(
                .GET, "/api/v1/sensor-network/overview", headers: forum.headers(.observer)
            ).content.decode(TrafficOverviewDTO.self)

            // validate
            #expect(atStart == 1, "prepared at start-up")
            #expect(page.status == .ok && overview.packets == 30)
            #expect(await app.sensorOverviews.computed == 2, "prepared after the upload, not again for the viewer")
        }
    }
}
