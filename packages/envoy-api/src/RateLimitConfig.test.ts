import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fromProtoJson, packAny, protoJsonToBinary, toProtoJson, typeUrlOf, validate, xdsResourceTypeNames } from "@egts/envoy-api";
import { lookupMessageType, messageType, unpackAny } from "@egts/envoy-api/registry";
import { RateLimitConfig, RateLimitUnit } from "@egts/envoy-api/generated/ratelimit/config/ratelimit/v3/rls_conf";

const ratelimitCorpus = resolve(import.meta.dirname, "../../../../shared/reference/ratelimit");

describe("ratelimit.config.ratelimit.v3 (envoyproxy/ratelimit's configuration over xDS)", () => {
  const config = RateLimitConfig.fromPartial({
    name: "first-listener",
    domain: "first-listener",
    descriptors: [
      {
        key: "first-route",
        value: "first-route",
        descriptors: [
          {
            key: "rule-0-match-0",
            rateLimit: { unit: RateLimitUnit.WEEK, requestsPerUnit: 5, name: "weekly", replaces: [{ name: "daily" }] },
            shadowMode: true,
            detailedMetric: true,
            quotaMode: true,
          },
        ],
      },
    ],
  });

  it("is a registered resource type with its xDS type URL", () => {
    expect(xdsResourceTypeNames.rateLimitConfigs).toBe(RateLimitConfig.$type);
    expect(typeUrlOf(RateLimitConfig)).toBe("type.googleapis.com/ratelimit.config.ratelimit.v3.RateLimitConfig");
    expect(lookupMessageType(typeUrlOf(RateLimitConfig))).toBe(messageType(RateLimitConfig.$type));
  });

  it("packs into an Any and back", () => {
    const any = packAny(RateLimitConfig, config);
    expect(any.typeUrl).toBe("type.googleapis.com/ratelimit.config.ratelimit.v3.RateLimitConfig");
    expect(unpackAny(any)).toEqual({ typeName: RateLimitConfig.$type, message: config });
  });

  it("writes canonical proto3 JSON with the unit's enum name and the field numbers of upstream's descriptor", () => {
    const json = toProtoJson(RateLimitConfig, config) as Record<string, any>;
    const inner = json.descriptors[0].descriptors[0];
    expect(inner).toEqual({
      key: "rule-0-match-0",
      rateLimit: { unit: "WEEK", requestsPerUnit: 5, name: "weekly", replaces: [{ name: "daily" }] },
      shadowMode: true,
      detailedMetric: true,
      quotaMode: true,
    });
    // field 7 (quota_mode, varint) ends the inner descriptor; WEEK is 7 on the wire
    const bytes = RateLimitConfig.encode(config).finish();
    expect(RateLimitConfig.decode(bytes)).toEqual(config);
    expect(Buffer.from(protoJsonToBinary(RateLimitConfig.$type, json))).toEqual(Buffer.from(bytes));
  });

  it("has no validation rules to break: a config with every field set is valid", () => {
    expect(validate(RateLimitConfig.$type, RateLimitConfig.encode(config).finish())).toEqual([]);
  });

  it("rejects JSON with a field the proto does not declare", () => {
    expect(() => fromProtoJson(RateLimitConfig, { domain: "d", valueToMetric: true } as never)).toThrow(/valueToMetric/);
  });

  describe.runIf(existsSync(ratelimitCorpus))("every expected config of the reference corpus", () => {
    const cases = existsSync(ratelimitCorpus) ? readdirSync(ratelimitCorpus).sort() : [];
    it.each(cases)("%s round-trips through the binary encoding", (name) => {
      const configs = JSON.parse(readFileSync(join(ratelimitCorpus, name, "expected", "config.json"), "utf8")) as unknown[];
      for (const expected of configs) {
        const message = fromProtoJson(RateLimitConfig, expected as never);
        expect(toProtoJson(RateLimitConfig, RateLimitConfig.decode(RateLimitConfig.encode(message).finish()))).toEqual(expected);
      }
    });
  });
});
