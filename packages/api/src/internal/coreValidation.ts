// Validation of the core Kubernetes kinds the translators read (Service, EndpointSlice), with the rules and
// messages of the API server's own validation (k8s.io/kubernetes pkg/apis/core/validation and
// pkg/apis/discovery/validation), so an object a cluster would refuse is refused here too, and only it.
import type { FieldIssue } from "./structural.js";
import { renderValue } from "./structural.js";

type J = Record<string, unknown>;

const isRecord = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123LabelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const portProtocols = ["SCTP", "TCP", "UDP"];

class Issues {
  readonly list: FieldIssue[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message, severity: "error" });
  }
  invalid(path: string, value: unknown, detail: string): void {
    this.add(path, `Invalid value: ${renderValue(value)}: ${detail}`);
  }
}

function label(issues: Issues, path: string, value: unknown): void {
  if (typeof value !== "string") return;
  if (value.length > 63) issues.invalid(path, value, "must be no more than 63 characters");
  else if (!dns1123Label.test(value)) issues.invalid(path, value, dns1123LabelMessage);
}

function portInRange(issues: Issues, path: string, value: unknown, min: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > 65535) {
    issues.invalid(path, value, `must be between ${min} and 65535, inclusive`);
  }
}

function protocol(issues: Issues, path: string, value: unknown): void {
  // An absent protocol is defaulted to TCP by the API server before validation.
  if (value === undefined || value === null) return;
  if (typeof value !== "string" || !portProtocols.includes(value)) {
    issues.add(path, `Unsupported value: ${renderValue(value)}: supported values: ${portProtocols.map((p) => JSON.stringify(p)).join(", ")}`);
  }
}

// An IANA service name, as a container or target port name (validation.IsValidPortName).
function portName(issues: Issues, path: string, value: string): void {
  const problems: string[] = [];
  if (value.length < 1 || value.length > 15) problems.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(value)) problems.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(value)) problems.push("must contain at least one letter (a-z)");
  if (value.includes("--")) problems.push("must not contain consecutive hyphens");
  if (value.startsWith("-") || value.endsWith("-")) problems.push("must not begin or end with a hyphen");
  for (const p of problems) issues.invalid(path, value, p);
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length > 45) return false;
  const v4 = s.includes(".") ? s.slice(s.lastIndexOf(":") + 1) : undefined;
  if (v4 !== undefined && !ipv4.test(v4)) return false;
  const head = v4 !== undefined ? s.slice(0, s.lastIndexOf(":") + 1) + "0:0" : s;
  const parts = head.split("::");
  if (parts.length > 2) return false;
  const groups = (x: string): string[] => (x === "" ? [] : x.split(":"));
  const left = groups(parts[0] ?? "");
  const right = parts.length === 2 ? groups(parts[1] ?? "") : [];
  if (![...left, ...right].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const n = left.length + right.length;
  return parts.length === 2 ? n < 8 : n === 8;
}

function isFQDN(s: string): boolean {
  const name = s.endsWith(".") ? s.slice(0, -1) : s;
  if (name.length < 1 || name.length > 253) return false;
  const labels = name.split(".");
  return labels.length >= 2 && labels.every((l) => l.length <= 63 && dns1123Label.test(l));
}

const maxEndpoints = 1000;
const maxAddresses = 100;
const maxPorts = 100;

