import Foundation
import Vapor

/// Where the application reads the time. `configure` installs the system clock; tests pin one.
protocol ConcordClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's clock.
struct SystemClock: ConcordClock {
    func now() -> Date { Date() }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = any ConcordClock }

    /// The application's clock (the system clock unless a test set another).
    var clock: any ConcordClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }
}
