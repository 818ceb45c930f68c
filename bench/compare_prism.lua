-- wrk script for compare_prism.py.
--
-- Configured through environment variables, read when the script loads (wrk decides
-- right after loading whether the request is static, i.e. built once, or built by request()):
--   BENCH_METHOD     HTTP method (default GET)
--   BENCH_BODY_FILE  request body; an "@@EMAIL@@" in it becomes a new address for each request
--   BENCH_RUN_ID     part of every address, so that addresses differ between wrk runs too
-- Headers come from wrk's -H options (wrk.headers).
--
-- done() prints one line, "BENCH_RESULT {json}": exact latency percentiles in microseconds
-- and wrk's counters, so the caller need not parse "1.23ms"-style text.

local MARK = "@@EMAIL@@"
local run_id = os.getenv("BENCH_RUN_ID") or "0"
local body_file = os.getenv("BENCH_BODY_FILE") or ""

wrk.method = os.getenv("BENCH_METHOD") or "GET"

local head, tail
if body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  local body = f:read("*a")
  f:close()
  local s, e = string.find(body, MARK, 1, true)
  if s then
    head, tail = body:sub(1, s - 1), body:sub(e + 1)
  else
    wrk.body = body
  end
end

-- setup() runs in wrk's main Lua state, once per thread: number the threads, and keep them
-- so that done() can read what each counted. compare_prism.py runs one connection per thread,
-- so a thread's count is a connection's: a starved connection shows as 0 answers.
local threads = 0
local all_threads = {}
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
  table.insert(all_threads, thread)
end

answers = 0 -- per thread (each wrk thread has its own Lua state)
function response(status, headers, body)
  answers = answers + 1
end

-- Only defined when the body has a marker: otherwise wrk keeps its faster static request.
if head then
  local n = 0 -- per thread: each wrk thread has its own Lua state
  function request()
    n = n + 1
    -- A stateful server refuses a repeated email (Email_Already_Exists): make each one new.
    local email = string.format("b%s.%d.%d@example.com", run_id, tid, n)
    return wrk.format(nil, nil, nil, head .. email .. tail)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local function us(p) return math.floor(latency:percentile(p)) end
  local counts = {}
  for i, thread in ipairs(all_threads) do
    counts[i] = string.format("%d", thread:get("answers") or 0)
  end
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"status_errors":%d,"connect_errors":%d,' ..
    '"read_errors":%d,"write_errors":%d,"timeouts":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"answers":[%s]}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    us(50), us(90), us(99), us(99.9), math.floor(latency.max), table.concat(counts, ",")))
end
