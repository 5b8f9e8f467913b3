#!/usr/bin/env node
// Writes src/emulator/model/glue-sessions-js-sdk.json: the parts of the Glue session API that
// botocore's model (the source of glue-sessions.json, see extract-glue-model.py) does not have
// yet, read from the schemas the AWS SDK for JavaScript ships in @aws-sdk/client-glue:
// GetDashboardUrl, GetSessionEndpoint and SessionType. src/emulator/model.ts merges the two
// files into one model; when botocore gains these, add them to extract-glue-model.py's list and
// drop them here.
//
// The SDK's schemas carry member names, coarse types (string, number, timestamp, list, map,
// structure) and which members are required, but no lengths, patterns or error lists; enums are
// the SDK's exported constant objects. Errors come from the API reference (ERRORS below).
//
// Usage: node scripts/extend-glue-model.js [--check]
//        (then: npx prettier --write src/emulator/model/glue-sessions-js-sdk.json)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const glue = require('@aws-sdk/client-glue');
const { version } = require('@aws-sdk/client-glue/package.json');

const base = require('../src/emulator/model/glue-sessions.json');
const OUT = path.join(__dirname, '..', 'src', 'emulator', 'model', 'glue-sessions-js-sdk.json');

/** New operations, with their errors (the SDK's schemas do not list them). */
const OPERATIONS = {
  GetDashboardUrl: [
    'AccessDeniedException',
    'EntityNotFoundException',
    'InternalServiceException',
    'InvalidInputException',
    'OperationTimeoutException',
  ],
  GetSessionEndpoint: [
    'AccessDeniedException',
    'EntityNotFoundException',
    'InternalServiceException',
    'InvalidInputException',
    'OperationNotSupportedException',
    'OperationTimeoutException',
  ],
};
/** Members new to structures the botocore model already has. */
const NEW_MEMBERS = { CreateSessionRequest: ['SessionType'], Session: ['SessionType'] };
/** Enums by (structure, member): the SDK's exported constant objects. */
const ENUMS = {
  'CreateSessionRequest.SessionType': ['SessionType', glue.SessionType],
  'Session.SessionType': ['SessionType', glue.SessionType],
  'GetDashboardUrlRequest.ResourceType': ['GlueResourceType', glue.GlueResourceType],
};

const shapes = {};

/** The shape name for member `member` of `owner`, adding its definition to `shapes`. */
function memberShape(owner, member, schema) {
  const key = `${owner}.${member}`;
  if (ENUMS[key]) {
    const [name, values] = ENUMS[key];
    shapes[name] = { type: 'string', enum: Object.values(values).sort() };
    return name;
  }
  // A member schema with traits is [schema, traits]; a lazily referenced schema is a function.
  if (Array.isArray(schema) && schema.length === 2 && typeof schema[1] !== 'string') schema = schema[0];
  if (typeof schema === 'function') schema = schema();
  if (Array.isArray(schema)) {
    if (schema[0] === 3 || schema[0] === -3) return structure(schema);
    if (schema[0] === 0) return simple(schema[2], schema[4]); // a named simple schema (e.g. SensitiveUrl)
  }
  return simple(`${owner}${member}`, schema);
}

function simple(name, code) {
  const type =
    code === 0
      ? 'string'
      : code === 1
        ? 'double'
        : code === 2
          ? 'boolean'
          : code >= 4 && code <= 7
            ? 'timestamp'
            : undefined;
  if (type === undefined) throw new Error(`unknown schema code ${code} for ${name}`);
  shapes[name] = { type };
  return name;
}

/** [3|-3, namespace, name, traits, memberNames, memberSchemas, requiredCount?] */
function structure(schema) {
  const [kind, , name, traits, names, schemas, requiredCount = 0] = schema;
  if (shapes[name]) return name;
  const shape = { type: 'structure' };
  shapes[name] = shape;
  if (requiredCount > 0) shape.required = names.slice(0, requiredCount);
  shape.members = {};
  names.forEach((m, i) => {
    shape.members[m] = { shape: memberShape(name, m, schemas[i]) };
    const memberTraits = Array.isArray(schemas[i]) && schemas[i].length === 2 ? schemas[i][1] : undefined;
    if (memberTraits && typeof memberTraits === 'object' && memberTraits.jsonName)
      shape.members[m].jsonName = memberTraits.jsonName;
  });
  if (kind === -3) {
    shape.exception = true;
    if (traits && traits.error) shape.error = { senderFault: traits.error === 'client' };
  }
  return name;
}

const operations = {};
for (const [op, errors] of Object.entries(OPERATIONS)) {
  operations[op] = {
    input: structure(glue[`${op}Request$`]),
    output: structure(glue[`${op}Response$`]),
    errors,
  };
  for (const e of errors) if (!base.shapes[e]) structure(glue[`${e}$`]);
}
const members = {};
for (const [owner, list] of Object.entries(NEW_MEMBERS)) {
  const schema = glue[`${owner}$`];
  members[owner] = {};
  for (const m of list) members[owner][m] = { shape: memberShape(owner, m, schema[5][schema[4].indexOf(m)]) };
}

const out = {
  source: `@aws-sdk/client-glue ${version} schemas (generated by scripts/extend-glue-model.js; do not edit)`,
  operations,
  shapes: Object.fromEntries(
    Object.keys(shapes)
      .sort()
      .map((k) => [k, shapes[k]]),
  ),
  members,
};
const text = JSON.stringify(out, null, 1) + '\n';
if (process.argv.includes('--check')) {
  const current = JSON.parse(fs.readFileSync(OUT, 'utf8'));
  const strip = (o) => JSON.stringify({ ...o, source: undefined });
  const same = strip(current) === strip(out);
  console.log(same ? 'up to date' : `differs from @aws-sdk/client-glue ${version}`);
  process.exit(same ? 0 : 1);
}
fs.writeFileSync(OUT, text);
console.log(
  `wrote ${path.relative(process.cwd(), OUT)} (${Object.keys(operations).length} operations, ${Object.keys(shapes).length} shapes)`,
);
