-- GET /api/health: the floor every other route is compared with.
local bench = dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./") .. "common.lua")

setup = bench.setup
done = bench.done

wrk.method = "GET"
wrk.path = "/api/health"

function response(status, headers, body)
   if status ~= 200 then
      bench.failed(status, body, "GET /api/health")
   end
end
