// Stand-ins for the objects Envoy's Lua HTTP filter hands to envoy_on_request / envoy_on_response (the stream
// handle API of https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/lua_filter). Scripts
// are run against these so that calls to methods Envoy does not have fail at validation time. The values they
// answer are the fixed ones upstream's validator answers, so a script takes the same branches here as there.

/**
 * Lua source that defines the global `StreamHandle`. It runs in the sandbox's environment while
 * `setmetatable` is still available; the sandbox removes that afterwards.
 */
export const envoyMocksLua = String.raw`
local function noop() end
-- Envoy's logging methods take a string: concatenating it fails on anything else, as Envoy would.
local function log(_, message) return "" .. message end
local logLevels = { "logTrace", "logDebug", "logInfo", "logWarn", "logErr", "logCritical" }

-- An object whose methods answer fixed values; every object also has Envoy's logging methods.
local function object(methods)
  local o = {}
  for _, level in ipairs(logLevels) do o[level] = log end
  for name, value in pairs(methods) do o[name] = value end
  return o
end
local function answer(value) return function() return value end end
local function repeated(value, n)
  return function()
    local list = {}
    for i = 1, n do list[i] = value end
    return list
  end
end
-- A map-like object: indexing and pairs() reach its sample entries.
local function withEntries(o)
  local entries = { key1 = "value1", key2 = "value2" }
  o.data = entries
  return setmetatable(o, {
    __index = function(_, key) return entries[key] end,
    __pairs = function() return pairs(entries) end,
  })
end

local ssl = object({
  peerCertificatePresented = answer(true),
  peerCertificateValidated = answer(false),
  uriSanLocalCertificate = repeated("san", 1000),
  sha256PeerCertificateDigest = answer("abcdef1234567890"),
  serialNumberPeerCertificate = answer("123456789"),
  issuerPeerCertificate = answer("CN=Mock Issuer, O=Example Org"),
  subjectPeerCertificate = answer("CN=Mock Subject, O=Example Org"),
  parsedSubjectPeerCertificate = function()
    return { commonName = answer("Mock Subject"), organizationName = answer("Example Org") }
  end,
  uriSanPeerCertificate = answer({ "uri1", "uri2" }),
  subjectLocalCertificate = answer("CN=Local Cert, O=Example Org"),
  urlEncodedPemEncodedPeerCertificate = answer("PEM_ENCODED_PEER_CERT"),
  urlEncodedPemEncodedPeerCertificateChain = answer("PEM_ENCODED_CERT_CHAIN"),
  dnsSansPeerCertificate = repeated("example.com", 1000),
  dnsSansLocalCertificate = repeated("local.com", 1000),
  oidsPeerCertificate = repeated("1.2.840.113549.1.1.1", 1000),
  oidsLocalCertificate = repeated("1.2.840.113549.1.1.1", 1000),
  validFromPeerCertificate = answer(1672531200),
  expirationPeerCertificate = answer(2724608000),
  sessionId = answer("abcdef1234567890abcdef1234567890"),
  ciphersuiteId = answer("0x1301"),
  ciphersuiteString = answer("TLS_AES_128_GCM_SHA256"),
  tlsVersion = answer("TLSv1.3"),
})

local connection = object({ ssl = answer(ssl) })

local dynamicMetadata = withEntries(object({ get = answer("get_result"), set = noop }))

local connectionStreamInfo = object({ dynamicMetadata = answer(dynamicMetadata) })

local streamInfo = object({
  protocol = answer("HTTP/2"),
  routeName = answer("example-route"),
  virtualClusterName = answer("example-virtual-cluster"),
  downstreamDirectLocalAddress = answer("127.0.0.1:8080"),
  downstreamLocalAddress = answer("192.168.1.100:8080"),
  downstreamDirectRemoteAddress = answer("192.168.1.50:5050"),
  downstreamRemoteAddress = answer("10.0.0.1:5050"),
  dynamicMetadata = answer(dynamicMetadata),
  downstreamSslConnection = answer(ssl),
  requestedServerName = answer("example-server"),
})

local metadata = withEntries(object({ get = answer("get_example") }))

local buffer = object({
  length = answer(10),
  getBytes = answer("example_bytes"),
  setBytes = noop,
})

local headers = withEntries(object({
  add = noop,
  get = answer("example_value"),
  getAtIndex = answer("example_value"),
  getNumValues = answer(1),
  remove = noop,
  replace = noop,
  setHttp1ReasonPhrase = noop,
  getHttp1ReasonPhrase = answer("reason"),
}))

StreamHandle = object({
  headers = answer(headers),
  body = answer(buffer),
  bodyChunks = function()
    local n = 0
    return function()
      n = n + 1
      if n <= 3 then return buffer end
    end
  end,
  trailers = answer(headers),
  httpCall = function(self, cluster, requestHeaders, body)
    self:logInfo("Making HTTP call to cluster: " .. cluster)
    return requestHeaders, body
  end,
  respond = function(self, responseHeaders)
    self:logInfo("Responding with status: " .. responseHeaders[":status"])
  end,
  metadata = answer(metadata),
  streamInfo = answer(streamInfo),
  connection = answer(connection),
  connectionStreamInfo = answer(connectionStreamInfo),
  filterContext = answer(metadata),
  setUpstreamOverrideHost = noop,
  importPublicKey = answer("mocked_public_key"),
  verifySignature = function() return true, "" end,
  base64Escape = function(_, input) return input end,
  timestamp = function() return os.time() * 1000 end,
  timestampString = function() return os.date("!%Y-%m-%dT%H:%M:%SZ", os.time()) end,
})
StreamHandle.data = { buffer }
`;
