-- wrk script: POST pre-signed event bodies (wrk's Lua has no HMAC, so bench/bench_events.py signs
-- them beforehand). The file named by EVENTS_BODIES holds one "<signature>\t<body>" per line;
-- of EVENTS_THREADS threads, thread k sends lines k, k+n, k+2n, ... so no two threads send one id.
-- Past its last line a thread starts again (a repeat: the cheaper replay path); done() reports it.
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(os.getenv("EVENTS_THREADS"))
  signatures, bodies, sent, wrapped = {}, {}, 0, 0
  local number = 0
  for line in io.lines(os.getenv("EVENTS_BODIES")) do
    if number % count == index then
      local tab = line:find("\t", 1, true)
      table.insert(signatures, line:sub(1, tab - 1))
      table.insert(bodies, line:sub(tab + 1))
    end
    number = number + 1
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  sent = sent + 1
  if sent > #bodies then
    sent, wrapped = 1, wrapped + 1
  end
  wrk.headers["X-Growth-Signature"] = signatures[sent]
  return wrk.format(nil, nil, nil, bodies[sent])
end

done = function(summary, latency, requests)
  local wraps = 0
  for _, thread in ipairs(threads) do
    wraps = wraps + (thread:get("wrapped") or 0)
  end
  io.write(string.format("bodies wrapped around: %d\n", wraps))
end
