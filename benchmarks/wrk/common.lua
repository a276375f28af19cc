-- Shared by the benchmark scripts: thread ids, per-thread failure counters and the one
-- machine-readable summary line ("BENCH {json}") that benchmarks/http_load.py parses.
--
-- Every script is run with as many wrk threads as connections, so each thread owns one
-- connection and its request() / response() calls alternate strictly: that is what lets a
-- thread walk a stateful flow. State therefore moves on in response(), never in request()
-- (wrk calls request() once more on the first thread to check the script).

local M = {}

-- main Lua state only (setup and done run there): the threads, to read their counters in done
local threads = {}
local next_id = 0

-- per-thread globals, read back by done() through thread:get
non2xx = 0 -- answers outside 200..299
unexpected = 0 -- 2xx answers that do not say what the flow needs (no token, wrong step, ...)
flows = 0 -- complete flows (onboarding: accounts made)
first_error = nil -- status, context and the start of the body of this thread's first failure

function M.setup(thread)
   next_id = next_id + 1
   thread:set("id", next_id)
   threads[#threads + 1] = thread
end

-- count a failure; `why` says which step of the flow it was
function M.failed(status, body, why)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   else
      unexpected = unexpected + 1
   end
   if first_error == nil then
      first_error = string.format("%d on %s: %s", status, why, string.sub(body or "", 1, 300))
   end
end

-- the row of accounts the Python script wrote for this thread (threads share when fewer)
function M.account(data)
   return data.accounts[(id - 1) % #data.accounts + 1]
end

local function json_string(value)
   if value == nil then
      return "null"
   end
   local escaped = string.gsub(value, '[%c"\\]', function(c)
      if c == '"' or c == "\\" then
         return "\\" .. c
      end
      return " "
   end)
   return '"' .. escaped .. '"'
end

function M.done(summary, latency, requests)
   local totals = { non2xx = 0, unexpected = 0, flows = 0 }
   local first = nil
   for _, thread in ipairs(threads) do
      for name, _ in pairs(totals) do
         totals[name] = totals[name] + (thread:get(name) or 0)
      end
      first = first or thread:get("first_error")
   end
   local errors = summary.errors
   io.write(string.format(
      'BENCH {"requests":%.0f,"duration_us":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,'
         .. '"timeout":%.0f,"status_errors":%.0f,"non2xx":%.0f,"unexpected":%.0f,"flows":%.0f,'
         .. '"p50_us":%.0f,"p99_us":%.0f,"first_error":%s}\n',
      summary.requests, summary.duration, errors.connect, errors.read, errors.write,
      errors.timeout, errors.status, totals.non2xx, totals.unexpected, totals.flows,
      latency:percentile(50), latency:percentile(99), json_string(first)
   ))
end

return M
