import Fluent
import Vapor

/// Loads `DemoForum` into the database. Idempotent: when the forum is already there it only
/// issues the admin a fresh password and token.
public enum DemoLoader {
    /// What `concord demo` prints.
    public struct Credentials: Sendable {
        public let adminEmail: String
        public let adminPassword: String
        public let adminToken: String
        /// Whether this run loaded the forum (false: it was there already).
        public let loaded: Bool
        /// Handler e-mail → password, for this run only (empty when nothing was loaded).
        public let handlerPasswords: [String: String]
        /// Sensor name → upload token of the demo's sensors, for this run only.
        public var sensorTokens: [String: String] = [:]
        /// What the loaded history holds (incidents, the annual report's submissions), a line each.
        public var notes: [String] = []
    }

    public static let adminEmail = "admin@concord.example"

    /// Loads the forum if the database holds no team yet.
    public static func loadIfEmpty(app: Application) async throws -> Credentials? {
        try await Team.query(on: app.db).count() == 0 ? try await load(app: app) : nil
    }

    /// Loads the forum (or refreshes the admin's credentials when it is there).
    public static func load(app: Application) async throws -> Credentials {
        var handlerPasswords: [String: String] = [:]
        var sensorTokens: [String: String] = [:]
        var notes: [String] = []
        let loaded = try await Team.query(on: app.db).filter(\.$slug == DemoForum.secretariatSlug).count() == 0
        if loaded {
            try await insertForum(app: app)
            let forumKey = ForumKey(app.concord, gnupg: app.gnupg)
            if (try? await forumKey.fingerprint()) == nil {
                _ = try await forumKey.create(name: "Concord demo forum", email: "concord@forum.example")
            }
            for seed in DemoForum.teams {
                let account = try await AccountService.createUser(
                    email: "handler@\(domain(of: seed))", teamSlug: seed.slug, role: Role.handler.rawValue,
                    displayName: "\(seed.shortName) duty handler", oneTime: false, app: app)
                handlerPasswords[account.email] = account.password
            }
            _ = try await AccountService.createUser(
                email: adminEmail, teamSlug: DemoForum.secretariatSlug, role: Role.forumAdmin.rawValue,
                displayName: "Forum administrator", app: app)
            sensorTokens = try await DemoSensors.load(now: app.clock.now(), scan: app.concord.surge, on: app.db)
            try await app.db.writeTransaction { db in try await DemoGovernance.load(now: app.clock.now(), on: db) }
            notes = try await DemoHistory.load(app: app)
        }
        guard let admin = try await User.query(on: app.db).filter(\.$email == adminEmail).first() else {
            throw ConcordError.notFound("demo admin \(adminEmail)")
        }
        let password = AccountService.generatePassword()
        admin.passwordHash = try await app.password.async.hash(password)
        admin.mustChangePassword = true  // printed once: the first login chooses the admin's own
        admin.failedLogins = 0
        admin.lockedUntil = nil
        try await admin.save(on: app.db)
        let token = try await AccountService.createToken(
            email: adminEmail, name: "demo \(ISODate.string(app.clock.now()))", scopes: ["read", "write"],
            expiresInDays: 30,
            app: app)
        try await app.routingDirectory.rebuild(on: app.db)
        var credentials = Credentials(
            adminEmail: adminEmail, adminPassword: password, adminToken: token.secret, loaded: loaded,
            handlerPasswords: handlerPasswords)
        credentials.sensorTokens = sensorTokens
        credentials.notes = notes
        return credentials
    }

    static func domain(of seed: DemoForum.TeamSeed) -> String {
        let cc = seed.economyISO.lowercased()
        return seed.national ? "\(cc).example" : "\(seed.slug).\(cc).example"
    }

