/* The exact oracle for the capture benchmark: reads a pcap through libpcap and counts, per service,
 * packets and exactly distinct sources (one hash set of (service, source address) pairs), with
 * scans and backscatter told apart as Concord tells them (a SYN-ACK or RST is backscatter of its
 * source port, an ICMP or ICMPv6 error of its type). Ethernet (with VLAN tags) and raw IP; a later
 * fragment is not counted. Prints one line per service: role service packets sources.
 * Build: cc -O2 -o exact_sources exact_sources.c -lpcap     Usage: exact_sources FILE.pcap */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVICES (2 * 256 * 65536)

/* family: 0 for an empty slot, 4 or 6. */
typedef struct { uint64_t high, low; uint32_t service; uint32_t family; } Pair;

static Pair *table;
static uint64_t capacity = 1u << 22, filled;
static uint64_t *packets, *sources;

static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDull;
    z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53ull;
    return z ^ (z >> 33);
}

static int insert(Pair *slots, uint64_t size, uint32_t family, uint64_t high, uint64_t low, uint32_t service) {
    uint64_t index = mix(high ^ mix(low ^ ((uint64_t)family << 32 | service))) & (size - 1);
    for (;;) {
        Pair *slot = &slots[index];
        if (!slot->family) {
            slot->high = high; slot->low = low; slot->service = service; slot->family = family;
            return 1;
        }
        if (slot->high == high && slot->low == low && slot->service == service && slot->family == family) return 0;
        index = (index + 1) & (size - 1);
    }
}

static void grow(void) {
    uint64_t size = capacity * 2;
    Pair *bigger = calloc(size, sizeof(Pair));
    if (!bigger) { perror("calloc"); exit(1); }
    for (uint64_t i = 0; i < capacity; i++)
        if (table[i].family) insert(bigger, size, table[i].family, table[i].high, table[i].low, table[i].service);
    free(table);
    table = bigger;
    capacity = size;
}

static uint64_t load(const u_char *p, int n) { uint64_t v = 0; for (int i = 0; i < n; i++) v = v << 8 | p[i]; return v; }

static void packet(u_char *user, const struct pcap_pkthdr *header, const u_char *bytes) {
    int linktype = *(int *)user;
    const u_char *p = bytes, *end = bytes + header->caplen;
    if (linktype == DLT_EN10MB) {
        if (end - p < 14) return;
        uint16_t type = p[12] << 8 | p[13];
        p += 14;
        while ((type == 0x8100 || type == 0x88A8) && end - p >= 4) { type = p[2] << 8 | p[3]; p += 4; }
        if (type != 0x0800 && type != 0x86DD) return;
    }
    if (end - p < 1) return;
    uint64_t high = 0, low;
    uint32_t family = p[0] >> 4;
    int proto;
    const u_char *transport;
    if ((p[0] >> 4) == 4) {
        if (end - p < 20) return;
        int ihl = (p[0] & 15) * 4;
        if ((p[6] << 8 | p[7]) & 0x1FFF) return; /* a later fragment */
        proto = p[9];
        low = load(p + 12, 4);
        transport = p + ihl;
    } else if ((p[0] >> 4) == 6) {
        if (end - p < 40) return;
        proto = p[6];
        high = load(p + 8, 8); low = load(p + 16, 8);
        transport = p + 40;
        while ((proto == 0 || proto == 60 || proto == 43 || proto == 44) && end - transport >= 8) {
            if (proto == 44 && ((transport[2] << 8 | transport[3]) & 0xFFF8)) return;
            int next = transport[0];
            transport += proto == 44 ? 8 : (transport[1] + 1) * 8;
            proto = next;
        }
    } else {
        return;
    }
    int backscatter = 0, port = 0;
    if (proto == 6 && end - transport >= 14) {
        int flags = transport[13];
        backscatter = (flags & 0x04) || (flags & 0x12) == 0x12;
        port = backscatter ? (transport[0] << 8 | transport[1]) : (transport[2] << 8 | transport[3]);
    } else if (proto == 17 && end - transport >= 4) {
        port = transport[2] << 8 | transport[3];
    } else if ((proto == 1 || proto == 58) && end - transport >= 1) {
        port = transport[0];
        backscatter = proto == 1 ? (port == 3 || port == 4 || port == 5 || port == 11 || port == 12) : (port >= 1 && port <= 4);
    }
    uint32_t service = (uint32_t)backscatter << 24 | (uint32_t)proto << 16 | (uint32_t)port;
    packets[service]++;
    if (filled * 2 >= capacity) grow();
    if (insert(table, capacity, family, high, low, service)) { filled++; sources[service]++; }
}

static const char *name(int proto) {
    switch (proto) { case 6: return "tcp"; case 17: return "udp"; case 1: return "icmp"; case 58: return "icmpv6"; }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: exact_sources FILE.pcap\n"); return 2; }
    char error[PCAP_ERRBUF_SIZE];
    pcap_t *capture = pcap_open_offline(argv[1], error);
    if (!capture) { fprintf(stderr, "%s\n", error); return 1; }
    table = calloc(capacity, sizeof(Pair));
    packets = calloc(SERVICES, sizeof(uint64_t));
    sources = calloc(SERVICES, sizeof(uint64_t));
    int linktype = pcap_datalink(capture);
    if (pcap_loop(capture, -1, packet, (u_char *)&linktype) == -1) { fprintf(stderr, "%s\n", pcap_geterr(capture)); return 1; }
    for (uint32_t s = 0; s < SERVICES; s++) {
        if (!packets[s]) continue;
        int proto = (s >> 16) & 255, port = s & 65535;
        const char *text = name(proto);
        if (text) printf("%s %s/%d %llu %llu\n", s >> 24 ? "backscatter" : "scan", text, port,
                         (unsigned long long)packets[s], (unsigned long long)sources[s]);
        else printf("%s proto-%d %llu %llu\n", s >> 24 ? "backscatter" : "scan", proto,
                    (unsigned long long)packets[s], (unsigned long long)sources[s]);
    }
    return 0;
}
