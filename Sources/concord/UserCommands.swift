import ArgumentParser
import ConcordCore
import ConcordServer

/// `concord user …`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage user accounts.",
        subcommands: [Create.self, List.self, SetCommand.self, TOTPCommand.self])

    /// `concord user create --email E --team SLUG --role ROLE`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user and print a generated password once.")

        @Option(help: "The user's e-mail address.") var email: String
        @Option(help: "The slug of the user's team.") var team: String
        @Option(help: "forum-admin, secretariat, team-admin, handler or observer.") var role: String

        func run() async throws {
            let account = try await ApplicationRunner.withApplication { app in
                try await AccountService.createUser(email: email, teamSlug: team, role: role, app: app)
            }
            print("created \(account.email)\npassword (shown once): \(account.password)")
        }
    }
}

extension UserCommand {
    /// `concord user list [--team SLUG]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the accounts: e-mail, team, role and state, a line each (tab-separated).")

        @Option(help: "Only this team's accounts (its slug).") var team: String?

        func run() async throws {
            let text = try await ApplicationRunner.withApplication { app in
                try await AccountService.listUsers(teamSlug: team, app: app)
            }
            print(text)
        }
    }

    /// `concord user set --email E [--role ROLE] [--disable | --enable]`.
    struct SetCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract:
                "Give an account another role, or disable it (its logins, sessions, API tokens and TAXII password stop) or enable it again."
        )

        @Option(help: "The account's e-mail address.") var email: String
        @Option(help: "forum-admin, secretariat, team-admin, handler or observer.") var role: String?
        @Flag(help: "Disable the account.") var disable = false
        @Flag(help: "Enable a disabled account again.") var enable = false

        func validate() throws {
            guard !(disable && enable) else { throw ValidationError("give --disable or --enable, not both") }
            guard role != nil || disable || enable else {
                throw ValidationError("say what to change: --role, --disable or --enable")
            }
        }

        func run() async throws {
            let disabled: Bool? = disable ? true : enable ? false : nil
            let text = try await ApplicationRunner.withApplication { app in
                try await AccountService.updateUser(email: email, role: role, disabled: disabled, app: app)
            }
            print(text)
        }
    }

    /// `concord user totp --email E`: turns on the second factor for web logins.
    struct TOTPCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "totp",
            abstract:
                "Give a user a new TOTP secret (RFC 6238) and print the otpauth:// URI for an authenticator app, once.")

        @Option(help: "The user's e-mail address.") var email: String

        func run() async throws {
            let uri = try await ApplicationRunner.withApplication { app in
                try await AccountService.enableTOTP(email: email, app: app)
            }
            print(uri)
        }
    }
}

/// `concord token …`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])

    /// `concord token create --email E --name NAME [--scope …]`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token and print it once; only its hash is stored.")

        @Option(help: "The e-mail of the token's user.") var email: String
        @Option(help: "A name to recognise the token by.") var name: String
        @Option(parsing: .upToNextOption, help: "Scopes: read, write (default both).") var scope: [String] = []
        @Option(help: "Days until the token expires, 1 to 3650 (default: 365).") var expiresInDays: Int?

        func run() async throws {
            let token = try await ApplicationRunner.withApplication { app in
                try await AccountService.createToken(
                    email: email, name: name, scopes: scope, expiresInDays: expiresInDays, app: app)
            }
            print(token.secret)
        }
    }
}

/// `concord lookup VALUE`: which team is responsible for an IP address, AS number or domain.
struct Lookup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the team(s) responsible for an IP address, AS number or domain, with the reason and 24/7 PoC.")

    @Argument(help: "An IPv4/IPv6 address, AS number (AS64496) or domain.") var value: String
    @Option(help: "The economy (ISO code) to fall back to when nothing matches.") var economy: String?
    @Flag(help: "Print the JSON the API answers.") var json = false

    func run() async throws {
        // A value that is no query is refused before the database is opened.
        guard RoutingQuery(value) != nil else { throw CommandFailure(description: RoutingQuery.refusal(value)) }
        let text = try await ApplicationRunner.withApplication { app in
            try await LookupReport.render(value, economy: economy, json: json, app: app)
        }
        print(text)
    }
}
