// Synthetic xds IR for the benchmarks: HTTP routes spread over listeners, one cluster (two endpoints) per route.

/** IR with `routeCount` HTTP routes over `listenerCount` listeners. */
export function syntheticIr(routeCount, listenerCount = 10) {
  const perListener = Math.ceil(routeCount / listenerCount);
  const http = [];
  for (let l = 0; l < listenerCount; l++) {
    const routes = [];
    for (let r = 0; r < perListener && l * perListener + r < routeCount; r++) {
      const id = l * perListener + r;
      const dest = `httproute/default/route-${id}/rule/0`;
      routes.push({
        name: `httproute/default/route-${id}/rule/0/match/0/www_example${id % 50}_com`,
        hostname: `www.example${id % 50}.com`,
        isHTTP2: false,
        pathMatch: { name: "", prefix: `/svc-${id}`, distinct: false },
        headerMatches: id % 3 === 0 ? [{ name: "x-tenant", exact: `t${id % 7}`, distinct: false }] : [],
        destination: {
          name: dest,
          settings: [
            {
              name: `${dest}/backend/0`,
              weight: 1,
              protocol: "HTTP",
              addressType: "IP",
              endpoints: [
                { host: `10.${(id >> 8) & 255}.${id & 255}.1`, port: 8080 },
                { host: `10.${(id >> 8) & 255}.${id & 255}.2`, port: 8080 },
              ],
            },
          ],
        },
        timeout: "15s",
      });
    }
    http.push({
      name: `default/gateway-1/http-${l}`,
      address: "0.0.0.0",
      port: 10080 + l,
      externalPort: 80 + l,
      hostnames: ["*"],
      path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
      routes,
    });
  }
  return { http };
}
