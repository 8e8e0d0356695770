-- wrk script for bench/cluster_check.py: the addresses in CHECK_PATHS (space-separated) in
-- turn, each connection starting at its own; an optional Cookie header (CHECK_COOKIE); one
-- line of JSON at the end with the counts and the latency percentiles in milliseconds.
local paths = {}
for path in string.gmatch(os.getenv("CHECK_PATHS") or "/", "%S+") do
  paths[#paths + 1] = path
end
local cookie = os.getenv("CHECK_COOKIE") or ""
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("offset", counter)
end

local i = 0
request = function()
  i = i + 1
  local headers = {}
  if cookie ~= "" then
    headers["Cookie"] = cookie
  end
  return wrk.format("GET", paths[((i + (offset or 0)) % #paths) + 1], headers)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50": %f, "p99": %f, "max": %f, '
      .. '"status": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, e.status, e.connect, e.read, e.write,
    e.timeout))
end
