import Testing
import VaporTesting
@testable import ConcordServer
@Test func t() { #expect(1 == 1) }
