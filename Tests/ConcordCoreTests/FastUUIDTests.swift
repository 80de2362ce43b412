import Foundation
import Testing

@testable import ConcordCore

@Suite struct FastUUIDTests {
    @Test func timeOrderedUUIDsSortByTheirTime() {
        // setup
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        // act
        let made = (0..<500).map { UUID.timeOrdered(at: start.addingTimeInterval(Double($0) * 0.002)) }
        // validate: two milliseconds apart, so rounding cannot make two alike
        let texts = made.map(\.uuidString)
        #expect(zip(texts, texts.dropFirst()).allSatisfy { $0 < $1 })
        #expect(made.allSatisfy { $0.uuid.6 >> 4 == 7 && $0.uuid.8 >> 6 == 0b10 })
        #expect(made[0].uuidString.hasPrefix("01A229F1-2800-7"))  // 1,796,000,000,000 ms = 0x1A229F12800
    }

    @Test func randomUUIDsAreVersionFourAndDistinct() {
        let made = (0..<1000).map { _ in UUID.random() }
        #expect(Set(made).count == 1000)
        for uuid in made {
            #expect(uuid.uuid.6 >> 4 == 4)
            #expect(uuid.uuid.8 >> 6 == 0b10)
        }
    }
}
