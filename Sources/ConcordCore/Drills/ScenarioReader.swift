import Foundation
import Yams

/// One thing wrong with a scenario file, where it is (1-based line and column) and which field.
public struct ScenarioProblem: Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    /// The field, as `injects[2].expect.within`; empty for the file as a whole.
    public let field: String
    public let message: String

    /// `12:5: injects[1].at: must be a duration like 30m or 1h30m`.
    public var description: String { "\(line):\(column): \(field.isEmpty ? "" : field + ": ")\(message)" }
}

/// Every problem of a scenario file, in the order of the file.
public struct ScenarioProblems: Error, Sendable, Equatable {
    public let problems: [ScenarioProblem]
}

/// Reads a drill scenario from YAML (or JSON, which YAML includes) and checks every field, so
/// that a file is either a whole valid `DrillScenario` or the list of all its problems with their
/// lines. The format is documented in `docs/drill-scenarios.md`.
public enum ScenarioReader {
    /// The format version this reader understands (`concord-scenario: 1`).
    public static let formatVersion = 1
    /// The longest drill a scenario may describe.
    public static let longestDrill = 7 * 86_400

    /// Reads `text`; `attachmentExists` says whether a file named in `attachments` (relative to
    /// the scenario's folder) is there.
    public static func read(_ text: String, attachmentExists: @escaping (String) -> Bool = { _ in true })
        -> Result<DrillScenario, ScenarioProblems>
    {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return .failure(ScenarioProblems(problems: [syntaxProblem(error)]))
        } catch {
            return .failure(
                ScenarioProblems(problems: [ScenarioProblem(line: 1, column: 1, field: "", message: "\(error)")]))
        }
        guard let root else {
            return .failure(
                ScenarioProblems(problems: [
                    ScenarioProblem(line: 1, column: 1, field: "", message: "the file is empty")
                ]))
        }
        let checker = ScenarioChecker(attachmentExists: attachmentExists)
        let scenario = checker.scenario(root)
        if let scenario, checker.problems.isEmpty { return .success(scenario) }
        let sorted = checker.problems.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }
        return .failure(ScenarioProblems(problems: sorted.map { $0.element }))
    }

    private static func syntaxProblem(_ error: YamlError) -> ScenarioProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ScenarioProblem(
                line: mark.line, column: mark.column, field: "", message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // The mark is the first of the duplicated keys.
            return ScenarioProblem(
                line: context.mark.line, column: context.mark.column, field: duplicates.joined(separator: ", "),
                message: "appears more than once in the same mapping")
        default:
            return ScenarioProblem(line: 1, column: 1, field: "", message: "not valid YAML: \(error)")
        }
    }
}
