import Foundation

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
