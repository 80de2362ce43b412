import Fluent
import Vapor

/// Creates accounts and tokens for the command line and the demo loader.
public enum AccountService {
    /// A new account's e-mail and its generated password, shown once.
    public struct NewAccount: Sendable {
        public let email: String
        public let password: String
    }

    /// A new token and its secret, shown once.
    public struct NewToken: Sendable {
        public let name: String
        public let secret: String
    }

    /// Creates a user in the team with this slug and prints nothing; returns the generated password.
    /// With `oneTime` (the default) the first login with it must choose a new password.
    public static func createUser(
        email: String, teamSlug: String, role: String, displayName: String? = nil, oneTime: Bool = true,
        app: Application
    ) async throws -> NewAccount {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard ContactInput.isEmail(email) else {
            throw ConcordError.invalid(field: "email", "'\(email)' is not an e-mail address")
        }
        guard let role = Role(rawValue: role) else {
            throw ConcordError.invalid(
                field: "role", "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let team = try await Team.query(on: app.db).filter(\.$slug == teamSlug).first() else {
            throw ConcordError.notFound("team '\(teamSlug)'")
        }
        if try await User.query(on: app.db).filter(\.$email == email).count() > 0 {
            throw ConcordError(.conflict, "a user with e-mail \(email) exists already")
        }
        let password = generatePassword()
        let hash = try await app.password.async.hash(password)
        let user = User(
            email: email, displayName: displayName ?? email, teamID: try team.requireID(), role: role,
            passwordHash: hash)
        user.mustChangePassword = oneTime
        try await app.db.writeTransaction { db in
            try await user.create(on: db)
            try await AuditLog.recordSystem(
                "user.create", actor: "cli", targetType: "user", targetID: email,
                summary: "created \(email) as \(role.rawValue) of \(team.slug)", clock: app.clock, on: db)
        }
        return NewAccount(email: email, password: password)
    }

    /// Issues a token for the user with this e-mail.
    /// How long a token lives unless its creator says otherwise: a year.
    public static let defaultTokenDays = 365

    /// A token's name, scopes and lifetime checked: 1–100 characters, `read` and/or `write` (both
    /// when none is given), 1–3650 days (a year when not given).
    static func tokenRequest(name: String, scopes: [String], expiresInDays: Int?) throws
        -> (scopes: Set<TokenScope>, days: Int)
    {
        var requested = Set<TokenScope>()
        for scope in scopes.isEmpty ? ["read", "write"] : scopes {
            guard let parsed = TokenScope(rawValue: scope) else {
                throw ConcordError.invalid(field: "scope", "'\(scope)' is not a scope (read, write)")
            }
            requested.insert(parsed)
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 100 else {
            throw ConcordError.invalid(field: "name", "must be 1–100 characters")
        }
        guard (1...3650).contains(expiresInDays ?? defaultTokenDays) else {
            throw ConcordError.invalid(field: "expires-in-days", "must be 1 to 3650 days")
        }
        return (requested, expiresInDays ?? defaultTokenDays)
    }

    public static func createToken(
        email: String, name: String, scopes: [String], expiresInDays: Int?,
        app: Application
    ) async throws -> NewToken {
        guard let user = try await User.query(on: app.db).filter(\.$email == email.lowercased()).first() else {
            throw ConcordError.notFound("user '\(email)'")
        }
        let (scopeSet, days) = try tokenRequest(name: name, scopes: scopes, expiresInDays: expiresInDays)
        let expiry = app.clock.now().addingTimeInterval(Double(days) * 86_400)
        let issued = try await app.db.writeTransaction { db in
            let issued = try await TokenService.issue(
                for: user, name: name, scopes: scopeSet, expiresAt: expiry, on: db)
            try await AuditLog.recordSystem(
                "token.create", actor: "cli", targetType: "user", targetID: user.email,
                summary:
                    "token '\(name)' (\(scopeSet.map(\.rawValue).sorted().joined(separator: ","))) for \(user.email)",
                clock: app.clock, on: db)
            return issued
        }
        return NewToken(name: name, secret: issued.secret)
    }

    /// Gives the user a new TOTP secret and returns the `otpauth://` URI to load into an
    /// authenticator app. From then on, web logins need the code.
    public static func enableTOTP(email: String, app: Application) async throws -> String {
        guard let user = try await User.query(on: app.db).filter(\.$email == email.lowercased()).first() else {
            throw ConcordError.notFound("user '\(email)'")
        }
        let secret = SecondFactor.newSecret()
        user.totpSecret = secret
        try await app.db.writeTransaction { db in
            try await user.save(on: db)
            try await AuditLog.recordSystem(
                "user.totp", actor: "cli", targetType: "user", targetID: user.email,
                summary: "second factor enabled for \(user.email)", clock: app.clock, on: db)
        }
        return SecondFactor.uri(email: user.email, secret: secret)
    }

    /// The shortest password a person may choose.
    static let minimumPasswordLength = 12

    /// Replaces the caller's password after checking the current one; a generated (one-time)
    /// password is thereby retired. The new one must be at least 12 characters and differ from it.
    static func changePassword(current: String, new: String, caller: Caller) async throws {
        let principal = try caller.requirePrincipal()
        guard let user = try await User.find(principal.userID, on: caller.db) else {
            throw ConcordError.unauthenticated
        }
        // A wrong current password counts as a failed login: a taken-over session cannot try
        // passwords here faster than at the login form.
        let now = caller.clock.now()
        let keys = LoginThrottle.keys(address: caller.actor.remoteAddress, email: user.email)
        if let until = try await LoginThrottle.waits(keys, now: now, on: caller.db).values.max() {
            throw LoginService.throttled(until: until, now: now)
        }
        guard try await caller.app.password.async.verify(current, created: user.passwordHash) else {
            try await LoginThrottle.recordFailure(
                keys, accountThreshold: caller.app.concord.lockoutThreshold, now: now, on: caller.db)
            throw ConcordError.invalid(field: "current", "that is not your current password")
        }
        var validator = FieldValidator()
        validator.check(
            new.count >= minimumPasswordLength, "new", "must be at least \(minimumPasswordLength) characters")
        validator.check(new != current, "new", "must differ from the current password")
        try validator.throwIfFailed()
        let hash = try await caller.app.password.async.hash(new)
        try await caller.db.writeTransaction { db in
            user.passwordHash = hash
            user.mustChangePassword = false
            try await user.save(on: db)
            try await AuditLog.record(
                "user.password", targetType: "user", targetID: user.email,
                summary: "\(user.email) chose a new password",
                caller: caller, on: db)
        }
    }

    /// 18 random bytes as base64url: 24 characters, 144 bits.
    static func generatePassword() -> String {
        Data([UInt8].random(count: 18)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}

extension AccountService {
    /// `concord user list`: the accounts (of one team), a line each.
    public static func listUsers(teamSlug: String?, app: Application) async throws -> String {
        let lines = try await UserAdministration.list(teamSlug: teamSlug, acting: .commandLine(app))
        return lines.map { line in
            let state =
                line.disabled ? "disabled" : line.mustChangePassword ? "invited, not logged in yet" : "active"
            let factor = line.secondFactor ? ", second factor" : ""
            return "\(line.email)\t\(line.team)\t\(line.role)\t\(state)\(factor)"
        }.joined(separator: "\n")
    }

    /// `concord user set`: another role, disabled or enabled again; returns what the account is now.
    public static func updateUser(email: String, role: String?, disabled: Bool?, app: Application) async throws
        -> String
    {
        let line = try await UserAdministration.update(
            email: email, .init(role: role, disabled: disabled), acting: .commandLine(app))
        return "\(line.email): \(line.role) of \(line.team), \(line.disabled ? "disabled" : "may log in")"
    }
}
