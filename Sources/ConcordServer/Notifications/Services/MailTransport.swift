import Foundation

/// Hands a finished message to the mail system.
protocol MailTransport: Sendable {
    /// Sends `message` (RFC 5322, CRLF) from `from` to `recipients`; throws when it was not accepted.
    func send(_ message: String, from: String, to recipients: [String]) async throws
}

/// The sendmail interface: `CONCORD_SENDMAIL` (default `msmtp`) with the message on standard input.
/// msmtp gets the SMTP settings on its command line (`--host` makes it read no configuration
/// file); any other command gets `-i -f FROM -- RECIPIENTS`, as sendmail takes them.
struct SendmailTransport: MailTransport {
    let settings: MailSettings

    func send(_ message: String, from: String, to recipients: [String]) async throws {
        guard let command = settings.sendmail.first else {
            throw ConcordError(.unavailable, "CONCORD_SENDMAIL is empty")
        }
        let output = try await ProcessRunner.run(
            command, arguments: arguments(from: from, to: recipients), input: Data(message.utf8),
            timeLimit: .seconds(60))
        guard output.status == 0 else {
            throw ConcordError(
                .unavailable,
                "\(command) exited with \(output.status): \(output.stderr.split(separator: "\n").first ?? "")")
        }
    }

    /// The arguments after the command itself.
    func arguments(from: String, to recipients: [String]) -> [String] {
        var arguments = Array(settings.sendmail.dropFirst())
        if (settings.sendmail.first as NSString?)?.lastPathComponent == "msmtp" {
            arguments += ["--host=\(settings.smtpHost)", "--port=\(settings.smtpPort)"]
            switch settings.smtpTLS {
            case "on": arguments += ["--tls=on", "--tls-starttls=off"]
            case "off": arguments += ["--tls=off"]
            default: arguments += ["--tls=on", "--tls-starttls=on"]
            }
            if let user = settings.smtpUser {
                arguments += ["--auth=on", "--user=\(user)", "--passwordeval=printenv CONCORD_SMTP_PASSWORD"]
            } else {
                arguments += ["--auth=off"]
            }
            arguments += ["--from=\(from)", "--"]
        } else {
            arguments += ["-i", "-f", from, "--"]
        }
        return arguments + recipients
    }
}
