/** One resource's or data source's arguments, as Terraform JSON holds them. */
export type TerraformBlock = { readonly [argument: string]: unknown };

/** The parts of a synthesized stack the guardrails read (`stack.toTerraform()` or `cdk.tf.json`). */
export interface TerraformJson {
  readonly resource?: { readonly [type: string]: { readonly [name: string]: TerraformBlock } };
  readonly data?: { readonly [type: string]: { readonly [name: string]: TerraformBlock } };
  readonly [key: string]: unknown;
}

/** A resource (`aws_s3_bucket.upload`) or data source (`data.aws_iam_policy_document.x`) of a stack. */
export interface TerraformElement {
  /** Terraform address: `aws_s3_bucket.upload` or `data.aws_caller_identity.current`. */
  readonly address: string;
  /** Whether it is a managed resource or a data source. */
  readonly mode: "resource" | "data";
  /** Provider type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Local name, e.g. `upload`. */
  readonly name: string;
  /** Its arguments. */
  readonly body: TerraformBlock;
}

/** A reference to another element found inside an argument: `${aws_s3_bucket.upload.arn}/incoming/*`. */
export interface Reference {
  /** Address of the referenced element. */
  readonly address: string;
  /** Attribute read from it (`arn`), when there is one. */
  readonly attribute?: string;
  /** Argument path where the reference was found, e.g. `environment.variables.TABLE_NAME`. */
  readonly path: string;
}

/** Every resource and data source of the stack, sorted by address. */
export function elements(json: TerraformJson): TerraformElement[] {
  const all: TerraformElement[] = [];
  for (const mode of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries(json[mode] ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        all.push({ address: mode === "data" ? `data.${type}.${name}` : `${type}.${name}`, mode, type, name, body });
      }
    }
  }
  return all.sort((a, b) => compare(a.address, b.address));
}

/** The managed resources of one type, sorted by address. */
export function resourcesOfType(json: TerraformJson, type: string): TerraformElement[] {
  return Object.entries(json.resource?.[type] ?? {})
    .map(([name, body]) => ({ address: `${type}.${name}`, mode: "resource" as const, type, name, body }))
    .sort((a, b) => compare(a.address, b.address));
}

/** The data sources of one type, sorted by address. */
export function dataSourcesOfType(json: TerraformJson, type: string): TerraformElement[] {
  return Object.entries(json.data?.[type] ?? {})
    .map(([name, body]) => ({ address: `data.${type}.${name}`, mode: "data" as const, type, name, body }))
    .sort((a, b) => compare(a.address, b.address));
}

// Terraform's own namespaces: `var.x`, `local.x`, `each.value`, ... are not elements of the stack.
const NOT_ELEMENTS = new Set(["var", "local", "module", "each", "count", "self", "path", "terraform"]);
const TRAVERSAL = /(?<![\w.$-])(data\.)?([A-Za-z][\w-]*)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w]*))?/g;

/**
 * The `${...}` expressions of a string, with nested braces and quoted strings handled
 * (`${jsonencode({a = aws_x.y.arn})}`); `$${` is Terraform's escape for a literal `${`.
 */
export function interpolations(text: string): string[] {
  const found: string[] = [];
  let i = text.indexOf("${");
  while (i >= 0) {
    if (i > 0 && text[i - 1] === "$") {
      i = text.indexOf("${", i + 2);
      continue;
    }
    let depth = 1;
    let j = i + 2;
    let quoted = false;
    for (; j < text.length && depth > 0; j++) {
      const c = text[j];
      if (quoted) {
        if (c === "\\") j++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    found.push(text.slice(i + 2, j - 1));
    i = text.indexOf("${", j);
  }
  return found;
}

/** References to resources or data sources inside one expression (without its `${ }`). */
export function referencesInExpression(expression: string, path = ""): Reference[] {
  // String literals inside an expression are not references.
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const refs: Reference[] = [];
  for (const m of code.matchAll(TRAVERSAL)) {
    const [, data, first, second, third] = m;
    if (data) {
      refs.push({ address: `data.${first}.${second}`, attribute: third, path });
    } else if (!NOT_ELEMENTS.has(first)) {
      refs.push({ address: `${first}.${second}`, attribute: third, path });
    }
  }
  return refs;
}

/**
 * Every reference in an argument value, however deeply nested in objects, arrays and strings.
 * cdktf's `//` metadata and `depends_on` (plain addresses, see {@link dependsOn}) are skipped.
 */
export function references(value: unknown, path = ""): Reference[] {
  if (typeof value === "string") {
    return interpolations(value).flatMap((expression) => referencesInExpression(expression, path));
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => references(item, `${path}[${index}]`));
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value)
      .filter(([key]) => key !== "//" && !(path === "" && key === "depends_on"))
      .flatMap(([key, item]) => references(item, path === "" ? key : `${path}.${key}`));
  }
  return [];
}

/** The addresses an element names in `depends_on`. */
export function dependsOn(body: TerraformBlock): string[] {
  const list = body.depends_on;
  if (!Array.isArray(list)) return [];
  return list.filter((d): d is string => typeof d === "string").map((d) => d.replace(/^\$\{(.*)\}$/, "$1"));
}

/** A value that is exactly one reference, optionally followed by literal text: `${aws_s3_bucket.upload.arn}/incoming/*`. */
export interface LeadingReference {
  /** Address of the referenced element. */
  readonly address: string;
  /** Attribute read from it. */
  readonly attribute: string;
  /** The literal text after the reference (`/incoming/*`), or `""`. */
  readonly suffix: string;
}

const LEADING = /^\$\{((?:data\.)?[A-Za-z][\w-]*\.[A-Za-z_][\w-]*)\.([A-Za-z_]\w*)\}([^$]*)$/s;

/** Splits `${type.name.attr}suffix`; `undefined` for anything else (literals, functions, several references). */
export function leadingReference(value: string): LeadingReference | undefined {
  const m = LEADING.exec(value);
  return m ? { address: m[1], attribute: m[2], suffix: m[3] } : undefined;
}

/** A value as a list: arrays as they are, one value as a list of one, nothing as empty. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Locale-independent string order, so the output is the same on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
