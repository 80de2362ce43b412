import Fluent
import Vapor

/// Accounts administered: listed, invited, given another role, disabled and enabled again. The
/// same for the users page, `/api/v1/users` and `concord user …`. A forum administrator manages
/// every account; a team administrator those of their own team, with team roles only. Nobody
/// changes their own role or disables themselves (another administrator must). An invited account
/// gets a generated password shown once, which its first login must replace. Every change is
/// audited.
enum UserAdministration {
    /// Who acts: a principal through the policy, or the operator at the machine's shell (`concord
    /// user …`, trusted as `concord user create` always was).
    enum Acting: Sendable {
        case caller(Caller)
        case commandLine(Application)

        var db: any Database {
            switch self {
            case .caller(let caller): caller.db
            case .commandLine(let app): app.db
            }
        }

        var app: Application {
            switch self {
            case .caller(let caller): caller.app
            case .commandLine(let app): app
            }
        }

        var principal: Principal? {
            if case .caller(let caller) = self { return caller.principal }
            return nil
        }

        func require(_ permission: Policy.Permission) throws {
            if case .caller(let caller) = self { try caller.policy.require(permission) }
        }

        func audit(_ action: String, _ email: String, _ summary: String, on db: any Database) async throws {
            switch self {
            case .caller(let caller):
                try await AuditLog.record(
                    action, targetType: "user", targetID: email, summary: summary, caller: caller, on: db)
            case .commandLine(let app):
                try await AuditLog.recordSystem(
                    action, actor: "cli", targetType: "user", targetID: email, summary: summary, clock: app.clock,
                    on: db)
            }
        }
    }

    /// One account as its administrators see it (never its password hash or second-factor secret).
    struct Line: Content, Sendable, Equatable {
        let id: UUID
        let email: String
        let displayName: String
        let team: String
        let teamName: String
        let role: String
        let disabled: Bool
        let disabledAt: Date?
        let secondFactor: Bool
        /// Still on the password Concord generated: it has not logged in yet.
        let mustChangePassword: Bool
        let createdAt: Date?

        init(_ user: User, team: Team) throws {
            id = try user.requireID()
            email = user.email
            displayName = user.displayName
            self.team = team.slug
            teamName = team.shortName
            role = user.role.rawValue
            disabled = user.disabledAt != nil
            disabledAt = user.disabledAt
            secondFactor = user.totpSecret != nil
            mustChangePassword = user.mustChangePassword
            createdAt = user.createdAt
        }
    }

    /// A change asked for: nil leaves a field as it is.
    struct Change: Content, Sendable {
        var role: String?
        var disabled: Bool?

        init(role: String? = nil, disabled: Bool? = nil) {
            self.role = role
            self.disabled = disabled
        }
    }

    /// The accounts of the team with this slug, or of every team; sorted by team, then e-mail.
    static func list(teamSlug: String?, acting: Acting) async throws -> [Line] {
        var team: Team?
        if let teamSlug { team = try await DirectoryQueries.team(slug: teamSlug, on: acting.db) }
        let teamID = try team?.requireID() ?? (acting.principal?.role == .forumAdmin ? nil : acting.principal?.teamID)
        try acting.require(.readUsers(team: teamID))
        var query = User.query(on: acting.db).with(\.$team)
        if let teamID { query = query.filter(\.$team.$id == teamID) }
        return try await query.all()
            .sorted { ($0.team.slug, $0.email) < ($1.team.slug, $1.email) }
            .map { try Line($0, team: $0.team) }
    }

