-- Addresses for wrk, one a line from a file, each thread walking its own slice of them:
--
--     wrk -t2 -c16 -d10s -s bench/addresses.lua http://127.0.0.1:8000 -- FILE
--
-- The file is shuffled already (bench/cold.py). Thread n of N takes the n-th of N equal
-- slices, so no two threads send the same address; a thread that comes to the end of its
-- slice starts it again, and counts each address it sends a second time as a repeat, which
-- done() prints ("repeats: R of S sent") for bench/run.py to report.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

function init(args)
   local all = {}
   for line in io.lines(args[1]) do
      if line ~= "" then
         table.insert(all, line)
      end
   end
   local count = tonumber(args[2])
   local per_thread = math.floor(#all / count)
   if per_thread < 1 then
      error("fewer addresses than threads in " .. args[1])
   end
   addresses = {}
   for i = (id - 1) * per_thread + 1, id * per_thread do
      table.insert(addresses, all[i])
   end
   position = 0
   sent = 0
   repeats = 0
end

function request()
   position = position + 1
   if position > #addresses then
      position = 1
   end
   sent = sent + 1
   if sent > #addresses then
      repeats = repeats + 1
   end
   return wrk.format("GET", addresses[position])
end

function done(summary, latency, requests)
   local sent_total, repeats_total = 0, 0
   for _, thread in ipairs(threads) do
      sent_total = sent_total + thread:get("sent")
      repeats_total = repeats_total + thread:get("repeats")
   end
   io.write(string.format("repeats: %d of %d sent\n", repeats_total, sent_total))
end
