import Foundation
import NIOConcurrencyHelpers

@testable import ConcordServer

/// A GnuPG that runs nothing: it records what Concord asks of it and answers from a script, so a
/// test can see the arguments Concord passes and what it does when gpg fails. Tests of key handling
/// use the real `gpg` (`LiveGnuPG`).
final class ScriptedGnuPG: GnuPGEngine {
    /// One call: the home directory and the arguments after the batch options.
    struct Call: Sendable, Equatable {
        let home: String
        let arguments: [String]
    }

    private let answer: @Sendable ([String]) -> ProcessRunner.Output
    private let recorded = NIOLockedValueBox<[Call]>([])

    /// `answer` gives the output for a call's arguments.
    init(answer: @escaping @Sendable ([String]) -> ProcessRunner.Output) { self.answer = answer }

    var calls: [Call] { recorded.withLockedValue { $0 } }

    func run(home: String, arguments: [String], input: Data) async throws -> ProcessRunner.Output {
        recorded.withLockedValue { $0.append(Call(home: home, arguments: arguments)) }
        return answer(arguments)
    }
}
