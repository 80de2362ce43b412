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

/// The application's clock, or that clock running `CONCORD_DRILL_CLOCK_SPEED` times faster from
/// the server's start.
extension AcceleratedClock: DrillClock {}

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

    /// The drills' clock: `configure` sets the application's clock at `CONCORD_DRILL_CLOCK_SPEED`; tests may
    /// set another.
    var drillClock: any DrillClock {
        get { storage[DrillClockKey.self] ?? AcceleratedClock(base: clock, speed: 1) }
        set { storage[DrillClockKey.self] = newValue }
    }
}
