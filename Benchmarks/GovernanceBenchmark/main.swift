import ConcordCore
import Foundation

// The STV count's benchmark (issue 19 §7): N ranked ballots for S seats among C candidates, drawn
// with a seed (candidates of unequal popularity, rankings of every length, so that the count
// transfers surpluses and excludes over many stages), counted R times; the median is printed with
// the elected and the number of stages. The ballots are written to FILE (a JSON array of rankings)
// so that the peer (pyrankvote, scripts/bench-governance) counts the very same ones.
// Usage: concord-bench-governance BALLOTS SEATS CANDIDATES ROUNDS FILE

let arguments = Array(CommandLine.arguments.dropFirst())
let ballotCount = arguments.count > 0 ? Int(arguments[0]) ?? 1000 : 1000
let seats = arguments.count > 1 ? Int(arguments[1]) ?? 7 : 7
let candidateCount = arguments.count > 2 ? Int(arguments[2]) ?? 15 : 15
let rounds = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
let file = arguments.count > 4 ? arguments[4] : "/tmp/concord-stv-ballots.json"

var rng = SplitMix64(seed: 19)
let candidates = (1...candidateCount).map { "candidate-\($0)" }
// Popularity falls with the candidate's number; each ballot ranks by popularity times a random draw.
let ballots: [ElectionBallot] = (0..<ballotCount).map { _ in
    let scored = candidates.enumerated().map { index, name in
        (name, Double(rng.next() % 1000) / 1000 / Double(index + 2).squareRoot())
    }
    let length = Int(rng.next() % UInt64(candidateCount)) + 1
    return ElectionBallot(scored.sorted { $0.1 > $1.1 }.prefix(length).map(\.0))
}
let encoded = try JSONEncoder().encode(ballots.map(\.choices))
try encoded.write(to: URL(fileURLWithPath: file))

var times: [Double] = []
var result: ElectionResult?
for _ in 0..<rounds {
    let start = DispatchTime.now().uptimeNanoseconds
    result = ElectionCount.count(
        method: .singleTransferableVote, seats: seats, candidates: candidates, ballots: ballots)
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
let median = times.sorted()[times.count / 2]
print(
    String(
        format: "concord STV: %d ballots, %d seats, %d candidates: %.4f s (median of %d)", ballotCount, seats,
        candidateCount, median, rounds))
print("  stages: \(result?.rounds.count ?? 0); elected: \(result?.elected.joined(separator: ", ") ?? "")")
print(String(format: "CONCORD_SECONDS=%.6f", median))
