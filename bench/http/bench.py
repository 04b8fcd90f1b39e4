#!/usr/bin/env python3
"""HTTPS serving benchmark: triggergate against nginx-light, same certificate, same request, same client (h2load).

Runs, against each server:
  h1    HTTP/1.1 keep-alive, --connections connections, POST /validate with a ~4 KB AdmissionReview
  h2    HTTP/2, --connections connections, --streams concurrent streams each
  new   one request per TLS connection (HTTP/1.1 with "Connection: close", --new-connections in all): new TLS
        connections per second
and prints requests/s, p50/p99 latency (from h2load's per-request log), server CPU per request (utime+stime from
/proc/PID/stat of the server and its children), peak RSS (VmHWM, summed over the server's processes), and
triggergate's ratio to nginx.

Both servers run side by side, and each run goes to one server then the other, --rounds times over, so that both see
the same outside load on a shared machine. The tables add up all rounds; the ratios are also given per round.

Usage: bench/http/bench.py [--binary .build/release/triggergate] [--duration 10] [--rounds 2] [--connections 32] [--new-connections 5000]
Build the binary first: swift build -c release --static-swift-stdlib --product triggergate
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(ROOT, "..", "shared", "fixtures", "admission", "05-update-kubectl-apply-dry-run-server.validating.raw.json")
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listened on {port}")


def process_tree(pid):
    """pid and its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except OSError:
                pass
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total / TICKS


def peak_rss_mib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def h2load(url, body, mode, connections, streams, duration, new_connections, log):
    command = ["h2load", "-t", "1", "-d", body, "-H", "Content-Type: application/json", "--log-file", log]
    if mode == "h1":
        command += ["--h1", "-c", str(connections), "-D", str(duration)]
    elif mode == "h2":
        command += ["-c", str(connections), "-m", str(streams), "-D", str(duration)]
    else:
        # h2load reconnects after each "Connection: close" only with a request count (-D spins).
        command += ["--h1", "-c", str(connections), "-n", str(new_connections), "-H", "Connection: close"]
    output = subprocess.run(command + [url], capture_output=True, text=True, timeout=duration * 10 + 60).stdout
    succeeded = failed = 0
    rps = 0.0
    for line in output.splitlines():
        if line.startswith("requests:"):
            parts = line.replace(",", "").split()
            succeeded, failed = int(parts[7]), int(parts[9]) + int(parts[11]) + int(parts[13])
        if line.startswith("finished in"):
            rps = float(line.split(",")[1].split()[0])
    latencies = []
    with open(log) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 3 and fields[1].startswith("2"):
                latencies.append(int(fields[2]))
    return rps, succeeded, failed, latencies


def measure(process, url, body, mode, args, log):
    """One h2load run against the server `process`: its numbers and the server CPU it took."""
    before = cpu_seconds(process_tree(process.pid))
    rps, succeeded, failed, latencies = h2load(url, body, mode, args.connections, args.streams, args.duration,
                                               args.new_connections, log)
    used = cpu_seconds(process_tree(process.pid)) - before
    return {"rps": rps, "succeeded": succeeded, "failed": failed, "latencies": latencies, "cpu": used}


def combine(runs):
    """The rounds of one server and mode added up: requests/s averaged, latencies pooled, CPU per request overall."""
    latencies = sorted(value for run in runs for value in run["latencies"])
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1000 if latencies else float("nan")
    succeeded = sum(run["succeeded"] for run in runs)
    return {
        "rps": sum(run["rps"] for run in runs) / len(runs), "failed": sum(run["failed"] for run in runs),
        "p50": pick(0.50), "p99": pick(0.99),
        "cpu_us": sum(run["cpu"] for run in runs) / succeeded * 1e6 if succeeded else float("nan"),
    }


def stop(process):
    for pid in reversed(process_tree(process.pid)):
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    process.wait(timeout=60)


def nginx_config(directory, port, certificate, key, response):
    with open(os.path.join(directory, "response.json"), "w") as f:
        f.write(response)
    return f"""
worker_processes 2;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    keepalive_requests 1000000;
    client_max_body_size 8m;
    client_body_buffer_size 16k;
    server {{
        listen 127.0.0.1:{port} ssl http2;
        ssl_certificate {certificate};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE+AESGCM:ECDHE+CHACHA20;
        location = /validate {{
            default_type application/json;
            alias {directory}/response.json;
            error_page 405 =200 $uri;
        }}
    }}
}}
"""


def make_certificates(binary, directory):
    """A serving certificate from `triggergate certs` in `directory`, readable by nginx: (certificate, key) paths."""
    os.chmod(directory, 0o755)  # nginx's workers run as nobody and read response.json from here
    subprocess.run([binary, "certs", "--dns", "localhost", "--ip", "127.0.0.1", "--out", directory], check=True,
                   stdout=subprocess.DEVNULL)
    os.chmod(os.path.join(directory, "tls.key"), 0o644)  # nginx's master reads it as root; kept local to this run
    return os.path.join(directory, "tls.crt"), os.path.join(directory, "tls.key")


