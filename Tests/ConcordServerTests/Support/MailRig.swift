import ConcordTestTools
import Foundation
import Testing
import Vapor

@testable import ConcordServer

/// A real SMTP server on loopback (aiosmtpd, `Tests/support/smtp_sink.py`) that keeps every
/// message byte for byte, for msmtp to deliver to.
final class SMTPSink: Sendable {
    let directory: String
    let port: Int
    private let process: Process

    /// The repository's root, from this file's path.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The Python with aiosmtpd: `CONCORD_TEST_PYTHON`, else `.venv-test` (made by scripts/test).
    static var python: String {
        TestTool.testPython ?? repository.appendingPathComponent(".venv-test/bin/python").path
    }

    /// `hold` is how long the server holds each message before accepting it (a slow server).
    init(hold: Double = 0) async throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("concord-smtp-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = try freeLoopbackPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [
            Self.repository.appendingPathComponent("Tests/support/smtp_sink.py").path, directory, String(port),
            String(hold),
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let ready = output.fileHandleForReading.availableDataLine()
        guard ready == "ready" else {
            process.terminate()
            throw ConcordError(
                .unavailable, "the SMTP sink did not start (\(Self.python) needs aiosmtpd: run scripts/test once)")
        }
    }

    /// The messages received so far, oldest first.
    func messages() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".eml") }.sorted()
            .map { try String(contentsOfFile: "\(directory)/\($0)", encoding: .utf8) }
    }

    /// Waits up to five seconds for `count` messages (msmtp returns once the server said 250,
    /// which is after the file is written, so this rarely waits).
    func waitFor(_ count: Int) async throws -> [String] {
        for _ in 0..<50 {
            let received = try messages()
            if received.count >= count { return received }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try messages()
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension FileHandle {
    /// Reads up to the first newline (blocking), without the newline.
    func availableDataLine() -> String {
        var bytes = Data()
        while true {
            let byte = readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A loopback port nobody listens on right now.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw ConcordError(.unavailable, "no free loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A member's own OpenPGP key pair in its own GnuPG home, as a team keeps it: to decrypt what
/// Concord sends and to check the forum's signature.
struct RecipientKeyring {
    let home: String
    let publicKey: String

    static func make(_ email: String) async throws -> RecipientKeyring {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("concord-rcpt-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let made = try await LiveGnuPG(path: "gpg").run(
            home: home,
            arguments: [
                "--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key", "Duty desk <\(email)>",
                "future-default", "default", "1y",
            ])
        try #require(made.status == 0, "gpg: \(made.stderr)")
        let exported = try await LiveGnuPG(path: "gpg").run(home: home, arguments: ["--armor", "--export", email])
        return RecipientKeyring(home: home, publicKey: exported.stdout)
    }

    /// Imports the forum's public key, so that signatures can be checked.
    func trust(_ armored: String) async throws {
        let imported = try await LiveGnuPG(path: "gpg").run(
            home: home, arguments: ["--import"], input: Data(armored.utf8))
        try #require(imported.status == 0, "gpg --import: \(imported.stderr)")
    }

    /// Decrypts an armoured OpenPGP message: the GnuPG status lines and the plaintext.
    func decrypt(_ armored: String) async throws -> (status: String, plaintext: String) {
        let run = try await LiveGnuPG(path: "gpg").run(
            home: home, arguments: ["--status-fd", "2", "--decrypt"], input: Data(armored.utf8))
        return (run.stderr, run.stdout)
    }

    /// Checks a detached signature over `data`: the GnuPG status lines.
    func verify(signature: String, data: Data) async throws -> String {
        let folder = URL(fileURLWithPath: home)
        try Data(signature.utf8).write(to: folder.appendingPathComponent("sig.asc"))
        try data.write(to: folder.appendingPathComponent("signed.txt"))
        let run = try await LiveGnuPG(path: "gpg").run(
            home: home,
            arguments: [
                "--status-fd", "1", "--verify", folder.appendingPathComponent("sig.asc").path,
                folder.appendingPathComponent("signed.txt").path,
            ])
        return run.stdout
    }

    func remove() async {
        _ = try? await ProcessRunner.run("gpgconf", arguments: ["--homedir", home, "--kill", "all"])
        try? FileManager.default.removeItem(atPath: home)
    }
}

/// Points the application's mail at an `SMTPSink` through the real msmtp, with a forum key.
enum MailRig {
    static let from = "Concord Test <concord@forum.test>"

    /// Creates the forum key and configures msmtp for `sink`; returns the forum key's public half.
    @discardableResult
    static func configure(_ app: Application, sink: SMTPSink) async throws -> (fingerprint: String, publicKey: String) {
        let key = ForumKey(app.concord, gnupg: app.gnupg)
        let fingerprint = try await key.create(name: "Concord test forum", email: "concord@forum.test")
        var configuration = app.concord
        configuration.publicURL = "http://concord.test"
        configuration.mail.from = from
        configuration.mail.sendmail = ["msmtp"]
        configuration.mail.smtpHost = "127.0.0.1"
        configuration.mail.smtpPort = sink.port
        configuration.mail.smtpTLS = "off"
        app.concord = configuration
        return (fingerprint, try await key.publicKey())
    }
}

/// Reads the parts of a received message.
enum ReceivedMail {
    /// The value of header `name` (unfolded), from the message's header block.
    static func header(_ name: String, in message: String) -> String? {
        let head = message.components(separatedBy: "\r\n\r\n").first ?? ""
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
        for line in unfolded.components(separatedBy: "\r\n") where line.lowercased().hasPrefix(name.lowercased() + ":")
        {
            return line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// The first ASCII-armoured block of `kind` ("PGP MESSAGE", "PGP SIGNATURE").
    static func armored(_ kind: String, in text: String) -> String? {
        guard let start = text.range(of: "-----BEGIN \(kind)-----"),
            let end = text.range(of: "-----END \(kind)-----", range: start.upperBound..<text.endIndex)
        else { return nil }
        return String(text[start.lowerBound..<end.upperBound]).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// The boundary parameter of the top-level Content-Type.
    static func boundary(of message: String) -> String? {
        guard let type = header("Content-Type", in: message), let range = type.range(of: "boundary=\"") else {
            return nil
        }
        return String(type[range.upperBound...].prefix { $0 != "\"" })
    }

    /// The bytes of the first body part of a multipart message, between its first two delimiters.
    static func firstPart(of message: String, boundary: String) -> String? {
        let bytes = Array(message.utf8)
        guard let open = find(Array("--\(boundary)\r\n".utf8), in: bytes, from: 0),
            let close = find(Array("\r\n--\(boundary)".utf8), in: bytes, from: open.upperBound)
        else { return nil }
        return String(decoding: bytes[open.upperBound..<close.lowerBound], as: UTF8.self)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index..<index + needle.count }
            index += 1
        }
        return nil
    }

    /// The body of a text/plain entity, decoded from base64 when it says so.
    static func text(ofEntity entity: String) -> String {
        let parts = entity.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        let head = parts.first ?? ""
        let body = parts.dropFirst().joined(separator: "\n\n")
        if head.contains("Content-Transfer-Encoding: base64") {
            return String(
                decoding: Data(base64Encoded: body.replacingOccurrences(of: "\n", with: "")) ?? Data(), as: UTF8.self
            ).replacingOccurrences(of: "\r\n", with: "\n")
        }
        return body
    }
}
