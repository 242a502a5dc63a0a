-- wrk script for bench/load_lookup.py: cycles through a mix of public lookup URLs.
--
--   wrk -t2 -c32 -d60s --latency -s bench/load_lookup.lua http://127.0.0.1:PORT -- urls.txt
--
-- urls.txt holds one path per line (the lookup page and the public API, by certificate number,
-- credit code, 2- and 3-character name fragments and searches that find nothing). Each thread
-- starts at a different place in the list so the connections do not ask the same thing at once.
-- At the end it prints one line, "LOAD_RESULT {json}", with the exact p50/p90/p99 (microseconds),
-- the socket errors and every status code answered, which bench/load_lookup.py reads.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  if #paths == 0 then
    error("no paths in " .. tostring(args[1]))
  end
  -- Spread the threads' starting points over the list.
  index = (id * 7919) % #paths
  statuses = {}
  headers = { ["Accept-Language"] = "zh-hans" }
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index], headers)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses") or {}
    for status, count in pairs(seen) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"statuses": {%s}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    table.concat(parts, ", "),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean
  ))
end
