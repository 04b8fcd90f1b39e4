#!/usr/bin/env python3
"""HTTPS serving benchmark: triggergate against nginx-light, same certificate, same requests, same client.

Runs, against each server:
  h1    HTTP/1.1 keep-alive, --connections connections, POST /validate with a ~4 KB AdmissionReview
  h2    HTTP/2, --connections connections, --streams concurrent streams each
  new   one request per TLS connection (HTTP/1.1 with "Connection: close", --new-connections in all): new TLS
        connections per second
and prints requests/s, p50/p99 latency, server CPU per request (utime+stime from /proc/PID/stat of the server and its
children), peak RSS (VmHWM, summed over the server's processes), and triggergate's ratio to nginx.

With --distinct, every request differs: bench/loadgen/tgload (built here with cc) sends bodies made from the fixture
where the uid, the job's name and a trigger's target name carry the request's number, so no two trigger lists are the
same and the memo of recent trigger lists never answers. Its runs are h1 (--connections x 1), h2 4x32 and 32x1, and
new (for --duration seconds), for each --key-type (default both: RSA-2048 and ECDSA P-256), with p99.9 as well.
Without it, h2load sends the fixture itself, the same body every time. --check-client compares tgload and h2load on
that fixed body against nginx (requests/s, and each client's own CPU per request).

Both servers run side by side, and each run goes to one server then the other, --rounds times over, so that both see
the same outside load on a shared machine. The tables add up all rounds; the ratios are also given per round.

Usage: bench/http/bench.py [--distinct] [--key-type ec|rsa|both] [--binary .build/release/triggergate] [--duration 10]
                           [--rounds 2] [--connections 32] [--streams 4] [--new-connections 5000] [--check-client]
Build the binary first: swift build -c release --static-swift-stdlib --product triggergate
"""
import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(ROOT, "..", "shared", "fixtures", "admission", "05-update-kubectl-apply-dry-run-server.validating.raw.json")
LOADGEN = os.path.join(ROOT, "bench", "loadgen", "tgload.c")
TOKEN = "@@@@ID@@@@"  # tgload writes each request's number, 10 digits, over every occurrence
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


class Run:
    """One kind of run: its label, protocol (h1, h2 or new), connections and streams per connection."""

    def __init__(self, label, protocol, connections, streams=1):
        self.label, self.protocol, self.connections, self.streams = label, protocol, connections, streams


def child_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def h2load(url, body, run, duration, new_connections, log):
    """h2load sending the file `body` every time: (requests/s, succeeded, failed, latencies in µs, its CPU seconds)."""
    command = ["h2load", "-t", "1", "-d", body, "-H", "Content-Type: application/json", "--log-file", log]
    if run.protocol == "h1":
        command += ["--h1", "-c", str(run.connections), "-D", str(duration)]
    elif run.protocol == "h2":
        command += ["-c", str(run.connections), "-m", str(run.streams), "-D", str(duration)]
    else:
        # h2load reconnects after each "Connection: close" only with a request count (-D spins).
        command += ["--h1", "-c", str(run.connections), "-n", str(new_connections), "-H", "Connection: close"]
    before = child_cpu_seconds()
    output = subprocess.run(command + [url], capture_output=True, text=True, timeout=duration * 10 + 60).stdout
    client_cpu = child_cpu_seconds() - before
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
    return rps, succeeded, failed, latencies, client_cpu


def build_tgload(directory):
    """bench/loadgen/tgload.c compiled into `directory`: the binary's path."""
    binary = os.path.join(directory, "tgload")
    subprocess.run(["cc", "-O2", "-o", binary, LOADGEN, "-lssl", "-lcrypto", "-lnghttp2", "-lpthread"], check=True)
    return binary


def distinct_template(body, directory):
    """The fixture with the request's uid, the job's name and one trigger's target name numbered per request."""
    with open(body) as f:
        text = f.read()
    review = json.loads(text)["request"]
    uid, name = review["uid"], review["name"]
    text = text.replace(uid, uid[:-len(TOKEN)] + TOKEN).replace(f'"{name}"', f'"{name[:20]}-{TOKEN}"')
    text = text.replace("predictive-analytics", f"predictive-{TOKEN}")
    if text.count(TOKEN) < 3:
        raise SystemExit(f"{body}: expected a uid, a name and a trigger target to vary")
    path = os.path.join(directory, "distinct.json")
    with open(path, "w") as f:
        f.write(text)
    return path


