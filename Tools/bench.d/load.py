#!/usr/bin/env python3
"""Closed-loop HTTP/1.1 load over a Unix socket: N keep-alive clients, each sending the next
request when the previous answer is complete, for D seconds. Prints req/s, p50/p99 latency
and errors (any status but 200, or a broken connection) as key=value lines.

    load.py SOCKET PATH [--clients 8] [--seconds 10]
"""
import argparse, asyncio, time

async def client(sock, path, deadline, latencies, errors):
    reader, writer = await asyncio.open_unix_connection(sock)
    request = f"GET {path} HTTP/1.1\r\nHost: warren\r\n\r\n".encode()
    try:
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            status = int(lines[0].split()[1])
            length = None
            chunked = False
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value.strip())
                elif name == b"transfer-encoding" and b"chunked" in value.lower():
                    chunked = True
            if length is not None:
                await reader.readexactly(length)
            elif chunked:
                while True:
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(status)
    except Exception as e:  # a broken connection counts as one error
        errors.append(repr(e))
    finally:
        writer.close()

async def main():
    p = argparse.ArgumentParser()
    p.add_argument("socket"); p.add_argument("path")
    p.add_argument("--clients", type=int, default=8); p.add_argument("--seconds", type=float, default=10)
    a = p.parse_args()
    latencies, errors = [], []
    start = time.perf_counter()
    deadline = start + a.seconds
    await asyncio.gather(*(client(a.socket, a.path, deadline, latencies, errors) for _ in range(a.clients)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    def pct(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
    print(f"requests={len(latencies)}")
    print(f"seconds={elapsed:.2f}")
    print(f"req_per_s={len(latencies) / elapsed:.0f}")
    print(f"p50_ms={pct(0.50):.2f}")
    print(f"p99_ms={pct(0.99):.2f}")
    print(f"max_ms={(latencies[-1] * 1000 if latencies else float('nan')):.2f}")
    print(f"errors={len(errors)}")
    if errors:
        print(f"first_error={errors[0]}")

asyncio.run(main())
