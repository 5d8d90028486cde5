#!/usr/bin/python3
"""Load for `bench/run.sh serve`: alert latency against a warm `runbook serve`, a storm drained by
it, and the same storm drained by a minimal receiver that forks one shell per alert (the
prometheus-am-executor pattern). Talks to 127.0.0.1 only; every wait has a deadline.

Each alert's one command writes its own clock reading (date +%s%N) to MARKS/<n>: the latency's end
is when the command started, read from the mark, not when this script noticed it."""
import calendar, glob, json, os, re, subprocess, sys, threading, time, urllib.error, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

POLL = 0.002  # seconds between looks at a mark: cheap beside the server on a 2-core machine


def webhook(first, count):
    """Alertmanager's webhook (version 4) with alerts Bench n=first..first+count-1."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    alerts = [{"status": "firing", "labels": {"alertname": "Bench", "n": str(n)},
               "annotations": {}, "startsAt": now, "fingerprint": "%016x" % (n + 1)}
              for n in range(first, first + count)]
    return json.dumps({"version": "4", "status": "firing", "receiver": "bench",
                       "groupKey": "{}:{alertname=\"Bench\"}", "alerts": alerts}).encode()


def post(url, body, deadline):
    """POSTs; a 503 is retried after its Retry-After, as Alertmanager would, until the deadline."""
    while True:
        req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                r.read()
                return r.status
        except urllib.error.HTTPError as e:
            if e.code != 503 or time.time() > deadline:
                raise
            time.sleep(min(float(e.headers.get("Retry-After", "1")), 5))


def mark_time(marks, n, deadline):
    """The clock reading alert n's command wrote, waiting for it until the deadline."""
    path = os.path.join(marks, str(n))
    while True:
        try:
            with open(path) as f:
                text = f.read().split()
            if text:
                return int(text[0])
        except FileNotFoundError:
            pass
        if time.time() > deadline:
            sys.exit("timed out waiting for " + path)
        time.sleep(POLL)


def runs_ended(base):
    """runbook_runs_total summed over its outcomes, from the server's /metrics."""
    with urllib.request.urlopen(base + "/metrics", timeout=10) as r:
        text = r.read().decode()
    return sum(float(m.group(1)) for m in
               re.finditer(r'^runbook_runs_total\{[^}]*\} (\S+)$', text, re.M))


def latency(base, marks, first, count, warmup):
    """One alert at a time: from just before the POST to the first command's own clock reading."""
    out = []
    for i in range(warmup + count):
        n = first + i
        t0 = time.time_ns()
        post(base + "/v1/alertmanager", webhook(n, 1), time.time() + 30)
        started = mark_time(marks, n, time.time() + 30)
        if i >= warmup:
            out.append((started - t0) / 1e6)
    out.sort()
    pick = lambda q: out[min(len(out) - 1, int(q * len(out)))]
    print("alert -> first command, %d alerts one at a time (after %d to warm up): "
          "p50 %.1f ms, p99 %.1f ms, max %.1f ms   (goal p50 <= 20 ms, p99 <= 100 ms)"
          % (count, warmup, pick(0.50), pick(0.99), out[-1]))


def storm(url, marks, first, count, per_request, done=None):
    """Posts `count` alerts, `per_request` to a webhook, as fast as one client can; then waits
    until each alert's command ran and, when `done` is given, until it says every run ended.
    Prints the seconds to drain and the seconds the posting took."""
    t0 = time.time()
    deadline = t0 + 600
    for start in range(first, first + count, per_request):
        post(url, webhook(start, min(per_request, first + count - start)), deadline)
    sent = time.time() - t0
    for n in range(first, first + count):
        mark_time(marks, n, deadline)
    while done is not None and not done():
        if time.time() > deadline:
            sys.exit("timed out waiting for the runs to end")
        time.sleep(0.01)
    print("%.3f %.3f" % (time.time() - t0, sent))


def nanos(iso):
    """An RFC 3339 UTC time with up to nanoseconds, as the queue and the trails write it."""
    whole, _, frac = iso.rstrip("Z").partition(".")
    seconds = calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S"))
    return seconds * 10**9 + int(frac.ljust(9, "0")[:9])


def breakdown(state, marks, first, count):
    """Where the latency of alerts first..first+count-1 went, from the server's own records: the
    queue's `received`, the trail's run.started, step.started and command lines, and the mark."""
    received = {}
    with open(os.path.join(state, "serve", "alerts.jsonl")) as f:
        for line in f:
            record = json.loads(line)
            received.setdefault(record["labels"].get("n"), nanos(record["received"]))
    parts = [[], [], [], []]
    for events_file in glob.glob(os.path.join(state, "runs", "*", "events.jsonl")):
        times, n = {}, None
        with open(events_file) as f:
            for line in f:
                event = json.loads(line)
                times.setdefault(event["type"], nanos(event["time"]))
                if event["type"] == "command":
                    n = event.get("environment", {}).get("RB_PARAM_n")
        if n is None or not first <= int(n) < first + count:
            continue
        stamps = [received[n], times["run.started"], times["step.started"], times["command"],
                  mark_time(marks, n, time.time())]
        for i in range(4):
            parts[i].append((stamps[i + 1] - stamps[i]) / 1e6)
    median = lambda xs: sorted(xs)[len(xs) // 2]
    print("  where the median went: alert recorded -> run.started %.1f ms, -> step.started %.1f ms, "
          "-> command line recorded %.1f ms, -> command started %.1f ms"
          % tuple(median(p) for p in parts))


class Executor(BaseHTTPRequestHandler):
    """The baseline: for each alert of a webhook, fork the shell script with the alert's labels in
    its environment and answer at once, as prometheus-am-executor does (no record, no queue)."""
    script = None
    children = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        for alert in body["alerts"]:
            env = dict(os.environ, AMX_LABEL_n=alert["labels"]["n"])
            Executor.children.append(subprocess.Popen(["/bin/sh", Executor.script], env=env))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def executor_storm(port, script, marks, count, per_request):
    Executor.script = script
    server = ThreadingHTTPServer(("127.0.0.1", port), Executor)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        storm("http://127.0.0.1:%d/" % port, marks, 0, count, per_request,
              done=lambda: all(c.poll() is not None for c in Executor.children))
    finally:
        server.shutdown()
        for child in Executor.children:
            child.wait(timeout=30)


if __name__ == "__main__":
    what, args = sys.argv[1], sys.argv[2:]
    if what == "latency":
        latency(args[0], args[1], int(args[2]), int(args[3]), int(args[4]))
    elif what == "breakdown":
        breakdown(args[0], args[1], int(args[2]), int(args[3]))
    elif what == "storm":
        base, marks, first, count, per = args[0], args[1], int(args[2]), int(args[3]), int(args[4])
        before = runs_ended(base)
        storm(base + "/v1/alertmanager", marks, first, count, per,
              done=lambda: runs_ended(base) >= before + count)
    elif what == "executor-storm":
        executor_storm(int(args[0]), args[1], args[2], int(args[3]), int(args[4]))
    else:
        sys.exit("usage: serve_load.py latency|breakdown|storm|executor-storm …")
