#!/usr/bin/env python3
"""Generates a node data tree of many small files, for `Tools/bench s3`: how many PUTs a
backup of small files costs against a bucket.

    small-tree.py --out DIR --files N [--seed S]

DIR (must not exist) receives definitions.json and msg_stores/vhosts/<vhost>/: one vhost
("/"), `.vhost`, `.config`, an empty msg_store_transient/0.rdq and one 1 MiB
msg_store_persistent/0.rdq, and N - 5 files in queue directories of 10 files each: every
queue directory holds `.queue_name` and 9 CQv1 segment files (`0.idx` … `8.idx`) of 512 B to
8 KiB of random bytes (Warren counts them with warnings; what matters here is their number).
Directory names are RabbitMQ's (base-36 of the MD5 digest). The same seed gives the same bytes.
"""
import argparse, hashlib, json, os, random

def rabbit_dir(name: str) -> str:
    n = int.from_bytes(hashlib.md5(name.encode()).digest(), "big")
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"

def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--files", type=int, required=True)
    p.add_argument("--seed", type=int, default=11)
    a = p.parse_args()
    rng = random.Random(a.seed)
    vhost = "/"
    vpath = os.path.join(a.out, "msg_stores", "vhosts", rabbit_dir(vhost))
    for d in ("msg_store_persistent", "msg_store_transient", "queues"):
        os.makedirs(os.path.join(vpath, d))
    with open(os.path.join(vpath, ".vhost"), "w") as f: f.write(vhost)
    with open(os.path.join(vpath, ".config"), "w") as f: f.write("{segment_entry_count, 2048}.\n")
    open(os.path.join(vpath, "msg_store_transient", "0.rdq"), "wb").close()
    with open(os.path.join(vpath, "msg_store_persistent", "0.rdq"), "wb") as f: f.write(rng.randbytes(1 << 20))
    written, queues = 4, []
    while written < a.files - 1:
        name = "small.q%05d" % len(queues)
        qpath = os.path.join(vpath, "queues", rabbit_dir("queue" + vhost + name))
        os.makedirs(qpath)
        with open(os.path.join(qpath, ".queue_name"), "w") as f: f.write("VHOST: %s\nQUEUE: %s\n" % (vhost, name))
        written += 1
        for i in range(9):
            if written >= a.files - 1: break
            with open(os.path.join(qpath, "%d.idx" % i), "wb") as f: f.write(rng.randbytes(rng.randint(512, 8192)))
            written += 1
        queues.append(name)
    definitions = {
        "rabbit_version": "3.10.8", "rabbitmq_version": "3.10.8", "product_name": "RabbitMQ", "product_version": "3.10.8",
        "users": [], "vhosts": [{"name": vhost, "description": "", "tags": [], "metadata": {"description": "", "tags": []}}],
        "permissions": [], "topic_permissions": [], "parameters": [], "global_parameters": [], "policies": [],
        "queues": [{"name": q, "vhost": vhost, "durable": True, "auto_delete": False, "arguments": {}, "type": "classic"} for q in queues],
        "exchanges": [], "bindings": [],
    }
    with open(os.path.join(a.out, "definitions.json"), "w") as f: json.dump(definitions, f)

if __name__ == "__main__":
    main()
