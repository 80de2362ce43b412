/// Every version of the constitution, each from its effective day: the rules a decision is
/// judged by are those in force on the day it was opened, whatever changed since.
public struct ConstitutionHistory: Sendable {
    /// The versions, oldest first; two never take effect on the same day.
    public let versions: [Constitution]

    /// nil when two versions take effect on the same day or one cannot be applied.
    public init?(_ versions: [Constitution]) {
        let sorted = versions.sorted { $0.effectiveOn < $1.effectiveOn }
        guard sorted.allSatisfy(\.problems.isEmpty),
            Set(sorted.map(\.effectiveOn)).count == sorted.count
        else { return nil }
        self.versions = sorted
    }

    /// The version in force on `day`: the latest one effective on or before it; nil before the first.
    public func inForce(on day: CivilDate) -> Constitution? {
        versions.last { CivilDate($0.effectiveOn).map { $0 <= day } ?? false }
    }
}
