import Foundation

/// Where a team's submission to a reporting year stands. A team fills it (`draft`) and submits
/// it; the secretariat accepts it or returns it with a comment, and a returned one is edited and
/// submitted again. Parsed strictly: an unknown state is refused, never widened.
public enum SubmissionState: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Nothing saved yet.
    case notStarted = "not-started"
    case draft
    /// Waiting for the secretariat; the team can no longer change it.
    case submitted
    /// Accepted by the secretariat: its figures and text go into the report.
    case accepted
    /// Sent back by the secretariat with a comment: the team edits it again.
    case returned

    /// Something done to a submission.
    public enum Action: String, Sendable, CaseIterable {
        /// The team saves counts or text (a draft).
        case save
        /// The team hands it in.
        case submit
        /// The secretariat takes it for the report.
        case accept
        /// The secretariat sends it back with a comment.
        case `return`
    }

    /// The state after `action`, or nil when the action is not open in this state. An accepted
    /// submission may still be returned (a correction the secretariat asks for); a submitted one is
    /// the secretariat's until it decides.
    public func after(_ action: Action) -> SubmissionState? {
        switch (action, self) {
        case (.save, .notStarted), (.save, .draft), (.save, .returned): return .draft
        case (.submit, .notStarted), (.submit, .draft), (.submit, .returned): return .submitted
        case (.accept, .submitted): return .accepted
        case (.return, .submitted), (.return, .accepted): return .returned
        default: return nil
        }
    }

    /// The states `action` may start from.
    public static func starts(of action: Action) -> [SubmissionState] {
        allCases.filter { $0.after(action) != nil }
    }

    /// Whether the team has handed it in (reminders stop).
    public var isHandedIn: Bool { self == .submitted || self == .accepted }

    /// Whether a submission in this state is late: handed in after `deadline`, or not handed in
    /// and `now` past it.
    public func isLate(submittedAt: Date?, deadline: Date, now: Date) -> Bool {
        if let submittedAt, isHandedIn { return submittedAt > deadline }
        return now > deadline
    }

    /// "not started", as people read it.
    public var description: String { rawValue.replacingOccurrences(of: "-", with: " ") }
}
