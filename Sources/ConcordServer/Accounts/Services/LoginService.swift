import Fluent
import SQLKit
import Vapor

/// Password (and TOTP) login for the web. Failed logins slow down the address, the (address,
/// account) pair and the account they came from with growing delays (`LoginThrottle`), never lock
/// anything: API tokens, TAXII clients and open sessions keep working whatever anyone types. A
/// waiting account's owner is mailed and lifts the wait by logging in with the second factor. The
/// answers do not tell unknown accounts from real ones. Every attempt is audited; the password
/// never is.
enum LoginService {
    /// The user, or a `ConcordError` saying (without telling which part was wrong) why not.
    static func authenticate(email: String, password: String, totp: String?, caller: Caller) async throws -> User {
        let normalised = email.trimmingCharacters(in: .whitespaces).lowercased()
        let now = caller.clock.now()
        let keys = LoginThrottle.keys(address: caller.actor.remoteAddress, email: normalised)
        let threshold = caller.app.concord.lockoutThreshold
        let waits = try await LoginThrottle.waits(keys, now: now, on: caller.db)
        // From this address, or this address for this account: refused before any password work.
        if let until = [waits[.address], waits[.pair]].compactMap({ $0 }).max() {
            try await audit("login.throttled", normalised, "attempt while this address waits", caller: caller)
            throw throttled(until: until, now: now)
        }
        let user = try await User.query(on: caller.db).filter(\.$email == normalised).first()
        guard let user else {
            // Spend the same Bcrypt work as a real check, so timing does not tell which accounts exist.
            _ = try? await caller.app.password.async.hash(password)
            try await LoginThrottle.recordFailure(keys, accountThreshold: threshold, now: now, on: caller.db)
            try await audit("login.failure", normalised, "unknown e-mail", caller: caller)
            if let until = waits[.account] { throw throttled(until: until, now: now) }
            throw refused
        }
        let passwordOK = try await caller.app.password.async.verify(password, created: user.passwordHash)
        let secret = user.totpSecret.flatMap(TOTP.base32Decode)
        let step = secret.flatMap { TOTP.matchingStep(totp ?? "", secret: $0, now: now) }
        let totpOK = secret == nil || step.map { $0 > (user.totpLastStep ?? -1) } == true
        // A waiting account opens only to the password with a second factor, which lifts the wait.
        if let until = waits[.account], !(passwordOK && totpOK && secret != nil) {
            try await LoginThrottle.recordFailure(keys, accountThreshold: threshold, now: now, on: caller.db)
            try await audit("login.throttled", user.email, "attempt while the account waits", caller: caller)
            throw throttled(until: until, now: now)
        }
        guard passwordOK, totpOK else {
            let after = try await LoginThrottle.recordFailure(
                keys, accountThreshold: threshold, now: now, on: caller.db)
            let wrong = passwordOK ? (step == nil ? "second factor" : "second factor (a code used before)") : "password"
            try await audit("login.failure", user.email, "wrong \(wrong)", caller: caller)
            // The owner hears when the account's wait begins, not at every failure after it.
            if after.began.contains(.account), let until = after.waits[.account] {
                try await noticeWait(of: user, until: until, caller: caller)
            }
            throw refused
        }
        // Said only to whoever knows the password: a guesser learns nothing from it.
        guard user.disabledAt == nil else {
            try await audit("login.disabled", user.email, "right password for a disabled account", caller: caller)
            throw ConcordError(.unauthenticated, "this account is disabled; ask your team's administrator")
        }
        try await accept(user, step: step, keys: keys, caller: caller)
        return user
    }

    /// A right password and code: the code's step is taken (only once, even by two logins at the
    /// same moment), and the account's and this pair's failures are forgotten.
    private static func accept(_ user: User, step: Int64?, keys: [LoginThrottle.Scope: String], caller: Caller)
        async throws
    {
        let id = try user.requireID()
        let email = user.email
        try await caller.db.writeTransaction { db in
            if let step, let sql = db as? any SQLDatabase {
                let taken = try await sql.raw(
                    """
                    UPDATE \(ident: User.schema) SET totp_last_step = \(bind: step)
                    WHERE id = \(bind: id) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step))
                    RETURNING id
                    """
                ).all()
                guard !taken.isEmpty else { throw refused }
            }
            try await LoginThrottle.clear(keys, scopes: [.pair, .account], on: db)
            try await AuditLog.record(
                "login.success", targetType: "user", targetID: email, summary: "logged in", caller: caller, on: db)
        }
        user.totpLastStep = step ?? user.totpLastStep
    }

    /// Mails the owner of an account whose password logins now wait (once per wait: the failure
    /// that began it), saying how to lift it.
    private static func noticeWait(of user: User, until: Date, caller: Caller) async throws {
        let text = """
            Concord: failed logins for \(user.email) passed \(caller.app.concord.lockoutThreshold) in a row, so password \
            logins for this account now wait a little longer after each failure (until \(ISODate.string(until)) \
            \(time(until)) UTC for the next one).

            Your API tokens, TAXII clients and open sessions are not affected. If this was you, \
            log in with your second factor to lift the wait at once. If it was not, someone is guessing \
            your password: tell your team and the forum's secretariat.
            """
        let teamID = user.$team.id
        try await caller.db.writeTransaction { db in
            try await Outbox.enqueue(
                accountNotice: "Concord: failed logins for your account", text: text, to: user.email, team: teamID,
                now: caller.clock.now(), on: db)
            try await AuditLog.record(
                "login.wait", targetType: "user", targetID: user.email,
                summary: "password logins wait after repeated failures; the owner was mailed", caller: caller, on: db)
        }
    }

    private static let refused = ConcordError(.unauthenticated, "wrong e-mail, password or code")

    /// The one answer while a scope waits, for real and unknown accounts alike.
    static func throttled(until: Date, now: Date) -> ConcordError {
        var error = ConcordError(
            .throttled,
            "too many failed logins from here or for this account; try again in a moment (an account's owner can log in with the second factor at once)"
        )
        error.retryAfter = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        return error
    }

    private static func audit(_ action: String, _ email: String, _ summary: String, caller: Caller) async throws {
        // People type passwords into the e-mail field: only a well-formed address is recorded.
        let typed = ContactInput.isEmail(email) ? email : "(not an e-mail address)"
        try await AuditLog.record(
            action, targetType: "user", targetID: typed, summary: summary, caller: caller, on: caller.db)
    }

    private static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: date)
    }
}
