#!/usr/bin/env python3
"""Start to ready: from starting `triggergate serve` to the first 200 from /readyz, with no cluster.

Each run starts the binary on free ports with its embedded default (a self-signed certificate made at start, admission
only), polls http://127.0.0.1:PORT/readyz every millisecond, and stops the process. Prints the table of --runs runs.

Usage: bench/startup/startup.py [--binary .build/release/triggergate] [--runs 20]
"""
import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_to_ready(binary):
    """Milliseconds from the process's start to the first 200 from /readyz."""
    health, port = free_port(), free_port()
    started = time.monotonic()
    process = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", "--health-listen", f"127.0.0.1:{health}",
                                "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "KUBECONFIG": "", "KUBERNETES_SERVICE_HOST": ""})
    try:
        while time.monotonic() - started < 10:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{health}/readyz", timeout=1) as response:
                    if response.status == 200:
                        return (time.monotonic() - started) * 1000
            except OSError:
                time.sleep(0.001)
        raise SystemExit("not ready within 10 s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "triggergate"))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    times = sorted(start_to_ready(args.binary) for _ in range(args.runs))
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print("| runs | min ms | median ms | p90 ms | max ms |")
    print("|---|---|---|---|---|")
    print(f"| {len(times)} | {times[0]:.1f} | {pick(0.5):.1f} | {pick(0.9):.1f} | {times[-1]:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
