/// What a packet arriving in a darknet is: a scan of the service it is sent to, or backscatter, a
/// victim's answer to an attack whose spoofed source happened to be a darknet address (a SYN-ACK or
/// RST from the attacked service's port, an ICMP error quoting the spoofed packet). Backscatter says
/// nothing of who scans a port, so it is counted apart: by the victim's source port (TCP) or the
/// ICMP error type, and by the victim's address.
public enum DarknetRole: Hashable, Sendable {
    /// A scan of `Service(packet)`: its destination port or ICMP type.
    case scan(Service)
    /// A victim's reply, by the service that answered (TCP source port) or the ICMP error type.
    case backscatter(Service)

    public init(_ packet: PacketSummary) {
        switch packet.ipProtocol {
        case 6:
            switch TCPFlagPattern(flags: packet.tcpFlags) {
            case .synAck, .reset: self = .backscatter(Service(ipProtocol: 6, port: packet.sourcePort))
            case .synOnly, .other: self = .scan(Service(packet))
            }
        case 1 where Self.isICMPError(packet.destinationPort), 58 where Self.isICMPv6Error(packet.destinationPort):
            self = .backscatter(Service(ipProtocol: packet.ipProtocol, port: packet.destinationPort))
        default:
            self = .scan(Service(packet))
        }
    }

    /// ICMP types that quote the packet they answer: destination unreachable, source quench,
    /// redirect, time exceeded, parameter problem.
    static func isICMPError(_ type: UInt16) -> Bool {
        switch type {
        case 3, 4, 5, 11, 12: return true
        default: return false
        }
    }

    /// ICMPv6 error messages: destination unreachable, packet too big, time exceeded, parameter problem.
    static func isICMPv6Error(_ type: UInt16) -> Bool { (1...4).contains(type) }
}
