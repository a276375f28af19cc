-- POST /api/generate-music, rotating descriptions, listening contexts and seeds.
local bench = dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./") .. "common.lua")

setup = bench.setup
done = bench.done

local BODIES = {
   '{"userInput":"I love chill lo-fi beats for studying",'
      .. '"context":{"timeOfDay":"night","activity":"studying"},"seed":%d}',
   '{"userInput":"hard trap with 808s for the gym",'
      .. '"musicDNA":{"primaryGenre":"trap","energyLevel":9},"seed":%d}',
   '{"userInput":"deep house for dancing","context":{"timeOfDay":"evening"},"seed":%d}',
   '{"userInput":"dark techno at 3am","musicDNA":{"preferredMood":"dark","complexity":7},'
      .. '"seed":%d}',
   '{"userInput":"dreamy ambient with rain","seed":%d}',
}
local headers = { ["Content-Type"] = "application/json" }
local count = 0

function init(args)
   count = id
end

function request()
   count = count + 1
   local body = string.format(BODIES[count % #BODIES + 1], count % 1000)
   return wrk.format("POST", "/api/generate-music", headers, body)
end

function response(status, _, body)
   if status ~= 200 or not string.find(body, '"code"%s*:%s*"') then
      bench.failed(status, body, "POST /api/generate-music")
   end
end