    private static func insertForum(app: Application) async throws {
        let keys = try await makeKeys(app: app)
        let reader = OpenPGPKeyReader(gnupg: app.gnupg, home: app.concord.gnupgHome)
        var parsed: [String: OpenPGPKeyInfo] = [:]
        for (slug, key) in keys { parsed[slug] = try await reader.read(key, now: app.clock.now()) }
        let keyInfo = parsed
        let today = app.clock.now()
        try await app.db.writeTransaction { db in
            var categories: [String: UUID] = [:]
            for (slug, name, vote, drills) in [
                ("full", "Full member", true, true), ("general", "General member", false, true),
                ("partner", "Partner", false, false),
            ] {
                let category = MembershipCategory(slug: slug, name: name, mayVote: vote, takesPartInDrills: drills)
                try await category.create(on: db)
                categories[slug] = try category.requireID()
            }
            var economies: [String: (id: UUID, index: Int)] = [:]
            for (index, seed) in DemoForum.economies.enumerated() {
                let economy = Economy(name: seed.name, isoCode: seed.iso)
                try await economy.create(on: db)
                economies[seed.iso] = (try economy.requireID(), index)
            }
            var asn = 64496
            var subBlocks: [String: Int] = [:]
            for seed in DemoForum.teams {
                guard let economy = economies[seed.economyISO], let category = categories[seed.category] else {
                    continue
                }
                let domain = domain(of: seed)
                let team = Team()
                team.slug = seed.slug
                team.shortName = seed.shortName
                team.fullName = seed.fullName
                team.hostOrganisation = seed.fullName
                team.$economy.id = economy.id
                team.$category.id = category
                team.status = .active
                team.joinedOn = "2011-09-01"
                team.mayVoteFrom = seed.category == "full" ? "2011-09-01" : nil
                team.website = "https://www.\(domain)/"
                team.businessHours = "Mon-Fri 09:00-18:00"
                team.timeZone = seed.timeZone
                team.teamDescription =
                    "\(seed.fullName), \(seed.national ? "the national CSIRT" : "a member team") of \(DemoForum.economies[economy.index].name)."
                team.isSecretariat = seed.slug == DemoForum.secretariatSlug
                team.internalNotes = "Demo team: contacts and keys are generated; nothing here is real."
                team.rfc2350UpdatedOn = "2026-01-15"
                team.rfc2350Distribution = "https://www.\(domain)/rfc2350.txt"
                team.rfc2350Authenticity = "Signed with the team's OpenPGP key."
                team.rfc2350Constituency =
                    seed.national
                    ? "All networks of \(DemoForum.economies[economy.index].name)."
                    : "The networks of \(seed.fullName)."
                team.rfc2350Sponsorship = "Funded by its host organisation."
                team.rfc2350Authority =
                    seed.national ? "Designated national CSIRT." : "Mandated by its host organisation."
                team.rfc2350Policies =
                    "Information is handled under TLP 2.0; reports are acknowledged within one business day."
                team.rfc2350Services = "Incident response, coordination, alerts and warnings."
                team.rfc2350ReportingForms = "https://www.\(domain)/report"
                try await team.create(on: db)
                let teamID = try team.requireID()
                try await TeamStatusChange(
                    teamID: teamID, status: .active, effectiveOn: "2011-09-01", note: "member since the 2011 list"
                ).create(on: db)

                var constituency: [(ConstituencyEntry.Kind, String)] = [(.domain, domain)]
                if seed.national {
                    constituency += [
                        (.prefix, DemoForum.nationalIPv4Block(economy.index)),
                        (.prefix, DemoForum.nationalIPv6Block(economy.index)),
                        (.economy, economy.id.uuidString),
                    ]
                } else {
                    // A sector team: a /29 and a /48 inside its national team's blocks (overlap on purpose).
                    let sub = (subBlocks[seed.economyISO] ?? 0) + 1
                    subBlocks[seed.economyISO] = sub
                    if let v4 = IPPrefixText.sub(DemoForum.nationalIPv4Block(economy.index), newLength: 29, index: sub),
                        let v6 = IPPrefixText.sub(DemoForum.nationalIPv6Block(economy.index), newLength: 48, index: sub)
                    {
                        constituency += [(.prefix, v4), (.prefix, v6)]
                    }
                }
                if asn <= 64511 {
                    constituency.append((.asn, String(asn)))
                    asn += 1
                }
                for (kind, value) in constituency {
                    try await ConstituencyEntry(teamID: teamID, kind: kind, value: value).create(on: db)
                }

                let verified = ISODate.string(
                    today.addingTimeInterval(seed.slug == "bkis" || seed.slug == "phcert" ? -200 * 86_400 : -7 * 86_400)
                )
                let index = DemoForum.teams.firstIndex { $0.slug == seed.slug } ?? 0
                let contacts: [(Contact.Kind, String, Contact.Availability, Bool)] = [
                    (.phone247, "+999 5550 \(String(format: "%04d", 100 + index))", .always, true),
                    (.emergencyEmail, "cert@\(domain)", .always, true),
                    (.generalEmail, "info@\(domain)", .businessHours, true),
                    (
                        .hotline, "+999 5551 \(String(format: "%04d", 100 + index)) (team-internal bridge)", .always,
                        false
                    ),
                ]
                for (kind, value, availability, published) in contacts {
                    let contact = Contact()
                    contact.$team.id = teamID
                    contact.kind = kind
                    contact.value = value
                    contact.availability = availability
                    contact.published = published
                    contact.lastVerifiedOn = verified
                    if kind == .emergencyEmail, let key = keys[seed.slug] {
                        contact.apply(keyInfo[seed.slug], armored: key)
                    }
                    try await contact.create(on: db)
                }
                if seed.slug == "mocert" {
                    let silent = Contact()
                    silent.$team.id = teamID
                    silent.kind = .emergencyEmail
                    silent.value = DemoForum.silentContact
                    silent.availability = .always
                    silent.published = true
                    silent.lastVerifiedOn = verified
                    try await silent.create(on: db)
                }
            }
            try await AuditLog.recordSystem(
                "demo.load", actor: "cli", targetType: "forum", targetID: nil,
                summary: "loaded the demonstration forum (\(DemoForum.teams.count) teams)", clock: app.clock, on: db)
        }
    }

    /// One key per team: MonCIRT's expired a year ago, TechCERT's expires in 20 days.
    private static func makeKeys(app: Application) async throws -> [String: String] {
        let maker = DemoKeyMaker(gnupg: app.gnupg, now: app.clock.now())
        var keys: [String: String] = [:]
        for seed in DemoForum.teams {
            let (ago, valid): (Int, Int)
            switch seed.slug {
            case DemoForum.expiredKeySlug: (ago, valid) = (730, 365)
            case "techcert": (ago, valid) = (345, 365)
            default: (ago, valid) = (30, 730)
            }
            keys[seed.slug] = try await maker.makeKey(
                name: "\(seed.shortName) (demo key)", email: "cert@\(domain(of: seed))",
                createdDaysAgo: ago, validDays: valid)
        }
        return keys
    }
}
