#!/usr/bin/env python3
"""Generates a msg_stores tree whose queue index files are VALID (what RabbitMQ 3.10 writes),
for `Tools/bench count`: the cost of counting messages in `warren register`.

    gen-index.py --out DIR [--gib G] [--seed S] [--min-msgs N] [--max-msgs N]

DIR (must not exist, or be empty) receives:
    definitions.json        the vhosts and their durable classic queues (x-queue-version 2 for CQv2)
    msg_stores/vhosts/...   the usual layout (same vhosts and queue names as Tools/bench's tree)
    expected-counts.json    per queue: the counts `warren show --json` must report

Layout, per vhost (4 vhosts, round(20 * G) queues each, as Tools/bench's tree):
  - `.vhost`, `.config` = `{segment_entry_count, 2048}.`, an empty msg_store_transient/0.rdq;
  - msg_store_persistent/N.rdq: 16 MiB files of real records (`size:u64 | msg_id:16 | body |
    0xFF`) for every body kept in the shared store (live or acked), then garbage records up to
    ceil(64 * G) files in all (more files if the live bodies need them);
  - queues alternate CQv1 and CQv2; every 10th queue (q009, q019, ...) is an empty CQv2 queue
    (its directory holds `.queue_name` only);
  - a CQv1 queue: `N.idx` segments of 2048 entries (earlier, fully acked segments deleted),
    each written like a journal flush: publish + deliver for every entry in descending order,
    then the later acks; bodies below 4096 bytes embedded (term_to_binary of #basic_message),
    larger ones in the rdq store; a `journal.jif` with acks of segment entries and the newest
    publishes (publish + deliver, a few acked);
  - a CQv2 queue: `N.qi` segments (64-byte header, 4096 entries of 32 bytes, the last one cut
    after its newest entry; acked entries zeroed), bodies below 4096 bytes in `N.qs` (location
    type 2, offset of the record), larger ones in the rdq store (location type 1, msg id).

Every message is persistent. Message sizes: 93% log-uniform 10..1000 B, 5% uniform
1000..4095 B, 2% log-uniform 4096..65536 B. Everything, contents included, follows from the
seed: the same arguments give the same bytes.
"""

import argparse
import hashlib
import json
import math
import os
import random
import struct
import sys
import zlib

VHOSTS = ["/", "orders", "billing", "telemetry"]
V1_SEGMENT_ENTRIES = 2048          # `.config`: {segment_entry_count, 2048}.
V2_SEGMENT_ENTRIES = 4096          # classic_queue_index_v2_segment_entry_count (default)
EMBED_BELOW = 4096                 # queue_index_embed_msgs_below (default)
RDQ_LIMIT = 16 << 20               # msg_store_file_size_limit (default)
POOL_BYTES = 32 << 20              # random bytes that payloads are sliced from


# ------------------------------------------------------------------------------ naming

def rabbit_dir(name: str) -> str:
    """base36(md5(name)), upper case, no padding (rabbit_vhost:dir/1, queue_dir/2)."""
    n = int.from_bytes(hashlib.md5(name.encode()).digest(), "big")
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while n:
        n, d = divmod(n, 36)
        out = alphabet[d] + out
    return out or "0"


# ------------------------------------------------------------------------------ message bodies

def atom(s: bytes) -> bytes:
    return b"d" + struct.pack(">H", len(s)) + s


def binary(b: bytes) -> bytes:
    return b"m" + struct.pack(">I", len(b)) + b


class MessageTerm:
    """term_to_binary(#basic_message{}) as 3.10 embeds it (checked against the test fixtures:
    a 100-byte body to the default exchange, routing key "v1-small", vhost "/" is 269 bytes)."""

    def __init__(self, vhost: str, routing_key: str):
        self.prefix = (b"\x83h\x06" + atom(b"basic_message")
                       + b"h\x04" + atom(b"resource") + binary(vhost.encode()) + atom(b"exchange") + binary(b"")
                       + b"l\x00\x00\x00\x01" + binary(routing_key.encode()) + b"j"
                       + b"h\x06" + atom(b"content") + b"a\x3c" + atom(b"none") + binary(b"\x10\x00\x02")
                       + atom(b"rabbit_framing_amqp_0_9_1") + b"l\x00\x00\x00\x01")
        self.suffix_tail = atom(b"true")
        self.overhead = len(self.prefix) + 5 + 1 + 5 + 16 + len(self.suffix_tail)

    def build(self, payload: bytes, msg_id: bytes) -> bytes:
        return b"".join((self.prefix, binary(payload), b"j", b"m\x00\x00\x00\x10", msg_id, self.suffix_tail))

    def length(self, payload_size: int) -> int:
        return self.overhead + payload_size


