// The Lua side of a validation run. It is loaded into a fresh Lua state as trusted code (chunk name
// "=[egts]"), keeps private references to the libraries it needs, and runs the script in an environment of
// its own: the standard library without what could reach outside the VM (debug, load, require, file and
// process access), with Lua 5.1 names the script may rely on (upstream validates with gopher-lua, a Lua 5.1).
//
// Errors are reported the way gopher-lua words them: metatables on the non-table types raise gopher-lua's
// messages for indexing, calling, arithmetic and concatenation, and a message handler writes gopher-lua's
// "stack traceback:" layout from debug.getinfo. Execution is bounded by a count hook (instructions and CPU
// time), installed on every coroutine the script creates too; memory is bounded by the allocator (JS side).
//
// Inputs arrive as globals set by the JS side (egts_*), which the driver clears before the script runs.
// The driver answers "<outcome>\n<detail>": outcome ok, syntax (detail: Lua's message), runtime (detail: the
// error in gopher-lua's words) or limit (detail: instructions, time or memory).

/** Chunk name of the trusted driver; frames from it never appear in tracebacks. */
export const driverChunkName = "=[egts]";

/** Lua source of the validation driver (see the file comment). */
export const sandboxDriverLua = String.raw`
local G = _G
local code, mode, mocks = G.egts_code, G.egts_mode, G.egts_mocks
local maxSteps, maxSeconds = G.egts_max_instructions, G.egts_max_seconds
G.egts_code, G.egts_mode, G.egts_mocks, G.egts_max_instructions, G.egts_max_seconds = nil, nil, nil, nil, nil

local load, xpcall, pcall, error, type, tostring, tonumber, pairs, ipairs, select =
  load, xpcall, pcall, error, type, tostring, tonumber, pairs, ipairs, select
local setmetatable, getinfo, sethook, dsetmetatable, dgetmetatable =
  setmetatable, debug.getinfo, debug.sethook, debug.setmetatable, debug.getmetatable
local tpack, tunpack, concat = table.pack, table.unpack, table.concat
local sformat, smatch, sgsub, ssub = string.format, string.match, string.gsub, string.sub
local clock = os.clock
local cocreate, cowrap, coresume, costatus, coyield, corunning =
  coroutine.create, coroutine.wrap, coroutine.resume, coroutine.status, coroutine.yield, coroutine.running

local SOURCE = "<string>"
local LIMIT = setmetatable({}, { __tostring = function() return "limit" end })

-- Execution bounds: a count hook on every thread the script runs in.
local STEP = 1000
local steps, started, breached = 0, clock(), nil
local function hook()
  steps = steps + STEP
  if breached == nil then
    if steps > maxSteps then breached = "instructions"
    elseif clock() - started > maxSeconds then breached = "time" end
  end
  -- Once breached, every check fails: the pcall and coroutine wrappers below hand the error on, so no loop
  -- of protected calls outlasts it.
  if breached ~= nil then error(LIMIT, 0) end
end
local function bound(co)
  sethook(co, hook, "", STEP)
  return co
end

-- gopher-lua's wording for operations on values that do not support them.
local function indexError(value, key)
  error(sformat("attempt to index a non-table object(%s) with key '%s'", type(value), tostring(key)), 2)
end
local function callError()
  error("attempt to call a non-function object", 2)
end
local function lengthError()
  error("__len undefined", 2)
end
local function minusError()
  error("__unm undefined", 2)
end
local function concatError(a, b)
  error(sformat("cannot perform concat operation between %s and %s", type(a), type(b)), 2)
end
local function arithmetic(event, op)
  return function(a, b)
    local x, y = tonumber(a), tonumber(b)
    if x ~= nil and y ~= nil and type(a) ~= "table" and type(b) ~= "table" then return op(x, y) end
    error(sformat("cannot perform %s operation between %s and %s", event, type(a), type(b)), 2)
  end
end
local arithmeticEvents = {
  __add = arithmetic("add", function(x, y) return x + y end),
  __sub = arithmetic("sub", function(x, y) return x - y end),
  __mul = arithmetic("mul", function(x, y) return x * y end),
  __div = arithmetic("div", function(x, y) return x / y end),
  __mod = arithmetic("mod", function(x, y) return x % y end),
  __pow = arithmetic("pow", function(x, y) return x ^ y end),
}
local function gopherMetatable(base)
  local mt = base or {}
  for event, fn in pairs(arithmeticEvents) do mt[event] = fn end
  mt.__concat = concatError
  mt.__call = callError
  if base == nil then
    mt.__index = indexError
    mt.__newindex = indexError
    mt.__len = lengthError
    mt.__unm = minusError
  end
  return mt
end
dsetmetatable(nil, gopherMetatable())
dsetmetatable(false, gopherMetatable())
dsetmetatable(0, gopherMetatable())
dsetmetatable(print, gopherMetatable())
gopherMetatable(dgetmetatable(""))

-- Lua 5.4 messages the metatables cannot intercept (operands that are tables), in gopher-lua's words.
local function gopherMessage(msg)
  local where, rest = smatch(msg, "^(" .. SOURCE .. ":%d+: )(.*)$")
  if where == nil then where, rest = "", msg end
  if smatch(rest, "^attempt to call a %w+ value") then
    return where .. "attempt to call a non-function object"
  end
  local t = smatch(rest, "^attempt to compare two (%w+) values$")
  if t ~= nil then return where .. "attempt to compare " .. t .. " with " .. t end
  local a, b = smatch(rest, "^attempt to compare (%w+) with (%w+)$")
  if a ~= nil then return where .. "attempt to compare " .. a .. " with " .. b end
  t = smatch(rest, "^attempt to index a (%w+) value")
  if t ~= nil then return where .. "attempt to index a non-table object(" .. t .. ")" end
  t = smatch(rest, "^attempt to concatenate a (%w+) value")
  if t ~= nil then return where .. "cannot perform concat operation with " .. t end
  t = smatch(rest, "^attempt to perform arithmetic on a (%w+) value")
  if t ~= nil then return where .. "cannot perform arithmetic operation with " .. t end
  return msg
end

-- gopher-lua's traceback layout, from the frames of the script (driver frames are left out).
local function frameName(info)
  if info.what == "main" then return "main chunk" end
  if info.name ~= nil then return "function '" .. info.name .. "'" end
  if info.what == "C" then return "function (anonymous)" end
  return "function <" .. SOURCE .. ":" .. info.linedefined .. ">"
end
local function traceback(level)
  local lines = {}
  local pending = {}
  while true do
    local info = getinfo(level, "Slnt")
    if info == nil then break end
    if info.source == "${driverChunkName}" then
      -- C frames that led into driver code (error() called by a metatable handler) are not the script's.
      pending = {}
    elseif info.what == "C" then
      pending[#pending + 1] = "\t[G]: in " .. frameName(info)
    else
      for _, line in ipairs(pending) do lines[#lines + 1] = line end
      pending = {}
      lines[#lines + 1] = "\t" .. SOURCE .. ":" .. info.currentline .. ": in " .. frameName(info)
      if info.istailcall then lines[#lines + 1] = "\t(tailcall): ?" end
      if info.what == "main" and info.source == "=" .. SOURCE then break end
    end
    level = level + 1
  end
  lines[#lines + 1] = "\t[G]: ?"
  if #lines > 20 then
    local short = {}
    for i = 1, 7 do short[#short + 1] = lines[i] end
    short[#short + 1] = "\t..."
    for i = #lines - 6, #lines do short[#short + 1] = lines[i] end
    lines = short
  end
  return "stack traceback:\n" .. concat(lines, "\n")
end
local function handler(err)
  if err == LIMIT or breached ~= nil then
    sethook()
    return LIMIT
  end
  if type(err) ~= "string" then err = tostring(err) end
    return gopherMessage(err) .. "\n" .. traceback(3)
end

-- The script's environment.
local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end
local function noop() end
local env = {}
for _, name in ipairs({ "assert", "error", "ipairs", "next", "pairs", "select", "tonumber", "tostring", "type", "rawequal" }) do
  env[name] = G[name]
end
env._VERSION = "Lua 5.1"
env.print = noop
env.unpack = tunpack
env.collectgarbage = function() return 0 end
-- pcall and xpcall hand the limit error on instead of letting the script swallow it.
env.pcall = function(...)
  local r = tpack(pcall(...))
  if breached ~= nil then error(LIMIT, 0) end
  return tunpack(r, 1, r.n)
end
env.xpcall = function(f, msgh, ...)
  local r = tpack(xpcall(f, msgh, ...))
  if breached ~= nil then error(LIMIT, 0) end
  return tunpack(r, 1, r.n)
end
env.string = copy(string)
env.table = copy(table)
env.table.getn = function(t) return #t end
env.table.maxn = function(t)
  local n = 0
  for k in pairs(t) do if type(k) == "number" and k > n then n = k end end
  return n
end
env.math = copy(math)
env.math.pow = function(x, y) return x ^ y end
env.math.log10 = function(x) return math.log(x, 10) end
env.math.mod = math.fmod
env.coroutine = {
  create = function(f) return bound(cocreate(f)) end,
  wrap = function(f)
    local co = bound(cocreate(f))
    return function(...)
      local r = tpack(coresume(co, ...))
      if breached ~= nil then error(LIMIT, 0) end
      if not r[1] then error(r[2], 0) end
      return tunpack(r, 2, r.n)
    end
  end,
  resume = function(...)
    local r = tpack(coresume(...))
    if breached ~= nil then error(LIMIT, 0) end
    return tunpack(r, 1, r.n)
  end,
  yield = coyield, status = costatus, running = corunning,
}

-- Files and the process environment stay out of reach; names of sensitive places are refused as upstream
-- refuses them (errors point at the script's call), everything else behaves as if absent.
local criticalPaths = { "/etc", "/proc", "/sys", "/certs", "/var/run/secrets", "/run/secrets" }
local function checkPath(path)
  if type(path) ~= "string" then return end
  local p = sgsub(path, "\\", "/")
  for segment in (p .. "/"):gmatch("([^/]*)/") do
    if segment == "." or segment == ".." then error("path traversals are restricted for security", 3) end
  end
  p = sgsub(p, "/+", "/")
  if ssub(p, 1, 1) ~= "/" then p = "/" .. p end
  p = smatch(p, "^(.-)/*$")
  for _, critical in ipairs(criticalPaths) do
    if p == critical or ssub(p, 1, #critical + 1) == critical .. "/" then
      error("access to critical path " .. path .. " is restricted for security", 3)
    end
  end
end
local function absent(path) return nil, tostring(path) .. ": No such file or directory", 2 end
env.io = {
  open = function(path) checkPath(path) return absent(path) end,
  lines = function(path) checkPath(path) error(tostring(path) .. ": No such file or directory", 2) end,
  write = noop,
  read = noop,
}
env.os = {
  time = os.time, clock = os.clock, date = os.date, difftime = os.difftime,
  getenv = function(name)
    if type(name) == "string" and name:upper() == "PWD" then
      error("access to critical environment variable " .. name .. " is restricted for security", 2)
    end
    return nil
  end,
  remove = function(path) checkPath(path) return absent(path) end,
  rename = function(from, to) checkPath(from) checkPath(to) return absent(from) end,
}

-- Mocks of Envoy's API run first, with setmetatable, which the script then does not get.
env.setmetatable = setmetatable
local mocksChunk = load(mocks, "=" .. SOURCE, "t", env)
mocksChunk()
env.setmetatable = nil

local chunk, syntaxError = load(code, "=" .. SOURCE, "t", env)
if chunk == nil then return "syntax\n" .. syntaxError end
if mode == "load" then return "ok\n" end

bound(corunning())
local ok, err = xpcall(chunk, handler)
sethook()
if breached ~= nil then return "limit\n" .. breached end
if ok then return "ok\n" end
if err == "not enough memory" then return "limit\nmemory" end
return "runtime\n" .. tostring(err)
`;
