-- GET /api/users/{name}, anonymous, rotating over every seeded artist (each thread starts at
-- its own). Argument: the accounts file (its `paths`, already URL-encoded).
local bench = dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./") .. "common.lua")

setup = bench.setup
done = bench.done

local paths = {}
local next_path = 0

function init(args)
   paths = dofile(args[1]).paths
   next_path = id
end

function request()
   next_path = next_path % #paths + 1
   return wrk.format("GET", paths[next_path])
end

function response(status, _, body)
   if status ~= 200 then
      bench.failed(status, body, "GET /api/users/{name}")
   end
end
