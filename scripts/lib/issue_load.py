"""Issuing through the API under load, for scripts/bench-serve.

WORKERS threads each walk applications from the signed submission to the
signed licence, as the applicant and the officer would, one after another
for SECONDS: POST /api/v1/applications, then the officer's accept,
record_approval and issue. Each thread keeps one connection (keep-alive).
Prints one line the script reads:
  issue-summary licences=N seconds=S rate=R walk_p50_ms=.. walk_p99_ms=..
  issue_p50_ms=.. issue_p99_ms=.. errors=E cpu_seconds=C cpu_ms_per_licence=..
where cpu is the server's user+system time over the run (/proc/PID/stat).

  python3 issue_load.py URL WORK_DIR SERVER_PID WORKERS SECONDS
WORK_DIR holds applicant.token, officer.token, submit.json, accept.json,
approval.json and issue.json (scripts/lib/service.sh).
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse


def server_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def main():
    url, work, pid, workers, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    target = urllib.parse.urlsplit(url)
    read = lambda name: open(os.path.join(work, name), "rb").read()
    tokens = {who: read(who + ".token").decode().strip() for who in ("applicant", "officer")}
    submission = read("submit.json")
    steps = [read(name + ".json") for name in ("accept", "approval", "issue")]
    lock = threading.Lock()
    walks, issues, errors = [], [], []
    deadline = time.monotonic() + seconds

    def post(connection, who, path, body):
        connection.request("POST", path, body=body,
                           headers={"Authorization": "Bearer " + tokens[who], "Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()

    def worker():
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                status, body = post(connection, "applicant", "/api/v1/applications", submission)
                if status != 201:
                    raise RuntimeError(f"submit: HTTP {status}: {body[:200]!r}")
                application = json.loads(body)["id"]
                for i, step in enumerate(steps):
                    step_started = time.monotonic()
                    status, body = post(connection, "officer", f"/api/v1/applications/{application}/actions", step)
                    if status != 200:
                        raise RuntimeError(f"action {i}: HTTP {status}: {body[:200]!r}")
                issued = json.loads(body).get("issued", [])
                if len(issued) != 1:
                    raise RuntimeError(f"issue gave {len(issued)} documents")
                now = time.monotonic()
                with lock:
                    walks.append(now - started)
                    issues.append(now - step_started)
            except Exception as e:  # counted and shown; the run goes on
                with lock:
                    errors.append(str(e))
                connection.close()
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)

    cpu_before = server_cpu_seconds(pid)
    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    cpu = server_cpu_seconds(pid) - cpu_before
    n = len(walks)
    for e in errors[:3]:
        print("issue-error " + e, file=sys.stderr)
    print("issue-summary licences=%d seconds=%.2f rate=%.1f walk_p50_ms=%.1f walk_p99_ms=%.1f "
          "issue_p50_ms=%.1f issue_p99_ms=%.1f errors=%d cpu_seconds=%.2f cpu_ms_per_licence=%.2f" % (
              n, elapsed, n / elapsed, percentile(walks, 50) * 1e3, percentile(walks, 99) * 1e3,
              percentile(issues, 50) * 1e3, percentile(issues, 99) * 1e3, len(errors), cpu,
              cpu / n * 1e3 if n else 0.0))


if __name__ == "__main__":
    main()
