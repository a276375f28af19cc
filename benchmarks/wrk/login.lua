-- POST /api/auth/login with this thread's artist name and password (argon2id on the server).
-- Argument: the accounts file.
local bench = dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./") .. "common.lua")

setup = bench.setup
done = bench.done

function init(args)
   local data = dofile(args[1])
   local account = bench.account(data)
   wrk.method = "POST"
   wrk.path = "/api/auth/login"
   wrk.headers["Content-Type"] = "application/json"
   wrk.body = '{"identifier":"' .. account.name .. '","password":"' .. data.password .. '"}'
end

function response(status, _, body)
   if status ~= 200 or not string.find(body, '"token"%s*:%s*"') then
      bench.failed(status, body, "POST /api/auth/login")
   end
end
