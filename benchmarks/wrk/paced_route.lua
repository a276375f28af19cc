-- A steady write load for benchmarks/realtime.py: like library_route.lua (a data file of
-- per-thread tokens and paths, and a method), but each thread waits `pace` ms before each
-- request, so the whole run offers about threads * 1000 / pace requests a second.
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
