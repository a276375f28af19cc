-- GET /api/users/me with this thread's own access token. Argument: the accounts file.
local bench = dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./") .. "common.lua")

setup = bench.setup
done = bench.done

function init(args)
   local account = bench.account(dofile(args[1]))
   wrk.method = "GET"
   wrk.path = "/api/users/me"
   wrk.headers["Authorization"] = "Bearer " .. account.access
end

function response(status, _, body)
   if status ~= 200 then
      bench.failed(status, body, "GET /api/users/me")
   end
end
