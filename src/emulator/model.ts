// The Glue service model, trimmed to the session operations (model/glue-sessions.json is
// generated from botocore's service-2.json by scripts/extract-glue-model.py; what botocore does
// not have yet — GetDashboardUrl, GetSessionEndpoint, SessionType — is in
// model/glue-sessions-js-sdk.json, generated from the JS SDK's schemas by
// scripts/extend-glue-model.js, and merged here). It is the one source of truth for request
// validation (validate.ts) and for the response contract test.
import modelJson from './model/glue-sessions.json';
import jsSdkJson from './model/glue-sessions-js-sdk.json';

export type ShapeType =
  | 'structure'
  | 'string'
  | 'integer'
  | 'long'
  | 'double'
  | 'float'
  | 'boolean'
  | 'timestamp'
  | 'list'
  | 'map'
  | 'blob';

export interface ShapeRef {
  shape: string;
  /** The member's JSON key when it differs from its name (JS SDK schemas). */
  jsonName?: string;
}

export interface Shape {
  type: ShapeType;
  required?: string[];
  members?: Record<string, ShapeRef>;
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  exception?: boolean;
  fault?: boolean;
  box?: boolean;
}

export interface OperationModel {
  input: string;
  output: string | null;
  errors: string[];
}

export interface ServiceModel {
  source: string;
  metadata: Record<string, string>;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

/** What the JS SDK's schemas add: operations, shapes, and members of existing structures. */
interface ModelExtension {
  source: string;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
  members: Record<string, Record<string, ShapeRef>>;
}

function extend(base: ServiceModel, ext: ModelExtension): ServiceModel {
  const shapes: Record<string, Shape> = { ...base.shapes, ...ext.shapes };
  for (const [owner, members] of Object.entries(ext.members)) {
    const shape = shapes[owner];
    shapes[owner] = { ...shape, members: { ...shape.members, ...members } };
  }
  return {
    ...base,
    source: `${base.source}; ${ext.source}`,
    operations: { ...base.operations, ...ext.operations },
    shapes,
  };
}

/** The trimmed Glue model (see scripts/extract-glue-model.py and scripts/extend-glue-model.js). */
export const GLUE_MODEL: ServiceModel = extend(
  modelJson as unknown as ServiceModel,
  jsSdkJson as unknown as ModelExtension,
);

export type GlueOperation =
  | 'CreateSession'
  | 'GetSession'
  | 'ListSessions'
  | 'StopSession'
  | 'DeleteSession'
  | 'RunStatement'
  | 'GetStatement'
  | 'ListStatements'
  | 'CancelStatement'
  | 'GetTags'
  | 'TagResource'
  | 'UntagResource'
  | 'GetDashboardUrl'
  | 'GetSessionEndpoint';

export const GLUE_OPERATIONS = Object.keys(GLUE_MODEL.operations) as GlueOperation[];

export function isGlueOperation(name: string): name is GlueOperation {
  return Object.prototype.hasOwnProperty.call(GLUE_MODEL.operations, name);
}

/**
 * Fields the emulator sends beyond the public model, on purpose, because the reference kernel
 * reads them (the extended statement output) or because the live service sends them (Livy's
 * "ok"/"error" output status, which the model types as StatementState). The contract test
 * accepts exactly these and nothing else.
 */
export const RESPONSE_EXTENSIONS: Record<string, Record<string, Shape>> = {
  StatementOutputData: {
    MimeType: { type: 'string' },
    Result: { type: 'string' },
    StdOut: { type: 'string' },
    StdErr: { type: 'string' },
  },
  StatementOutput: {
    Status: { type: 'string', enum: ['ok', 'error'] },
  },
};

/** Errors every operation can return whatever its model says (authentication, throttling, framework). */
export const COMMON_ERRORS = [
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'ThrottlingException',
  'ValidationException',
  'SerializationException',
  'InternalServiceException',
  'UnknownOperationException',
  'AccessDeniedException',
];
