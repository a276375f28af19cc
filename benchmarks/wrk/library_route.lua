-- The library benchmark's routes (benchmarks/library.py), and realtime.py's paced likes.
-- Arguments: a data file, a method, and optionally a period in ms and the number of threads:
-- each thread then sends a request every period, on a fixed schedule (thread n starts n/threads
-- of a period late, so the threads take turns), whatever its answers take: a steady rate of
-- threads * 1000 / period requests a second as long as an answer takes less than a period.
-- The data file returns { threads = { { token = "..." or nil, paths = { ... } }, ... } }: each
-- thread takes its own row (rows are shared when there are fewer) and walks its paths in order,
-- with its token when the row has one. A pattern page is its two paths in a row, the pattern
-- then its comments; a like is PUT over pairs of (this thread's artist, a new pattern).
local bench = dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./") .. "common.lua")
local ffi = require("ffi")

ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } nal_timespec;
int clock_gettime(int clock, nal_timespec *now);
]])
local CLOCK_MONOTONIC = 1
local now_buffer = ffi.new("nal_timespec")

local function now_ms()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, now_buffer)
   return tonumber(now_buffer.tv_sec) * 1000 + tonumber(now_buffer.tv_nsec) / 1e6
end

setup = bench.setup
done = bench.done

local paths = {}
local next_path = 0
local method = "GET"
local headers = {}
local period = 0
local threads = 1
local next_send = nil

function init(args)
   local data = dofile(args[1])
   local row = data.threads[(id - 1) % #data.threads + 1]
   paths = row.paths
   method = args[2] or "GET"
   period = tonumber(args[3] or "0")
   threads = tonumber(args[4] or "1")
   if row.token then
      headers["Authorization"] = "Bearer " .. row.token
   end
end

function delay()
   if period == 0 then
      return 0
   end
   local now = now_ms()
   if next_send == nil then
      next_send = now + period * ((id - 1) % threads) / threads
   end
   local wait = next_send - now
   next_send = next_send + period
   return math.max(0, math.floor(wait))
end

function request()
   return wrk.format(method, paths[next_path % #paths + 1], headers)
end

function response(status, _, body)
   local path = paths[next_path % #paths + 1]
   next_path = next_path + 1
   if status ~= 200 then
      bench.failed(status, body, method .. " " .. path)
   else
      flows = flows + 1
   end
end
