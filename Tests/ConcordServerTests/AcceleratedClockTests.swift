import Foundation
import Testing
import Vapor

@testable import ConcordServer

/// `CONCORD_CLOCK_SPEED`: the application's clock runs faster from the server's start, and the
/// drills' clock runs faster still on top of it.
@Suite struct AcceleratedClockTests {
    @Test func twoWallSecondsAtThirtyTimesAreAMinuteAndTheDrillClockMultiplies() {
        let start = Date(timeIntervalSince1970: 1_796_263_200)
        let wall = ManualClock(start)
        let application = AcceleratedClock(base: wall, speed: 30)
        let drills = AcceleratedClock(base: application, speed: 4)
        #expect(application.now() == start && drills.now() == start)
        wall.advance(2)
        #expect(application.now() == start.addingTimeInterval(60))
        #expect(drills.now() == start.addingTimeInterval(240))
    }

    @Test func atSpeedOneTheClockIsItsBase() {
        let wall = ManualClock(Date(timeIntervalSince1970: 1_796_263_200))
        let clock = AcceleratedClock(base: wall, speed: 1, anchor: Date(timeIntervalSince1970: 0))
        wall.advance(3600)
        #expect(clock.now() == wall.now())
    }

    private static func thirtyTimes(_ configuration: inout ConcordConfiguration) { configuration.clockSpeed = 30 }

    @Test func configureInstallsTheSpeedOnTheApplicationAndTheDrills() async throws {
        try await withApp(adjust: Self.thirtyTimes) { app in
            let application = try #require(app.clock as? AcceleratedClock)
            #expect(application.speed == 30)
            let drills = try #require(app.drillClock as? AcceleratedClock)
            #expect(drills.speed == 1 && (drills.base as? AcceleratedClock)?.speed == 30)
            #expect(app.clock.now().timeIntervalSince(Date()) >= -1)
        }
    }
}
