import Foundation

/// Where one team's assignment of an incident stands; printed as its stored name (`in-progress`).
public enum AssignmentState: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case notified
    case acknowledged
    case inProgress = "in-progress"
    case resolved
    case declined

    /// Whether the team's part is over.
    public var isFinished: Bool { self == .resolved || self == .declined }

    public var description: String { rawValue }
}

/// Why a team declines an assignment.
public enum DeclineReason: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case notOurs = "not-ours"
    case duplicate
    case falsePositive = "false-positive"

    public var description: String { rawValue }
}

/// What happens to an assignment.
public enum AssignmentEvent: Hashable, Sendable {
    /// The team confirms it has the report.
    case acknowledge
    /// The team starts working on it.
    case start
    /// The team's part is done.
    case resolve
    /// The team says it is not theirs to work.
    case decline(DeclineReason)
    /// A resolved assignment turns out not to be done.
    case reopen
    /// The acknowledgement deadline has passed (the scheduler's timer fired).
    case deadlinePassed
}

/// What the caller must do after a transition. The procedure itself does no I/O.
public enum AssignmentAction: Hashable, Sendable {
    /// Write this line on the incident's timeline.
    case recordTimeline(String)
    /// Stop the acknowledgement timer.
    case cancelDeadline
    /// Set a new acknowledgement deadline.
    case scheduleDeadline(Date)
    /// Notify the team again, on its next channel (first escalation step).
    case notifyNextChannel
    /// Alert the secretariat that the team has not acknowledged (second escalation step).
    case alertSecretariat
    /// Tell the reporting team what changed.
    case informReporter
}

/// A transition the procedure does not allow.
public struct IllegalTransition: Error, Equatable, CustomStringConvertible {
    public let state: AssignmentState
    public let event: AssignmentEvent

    public var description: String { "an assignment that is \(state.rawValue) cannot take '\(event)'" }
}

/// One team's assignment as a pure state machine: an event and the time in, the new state and the
/// actions out. notified → acknowledged → in progress → resolved, or declined with a reason; a missed
/// acknowledgement escalates first to the team's next channel, then to the secretariat.
public struct AssignmentProcedure: Hashable, Sendable {
    /// How long the team gets to acknowledge after the first escalation before the secretariat is alerted.
    public static let secondChance: TimeInterval = 3600

    public private(set) var state: AssignmentState
    /// 0: not escalated; 1: re-notified on the next channel; 2: the secretariat alerted.
    public private(set) var escalations: Int

    /// A new assignment, just notified.
    public init() {
        state = .notified
        escalations = 0
    }

    /// Restores a stored assignment.
    public init(state: AssignmentState, escalations: Int) {
        self.state = state
        self.escalations = escalations
    }

    /// Applies `event` at `now`; throws `IllegalTransition` and changes nothing when it is not allowed.
    public mutating func handle(_ event: AssignmentEvent, at now: Date) throws(IllegalTransition) -> [AssignmentAction]
    {
        switch (state, event) {
        case (.notified, .acknowledge):
            state = .acknowledged
            return [.cancelDeadline, .recordTimeline("acknowledged"), .informReporter]
        case (.notified, .deadlinePassed) where escalations == 0:
            escalations = 1
            return [
                .notifyNextChannel, .scheduleDeadline(now.addingTimeInterval(Self.secondChance)),
                .recordTimeline("acknowledgement deadline missed; notified again on the next channel"),
            ]
        case (.notified, .deadlinePassed) where escalations == 1:
            escalations = 2
            return [
                .cancelDeadline, .alertSecretariat,
                .recordTimeline("acknowledgement deadline missed again; secretariat alerted"),
            ]
        case (.notified, .deadlinePassed):
            // Already with the secretariat: a late timer changes nothing.
            return []
        case (.acknowledged, .start):
            state = .inProgress
            return [.recordTimeline("work started")]
        case (.acknowledged, .resolve), (.inProgress, .resolve):
            state = .resolved
            return [.recordTimeline("resolved"), .informReporter]
        case (.notified, .decline(let reason)), (.acknowledged, .decline(let reason)),
            (.inProgress, .decline(let reason)):
            let wasWaiting = state == .notified
            state = .declined
            return (wasWaiting ? [.cancelDeadline] : []) + [
                .recordTimeline("declined: \(reason.rawValue)"), .informReporter,
            ]
        case (.resolved, .reopen):
            state = .inProgress
            return [.recordTimeline("reopened"), .informReporter]
        case (.acknowledged, .deadlinePassed), (.inProgress, .deadlinePassed), (.resolved, .deadlinePassed),
            (.declined, .deadlinePassed):
            // The timer raced an acknowledgement: nothing to do.
            return []
        default:
            throw IllegalTransition(state: state, event: event)
        }
    }
}

/// The incident's own state, which follows from its assignments and the reporter.
public enum IncidentState: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// No team is assigned yet: the secretariat's triage queue.
    case triage
    /// At least one team has not finished.
    case open
    /// Every assigned team has finished.
    case resolved
    /// The reporter closed it.
    case closed

    public var description: String { rawValue }

    /// Derives the state: closed by the reporter wins; then triage, open or resolved.
    public static func of(assignments: [AssignmentState], closedByReporter: Bool) -> IncidentState {
        if closedByReporter { return .closed }
        if assignments.isEmpty { return .triage }
        return assignments.allSatisfy(\.isFinished) ? .resolved : .open
    }
}
