import Foundation
import Testing

/// A program some tests run beside Concord: GnuPG and msmtp are what Concord itself runs; tshark and
/// geoiplookup are the peers its capture reader is compared with; the test Python carries the SMTP
/// server (aiosmtpd) mail is delivered to.
///
/// On a machine without one, the tests that need it are skipped with the reason
/// (`.enabled(if: TestTool.gpg.isUsable, TestTool.gpg.reason)`), so `swift test` runs anywhere.
/// `scripts/test` installs every tool and sets `CONCORD_TEST_REQUIRE_TOOLS=1`: there a missing tool
/// is not skipped but fails the tests that need it, so nothing is skipped in CI.
public enum TestTool: String, CaseIterable, Sendable {
    case gpg
    case msmtp
    case tshark
    case geoiplookup
    case python
    /// Headless Chromium (the report's PDF) and poppler's pdftotext and pdffonts (to read it back).
    case chromium

    /// Whether the tests needing the tool run: it is installed, or CI requires every tool.
    public var isUsable: Bool { Self.everyToolRequired || isInstalled }

    /// Whether the program is there to run.
    public var isInstalled: Bool {
        switch self {
        case .python: return Self.testPython != nil
        case .tshark, .geoiplookup: return FileManager.default.isExecutableFile(atPath: "/usr/bin/\(rawValue)")
        case .gpg, .msmtp: return Self.onPath(rawValue)
        case .chromium: return Self.onPath("chromium") && Self.onPath("pdftotext") && Self.onPath("pdffonts")
        }
    }

    /// Why a test is skipped without the tool.
    public var reason: String {
        switch self {
        case .gpg: return "needs GnuPG (gpg on PATH; Debian package gnupg)"
        case .msmtp: return "needs msmtp on PATH (Debian package msmtp)"
        case .tshark: return "compares with tshark (/usr/bin/tshark; Debian package tshark)"
        case .geoiplookup: return "compares with geoiplookup (/usr/bin/geoiplookup; Debian package geoip-bin)"
        case .chromium:
            return
                "prints and reads PDF (chromium, pdftotext and pdffonts on PATH; Debian packages chromium, poppler-utils)"
        case .python:
            return "needs the test Python with aiosmtpd (CONCORD_TEST_PYTHON or .venv-test, made by scripts/test)"
        }
    }

    /// `CONCORD_TEST_REQUIRE_TOOLS=1`: run every test, installed tool or not (scripts/test).
    public static var everyToolRequired: Bool {
        ProcessInfo.processInfo.environment["CONCORD_TEST_REQUIRE_TOOLS"] == "1"
    }

    /// The Python the mail tests start their SMTP server with: `CONCORD_TEST_PYTHON`, else the
    /// repository's `.venv-test`, when it exists.
    public static var testPython: String? {
        if let configured = ProcessInfo.processInfo.environment["CONCORD_TEST_PYTHON"], !configured.isEmpty {
            return FileManager.default.isExecutableFile(atPath: configured) ? configured : nil
        }
        let local = repository.appendingPathComponent(".venv-test/bin/python").path
        return FileManager.default.isExecutableFile(atPath: local) ? local : nil
    }

    /// The repository's root, from this file's path.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private static func onPath(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where `tools` are usable; elsewhere it is skipped, naming what is missing.
    public static func needs(_ tools: TestTool...) -> Self {
        let missing = tools.filter { !$0.isUsable }
        return .enabled(
            if: missing.isEmpty,
            Comment(rawValue: missing.map(\.reason).joined(separator: "; ")))
    }
}
