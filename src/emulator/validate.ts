// A generic validator driven by the Glue model's shapes. In 'input' mode it enforces what the
// service's request framework enforces (types, required members, lengths, patterns, enums,
// ranges, list and map sizes) and reports violations in the service's wording
// ("Value '' at 'id' failed to satisfy constraint: Member must have length greater than or
// equal to 1"). In 'output' mode the same shapes check the emulator's own responses (the
// contract test), strictly: unknown members and wrong timestamp units are violations too.
import { GLUE_MODEL, RESPONSE_EXTENSIONS, type ServiceModel, type Shape } from './model';
import { ownValue } from './request-target';

export interface Violation {
  /** 'type' → the body cannot be read as the shape (SerializationException); 'constraint' → ValidationException. */
  kind: 'type' | 'constraint';
  /** Path in the service's style: lowerCamel member names joined by dots ('command.pythonVersion'). */
  path: string;
  message: string;
}

export interface ValidateOptions {
  mode: 'input' | 'output';
  model?: ServiceModel;
}

const patternCache = new Map<string, RegExp>();

/** Model patterns are Java regexes matched against the whole value; the 'u' flag makes \uD800\uDC00 one code point. */
export function modelPattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    patternCache.set(pattern, re);
  }
  return re;
}

function lowerFirst(name: string): string {
  return name.length === 0 ? name : name[0].toLowerCase() + name.slice(1);
}

