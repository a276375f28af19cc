-- POST /api/auth/refresh, stateful: every answer's new refresh token is the next request's.
-- Argument: the accounts file (each thread gets its own device sign-in).
local bench = dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./") .. "common.lua")

setup = bench.setup
done = bench.done

local headers = { ["Content-Type"] = "application/json" }
local token = nil

function init(args)
   token = bench.account(dofile(args[1])).refresh
end

function request()
   return wrk.format("POST", "/api/auth/refresh", headers, '{"refreshToken":"' .. token .. '"}')
end

function response(status, _, body)
   local next_token = status == 200 and string.match(body, '"refreshToken"%s*:%s*"([^"]+)"')
   if next_token then
      token = next_token
   else
      bench.failed(status, body, "POST /api/auth/refresh")
   end
end
