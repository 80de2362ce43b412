import Foundation

/// A deadline as the pages and the desk say it.
enum DeadlineText {
    /// "1 h 20 min left" or "overdue by 5 min".
    static func timeLeft(until deadline: Date, now: Date) -> String {
        let seconds = Int(deadline.timeIntervalSince(now))
        let minutes = abs(seconds) / 60
        let text =
            minutes >= 1440
            ? "\(minutes / 1440) d \(minutes % 1440 / 60) h"
            : minutes >= 60 ? "\(minutes / 60) h \(minutes % 60) min" : "\(minutes) min"
        return seconds >= 0 ? "\(text) left" : "overdue by \(text)"
    }
}
