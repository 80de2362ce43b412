import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The time drills run on. Everything a drill does (releasing injects, deadlines, the times of the
/// players' answers) reads this clock, so that tests and rehearsals can run a day's drill in
/// seconds.
protocol DrillClock: Sendable {
    /// The drill time now.
    func now() -> Date
}

/// The application's clock, or that clock running `speed` times faster from the moment this was
/// made (`CONCORD_DRILL_CLOCK_SPEED`).
struct WallDrillClock: DrillClock {
    let base: any ConcordClock
    let anchor: Date
    let speed: Double

    init(base: any ConcordClock, speed: Double = 1, anchor: Date? = nil) {
        self.base = base
        self.anchor = anchor ?? base.now()
        self.speed = speed
    }

    func now() -> Date {
        let wall = base.now()
        guard speed != 1 else { return wall }
        return anchor.addingTimeInterval(wall.timeIntervalSince(anchor) * speed)
    }
}

/// A clock that stands still until it is moved (tests).
final class ManualDrillClock: DrillClock {
    private let current: NIOLockedValueBox<Date>

    init(_ start: Date) { current = NIOLockedValueBox(start) }

    func now() -> Date { current.withLockedValue { $0 } }

    /// Moves the clock forward.
    func advance(_ seconds: TimeInterval) { current.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
}

extension Application {
    private struct DrillClockKey: StorageKey { typealias Value = any DrillClock }

    /// The drills' clock: `configure` sets the wall clock at `CONCORD_DRILL_CLOCK_SPEED`; tests may
    /// set another.
    var drillClock: any DrillClock {
        get { storage[DrillClockKey.self] ?? WallDrillClock(base: clock) }
        set { storage[DrillClockKey.self] = newValue }
    }
}
