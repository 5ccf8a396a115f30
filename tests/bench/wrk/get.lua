-- wrk script of scripts/bench-service: GET of one path (the first argument
-- after "--", default the status read of the demo server), and a summary
-- the script can read: requests/s, p50/p99 in ms, every kind of error.
--
-- No request() function: wrk then builds the request once (after init) and
-- sends the same bytes every time, instead of calling Lua per request,
-- which would make wrk, not the server, the bottleneck on 2 cores.

function init(args)
  wrk.path = args[1] or "/api/v1/applications/A-2026-000123"
  -- A token from the environment (never argv): qujat serve's status reads.
  local token = os.getenv("QUJAT_BENCH_TOKEN")
  if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
  -- A file to POST (POST /api/v1/verify of the 4 KB GOST XML).
  local body = os.getenv("QUJAT_BENCH_BODY")
  if body and body ~= "" then
    local f = assert(io.open(body, "rb"))
    wrk.method = "POST"
    wrk.body = f:read("*a")
    f:close()
    wrk.headers["Content-Type"] = "application/xml"
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    "wrk-summary requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors, e.connect, e.read, e.write, e.status, e.timeout))
end
