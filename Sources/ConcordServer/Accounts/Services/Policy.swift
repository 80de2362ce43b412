import ConcordCore
import Vapor

/// The one place that decides who may see and change what. Controllers ask it for a yes/no
/// (`require`, `allows`) or to narrow a collection (`visible`); they never filter by hand.
///
/// The TLP 2.0 rules of `ConcordCore.TLPRules` plug in through `Permission.readMarked`, so incidents
/// and shared objects will be judged by the same type.
struct Policy: Sendable {
    /// Something a principal may or may not do.
    enum Permission: Sendable, Equatable {
        /// Read the directory's public data (economies, teams, published contacts, constituencies).
        case readDirectory
        /// Read a team's private data (internal notes, unpublished contacts, users).
        case readTeamPrivate(team: UUID)
        /// Create, rename or delete economies, and configure membership categories and their rights.
        case manageEconomies
        /// Create or delete teams, and change membership, status and the secretariat flag.
        case manageTeams
        /// List the accounts of `team` (every team's when nil): a forum administrator's, or a team
        /// administrator's for their own team.
        case readUsers(team: UUID?)
        /// Invite, change or disable accounts of `team` (every team's when nil), giving `granting`
        /// when it is set: forum-wide roles only by a forum administrator.
        case manageUsers(team: UUID?, granting: Role?)
        /// Edit a team's own profile, contacts and constituency.
        case editTeam(team: UUID)
        /// Read the audit log.
        case readAuditLog
        /// Ask the routing lookup.
        case lookup
        /// Read an item marked with TLP.
        case readMarked(TLPAudience)
        /// Read an incident: see `Policy.allows(_:)`.
        case readIncident(IncidentParties)
        /// Report an incident for the principal's own team.
        case reportIncident
        /// Move a team's assignment along the procedure.
        case workAssignment(team: UUID)
        /// Close an incident the team reported.
        case closeIncident(reporterTeam: UUID)
        /// Comment on, or attach a file to, an incident the principal can read (not observers).
        case contributeToIncident(IncidentParties)
        /// Add or remove responsible teams after the report (the secretariat's re-routing).
        case rerouteIncident
        /// Import a bulk feed, whose events go to every team they concern.
        case importFeed
        /// Read the report of a feed import: the importing team's (nil: imported at the command
        /// line) and the forum-wide roles'.
        case readFeedImport(importingTeam: UUID?)
        /// Read the sensor network's forum-wide views: traffic, ports, economies, surge alerts.
        case readSensorNetwork
        /// List a sharing collection and read from it (each object is then judged by `readMarked`):
        /// the forum's, the principal's team's and groups', and those of the principal's national teams.
        case readCollection(SharingAccess)
        /// Add objects to a sharing collection.
        case writeCollection(SharingAccess)
        /// Delete an object a team shared.
        case deleteShared(ownerTeam: UUID)
        /// Share an incident the team reported as STIX.
        case shareIncident(reporterTeam: UUID)
        /// Create a sharing group (with the principal's own team in it).
        case createSharingGroup
        /// See to whom a team's shared objects were delivered.
        case readDeliveries(team: UUID)
        /// Replace the correlation warninglist of known-benign values.
        case manageWarninglist
        /// Keep the scenario library and plan drills (the secretariat's).
        case manageDrills
        /// Run a drill: pause, resume, release, skip, ad-hoc injects, decisions, every team's times.
        case controlDrill(DrillParties)
        /// See a drill the principal's team takes part in.
        case readDrill(DrillParties)
        /// See every team's times in a drill (exercise control); a playing team sees its own only.
        case readDrillTimes(DrillParties)
        /// Answer injects for the principal's team.
        case respondInDrill(DrillParties)
        /// Answer a communication check's challenges for the principal's team.
        case answerCheck
        /// Open reporting years, accept or return submissions, write the chair's message, build the
        /// report (the forum-wide roles).
        case manageReporting
        /// See every team's submission state for a reporting year (the status board).
        case readReportingBoard
        /// Read a team's submission to the annual report: the team's own, and the forum-wide roles'.
        case readSubmission(team: UUID)
        /// Fill in and submit a team's submission, and map its own categories to RSIT: the team's
        /// handlers and administrators.
        case editSubmission(team: UUID)
        /// Read the forum's constitution, its office holders and their history (every member).
        case readGovernance
        /// Adopt the founding constitution and run the forum's governance (the forum-wide roles).
        case manageGovernance
        /// Convene, open and close general meetings, record motions and check teams in (the
        /// forum-wide roles, the chair's desk).
        case runMeetings
        /// Check a team in, give its proxy, move, second and vote for it at a meeting: the team's
        /// handlers and administrators (its voting representatives).
        case actForTeamInMeeting(team: UUID)
        /// Read a meeting's minutes before they are circulated (the forum-wide roles).
        case readDraftMinutes
        /// Read the public board of a closed election (anyone: tracking codes and choices, no team).
        case readElectionBoard

