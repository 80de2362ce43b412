import ArgumentParser
import ConcordServer
import Foundation

/// `concord forum-key …`: the OpenPGP key that signs the forum's notifications.
struct ForumKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forum-key", abstract: "Create or show the forum's OpenPGP signing key (in DATA/gnupg).",
        subcommands: [Create.self, Show.self])

    /// `concord forum-key create --name N --email E`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the forum key (Ed25519 signing, Curve25519 encryption) unless one exists.")

        @Option(help: "The key's name, e.g. \"APCERT Secretariat (Concord)\".") var name: String
        @Option(help: "The key's e-mail address: use the notifications' sender.") var email: String

        func run() async throws {
            let (fingerprint, created) = try await ApplicationRunner.withApplication { app in
                try await ForumKeyAdministration.create(name: name, email: email, app: app)
            }
            print(created ? "created forum key \(fingerprint)" : "a forum key exists already: \(fingerprint)")
        }
    }

    /// `concord forum-key show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the forum key's fingerprint and public key.")

        func run() async throws {
            let (fingerprint, key) = try await ApplicationRunner.withApplication(schema: .asIs) { app in
                try await ForumKeyAdministration.show(app: app)
            }
            print("fingerprint: \(fingerprint)\n\(key)")
        }
    }
}
