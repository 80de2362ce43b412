import Foundation
import NIOConcurrencyHelpers

@testable import ConcordServer

/// A clock that stands at one time (whole seconds, so that times survive JSON unchanged), for tests
/// that assert exact times instead of wall-clock windows.
struct FixedClock: ConcordClock {
    let time: Date

    /// The clock stopped at the current second.
    init(_ time: Date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))) {
        self.time = time
    }

    func now() -> Date { time }
}

/// A clock that stands still until the test moves it.
final class ManualClock: ConcordClock {
    private let current: NIOLockedValueBox<Date>

    init(_ start: Date) { current = NIOLockedValueBox(start) }

    func now() -> Date { current.withLockedValue { $0 } }

    func advance(_ seconds: TimeInterval) { current.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
}
