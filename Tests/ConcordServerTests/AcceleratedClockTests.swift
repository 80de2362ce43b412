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

    @Test func instancesStartedApartKeepOneClockFromASharedAnchor() {
        let anchor = Date(timeIntervalSince1970: 1_796_263_200)
        let wall = ManualClock(anchor)
        wall.advance(5)
        let first = AcceleratedClock(base: wall, speed: 30, anchor: anchor)
        wall.advance(7)  // the second instance starts seven seconds later
        let second = AcceleratedClock(base: wall, speed: 30, anchor: anchor)
        let unanchored = AcceleratedClock(base: wall, speed: 30)
        #expect(first.now() == second.now() && first.now() == anchor.addingTimeInterval(360))
        wall.advance(1)
        #expect(second.now() == first.now() && unanchored.now() == wall.now().addingTimeInterval(-1 + 30))
    }

    @Test func anAnchorAfterNowStopsStartUp() async throws {
        let error = await #expect(throws: ConfigurationError.self) {
            try await withApp(adjust: Self.anchoredInAnHour) { _ in }
        }
        #expect(error?.variable == "CONCORD_CLOCK_ANCHOR")
    }

    private static func anchoredInAnHour(_ configuration: inout ConcordConfiguration) {
        configuration.clockSpeed = 30
        configuration.clockAnchor = Date().addingTimeInterval(3600)
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
