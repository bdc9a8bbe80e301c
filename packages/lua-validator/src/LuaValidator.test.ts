import { beforeAll, describe, expect, it } from "vitest";
import { createLuaValidator, type LuaValidator } from "./LuaValidator.js";

let vm: LuaValidator;
let small: LuaValidator;
beforeAll(async () => {
  vm = await createLuaValidator();
  small = await createLuaValidator({ maxInstructions: 2_000_000, maxMemoryBytes: 4 * 1024 * 1024, maxCodeBytes: 4096 });
});

const onRequest = (body: string): string => `function envoy_on_request(handle)\n${body}\nend\nenvoy_on_request(StreamHandle)`;

describe("Strict: scripts run against the stream handle mocks", () => {
  it("passes scripts that use Envoy's API", () => {
    const script = onRequest(`
      local headers = handle:headers()
      headers:add("x-seen", headers:get(":path") .. "!")
      for k, v in pairs(headers) do handle:logDebug(k .. "=" .. v) end
      local body = handle:body()
      local bytes = body:getBytes(0, body:length())
      handle:streamInfo():dynamicMetadata():set("f", "k", #bytes)
      for chunk in handle:bodyChunks() do handle:logInfo(tostring(chunk:length())) end
      local ssl = handle:connection():ssl()
      if ssl ~= nil and ssl:peerCertificatePresented() then handle:logInfo(ssl:subjectPeerCertificate()) end
      local n = unpack({ table.getn({ 1, 2 }) })
      handle:logInfo(string.format("%d", n))`);
    expect(vm.execute(script)).toBeUndefined();
  });

  it("words a call of a missing method as gopher-lua does, with its traceback", () => {
    expect(vm.execute("function envoy_on_response(r) r:noSuchMethod() end\nenvoy_on_response(StreamHandle)")).toBe(
      "<string>:1: attempt to call a non-function object\nstack traceback:\n\t<string>:1: in function 'envoy_on_response'\n\t<string>:2: in main chunk\n\t[G]: ?",
    );
  });

  it("words indexing, arithmetic and concatenation errors as gopher-lua does", () => {
    expect(vm.execute(onRequest("local t = nil\nreturn t.field"))).toMatch(/^<string>:3: attempt to index a non-table object\(nil\) with key 'field'\n/);
    expect(vm.execute(onRequest("return handle:headers():get('a') + true"))).toMatch(/^<string>:2: cannot perform add operation between string and boolean\n/);
    expect(vm.execute(onRequest("return 'a' .. nil"))).toMatch(/^<string>:2: cannot perform concat operation between string and nil\n/);
    expect(vm.execute(onRequest("return 1 < 'x'"))).toMatch(/^<string>:2: attempt to compare number with string\n/);
  });

  it("lists error() in the traceback as a Go function, as gopher-lua does", () => {
    expect(vm.execute(onRequest("error('no')"))).toBe(
      "<string>:2: no\nstack traceback:\n\t[G]: in function 'error'\n\t<string>:2: in function 'envoy_on_request'\n\t<string>:4: in main chunk\n\t[G]: ?",
    );
  });

  it("keeps the script away from files, the process and the VM's internals", () => {
    expect(vm.execute(onRequest("io.open('/var/run/secrets/token')"))).toMatch(
      /^<string>:2: access to critical path \/var\/run\/secrets\/token is restricted for security\n/,
    );
    expect(vm.execute(onRequest("io.open('a/../b')"))).toMatch(/^<string>:2: path traversals are restricted for security\n/);
    expect(vm.execute(onRequest("os.getenv('PWD')"))).toMatch(/restricted for security/);
    for (const name of ["os.execute", "io.popen", "require", "load", "loadstring", "dofile", "setmetatable", "getmetatable", "rawset"]) {
      expect(vm.execute(onRequest(`${name}("x")`))).toMatch(/^<string>:2: attempt to call a non-function object\n/);
    }
    expect(vm.execute(onRequest("return debug.getinfo(1)"))).toMatch(/attempt to index a non-table object\(nil\) with key 'getinfo'/);
    expect(vm.execute(onRequest("return _G.os"))).toMatch(/attempt to index a non-table object\(nil\) with key 'os'/);
    expect(vm.execute(onRequest("local f = io.open('/tmp/x') assert(f == nil)"))).toBeUndefined();
  });

  it("runs each script in a fresh state", () => {
    expect(vm.execute(onRequest("string.upper = nil; leaked = 1"))).toBeUndefined();
    expect(vm.execute(onRequest("assert(leaked == nil); return string.upper('a')"))).toBeUndefined();
  });
});

describe("syntax errors in gopher-lua's words", () => {
  it("places the token Lua stopped at by the column where it ends", () => {
    const script = "function envoy_on_response(r)\n  local v = 10\n  if v > 5\n    r:logInfo('big')\n  end\nend\nenvoy_on_response(StreamHandle)";
    const expected = "<string> line:4(column:5) near 'r':   syntax error\n";
    expect(vm.checkSyntax(script)).toBe(expected);
    expect(vm.execute(script)).toBe(expected);
  });

  it("reports an unexpected end of the source as gopher-lua does", () => {
    expect(vm.checkSyntax("function envoy_on_request(h)\n")).toBe("<string> at EOF:   syntax error\n");
  });

  it("reports gopher-lua's lexical errors", () => {
    expect(vm.checkSyntax("local s = 'open\nfunction envoy_on_request(h) end")).toBe("<string> line:2(column:0) near 'open':   unterminated string\n");
    expect(vm.checkSyntax("local a = 1 & 2")).toBe("<string> line:1(column:13) near '&':   Invalid token\n");
  });

  it("rejects Lua 5.4 syntax that Lua 5.1 (gopher-lua) does not have", () => {
    expect(vm.checkSyntax("local a = 7 // 2")).toBe("<string> line:1(column:14) near '/':   syntax error\n");
    expect(vm.checkSyntax("local a = 1 << 2")).toBe("<string> line:1(column:14) near '<':   syntax error\n");
    expect(vm.checkSyntax("local a <const> = 1")).toBe("<string> line:1(column:9) near '<':   syntax error\n");
    expect(vm.execute(onRequest("local a = 7 // 2"))).toBe("<string> line:2(column:14) near '/':   syntax error\n");
  });

  it("accepts what parses, without running it", () => {
    expect(vm.checkSyntax("function envoy_on_request(h) h:noSuchMethod() end\nenvoy_on_request(StreamHandle)")).toBeUndefined();
  });
});

describe("bounds", () => {
  it("stops endless loops, also inside pcall and coroutines", () => {
    const stopped = "lua execution stopped: code ran more than 2000000 instructions";
    expect(small.execute(onRequest("while true do end"))).toBe(stopped);
    expect(small.execute(onRequest("while true do pcall(function() while true do end end) end"))).toBe(stopped);
    expect(small.execute(onRequest("coroutine.wrap(function() while true do end end)()"))).toBe(stopped);
    expect(small.execute(onRequest("local co = coroutine.create(function() while true do end end) while true do coroutine.resume(co) end"))).toBe(stopped);
  });

  it("stops scripts that take too much memory", () => {
    expect(small.execute(onRequest("local s = 'x' while true do s = s .. s end"))).toBe("lua execution stopped: code used more than 4194304 bytes of memory");
    expect(small.execute(onRequest("local t = {} for i = 1, 1e7 do t[i] = i end"))).toMatch(/memory|instructions/);
  });

  it("refuses scripts over the size limit without running them", () => {
    expect(small.execute(`-- ${"x".repeat(5000)}`)).toBe("lua code is longer than 4096 bytes");
  });
});