def tgload(client, url, template, run, duration, log, pool=0):
    """tgload for `duration` seconds: the same tuple as h2load()."""
    command = [client, "--mode", run.protocol, "-c", str(run.connections), "-m", str(run.streams), "-D", str(duration),
               "--template", template, "--json", "--latency-file", log, "--pool", str(pool), url]
    before = child_cpu_seconds()
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration * 10 + 60)
    client_cpu = child_cpu_seconds() - before
    result = json.loads(output.stdout.strip().splitlines()[-1])
    with open(log) as f:
        latencies = [int(line) for line in f]
    return result["rps"], result["succeeded"], result["failed"] + result["errors"], latencies, client_cpu


def measure(process, send):
    """One client run against the server `process` (`send()` makes it): its numbers and the server CPU it took."""
    before = cpu_seconds(process_tree(process.pid))
    rps, succeeded, failed, latencies, client_cpu = send()
    used = cpu_seconds(process_tree(process.pid)) - before
    return {"rps": rps, "succeeded": succeeded, "failed": failed, "latencies": latencies, "cpu": used,
            "client_cpu": client_cpu}


def combine(runs):
    """The rounds of one server and run added up: requests/s averaged, latencies pooled, CPU per request overall."""
    latencies = sorted(value for run in runs for value in run["latencies"])
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1000 if latencies else float("nan")
    succeeded = sum(run["succeeded"] for run in runs)
    per_request = lambda key: sum(run[key] for run in runs) / succeeded * 1e6 if succeeded else float("nan")
    return {
        "rps": sum(run["rps"] for run in runs) / len(runs), "failed": sum(run["failed"] for run in runs),
        "p50": pick(0.50), "p99": pick(0.99), "p999": pick(0.999), "cpu_us": per_request("cpu"),
        "client_cpu_us": per_request("client_cpu"),
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


def make_certificates(binary, directory, key_type="ec"):
    """A serving certificate from `triggergate certs` in `directory`, readable by nginx: (certificate, key) paths."""
    os.makedirs(directory, exist_ok=True)
    os.chmod(directory, 0o755)  # nginx's workers run as nobody and read response.json from here
    subprocess.run([binary, "certs", "--dns", "localhost", "--ip", "127.0.0.1", "--out", directory, "--key-type", key_type],
                   check=True, stdout=subprocess.DEVNULL)
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


def start_servers(args, directory, certificate, key, body):
    """triggergate and nginx side by side on the same certificate: {name: (process, port)}."""
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
    for process, port in servers.values():
        wait_for_port(port)
    return servers


def print_tables(runs, results, names, show_client):
    print("| run | server | req/s | p50 ms | p99 ms | p99.9 ms | CPU µs/req | peak RSS MiB | failed |"
          + (" client CPU µs/req |" if show_client else ""))
    print("|---|---|---|---|---|---|---|---|---|" + ("---|" if show_client else ""))
    for run in runs:
        for name in names:
            r = results[(name, run.label)]
            print(f"| {run.label} | {name} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['p999']:.2f} | "
                  f"{r['cpu_us']:.0f} | {r['rss']:.2f} | {r['failed']} |" + (f" {r['client_cpu_us']:.1f} |" if show_client else ""))


def print_ratios(runs, rounds, results, first, second):
    print(f"| run | req/s ratio | CPU/req ratio | p99 ratio | req/s ratio per round | CPU/req ratio per round | ({first} / {second})")
    print("|---|---|---|---|---|---|")
    ratio = lambda a, b: f"{a / b:.2f}" if b else "nan"
    for run in runs:
        t, n = results[(first, run.label)], results[(second, run.label)]
        pairs = list(zip(rounds[(first, run.label)], rounds[(second, run.label)]))
        rps_rounds = ", ".join(ratio(a["rps"], b["rps"]) for a, b in pairs)
        cpu_rounds = ", ".join(
            ratio(a["cpu"] / a["succeeded"], b["cpu"] / b["succeeded"]) if a["succeeded"] and b["succeeded"] else "nan"
            for a, b in pairs)
        print(f"| {run.label} | {ratio(t['rps'], n['rps'])} | {ratio(t['cpu_us'], n['cpu_us'])} | {ratio(t['p99'], n['p99'])} "
              f"| {rps_rounds} | {cpu_rounds} |")


def bench_key_type(args, directory, key_type, client, runs):
    """Every run against both servers with one kind of certificate, --rounds times, alternating; prints the tables."""
    certificate, key = make_certificates(args.binary, directory, key_type)
    body = args.body
    template = distinct_template(body, directory) if args.distinct else None
    servers = start_servers(args, directory, certificate, key, body)
    names = list(servers)
    rounds = {(name, run.label): [] for name in names for run in runs}
    log = os.path.join(directory, "latencies.log")
    try:
        for name, (process, port) in servers.items():
            h2load(f"https://127.0.0.1:{port}/validate", body, Run("warm-up", "h1", 4), 1, 0, log)
        for _ in range(args.rounds):
            for run in runs:
                for name in names:
                    process, port = servers[name]
                    url = f"https://127.0.0.1:{port}/validate"
                    if template:
                        send = lambda: tgload(client, url, template, run, args.duration, log)
                    else:
                        send = lambda: h2load(url, body, run, args.duration, args.new_connections, log)
                    rounds[(name, run.label)].append(measure(process, send))
        rss = {name: peak_rss_mib(process_tree(process.pid)) for name, (process, _) in servers.items()}
    finally:
        for process, _ in servers.values():
            stop(process)
    results = {(name, run.label): {**combine(rounds[(name, run.label)]), "rss": rss[name]} for name in names for run in runs}
    what = "distinct requests (tgload)" if template else "one repeated body (h2load)"
    print(f"\n{key_type.upper()} certificate, {what}:\n")
    print_tables(runs, results, names, show_client=False)
    print()
    print_ratios(runs, rounds, results, "triggergate", "nginx")


def check_client(args, directory, client):
    """tgload (--pool 1) and h2load on the fixed body against nginx, alternating: requests/s and client CPU per request."""
    certificate, key = make_certificates(args.binary, directory, "ec")
    servers = start_servers(args, directory, certificate, key, args.body)
    process, port = servers["nginx"]
    url = f"https://127.0.0.1:{port}/validate"
    log = os.path.join(directory, "latencies.log")
    runs = [Run("h1", "h1", args.connections), Run("h2 4x32", "h2", 4, 32)]
    rounds = {(name, run.label): [] for name in ["tgload", "h2load"] for run in runs}
    try:
        for _ in range(args.rounds):
            for run in runs:
                rounds[("tgload", run.label)].append(
                    measure(process, lambda: tgload(client, url, args.body, run, args.duration, log, pool=1)))
                rounds[("h2load", run.label)].append(
                    measure(process, lambda: h2load(url, args.body, run, args.duration, 0, log)))
    finally:
        for server, _ in servers.values():
            stop(server)
    results = {key: {**combine(value), "rss": float("nan")} for key, value in rounds.items()}
    print("\nThe load clients compared, on the fixed body against nginx:\n")
    print_tables(runs, results, ["tgload", "h2load"], show_client=True)
    print()
    print_ratios(runs, rounds, results, "tgload", "h2load")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "triggergate"))
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (h1, h2, and new with --distinct)")
    parser.add_argument("--rounds", type=int, default=2, help="times each run is made against each server, alternating")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--streams", type=int, default=4, help="streams per connection in the h2 run (not --distinct)")
    parser.add_argument("--new-connections", type=int, default=5000, help="requests (= TLS connections) in h2load's 'new' run")
    parser.add_argument("--distinct", action="store_true", help="every request different, sent by bench/loadgen/tgload")
    parser.add_argument("--key-type", choices=["ec", "rsa", "both"], help="default: both with --distinct, else ec")
    parser.add_argument("--check-client", action="store_true", help="also compare tgload with h2load on the fixed body")
    parser.add_argument("--body", default=FIXTURE)
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="tg-bench-http-")
    os.chmod(directory, 0o755)  # nginx's workers run as nobody and read the certificate directories below
    key_types = {"ec": ["ec"], "rsa": ["rsa"], "both": ["rsa", "ec"]}[args.key_type or ("both" if args.distinct else "ec")]
    if args.distinct:
        runs = [Run("h1", "h1", args.connections), Run("h2 4x32", "h2", 4, 32), Run("h2 32x1", "h2", 32, 1),
                Run("new", "new", args.connections)]
    else:
        runs = [Run("h1", "h1", args.connections), Run("h2", "h2", args.connections, args.streams),
                Run("new", "new", args.connections)]
    client = build_tgload(directory) if args.distinct or args.check_client else None
    print(f"request body: {os.path.getsize(args.body)} bytes ({os.path.basename(args.body)}); {args.duration} s per run; "
          f"{args.rounds} rounds; runs: {', '.join(f'{r.label} ({r.connections}x{r.streams})' for r in runs)}", flush=True)
    try:
        for key_type in key_types:
            bench_key_type(args, os.path.join(directory, key_type), key_type, client, runs)
        if args.check_client:
            check_client(args, os.path.join(directory, "client"), client)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