        /// Whether this permission changes data (tokens then need the `write` scope).
        var isWrite: Bool {
            switch self {
            case .manageEconomies, .manageTeams, .editTeam, .reportIncident, .workAssignment, .closeIncident,
                .contributeToIncident, .rerouteIncident, .importFeed, .writeCollection, .deleteShared,
                .shareIncident, .createSharingGroup, .manageWarninglist, .manageDrills, .controlDrill,
                .respondInDrill, .answerCheck, .manageUsers, .manageReporting, .editSubmission, .manageGovernance,
                .runMeetings, .actForTeamInMeeting:
                return true
            default: return false
            }
        }
    }

    /// The principal; nil when the request is anonymous.
    let principal: Principal?
    /// Whether an anonymous request may read TLP:CLEAR in the forum's collection (TAXII, when
    /// `CONCORD_TAXII_ANONYMOUS` allows it); nothing else is ever open to anonymous requests.
    var anonymousReadsClear = false

    /// Whether the principal may do this.
    func allows(_ permission: Permission) -> Bool {
        guard let principal else {
            return Self.openToEveryone(permission) || (anonymousReadsClear && Self.openToAnyone(permission))
        }
        guard principal.has(permission.isWrite ? .write : .read) else { return false }
        let forumWide = principal.role.isForumWide
        switch permission {
        case .readDirectory, .lookup, .readSensorNetwork, .readGovernance, .readElectionBoard:
            return true
        case .readTeamPrivate(let team):
            return forumWide || principal.teamID == team
        case .manageEconomies, .manageTeams, .readAuditLog, .rerouteIncident, .manageWarninglist, .manageDrills,
            .manageReporting, .readReportingBoard, .manageGovernance, .runMeetings,
            .readDraftMinutes:
            return forumWide
        case .actForTeamInMeeting(let team):
            return principal.teamID == team && (principal.role == .handler || principal.role == .teamAdmin)
        case .readSubmission(let team):
            return forumWide || principal.teamID == team
        case .editSubmission(let team):
            return principal.teamID == team && (principal.role == .handler || principal.role == .teamAdmin)
        case .controlDrill(let parties):
            return forumWide || (parties.control.contains(principal.teamID) && principal.role != .observer)
        case .readDrill(let parties):
            return forumWide || parties.all.contains(principal.teamID)
        case .readDrillTimes(let parties):
            return forumWide || parties.control.contains(principal.teamID)
        case .answerCheck:
            return principal.role == .handler || principal.role == .teamAdmin
        case .respondInDrill(let parties):
            return parties.players.contains(principal.teamID)
                && (principal.role == .handler || principal.role == .teamAdmin)
        case .editTeam(let team):
            return forumWide || (principal.role == .teamAdmin && principal.teamID == team)
        case .readUsers(let team):
            return principal.role == .forumAdmin || (principal.role == .teamAdmin && team == principal.teamID)
        case .manageUsers(let team, let role):
            return principal.role == .forumAdmin
                || (principal.role == .teamAdmin && team == principal.teamID && role?.isForumWide != true)
        case .readMarked(let audience):
            return TLPRules.mayRead(viewer(principal), audience)
        case .readIncident(let parties):
            return mayRead(parties, principal)
        case .contributeToIncident(let parties):
            return (forumWide || principal.role == .handler || principal.role == .teamAdmin)
                && mayRead(parties, principal)
        case .reportIncident:
            return forumWide || principal.role == .handler || principal.role == .teamAdmin
        case .importFeed:
            return forumWide || principal.role == .teamAdmin
        case .readFeedImport(let team):
            return forumWide || (principal.role == .teamAdmin && team != nil && principal.teamID == team)
        case .readCollection(let access):
            // A national team's constituents read its collections too; what they find there is
            // then judged object by object (AMBER reaches them, AMBER+STRICT does not).
            return access.kind == .forum || access.teams.contains(principal.teamID)
                || !access.teams.isDisjoint(with: principal.nationalTeams)
        case .writeCollection(let access):
            return principal.role != .observer && (access.kind == .forum || access.teams.contains(principal.teamID))
        case .deleteShared(let owner), .shareIncident(let owner):
            return forumWide
                || (principal.teamID == owner && (principal.role == .handler || principal.role == .teamAdmin))
        case .createSharingGroup:
            return forumWide || principal.role == .handler || principal.role == .teamAdmin
        case .readDeliveries(let team):
            return principal.teamID == team
        case .workAssignment(let team), .closeIncident(let team):
            return forumWide
                || (principal.teamID == team && (principal.role == .handler || principal.role == .teamAdmin))
        }
    }

