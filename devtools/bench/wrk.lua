-- The benchmark's wrk script: requests come from a file of tab-separated lines
-- (method, path, cookie, body), taken in turn, each thread its own share of the lines,
-- so that POSTs such as event registrations are each a new one. At the end it prints
-- one JSON line that the bench command reads.
local requests = {}
local index = 0
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(args[2])
  local total = 0
  for _ in io.lines(args[1]) do total = total + 1 end
  if total < count then count = 1 end  -- fewer lines than threads: every thread sends them all
  local file = assert(io.open(args[1], "r"))
  local n = 0
  for line in file:lines() do
    if count == 1 or n % count == thread_number then
      local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
      local headers = {["X-Forwarded-Proto"] = "https"}
      if cookie ~= "" then headers["Cookie"] = cookie end
      if method == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = args[3]
      end
      table.insert(requests, wrk.format(method, path, headers, body))
    end
    n = n + 1
  end
  file:close()
end

function request()
  index = index % #requests + 1
  return requests[index]
end

function done(summary, latency, requests_)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "non_2xx_3xx": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, "p50_ms": %.2f, "p99_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, errors.status, errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