function join(path: string, member: string): string {
  return path ? `${path}.${lowerFirst(member)}` : lowerFirst(member);
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

class Validator {
  readonly violations: Violation[] = [];
  constructor(
    private readonly model: ServiceModel,
    private readonly mode: 'input' | 'output',
  ) {}

  private add(kind: Violation['kind'], path: string, message: string): void {
    this.violations.push({ kind, path, message });
  }

  private constraint(path: string, value: unknown, rule: string): void {
    const shown = value === null || value === undefined ? 'null' : `'${show(value)}'`;
    this.add('constraint', path, `Value ${shown} at '${path}' failed to satisfy constraint: ${rule}`);
  }

  check(shapeName: string, shape: Shape, value: unknown, path: string): void {
    switch (shape.type) {
      case 'structure':
        return this.structure(shapeName, shape, value, path);
      case 'list':
        return this.list(shape, value, path);
      case 'map':
        return this.map(shape, value, path);
      case 'string':
        return this.string(shape, value, path);
      case 'integer':
      case 'long':
        return this.integer(shape, value, path);
      case 'double':
      case 'float':
        return this.number(shape, value, path);
      case 'boolean':
        if (typeof value !== 'boolean')
          this.add('type', path, `Expected a boolean at '${path}', got ${typeName(value)}`);
        return;
      case 'timestamp':
        return this.timestamp(value, path);
      case 'blob':
        if (typeof value !== 'string')
          this.add('type', path, `Expected a base64 string at '${path}', got ${typeName(value)}`);
        return;
    }
  }

  private ref(name: string, value: unknown, path: string): void {
    const shape = ownValue(this.model.shapes, name);
    if (!shape) throw new Error(`shape ${name} is not in the model`);
    this.check(name, shape, value, path);
  }

  private structure(shapeName: string, shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(
        'type',
        path || '<root>',
        `Expected a structure at '${path || '<root>'}', got ${typeName(value)}`,
      );
      return;
    }
    const record = value as Record<string, unknown>;
    const members = shape.members ?? {};
    // Every lookup keyed by a request member name is an own-property lookup: a member named
    // "constructor" or "__proto__" is an unknown member, not Object.prototype's.
    const extensions = this.mode === 'output' ? ownValue(RESPONSE_EXTENSIONS, shapeName) : undefined;
    for (const required of shape.required ?? []) {
      const v = ownValue(record, required);
      if (v === undefined || v === null)
        this.constraint(join(path, required), null, 'Member must not be null');
    }
    for (const [key, v] of Object.entries(record)) {
      const memberPath = join(path, key);
      const extension = ownValue(extensions, key);
      if (extension) {
        if (v !== undefined && v !== null) this.check(`${shapeName}.${key}`, extension, v, memberPath);
        continue;
      }
      const member = ownValue(members, key);
      if (!member) {
        // The service ignores unknown request members; the emulator must never send one.
        if (this.mode === 'output')
          this.add('constraint', memberPath, `'${memberPath}' is not a member of ${shapeName}`);
        continue;
      }
      if (v === null) {
        if (this.mode === 'output')
          this.add('constraint', memberPath, `'${memberPath}' is null (omit it instead)`);
        continue;
      }
      if (v !== undefined) this.ref(member.shape, v, memberPath);
    }
  }

  private list(shape: Shape, value: unknown, path: string): void {
    if (!Array.isArray(value)) {
      this.add('type', path, `Expected a list at '${path}', got ${typeName(value)}`);
      return;
    }
    if (shape.min !== undefined && value.length < shape.min)
      this.constraint(path, value, `Member must have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value.length > shape.max)
      this.constraint(path, value, `Member must have length less than or equal to ${shape.max}`);
    value.forEach((item, i) => this.ref(shape.member!.shape, item, `${path}.${i + 1}.member`));
  }

  private map(shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add('type', path, `Expected a map at '${path}', got ${typeName(value)}`);
      return;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (shape.min !== undefined && entries.length < shape.min)
      this.constraint(path, value, `Member must have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && entries.length > shape.max)
      this.constraint(path, value, `Member must have length less than or equal to ${shape.max}`);
    for (const [k, v] of entries) {
      this.ref(shape.key!.shape, k, `${path}.key`);
      if (v === null) {
        this.add('type', `${path}.${k}`, `Map value at '${path}' for key '${k}' is null`);
        continue;
      }
      this.ref(shape.value!.shape, v, `${path}.${k}`);
    }
  }

  private string(shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'string') {
      this.add('type', path, `Expected a string at '${path}', got ${typeName(value)}`);
      return;
    }
    // Length in UTF-16 code units, as the service's Java framework counts it.
    if (shape.min !== undefined && value.length < shape.min)
      this.constraint(path, value, `Member must have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value.length > shape.max)
      this.constraint(path, value, `Member must have length less than or equal to ${shape.max}`);
    if (shape.pattern !== undefined && !modelPattern(shape.pattern).test(value))
      this.constraint(path, value, `Member must satisfy regular expression pattern: ${shape.pattern}`);
    if (shape.enum && !shape.enum.includes(value))
      this.constraint(path, value, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  }

  private range(shape: Shape, value: number, path: string): void {
    if (shape.min !== undefined && value < shape.min)
      this.constraint(path, value, `Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value > shape.max)
      this.constraint(path, value, `Member must have value less than or equal to ${shape.max}`);
  }

  private integer(shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.add('type', path, `Expected an integer at '${path}', got ${typeName(value)} ${show(value)}`);
      return;
    }
    const [lo, hi] =
      shape.type === 'integer' ? [INT32_MIN, INT32_MAX] : [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    if (value < lo || value > hi) {
      this.add('type', path, `Value ${value} at '${path}' does not fit a ${shape.type}`);
      return;
    }
    this.range(shape, value, path);
  }

  private number(shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.add('type', path, `Expected a number at '${path}', got ${typeName(value)} ${show(value)}`);
      return;
    }
    this.range(shape, value, path);
  }

  private timestamp(value: unknown, path: string): void {
    // JSON 1.1 timestamps are epoch seconds (fractions allowed). An ISO string breaks the JS SDK.
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.add('type', path, `Expected epoch seconds at '${path}', got ${typeName(value)} ${show(value)}`);
      return;
    }
    if (this.mode === 'output' && (value < 1e9 || value > 1e11))
      this.add('constraint', path, `Timestamp ${value} at '${path}' is not in epoch seconds`);
  }
}

/** Validates a value against a named shape of the model; returns every violation found. */
export function validateShape(shapeName: string, value: unknown, options: ValidateOptions): Violation[] {
  const model = options.model ?? GLUE_MODEL;
  const shape = ownValue(model.shapes, shapeName);
  if (!shape) throw new Error(`shape ${shapeName} is not in the model`);
  const v = new Validator(model, options.mode);
  v.check(shapeName, shape, value, '');
  return v.violations;
}

/**
 * The service's message for a set of constraint violations:
 * "2 validation errors detected: Value ... ; Value ...".
 */
export function validationMessage(violations: Violation[]): string {
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.map((v) => v.message).join('; ')}`;
}
