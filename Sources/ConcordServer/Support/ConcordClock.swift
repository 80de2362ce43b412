import Foundation
import Vapor

/// Where the application reads the time. `configure` installs the system clock (or, for tests and
/// rehearsals, an accelerated one); tests pin one.
protocol ConcordClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's clock.
struct SystemClock: ConcordClock {
    func now() -> Date { Date() }
}

/// Another clock running `speed` times faster from `anchor` on: the application's clock under
/// `CONCORD_CLOCK_SPEED` (deadlines and check windows pass in seconds), and the drills' clock on top
/// of it under `CONCORD_DRILL_CLOCK_SPEED`. The time before `anchor` is untouched.
struct AcceleratedClock: ConcordClock {
    let base: any ConcordClock
    let anchor: Date
    let speed: Double

    init(base: any ConcordClock, speed: Double, anchor: Date? = nil) {
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

extension Application {
    private struct ClockKey: StorageKey { typealias Value = any ConcordClock }

    /// The application's clock (the system clock unless a test set another).
    var clock: any ConcordClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }
}
