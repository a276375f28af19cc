-- The library benchmark's routes (benchmarks/library.py), and realtime.py's paced likes.
-- Arguments: a data file, a method, and optionally a pause in ms before each request (a steady
-- rate of about threads * 1000 / pause requests a second).
-- The data file returns { threads = { { token = "..." or nil, paths = { ... } }, ... } }: each
-- thread takes its own row (rows are shared when there are fewer) and walks its paths in order,
-- with its token when the row has one. A pattern page is its two paths in a row, the pattern
-- then its comments; a like is PUT over pairs of (this thread's artist, a new pattern).
local bench = dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./") .. "common.lua")

setup = bench.setup
done = bench.done

local paths = {}
local next_path = 0
local method = "GET"
local headers = {}
local pace = 0

function init(args)
   local data = dofile(args[1])
   local row = data.threads[(id - 1) % #data.threads + 1]
   paths = row.paths
   method = args[2] or "GET"
   pace = tonumber(args[3] or "0")
   if row.token then
      headers["Authorization"] = "Bearer " .. row.token
   end
end

function delay()
   return pace
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