class Pool:
    """Deterministic random bytes; payloads are slices of it at random offsets."""

    def __init__(self, seed: int):
        self.bytes = random.Random(f"pool/{seed}").randbytes(POOL_BYTES)

    def take(self, rng: random.Random, size: int) -> bytes:
        start = rng.randrange(0, POOL_BYTES - size)
        return self.bytes[start:start + size]


def payload_size(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.93:
        return int(math.exp(rng.uniform(math.log(10), math.log(1000))))
    if r < 0.98:
        return rng.randint(1000, EMBED_BELOW - 1)
    return int(math.exp(rng.uniform(math.log(EMBED_BELOW), math.log(65536))))


# ------------------------------------------------------------------------------ shared store

class RdqWriter:
    """msg_store_persistent of one vhost: appends records, rolls to the next file at 16 MiB."""

    def __init__(self, directory: str, first_number: int, rng: random.Random, pool: Pool):
        self.directory = directory
        self.number = first_number
        self.rng = rng
        self.pool = pool
        self.parts: list[bytes] = []
        self.size = 0
        self.files: list[tuple[str, int]] = []

    def _flush(self):
        path = os.path.join(self.directory, f"{self.number}.rdq")
        with open(path, "wb") as f:
            f.write(b"".join(self.parts))
        self.files.append((path, self.size))
        self.number += 1
        self.parts = []
        self.size = 0

    def append(self, msg_id: bytes, body: bytes):
        length = 8 + 16 + len(body) + 1
        if self.size and self.size + length > RDQ_LIMIT:
            self._flush()
        self.parts += (struct.pack(">Q", 16 + len(body)), msg_id, body, b"\xff")
        self.size += length

    def fill(self, files_wanted: int, term: MessageTerm):
        """Garbage (acked, not yet compacted) records: every file exactly 16 MiB, until
        `files_wanted` files are written; a file holding live records is completed too."""
        while len(self.files) < files_wanted or self.size:
            room = RDQ_LIMIT - self.size
            if room < 25 + term.overhead + 1:
                if room > 0:
                    # Too small for a message: the last record takes it as a longer body.
                    last_body = self.parts[-2]
                    self.parts[-2] = last_body + self.pool.take(self.rng, room)
                    self.parts[-4] = struct.pack(">Q", 16 + len(self.parts[-2]))
                    self.size += room
                self._flush()
                continue
            size = min(int(math.exp(self.rng.uniform(math.log(EMBED_BELOW), math.log(65536)))),
                       room - 25 - term.overhead)
            if room - 25 - term.overhead - size < 25 + term.overhead + 1:
                size = room - 25 - term.overhead
            msg_id = self.rng.getrandbits(128).to_bytes(16, "big")
            self.append(msg_id, term.build(self.pool.take(self.rng, size), msg_id))
        return self.files

    def close(self):
        if self.size:
            self._flush()
        return self.files


# ------------------------------------------------------------------------------ expected counts

class Tally:
    def __init__(self, version):
        self.version = version
        self.messages = 0
        self.payload_bytes = 0
        self.embedded = 0
        self.shared = 0
        self.queue_store = 0

    def add(self, size, where):
        self.messages += 1
        self.payload_bytes += size
        if where == "embedded":
            self.embedded += 1
        elif where == "shared":
            self.shared += 1
        else:
            self.queue_store += 1

    def as_json(self):
        return {"index_version": self.version, "messages": self.messages, "payload_bytes": self.payload_bytes,
                "embedded_in_index": self.embedded, "in_shared_store": self.shared,
                "in_queue_store": self.queue_store}


# ------------------------------------------------------------------------------ CQv1

def v1_queue(qpath, vhost, qname, messages, rng, pool, rdq, sizes):
    """Writes N.idx + journal.jif with `messages` live messages; returns the Tally."""
    n = V1_SEGMENT_ENTRIES
    term = MessageTerm(vhost, qname)
    tally = Tally(1)
    lo = rng.randint(0, 3) * n              # older segments were fully acked and deleted
    acked_prefix = rng.randint(0, 1500)     # acked in the segment (publish, deliver, ack)
    journal_acks = rng.randint(0, 500)      # acked since the last flush: ack in the journal
    journal_tail = rng.randint(0, 3000)     # published since the last flush: journal only

    # Status per sequence id, from lo: "seg_acked", "jnl_acked" (segment P+D, journal A),
    # "live" (segment P+D), "tail" (journal P+D), "tail_acked" (journal P+D+A).
    statuses = ["seg_acked"] * acked_prefix + ["jnl_acked"] * journal_acks
    tail = ["tail_acked" if rng.random() < 0.05 else "tail" for _ in range(journal_tail)]
    live_needed = messages - tail.count("tail")
    if live_needed < 0:
        tail = tail[:messages]
        tail = ["tail"] * len(tail)
        live_needed = messages - len(tail)
    while live_needed > 0:
        if rng.random() < 0.01:              # out-of-order acks (several consumers)
            statuses.append("seg_acked")
        else:
            statuses.append("live")
            live_needed -= 1
    statuses += tail

    # One publish record body per sequence id.
    records = []                            # (prefix-less record bytes after the 2/8-byte head)
    for i, status in enumerate(statuses):
        seq = lo + i
        size = payload_size(rng)
        msg_id = rng.getrandbits(128).to_bytes(16, "big")
        if size < EMBED_BELOW:
            embedded = term.build(pool.take(rng, size), msg_id)
            where = "embedded"
        else:
            embedded = b""
            rdq.append(msg_id, term.build(pool.take(rng, size), msg_id))
            where = "shared"
        sizes["embedded_bytes"] += len(embedded)
        body = msg_id + struct.pack(">QII", 0, size, len(embedded)) + embedded
        records.append(body)
        if status in ("live", "tail"):
            tally.add(size, where)

    # Segment files: entries before the journal tail.
    seg_end = lo + len(statuses) - len(tail)
    for seg in range(lo // n, (seg_end - 1) // n + 1 if seg_end > lo else lo // n):
        first, last = max(seg * n, lo), min((seg + 1) * n, seg_end)
        parts = []
        for seq in range(last - 1, first - 1, -1):            # a flush: publish + deliver, descending
            rel = seq - seg * n
            parts += (struct.pack(">H", 0xC000 | rel), records[seq - lo], struct.pack(">H", 0x4000 | rel))
        for seq in range(last - 1, first - 1, -1):            # a later flush: the acks
            if statuses[seq - lo] == "seg_acked":
                parts.append(struct.pack(">H", 0x4000 | (seq - seg * n)))
        with open(os.path.join(qpath, f"{seg}.idx"), "wb") as f:
            f.write(b"".join(parts))

    # Journal: acks of flushed entries, then the newest publishes (with their delivers and acks).
    parts = []
    for i, status in enumerate(statuses):
        if status == "jnl_acked":
            parts.append(struct.pack(">Q", 3 << 62 | (lo + i)))
    for i in range(len(statuses) - len(tail), len(statuses)):
        seq = lo + i
        parts += (struct.pack(">Q", seq), records[i], struct.pack(">Q", 2 << 62 | seq))
        if statuses[i] == "tail_acked":
            parts.append(struct.pack(">Q", 3 << 62 | seq))
    with open(os.path.join(qpath, "journal.jif"), "wb") as f:
        f.write(b"".join(parts))
    return tally


# ------------------------------------------------------------------------------ CQv2

def v2_header(magic: bytes, segment: int) -> bytes:
    first = segment * V2_SEGMENT_ENTRIES
    return magic + b"\x02" + struct.pack(">QQ", first, first + V2_SEGMENT_ENTRIES) + bytes(43)


def v2_queue(qpath, vhost, qname, messages, rng, pool, rdq, sizes):
    """Writes N.qi + N.qs with `messages` live messages; returns the Tally."""
    n = V2_SEGMENT_ENTRIES
    term = MessageTerm(vhost, qname)
    tally = Tally(2)
    lo = rng.randint(0, 3) * n
    acked_prefix = rng.randint(0, 3000)
    statuses = [False] * acked_prefix       # True = live
    live = 0
    while live < messages:
        alive = rng.random() >= 0.01
        statuses.append(alive)
        live += alive
    while not statuses[-1]:                 # the newest entry is a live one
        statuses.pop()
    hi = lo + len(statuses)

    for seg in range(lo // n, (hi - 1) // n + 1):
        first, last = max(seg * n, lo), min((seg + 1) * n, hi)
        qi = [v2_header(b"RCQI", seg)]
        if first > seg * n:
            qi.append(bytes(32 * (first - seg * n)))
        qs = [v2_header(b"RCQS", seg)]
        qs_offset = 64
        for seq in range(first, last):
            size = payload_size(rng)
            msg_id = rng.getrandbits(128).to_bytes(16, "big")
            body = term.build(pool.take(rng, size), msg_id)
            if size < EMBED_BELOW:
                # rabbit_classic_queue_store_v2: size u32, use-CRC bit, low 16 bits of crc32, 0.
                crc = zlib.crc32(body) & 0xFFFF
                qs += (struct.pack(">IBHB", len(body), 1, crc, 0), body)
                location = b"\x02" + struct.pack(">QI", qs_offset, len(body)) + bytes(4)
                qs_offset += 8 + len(body)
                where = "queue_store"
            else:
                rdq.append(msg_id, body)
                location = b"\x01" + msg_id
                where = "shared"
            if statuses[seq - lo]:
                qi.append(b"\x01\x01\x00" + location + struct.pack(">IQ", size, 0))
                tally.add(size, where)
            else:
                qi.append(bytes(32))        # acked: the entry is zeroed
        with open(os.path.join(qpath, f"{seg}.qi"), "wb") as f:
            f.write(b"".join(qi))
        if qs_offset > 64:
            with open(os.path.join(qpath, f"{seg}.qs"), "wb") as f:
                f.write(b"".join(qs))
            sizes["qs_bytes"] += qs_offset
    return tally


# ------------------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--gib", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--min-msgs", type=int, default=10000)
    ap.add_argument("--max-msgs", type=int, default=50000)
    args = ap.parse_args()
    if args.gib <= 0 or args.min_msgs < 0 or args.max_msgs < args.min_msgs:
        ap.error("need --gib > 0 and 0 <= --min-msgs <= --max-msgs")
    if os.path.exists(args.out) and os.listdir(args.out):
        ap.error(f"{args.out} exists and is not empty")

    rdq_count = math.ceil(args.gib * 64)
    queues_per_vhost = max(2, int(args.gib * 20 + 0.5))
    pool = Pool(args.seed)
    sizes = {"embedded_bytes": 0, "qs_bytes": 0}
    expected = []
    defs_vhosts, defs_queues = [], []
    rdq_next = 0
    for vi, vhost in enumerate(VHOSTS):
        vrng = random.Random(f"{args.seed}/vhost/{vhost}")
        vpath = os.path.join(args.out, "msg_stores", "vhosts", rabbit_dir(vhost))
        for d in ("msg_store_persistent", "msg_store_transient", "queues"):
            os.makedirs(os.path.join(vpath, d))
        with open(os.path.join(vpath, ".vhost"), "wb") as f:
            f.write(vhost.encode())
        with open(os.path.join(vpath, ".config"), "w") as f:
            f.write(f"{{segment_entry_count, {V1_SEGMENT_ENTRIES}}}.\n")
        open(os.path.join(vpath, "msg_store_transient", "0.rdq"), "wb").close()
        defs_vhosts.append({"name": vhost, "description": "", "tags": [],
                            "metadata": {"description": "", "tags": []}})
        share = rdq_count // len(VHOSTS) + (1 if vi < rdq_count % len(VHOSTS) else 0)
        rdq = RdqWriter(os.path.join(vpath, "msg_store_persistent"), rdq_next, vrng, pool)

        prefix = vhost.replace("/", "root")
        for qi in range(queues_per_vhost):
            qname = f"{prefix}.q{qi:03d}"
            version = qi % 2 + 1
            qpath = os.path.join(vpath, "queues", rabbit_dir("queue" + vhost + qname))
            os.makedirs(qpath)
            with open(os.path.join(qpath, ".queue_name"), "w") as f:
                f.write(f"VHOST: {vhost}\nQUEUE: {qname}\n" + ("INDEX: v2\n" if version == 2 else ""))
            qrng = random.Random(f"{args.seed}/queue/{vhost}/{qname}")
            messages = qrng.randint(args.min_msgs, args.max_msgs)
            if qi % 10 == 9:
                tally = Tally(2)             # an empty CQv2 queue: `.queue_name` only (v2 by its name file)
            elif version == 1:
                tally = v1_queue(qpath, vhost, qname, messages, qrng, pool, rdq, sizes)
            else:
                tally = v2_queue(qpath, vhost, qname, messages, qrng, pool, rdq, sizes)
            expected.append({"vhost": vhost, "name": qname, **tally.as_json()})
            args_json = {"x-queue-version": 2} if version == 2 else {}
            defs_queues.append({"name": qname, "vhost": vhost, "durable": True, "auto_delete": False,
                                "arguments": args_json, "type": "classic"})
        files = rdq.fill(share, MessageTerm(vhost, "garbage"))
        rdq_next = rdq.number

    definitions = {"rabbit_version": "3.10.8", "rabbitmq_version": "3.10.8", "product_name": "RabbitMQ",
                   "product_version": "3.10.8", "users": [], "vhosts": defs_vhosts, "permissions": [],
                   "topic_permissions": [], "parameters": [], "global_parameters": [], "policies": [],
                   "queues": defs_queues, "exchanges": [], "bindings": []}
    with open(os.path.join(args.out, "definitions.json"), "w") as f:
        json.dump(definitions, f, separators=(",", ":"))
        f.write("\n")
    totals = {k: sum(q[k] for q in expected) for k in
              ("messages", "payload_bytes", "embedded_in_index", "in_shared_store", "in_queue_store")}
    with open(os.path.join(args.out, "expected-counts.json"), "w") as f:
        json.dump({"queues": expected, "totals": totals}, f, indent=1)
        f.write("\n")
    print(f"gen-index: {len(expected)} queues, {totals['messages']} messages "
          f"({totals['embedded_in_index']} embedded, {totals['in_queue_store']} in .qs, "
          f"{totals['in_shared_store']} in rdq)", file=sys.stderr)


if __name__ == "__main__":
    main()