    /// What `anonymousReadsClear` opens: the forum's collection, and TLP:CLEAR in it.
    /// What an anonymous request may always do: read a closed election's public board.
    private static func openToEveryone(_ permission: Permission) -> Bool {
        if case .readElectionBoard = permission { return true }
        return false
    }

    private static func openToAnyone(_ permission: Permission) -> Bool {
        switch permission {
        case .readCollection(let access): return access.kind == .forum
        case .readMarked(let audience): return audience.label == .clear
        default: return false
        }
    }

    /// Throws 401 for anonymous requests and 403 when the principal may not do this.
    func require(_ permission: Permission) throws {
        guard principal != nil || Self.openToEveryone(permission) || (anonymousReadsClear && allows(permission)) else {
            throw ConcordError.unauthenticated
        }
        guard allows(permission) else { throw ConcordError.forbidden }
    }

    /// RED: the named people and the author only, whatever their role. Otherwise the reporting and
    /// assigned teams and the forum-wide roles, then whoever the TLP label admits.
    private func mayRead(_ parties: IncidentParties, _ principal: Principal) -> Bool {
        if parties.audience.label == .red { return TLPRules.mayRead(viewer(principal), parties.audience) }
        let party =
            principal.teamID.uuidString == parties.audience.ownerTeam
            || parties.assignedTeams.contains(principal.teamID.uuidString)
        return principal.role.isForumWide || party || TLPRules.mayRead(viewer(principal), parties.audience)
    }

    private func viewer(_ principal: Principal) -> TLPViewer {
        TLPViewer(
            user: principal.userID.uuidString, team: principal.teamID.uuidString, isForumMember: true,
            nationalTeams: Set(principal.nationalTeams.map(\.uuidString)))
    }

    /// The contacts of `team` the principal may see: published ones, and all of them for the team
    /// itself and the forum-wide roles.
    func visible(_ contacts: [Contact], of team: UUID) -> [Contact] {
        guard allows(.readDirectory) else { return [] }
        let seesPrivate = allows(.readTeamPrivate(team: team))
        return contacts.filter { $0.published || seesPrivate }
    }
}

/// Who an incident concerns: its TLP audience (reporting team and person, RED recipients) and the
/// teams assigned to it. Keys are ids as strings, as `TLPRules` takes them.
struct IncidentParties: Sendable, Equatable {
    let audience: TLPAudience
    let assignedTeams: Set<String>
}

extension Request {
    /// The access policy for this request's principal.
    var policy: Policy {
        Policy(
            principal: auth.get(Principal.self),
            anonymousReadsClear: application.concord.taxiiAnonymousReadsClear
                && url.path.hasPrefix("/\(Paths.Sharing.taxii)"))
    }
}

/// Who takes part in a drill, by part: the teams that play, observe and run it.
struct DrillParties: Sendable, Equatable {
    let players: Set<UUID>
    let observers: Set<UUID>
    let control: Set<UUID>

    var all: Set<UUID> { players.union(observers).union(control) }
}
