-- wrk.lua — the one wrk script of bench/run, configured by the environment:
--   QD_TOKEN   bearer token (optional)
--   QD_BODY    request body; when set the method is POST with Content-Type application/json
--   QD_EXPECT  the status every answer should have (default 200); others are counted
--   QD_OUT     file that receives the results as "key value" lines (also printed)
-- Every answer's status is counted; when the server sends "Server-Timing: app;dur=<ms>" the
-- durations are collected and done() reports their p50/p99/max (server time, not wrk's).
local token = os.getenv("QD_TOKEN")
local body = os.getenv("QD_BODY")
local expect = tonumber(os.getenv("QD_EXPECT") or "200")
local out = os.getenv("QD_OUT")

if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  durs = {}
  nd = 0
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local st = headers["Server-Timing"]
  if st then
    local v = st:match("dur=([%d%.]+)")
    if v then
      nd = nd + 1
      durs[nd] = tonumber(v)
    end
  end
end

local function pct(sorted, p)
  local n = #sorted
  if n == 0 then return 0 end
  local i = math.ceil(p * n)
  if i < 1 then i = 1 end
  return sorted[i]
end

function done(summary, latency, requests)
  local all, counts = {}, {}
  for _, t in ipairs(threads) do
    local d = t:get("durs")
    for i = 1, #d do all[#all + 1] = d[i] end
    for k, v in pairs(t:get("statuses")) do counts[k] = (counts[k] or 0) + v end
  end
  table.sort(all)
  local secs = summary.duration / 1e6
  local lines = {}
  local function put(k, v) lines[#lines + 1] = k .. " " .. tostring(v) end
  put("requests", summary.requests)
  put("seconds", string.format("%.3f", secs))
  put("rps", string.format("%.0f", summary.requests / secs))
  local unexpected, good = 0, 0
  for k, v in pairs(counts) do
    put("status_" .. k, v)
    if k == expect then good = good + v else unexpected = unexpected + v end
  end
  put("expected", good)
  put("unexpected", unexpected)
  local e = summary.errors
  put("socket_errors", e.connect + e.read + e.write + e.timeout)
  put("timings", #all)
  if #all > 0 then
    local sum = 0
    for i = 1, #all do sum = sum + all[i] end
    put("server_p50_ms", string.format("%.3f", pct(all, 0.50)))
    put("server_p99_ms", string.format("%.3f", pct(all, 0.99)))
    put("server_max_ms", string.format("%.3f", all[#all]))
    put("server_mean_ms", string.format("%.3f", sum / #all))
  end
  put("wrk_latency_p50_ms", string.format("%.3f", latency:percentile(50) / 1000))
  put("wrk_latency_p99_ms", string.format("%.3f", latency:percentile(99) / 1000))
  local text = table.concat(lines, "\n") .. "\n"
  io.write(text)
  if out and out ~= "" then
    local f = io.open(out, "w")
    f:write(text)
    f:close()
  end
end
