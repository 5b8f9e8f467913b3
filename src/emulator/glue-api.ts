// AWS JSON 1.1 dispatch for the Glue session operations: validate the request body against
// the operation's input shape, then call the state machines.
import { GlueError } from './errors';
import { GLUE_MODEL, type GlueOperation } from './model';
import type { CreateSessionInput, SessionManager } from './sessions';
import { validateShape, validationMessage } from './validate';

type Handler = (sessions: SessionManager, input: Record<string, unknown>) => unknown;

const str = (v: unknown): string => v as string;
const num = (v: unknown): number => v as number;

const HANDLERS: Record<GlueOperation, Handler> = {
  CreateSession: (s, i) => ({ Session: s.createSession(i as unknown as CreateSessionInput) }),
  GetSession: (s, i) => ({ Session: s.getSession(str(i.Id)) }),
  ListSessions: (s, i) =>
    s.listSessions({
      NextToken: i.NextToken as string | undefined,
      MaxResults: i.MaxResults as number | undefined,
      Tags: i.Tags as Record<string, string> | undefined,
    }),
  StopSession: (s, i) => s.stopSession(str(i.Id)),
  DeleteSession: (s, i) => s.deleteSession(str(i.Id)),
  RunStatement: (s, i) => s.runStatement(str(i.SessionId), str(i.Code)),
  GetStatement: (s, i) => ({ Statement: s.getStatement(str(i.SessionId), num(i.Id)) }),
  ListStatements: (s, i) => s.listStatements(str(i.SessionId), i.NextToken as string | undefined),
  CancelStatement: (s, i) => s.cancelStatement(str(i.SessionId), num(i.Id)),
  GetTags: (s, i) => s.getTags(str(i.ResourceArn)),
  TagResource: (s, i) => s.tagResource(str(i.ResourceArn), i.TagsToAdd as Record<string, string>),
  UntagResource: (s, i) => s.untagResource(str(i.ResourceArn), i.TagsToRemove as string[]),
  GetDashboardUrl: (s, i) => s.getDashboardUrl(str(i.ResourceId), str(i.ResourceType)),
  GetSessionEndpoint: (s, i) => s.getSessionEndpoint(str(i.SessionId)),
};

/** Parses, validates and runs one Glue operation; throws GlueError for every service error. */
export function dispatchGlue(sessions: SessionManager, operation: GlueOperation, body: Buffer): unknown {
  let input: unknown;
  const text = body.toString('utf8');
  try {
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new GlueError(
      'SerializationException',
      'Start of structure or map found where not expected, or the body is not valid JSON.',
    );
  }
  const violations = validateShape(GLUE_MODEL.operations[operation].input, input, { mode: 'input' });
  const typeError = violations.find((v) => v.kind === 'type');
  if (typeError) throw new GlueError('SerializationException', typeError.message);
  if (violations.length > 0) throw new GlueError('ValidationException', validationMessage(violations));
  return HANDLERS[operation](sessions, input as Record<string, unknown>);
}
