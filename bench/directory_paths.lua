-- wrk script: rotate through the directory URLs listed (one per line) in the file
-- named by the DIRECTORY_PATHS environment variable, with the headers given there.
local paths = {}
local file = io.open(os.getenv("DIRECTORY_PATHS"), "r")
for line in file:lines() do
  if #line > 0 then table.insert(paths, line) end
end
file:close()
local cookie = os.getenv("DIRECTORY_COOKIE") or ""
local agent = os.getenv("DIRECTORY_AGENT") or "growthdesk-bench"
local htmx = os.getenv("DIRECTORY_HTMX") == "1"
local counter = 0

request = function()
  counter = counter + 1
  local headers = { ["Cookie"] = cookie, ["User-Agent"] = agent }
  if htmx then headers["HX-Request"] = "true" end
  return wrk.format("GET", paths[(counter % #paths) + 1], headers)
end

local non2xx = 0
response = function(status, headers, body)
  if status ~= 200 then non2xx = non2xx + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-200 answers: %d\n", summary.errors.status))
end