def triggergate_command(binary, port, certificate, key):
    """triggergate serving admission on `port`: warnings only, an in-flight bound the load never reaches, no shutdown delay."""
    return [binary, "serve", "--listen", f"127.0.0.1:{port}", "--health-listen", "127.0.0.1:0", "--log-level", "warning",
            "--tls-cert-file", certificate, "--tls-key-file", key, "--max-inflight", "4096", "--shutdown-delay", "0s"]


def start_triggergate(command):
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "KUBECONFIG": ""})


def fixed_answer(binary, certificate, key, body):
    """triggergate's own answer to `body`: the fixed file nginx returns."""
    port = free_port()
    server = start_triggergate(triggergate_command(binary, port, certificate, key))
    try:
        wait_for_port(port)
        return subprocess.run(["curl", "-sk", "--data-binary", f"@{body}", f"https://127.0.0.1:{port}/validate"],
                              capture_output=True, text=True).stdout
    finally:
        stop(server)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "triggergate"))
    parser.add_argument("--duration", type=int, default=10, help="seconds per h1 and h2 run")
    parser.add_argument("--rounds", type=int, default=2, help="times each run is made against each server, alternating")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--streams", type=int, default=4)
    parser.add_argument("--new-connections", type=int, default=5000, help="requests (= TLS connections) in the 'new' run")
    parser.add_argument("--body", default=FIXTURE)
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="tg-bench-http-")
    certificate, key = make_certificates(args.binary, directory)
    body = args.body
    print(f"request body: {os.path.getsize(body)} bytes ({os.path.basename(body)}); {args.duration} s per run; "
          f"{args.connections} connections; h2 with {args.streams} streams per connection", flush=True)
    response = fixed_answer(args.binary, certificate, key, body)

    servers = {}
    port = free_port()
    servers["triggergate"] = (start_triggergate(triggergate_command(args.binary, port, certificate, key)), port)
    port = free_port()
    config = os.path.join(directory, "nginx.conf")
    with open(config, "w") as f:
        f.write(nginx_config(directory, port, certificate, key, response))
    servers["nginx"] = (subprocess.Popen(["nginx", "-p", directory, "-c", config, "-g", "daemon off;"],
                                         stderr=subprocess.DEVNULL), port)
    modes, names = ["h1", "h2", "new"], ["triggergate", "nginx"]
    runs = {(name, mode): [] for name in names for mode in modes}
    try:
        for name, (process, port) in servers.items():
            wait_for_port(port)
            h2load(f"https://127.0.0.1:{port}/validate", body, "h1", 4, 1, 1, 0, os.path.join(directory, "warmup.log"))
        for _ in range(args.rounds):
            for mode in modes:
                for name in names:
                    process, port = servers[name]
                    runs[(name, mode)].append(measure(process, f"https://127.0.0.1:{port}/validate", body, mode, args,
                                                      os.path.join(directory, f"{name}-{mode}.log")))
        rss = {name: peak_rss_mib(process_tree(process.pid)) for name, (process, _) in servers.items()}
    finally:
        for process, _ in servers.values():
            stop(process)
    results = {name: {mode: {**combine(runs[(name, mode)]), "rss": rss[name]} for mode in modes} for name in names}

    print()
    print("| run | server | req/s | p50 ms | p99 ms | CPU µs/req | peak RSS MiB | failed |")
    print("|---|---|---|---|---|---|---|---|")
    for mode in ["h1", "h2", "new"]:
        for name in ["triggergate", "nginx"]:
            r = results[name][mode]
            print(f"| {mode} | {name} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['cpu_us']:.0f} | {r['rss']:.2f} | {r['failed']} |")
    print()
    print("| run | req/s ratio | CPU/req ratio | req/s ratio per round | CPU/req ratio per round |")
    print("|---|---|---|---|---|")
    ratio = lambda a, b: f"{a / b:.2f}" if b else "nan"
    for mode in modes:
        t, n = results["triggergate"][mode], results["nginx"][mode]
        pairs = list(zip(runs[("triggergate", mode)], runs[("nginx", mode)]))
        rps_rounds = ", ".join(ratio(a["rps"], b["rps"]) for a, b in pairs)
        cpu_rounds = ", ".join(
            ratio(a["cpu"] / a["succeeded"], b["cpu"] / b["succeeded"]) if a["succeeded"] and b["succeeded"] else "nan"
            for a, b in pairs)
        print(f"| {mode} | {ratio(t['rps'], n['rps'])} | {ratio(t['cpu_us'], n['cpu_us'])} | {rps_rounds} | {cpu_rounds} |")
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
