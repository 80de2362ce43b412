import Fluent
import Vapor

/// Password (and TOTP) login for the web, with lock-out: after `lockoutThreshold` failures in a
/// row the account is locked for 15 minutes, and even the right password is refused meanwhile.
/// Every attempt is audited; the password never is.
enum LoginService {
    static let lockout: TimeInterval = 15 * 60

    /// The user, or a `ConcordError` saying (without telling which part was wrong) why not.
    static func authenticate(email: String, password: String, totp: String?, caller: Caller) async throws -> User {
        let normalised = email.trimmingCharacters(in: .whitespaces).lowercased()
        let refused = ConcordError(.unauthenticated, "wrong e-mail, password or code")
        guard let user = try await User.query(on: caller.db).filter(\.$email == normalised).first() else {
            // Spend the same Bcrypt work as a real check, so timing does not tell which accounts exist.
            _ = try? await caller.app.password.async.hash(password)
            // People type passwords into the e-mail field: only a well-formed address is recorded.
            let typed = ContactInput.isEmail(normalised) ? normalised : "(not an e-mail address)"
            try await AuditLog.record(
                "login.failure", targetType: "user", targetID: typed, summary: "unknown e-mail",
                caller: caller, on: caller.db)
            throw refused
        }
        let now = caller.clock.now()
        if let locked = user.lockedUntil, locked > now {
            try await AuditLog.record(
                "login.locked", targetType: "user", targetID: user.email,
                summary: "attempt while locked", caller: caller, on: caller.db)
            throw ConcordError(
                .locked,
                "this account is locked after repeated failed logins; try again after \(ISODate.string(locked)) \(Self.time(locked)) UTC or ask the secretariat"
            )
        }
        let passwordOK = try await caller.app.password.async.verify(password, created: user.passwordHash)
        let totpOK =
            user.totpSecret.flatMap(TOTP.base32Decode).map { TOTP.verify(totp ?? "", secret: $0, now: now) } ?? true
        guard passwordOK, totpOK else {
            user.failedLogins += 1
            var summary = "wrong \(passwordOK ? "second factor" : "password") (\(user.failedLogins) in a row)"
            if user.failedLogins >= caller.app.concord.lockoutThreshold {
                user.lockedUntil = now.addingTimeInterval(lockout)
                user.failedLogins = 0
                summary += "; locked for 15 minutes"
            }
            let auditSummary = summary
            try await caller.db.writeTransaction { db in
                try await user.save(on: db)
                try await AuditLog.record(
                    "login.failure", targetType: "user", targetID: user.email, summary: auditSummary,
                    caller: caller, on: db)
            }
            throw refused
        }
        user.failedLogins = 0
        user.lockedUntil = nil
        try await caller.db.writeTransaction { db in
            try await user.save(on: db)
            try await AuditLog.record(
                "login.success", targetType: "user", targetID: user.email, summary: "logged in",
                caller: caller, on: db)
        }
        return user
    }

    private static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "HH:mm"
        return formatter.string(from: date)
    }
}
