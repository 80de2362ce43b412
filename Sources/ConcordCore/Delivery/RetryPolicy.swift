import Foundation

/// When a failed delivery is tried again: exponential back-off from `first`, doubling up to
/// `ceiling`, and given up after `maxAttempts`.
public struct RetryPolicy: Hashable, Sendable {
    public var first: TimeInterval
    public var ceiling: TimeInterval
    public var maxAttempts: Int

    /// 30 s, 1 min, 2 min … capped at an hour; twelve attempts span about six hours.
    public static let standard = RetryPolicy(first: 30, ceiling: 3600, maxAttempts: 12)

    public init(first: TimeInterval, ceiling: TimeInterval, maxAttempts: Int) {
        self.first = first
        self.ceiling = ceiling
        self.maxAttempts = maxAttempts
    }

    /// When to try again after `attempts` failed tries (1 or more), or nil when it is time to give up.
    public func nextAttempt(after attempts: Int, failedAt now: Date) -> Date? {
        guard attempts < maxAttempts else { return nil }
        let exponent = Double(max(attempts - 1, 0))
        return now.addingTimeInterval(min(first * pow(2, exponent), ceiling))
    }
}
