/// Decides whether one value is a surge against its own history, with statistics that a few
/// outliers in the history cannot move: the median of the baseline and its median absolute
/// deviation (MAD). A value is a surge when all three hold:
/// - it reaches `minimumSources` (a handful of new scanners on a quiet port is not news);
/// - it is at least `factor` times the baseline median (or `factor` when the median is 0);
/// - it lies at least `deviations` robust standard deviations (1.4826 × MAD) above the median,
///   where the deviation is never taken below 1 or a tenth of the median, so that a flat
///   history does not make every small wobble a surge.
/// A history with fewer than `minimumHistory` values is not enough to judge.
public struct SurgeDetector: Sendable, Equatable, Codable {
    public var factor: Double
    public var deviations: Double
    public var minimumSources: Int
    public var minimumHistory: Int

    public init(factor: Double = 3, deviations: Double = 5, minimumSources: Int = 20, minimumHistory: Int = 7) {
        self.factor = factor
        self.deviations = deviations
        self.minimumSources = minimumSources
        self.minimumHistory = minimumHistory
    }

    /// The verdict on `value` against `history` (its earlier values, in any order); nil when the
    /// history is too short.
    public func judge(_ value: Int, history: [Int]) -> SurgeVerdict? {
        guard history.count >= minimumHistory, history.count > 0 else { return nil }
        let median = Self.median(history.map(Double.init))
        let mad = Self.median(history.map { abs(Double($0) - median) })
        let spread = max(1.4826 * mad, median / 10, 1)
        let score = (Double(value) - median) / spread
        let isSurge =
            value >= minimumSources && Double(value) >= factor * max(median, 1) && score >= deviations
        return SurgeVerdict(
            value: value, median: median, mad: mad, score: score, historyCount: history.count, isSurge: isSurge)
    }

    /// The middle value (the mean of the two middle ones for an even count); 0 for none.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// What `SurgeDetector` found for one value: the baseline it was measured against, how far above
/// it the value lies in robust standard deviations, and whether that is a surge.
public struct SurgeVerdict: Sendable, Equatable, Codable {
    public let value: Int
    public let median: Double
    public let mad: Double
    public let score: Double
    public let historyCount: Int
    public let isSurge: Bool
}
