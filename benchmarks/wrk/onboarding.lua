-- Whole onboarding flows on each connection: start, a description, a refinement, "love it",
-- a unique artist name, "yes"; then start again. Argument: a run tag (digits) that keeps the
-- names unique across runs on the same database.
local bench = dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./") .. "common.lua")

setup = bench.setup
done = bench.done

local START = "/api/auth/musical-identity/start"
local PROCESS = "/api/auth/musical-identity/process"
local DESCRIPTIONS = {
   "I love chill lo-fi beats for studying",
   "hard trap with 808s for the gym",
   "deep house for dancing",
   "dark techno at 3am",
   "dreamy ambient with rain",
}
-- the input of each step after the start (1: description, 4: name) and the step it leads to
local INPUTS = { nil, "more bass and a bit faster", "love it", nil, "yes" }
local NEXT = { "refinement", "refinement", "naming", "confirmation", "completed" }

local headers = { ["Content-Type"] = "application/json" }
local run = "0"
local stage = 0 -- 0: start a session; 1..5: the inputs above
local session = nil
local flow = 0 -- this thread's flow counter: the artist name's last part

function init(args)
   run = args[1] or run
end

local function input()
   if stage == 1 then
      return DESCRIPTIONS[(id + flow) % #DESCRIPTIONS + 1]
   end
   if stage == 4 then
      -- digits and fixed separators only: distinct names keep distinct confusable skeletons
      return "Bench" .. run .. "-" .. id .. "-" .. flow
   end
   return INPUTS[stage]
end

function request()
   if stage == 0 then
      return wrk.format("POST", START, headers, "")
   end
   local body = '{"sessionId":"' .. session .. '","input":"' .. input() .. '"}'
   return wrk.format("POST", PROCESS, headers, body)
end

local function restart()
   stage = 0
   session = nil
   flow = flow + 1
end

function response(status, _, body)
   if stage == 0 then
      session = status == 201 and string.match(body, '"sessionId"%s*:%s*"([%w_-]+)"') or nil
      if session then
         stage = 1
      else
         bench.failed(status, body, "start")
         restart()
      end
      return
   end
   local next_step = string.match(body, '"nextStep"%s*:%s*"(%a+)"')
   if status ~= 200 or next_step ~= NEXT[stage] then
      bench.failed(status, body, "step " .. stage .. " (" .. input() .. ")")
      restart()
      return
   end
   if stage == 5 then
      if string.find(body, '"token"%s*:%s*"') then
         flows = flows + 1
      else
         bench.failed(status, body, "yes: no token")
      end
      restart()
      return
   end
   stage = stage + 1
end
