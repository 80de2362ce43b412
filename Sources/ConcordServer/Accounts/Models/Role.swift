/// The roles of `../shared/design/interfaces.md`.
public enum Role: String, CaseIterable, Codable, Sendable {
    /// Runs the platform.
    case forumAdmin = "forum-admin"
    /// Runs the forum: directory, drills, reports.
    case secretariat
    /// Manages one team's profile, users and keys.
    case teamAdmin = "team-admin"
    /// Works the team's incidents and sharing.
    case handler
    /// Reads within the team.
    case observer

    /// Whether the role acts for the whole forum rather than one team.
    var isForumWide: Bool { self == .forumAdmin || self == .secretariat }
}
