-- wrk script for tests/load/wrk.sh: each request takes the next of the main
-- public pages and the search API; any answer other than 200 is an error.
local paths = {
  "/es/", "/en/", "/pt/",
  "/en/institutions", "/es/institutions?country=BR", "/pt/institutions/senai",
  "/es/observatory", "/en/observatory?country=BR",
  "/en/resources", "/pt/courses", "/es/events", "/en/events/vc2020-04",
  "/es/search?q=empleo", "/pt/search?q=ensino%20a%20dist%C3%A2ncia",
  "/api/v1/search?q=formaci%C3%B3n", "/api/v1/search?q=covid&type=measure",
  "/api/v1/institutions?member=true", "/api/v1/measures?per_page=20",
  "/api/v1/courses",
}
local n = 0
local bad = 0

request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end

response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

-- Each wrk thread has its own copy of `bad`; collect them at the end.
local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + (t:get("bad") or 0) end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "seconds": %.1f, "rps": %.1f, "p50_ms": %.1f, "p90_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, ' ..
    '"non_200": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, non200, e.connect, e.read, e.write, e.timeout))
end
