#!/usr/bin/env python3
"""Checks `warren show ID --json` against the counts gen-index.py wrote.

    check-counts.py EXPECTED_JSON SHOW_JSON          counting on: every queue's counts must match
    check-counts.py --off EXPECTED_JSON SHOW_JSON    counting off: no queue may have a count

Prints "counts verified: N queues, M messages" (or "counts absent: N queues") and exits 0;
otherwise prints every mismatch (first 20) to stderr and exits 1.
"""

import json
import sys

FIELDS = ("index_version", "messages", "payload_bytes", "embedded_in_index", "in_shared_store", "in_queue_store")


def main(argv):
    off = argv[:1] == ["--off"]
    if off:
        argv = argv[1:]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0]) as f:
        expected = json.load(f)
    with open(argv[1]) as f:
        shown = json.load(f)
    by_name = {}
    for q in shown.get("queues", []):
        by_name[(q.get("vhost"), q.get("name"))] = q

    problems = []
    for want in expected["queues"]:
        key = (want["vhost"], want["name"])
        got = by_name.get(key)
        label = f"queue '{want['name']}' in vhost '{want['vhost']}'"
        if got is None:
            problems.append(f"{label}: missing from `warren show`")
            continue
        if want["messages"] and not got.get("has_data"):
            problems.append(f"{label}: has_data is false")
        if off:
            if got.get("messages") is not None:
                problems.append(f"{label}: counted ({got.get('messages')} messages) although counting was off")
            continue
        if got.get("index_error") is not None:
            problems.append(f"{label}: index_error: {got['index_error']}")
            continue
        for field in FIELDS:
            if got.get(field) != want[field]:
                problems.append(f"{label}: {field} = {got.get(field)!r}, generator wrote {want[field]!r}")

    backup = shown.get("backup", {})
    totals = expected["totals"]
    if not off and backup.get("message_count") != totals["messages"]:
        problems.append(f"backup message_count = {backup.get('message_count')!r}, generator wrote {totals['messages']}")
    if not off and backup.get("message_bytes") != totals["payload_bytes"]:
        problems.append(f"backup message_bytes = {backup.get('message_bytes')!r}, generator wrote {totals['payload_bytes']}")
    if off and backup.get("message_count") is not None:
        problems.append(f"backup message_count = {backup.get('message_count')!r} although counting was off")

    if problems:
        print(f"check-counts: {len(problems)} problem(s):", file=sys.stderr)
        for p in problems[:20]:
            print(f"  {p}", file=sys.stderr)
        if len(problems) > 20:
            print(f"  ... and {len(problems) - 20} more", file=sys.stderr)
        return 1
    if off:
        print(f"counts absent: {len(expected['queues'])} queues (counting off)")
    else:
        print(f"counts verified: {len(expected['queues'])} queues, {totals['messages']} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
