import Foundation
import Vapor

/// Prints an edition's HTML to PDF. The application runs headless Chromium (`ChromiumPrinter`,
/// `CONCORD_CHROMIUM`), started as a process like GnuPG; a test may set another on
/// `app.reportPrinter` to make it fail.
protocol ReportPrinter: Sendable {
    /// The PDF of the HTML document `html`.
    func pdf(html: String) async throws -> Data
}

/// Debian's `chromium`, headless, `--print-to-pdf` of the HTML written to a private temporary
/// directory (removed afterwards). A missing browser is a clear 503 naming the setting.
struct ChromiumPrinter: ReportPrinter {
    let path: String
    var timeLimit: Duration = .seconds(120)

    func pdf(html: String) async throws -> Data {
        let executable: String
        do {
            executable = try ProcessRunner.resolve(path)
        } catch {
            throw ConcordError(
                .unavailable,
                "the PDF needs headless Chromium: '\(path)' was not found (install Debian's chromium, or set CONCORD_CHROMIUM)"
            )
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concord-report-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("report.html")
        let target = directory.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: source)
        let output = try await ProcessRunner.run(
            executable,
            arguments: [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-pdf-header-footer", "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
                "--print-to-pdf=\(target.path)", source.absoluteString,
            ], environment: ["HOME": directory.path], timeLimit: timeLimit)
        guard let pdf = try? Data(contentsOf: target), pdf.starts(with: Data("%PDF".utf8)) else {
            let reason = output.stderr.split(separator: "\n").last.map(String.init) ?? "status \(output.status)"
            throw ConcordError(.unavailable, "Chromium made no PDF (\(reason.prefix(300)))")
        }
        return pdf
    }
}

extension Application {
    private struct ReportPrinterKey: StorageKey { typealias Value = any ReportPrinter }

    /// The printer the annual report's PDF comes from: Chromium at `CONCORD_CHROMIUM` unless a test set another.
    var reportPrinter: any ReportPrinter {
        get { storage[ReportPrinterKey.self] ?? ChromiumPrinter(path: concord.chromiumPath) }
        set { storage[ReportPrinterKey.self] = newValue }
    }
}