function validateEndpointSlice(obj: J, issues: Issues): void {
  const addressType = obj["addressType"];
  const addressTypes = ["IPv4", "IPv6", "FQDN"];
  if (addressType === undefined || addressType === null || addressType === "") issues.add("addressType", "Required value");
  else if (typeof addressType !== "string" || !addressTypes.includes(addressType)) {
    issues.add("addressType", `Unsupported value: ${renderValue(addressType)}: supported values: "FQDN", "IPv4", "IPv6"`);
  }
  const endpoints = list(obj["endpoints"]);
  if (endpoints.length > maxEndpoints) issues.add("endpoints", `Too many: ${endpoints.length}: must have at most ${maxEndpoints} items`);
  endpoints.forEach((ep, i) => {
    const path = `endpoints[${i}]`;
    if (!isRecord(ep)) return;
    const addresses = list(ep["addresses"]);
    if (addresses.length === 0) issues.add(`${path}.addresses`, "Required value: must contain at least 1 address");
    else if (addresses.length > maxAddresses) issues.add(`${path}.addresses`, `Too many: ${addresses.length}: must have at most ${maxAddresses} items`);
    addresses.forEach((a, j) => {
      const ap = `${path}.addresses[${j}]`;
      if (typeof a !== "string") return;
      if (addressType === "IPv4" && !ipv4.test(a)) issues.invalid(ap, a, "must be a valid IPv4 address");
      else if (addressType === "IPv6" && !isIPv6(a)) issues.invalid(ap, a, "must be a valid IPv6 address");
      else if (addressType === "FQDN" && !isFQDN(a)) {
        issues.invalid(ap, a, "should be a domain with at least two segments separated by dots");
      }
    });
    if (ep["hostname"] !== undefined) label(issues, `${path}.hostname`, ep["hostname"]);
  });
  const ports = list(obj["ports"]);
  if (ports.length > maxPorts) issues.add("ports", `Too many: ${ports.length}: must have at most ${maxPorts} items`);
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `ports[${i}]`;
    if (!isRecord(p)) return;
    const name = typeof p["name"] === "string" ? p["name"] : "";
    if (name !== "") label(issues, `${path}.name`, name);
    if (names.has(name)) issues.add(`${path}.name`, `Duplicate value: ${JSON.stringify(name)}`);
    names.add(name);
    protocol(issues, `${path}.protocol`, p["protocol"]);
    portInRange(issues, `${path}.port`, p["port"], 0);
  });
}

function validateService(obj: J, issues: Issues): void {
  const spec = isRecord(obj["spec"]) ? obj["spec"] : {};
  const type = spec["type"] ?? "ClusterIP";
  const types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
  if (typeof type !== "string" || !types.includes(type)) {
    issues.add("spec.type", `Unsupported value: ${renderValue(type)}: supported values: ${types.map((t) => JSON.stringify(t)).join(", ")}`);
  }
  const ports = list(spec["ports"]);
  const headless = spec["clusterIP"] === "None";
  if (type === "ExternalName") {
    if (typeof spec["externalName"] !== "string" || spec["externalName"] === "") issues.add("spec.externalName", "Required value");
  } else if (ports.length === 0 && !headless) issues.add("spec.ports", "Required value");
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    if (!isRecord(p)) return;
    // Port names are checked for form only: upstream's egctl (schema validation) accepts repeated or missing
    // names on a Service, which the API server alone would refuse, and the translators match ports by number.
    const name = typeof p["name"] === "string" ? p["name"] : "";
    if (name !== "") label(issues, `${path}.name`, name);
    protocol(issues, `${path}.protocol`, p["protocol"]);
    if (p["port"] === undefined || p["port"] === null) issues.add(`${path}.port`, "Required value");
    else portInRange(issues, `${path}.port`, p["port"], 1);
    const target = p["targetPort"];
    // An absent or zero target port defaults to the port.
    if (typeof target === "number" && target !== 0) portInRange(issues, `${path}.targetPort`, target, 1);
    else if (typeof target === "string") portName(issues, `${path}.targetPort`, target);
    if (typeof p["nodePort"] === "number" && p["nodePort"] !== 0) portInRange(issues, `${path}.nodePort`, p["nodePort"], 1);
  });
}

/** The API server's validation issues for a core object the translators read; none for other kinds. */
export function validateCoreObject(kind: string, object: unknown): FieldIssue[] {
  if (!isRecord(object)) return [];
  const issues = new Issues();
  if (kind === "EndpointSlice") validateEndpointSlice(object, issues);
  else if (kind === "Service") validateService(object, issues);
  return issues.list;
}