    /// A new account in the team with this slug, with a generated password shown once; 409 when the
    /// e-mail has an account already (decided by the table's unique key, so two invitations at once
    /// make one account).
    static func invite(
        email: String, displayName: String?, teamSlug: String, role: String, acting: Acting
    ) async throws -> (account: AccountService.NewAccount, line: Line) {
        let team = try await DirectoryQueries.team(slug: teamSlug, on: acting.db)
        let parsedRole = Role(rawValue: role)
        try acting.require(.manageUsers(team: team.requireID(), granting: parsedRole ?? .observer))
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        var validator = FieldValidator()
        validator.check(ContactInput.isEmail(email), "email", "'\(email)' is not an e-mail address")
        validator.check(
            parsedRole != nil, "role", "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        let name = (displayName ?? "").trimmingCharacters(in: .whitespaces)
        validator.check(name.count <= 200, "displayName", "must be at most 200 characters")
        try validator.throwIfFailed()
        guard let parsedRole else { throw ConcordError.invalid(field: "role", "is required") }
        let password = AccountService.generatePassword()
        let user = User(
            email: email, displayName: name.isEmpty ? email : name, teamID: try team.requireID(), role: parsedRole,
            passwordHash: try await acting.app.password.async.hash(password))
        user.mustChangePassword = true
        do {
            try await acting.db.writeTransaction { db in
                try await user.create(on: db)
                try await acting.audit(
                    "user.create", email, "invited \(email) as \(parsedRole.rawValue) of \(team.slug)", on: db)
                try await Outbox.enqueue(
                    accountNotice: "Concord: an account for you",
                    text: welcome(email, team: team, role: parsedRole, acting),
                    to: email, team: team.requireID(), now: acting.app.clock.now(), on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ConcordError(.conflict, "\(email) has an account already")
        }
        return (AccountService.NewAccount(email: email, password: password), try Line(user, team: team))
    }

    /// The invitation mail: where to log in and that the password comes from whoever invited them
    /// (never in the mail).
    private static func welcome(_ email: String, team: Team, role: Role, _ acting: Acting) -> String {
        """
        An account on Concord, the forum's operations platform, was made for you: \(email), \(role.rawValue) \
        of \(team.shortName).

        Log in at \(acting.app.concord.publicURL)/login with the password the person who invited you \
        gives you (it is not in this mail). At that first login you choose your own password.

        If you did not expect this, tell your team and the forum's secretariat.
        """
    }

    /// Gives the account another role, disables it or enables it again.
    static func update(_ id: UUID?, _ change: Change, acting: Acting) async throws -> Line {
        guard let id, let user = try await User.query(on: acting.db).filter(\.$id == id).with(\.$team).first() else {
            throw ConcordError.notFound("user")
        }
        return try await update(user, change, acting: acting)
    }

    /// As `update(_:_:acting:)`, for the account with this e-mail (the command line's way).
    static func update(email: String, _ change: Change, acting: Acting) async throws -> Line {
        guard
            let user = try await User.query(on: acting.db).filter(\.$email == email.lowercased()).with(\.$team)
                .first()
        else { throw ConcordError.notFound("user '\(email)'") }
        return try await update(user, change, acting: acting)
    }

    private static func update(_ user: User, _ change: Change, acting: Acting) async throws -> Line {
        let role = try change.role.map { text in
            guard let role = Role(rawValue: text) else {
                throw ConcordError.invalid(
                    field: "role", "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return role
        }
        // Managing an account with a forum-wide role is a forum administrator's, like granting one.
        try acting.require(.manageUsers(team: user.$team.id, granting: role ?? user.role))
        if let principal = acting.principal, principal.userID == user.id {
            throw ConcordError(.conflict, "another administrator must change or disable your own account")
        }
        let now = acting.app.clock.now()
        var said: [String] = []
        if let role, role != user.role {
            said.append("role \(user.role.rawValue) → \(role.rawValue)")
            user.role = role
        }
        if let disabled = change.disabled, disabled != (user.disabledAt != nil) {
            said.append(disabled ? "disabled" : "enabled again")
            user.disabledAt = disabled ? now : nil
        }
        guard !said.isEmpty else { return try Line(user, team: user.team) }
        let email = user.email
        let summary = "\(email): \(said.joined(separator: ", "))"
        try await acting.db.writeTransaction { db in
            try await user.save(on: db)
            try await acting.audit("user.update", email, summary, on: db)
        }
        return try Line(user, team: user.team)
    }
}
