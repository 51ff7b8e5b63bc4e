-- wrk driver for bench/thread_bench.py: cycles through the requests listed in a spec file
-- (given after `--`), optionally counts response statuses, and prints one JSON summary line.
--
-- Spec file, one tab-separated line each:
--   header  NAME  VALUE                      sent with every request
--   request METHOD PATH [BODY [NAME: VALUE|NAME: VALUE]]
--   count_statuses                           define response() and count statuses
-- In PATH and BODY, {n} becomes a per-thread counter and {t} the thread number, so no
-- two generated bodies are identical.

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

local function split(line, separator)
  local fields = {}
  for field in (line .. separator):gmatch("(.-)" .. separator) do
    table.insert(fields, field)
  end
  return fields
end

local requests = {}
local position = 0
local counter = 0

n2xx, n3xx, n4xx, n5xx, nother = 0, 0, 0, 0, 0
first_bad_status, first_bad_body = 0, ""

local function count_status(status, headers, body)
  if status >= 200 and status < 300 then
    n2xx = n2xx + 1
    return
  end
  if status < 400 then n3xx = n3xx + 1
  elseif status < 500 then n4xx = n4xx + 1
  elseif status < 600 then n5xx = n5xx + 1
  else nother = nother + 1 end
  if first_bad_status == 0 then
    first_bad_status = status
    first_bad_body = (body or ""):sub(1, 300)
  end
end

function init(args)
  local common_headers = {}
  for line in io.lines(args[1]) do
    local fields = split(line, "\t")
    if fields[1] == "header" then
      common_headers[fields[2]] = fields[3]
    elseif fields[1] == "request" then
      local body = fields[4]
      if body == "" then body = nil end
      table.insert(requests, {
        method = fields[2], path = fields[3], body = body, extra = fields[5] or "",
      })
    elseif fields[1] == "count_statuses" then
      -- Defined only when asked: wrk parses response bodies whenever response() exists,
      -- which would slow the read runs for no benefit.
      response = count_status
    end
  end
  for _, spec in ipairs(requests) do
    local headers = {}
    for name, value in pairs(common_headers) do headers[name] = value end
    if spec.extra ~= "" then
      for _, pair in ipairs(split(spec.extra, "|")) do
        local name, value = pair:match("^([^:]+):%s*(.*)$")
        headers[name] = value
      end
    end
    spec.headers = headers
    spec.dynamic = (spec.path .. (spec.body or "")):find("{n}", 1, true) ~= nil
    if not spec.dynamic then
      spec.prebuilt = wrk.format(spec.method, spec.path, headers, spec.body)
    end
  end
end

function request()
  position = position % #requests + 1
  local spec = requests[position]
  if spec.prebuilt then return spec.prebuilt end
  counter = counter + 1
  local function fill(text)
    if text == nil then return nil end
    return (text:gsub("{n}", tostring(counter)):gsub("{t}", tostring(thread_number or 0)))
  end
  return wrk.format(spec.method, fill(spec.path), spec.headers, fill(spec.body))
end

local function json_safe(text)
  return (text:gsub('[%c"\\]', " "))
end

function done(summary, latency, requests_stats)
  local totals = { n2xx = 0, n3xx = 0, n4xx = 0, n5xx = 0, nother = 0 }
  local bad_status, bad_body = 0, ""
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
    if bad_status == 0 and (thread:get("first_bad_status") or 0) ~= 0 then
      bad_status = thread:get("first_bad_status")
      bad_body = thread:get("first_bad_body") or ""
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}, ' ..
    '"statuses": {"2xx": %d, "3xx": %d, "4xx": %d, "5xx": %d, "other": %d}, ' ..
    '"first_bad_status": %d, "first_bad_body": "%s"}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max,
    totals.n2xx, totals.n3xx, totals.n4xx, totals.n5xx, totals.nother,
    bad_status, json_safe(bad_body)))
end
