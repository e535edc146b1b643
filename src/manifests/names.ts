// Name and value formats the API server enforces (k8s.io/apimachinery/pkg/util/validation).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why `s` breaks a length limit or a pattern, or undefined when it keeps both. */
function check(s: string, max: number, re: RegExp, why: string): string | undefined {
  if (s.length > max) return `must be no more than ${max} characters`;
  return re.test(s) ? undefined : why;
}

/** Returns why `s` is not a DNS-1123 label (RFC 1123), or undefined when it is one. */
export function dns1123Label(s: string): string | undefined {
  return check(s, 63, DNS1123_LABEL, "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
}

/** DNS-1035 label (RFC 1035): Service names. */
export function dns1035Label(s: string): string | undefined {
  return check(s, 63, DNS1035_LABEL, "must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character");
}

/** DNS-1123 subdomain: most object names. */
export function dns1123Subdomain(s: string): string | undefined {
  return check(s, 253, DNS1123_SUBDOMAIN, "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
}

/** A label or annotation key: [prefix/]name. */
export function qualifiedName(s: string): string | undefined {
  const parts = s.split('/');
  let name = s;
  if (parts.length === 2) {
    if (parts[0] === '') return 'prefix part must be non-empty';
    const p = dns1123Subdomain(parts[0]);
    if (p) return `prefix part ${p}`;
    name = parts[1];
  } else if (parts.length > 2) {
    return "a qualified name must consist of an optional DNS subdomain prefix and '/' and a name";
  }
  if (name.length === 0) return 'name part must be non-empty';
  const n = check(name, 63, QUALIFIED_NAME, "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  return n && `name part ${n}`;
}

export function labelValue(s: string): string | undefined {
  return check(s, 63, LABEL_VALUE, "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
}

/** IANA_SVC_NAME (RFC 6335): named container ports. */
export function portName(s: string): string | undefined {
  if (s.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(s)) return "must contain only lower case alphanumeric characters and '-'";
  if (!/[a-z]/.test(s)) return 'must contain at least one letter';
  if (s.includes('--')) return "must not contain consecutive '-'";
  if (s.startsWith('-') || s.endsWith('-')) return "must not begin or end with '-'";
  return undefined;
}
