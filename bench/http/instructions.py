#!/usr/bin/env python3
"""Instructions per new TLS connection, under callgrind: triggergate against nginx-light, server and client side.

Timings on a small shared VM drift by ±10 % from minute to minute; instruction counts do not. This script counts, for
one HTTP/1.1 request per TLS connection (`Connection: close`, the bench's `new` run):
  server   instructions the server runs per connection, under callgrind (nginx with one worker, master_process off)
  client   instructions h2load runs per connection against that server, under callgrind (the server runs natively)
Each count is the difference between a run of --connections and a run of --connections/4, divided by the connections
in between, so that start-up and shutdown cancel out. With --top N it also prints the server's N costliest functions
(inclusive, from the longer run).

Usage: bench/http/instructions.py [--binary .build/release/triggergate] [--connections 400] [--top 0]
Build the binary first: swift build -c release --static-swift-stdlib --product triggergate
(valgrind cannot read the Swift binary's DWARF, so a copy with the debug sections stripped is profiled.)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import (FIXTURE, ROOT, fixed_answer, free_port, make_certificates, nginx_config, start_triggergate, stop,  # noqa: E402
                   triggergate_command, wait_for_port)


def total_instructions(path):
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise SystemExit(f"no totals in {path}")


def new_connections(port, body, count, client_prefix=None):
    """`count` connections of one request each, 4 at a time; optionally with h2load itself under callgrind."""
    command = ["h2load", "-t", "1", "--h1", "-c", "4", "-n", str(count), "-d", body,
               "-H", "Content-Type: application/json", "-H", "Connection: close", f"https://127.0.0.1:{port}/validate"]
    output = subprocess.run((client_prefix or []) + command, capture_output=True, text=True, timeout=600).stdout
    if f"{count} succeeded" not in output:
        raise SystemExit(f"h2load did not get {count} answers:\n{output}")


def callgrind(out):
    return ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]


def start(name, binary, port, directory, response, prefix=()):
    """Server `name` on `port`, optionally under `prefix` (callgrind); nginx gets its configuration for that port."""
    certificate, key = os.path.join(directory, "tls.crt"), os.path.join(directory, "tls.key")
    if name == "triggergate":
        return start_triggergate(list(prefix) + triggergate_command(binary, port, certificate, key))
    config = os.path.join(directory, "nginx.conf")
    with open(config, "w") as f:
        f.write(nginx_config(directory, port, certificate, key, response).replace("worker_processes 2;", "worker_processes 1;"))
    return subprocess.Popen(list(prefix) + ["nginx", "-p", directory, "-c", config, "-g", "daemon off; master_process off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def server_count(name, binary, directory, response, body, count):
    """Instructions the server ran in all, serving `count` new connections under callgrind, and its profile."""
    port = free_port()
    out = os.path.join(directory, f"{name}-server-{count}.out")
    process = start(name, binary, port, directory, response, prefix=callgrind(out))
    try:
        wait_for_port(port, timeout=120)
        new_connections(port, body, count)
    finally:
        stop(process)
    return total_instructions(out), out


def client_count(name, binary, directory, response, body, count):
    """Instructions h2load ran in all, making `count` new connections to the natively running server."""
    port = free_port()
    process = start(name, binary, port, directory, response)
    out = os.path.join(directory, f"{name}-client-{count}.out")
    try:
        wait_for_port(port)
        new_connections(port, body, count, client_prefix=callgrind(out))
    finally:
        stop(process)
    return total_instructions(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "triggergate"))
    parser.add_argument("--connections", type=int, default=400)
    parser.add_argument("--top", type=int, default=0, help="print the server's costliest functions too")
    parser.add_argument("--body", default=FIXTURE)
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="tg-bench-instructions-")
    binary = os.path.join(directory, "triggergate")
    shutil.copy(args.binary, binary)
    subprocess.run(["strip", "--strip-debug", binary], check=True)
    response = fixed_answer(binary, *make_certificates(binary, directory), args.body)

    long, short = args.connections, args.connections // 4
    rows, profiles = {}, {}
    for name in ["triggergate", "nginx"]:
        s_long, profiles[name] = server_count(name, binary, directory, response, args.body, long)
        s_short, _ = server_count(name, binary, directory, response, args.body, short)
        c_long = client_count(name, binary, directory, response, args.body, long)
        c_short = client_count(name, binary, directory, response, args.body, short)
        rows[name] = ((s_long - s_short) / (long - short), (c_long - c_short) / (long - short))
    print(f"instructions per new connection ({long} and {short} connections, HTTP/1.1, one request each)")
    print()
    print("| server | server instructions | client instructions | both |")
    print("|---|---|---|---|")
    for name, (s, c) in rows.items():
        print(f"| {name} | {s:,.0f} | {c:,.0f} | {s + c:,.0f} |")
    t, n = rows["triggergate"], rows["nginx"]
    print(f"| ratio | {t[0] / n[0]:.3f} | {t[1] / n[1]:.3f} | {(t[0] + t[1]) / (n[0] + n[1]):.3f} |")
    if args.top:
        for name, path in profiles.items():
            print(f"\n{name}: costliest functions, inclusive, per connection (from the {long}-connection run)")
            output = subprocess.run(["callgrind_annotate", "--inclusive=yes", path], capture_output=True, text=True).stdout
            lines = [line for line in output.splitlines() if "file:function" not in line and ":" in line and line.strip()[:1].isdigit()]
            for line in lines[:args.top]:
                count, _, function = line.strip().partition(" ")
                print(f"{int(count.replace(',', '')) / long:>12,.0f}  {function.strip()[:150]}")
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
