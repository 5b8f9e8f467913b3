// What the Glue backend's modules share: the session in use, the backend's timings and poll
// schedules, and the AWS calls. GlueBackend owns the state and hands the modules this view of
// it, so each module is plain functions taking (ctx, ...).
import type { Logger } from '../../log/logger';
import type { KernelKind } from '../kinds';
import type { AwsCall, CallerIdentityOf } from './aws-call';
import type { CallBudget } from './call-budget';
import type { AwsClients } from './clients';
import type { PollSchedule } from './poll';
import type { CreateSessionRequest } from './session-request';

/** The session statements run in. */
export interface ActiveSession {
  id: string;
  clients: AwsClients;
  ready: boolean;
  /** What we asked for (GetSession does not return Timeout or Tags). */
  requested?: CreateSessionRequest;
  /**
   * While CreateSession is in flight: settles once no attempt is in flight any more, with
   * whether one of them created the session. Shutdown waits for it, then stops the session.
   */
  creation?: Promise<boolean>;
  /** When the session was created (Date.now() ms): "ready after" counts from here. */
  startedAt: number;
  /** The session's statement numbers (output ExecutionCount) → the kernel's execution counts. */
  cellLabels?: Map<number, number>;
  /** The Spark UI (GetDashboardUrl), once asked: a URL, or null when the service would not say. */
  dashboardUrl?: string | null;
  /**
   * The highest statement id this kernel has seen in the session (-1 for a session it created
   * and has not run anything in; undefined when unknown, e.g. after %reconnect). After an
   * ambiguous RunStatement failure, only newer statements can be the one it sent.
   */
  lastStatementId?: number;
}

/** The bounds and intervals of GlueBackendOptions, defaults applied. */
export interface Timing {
  readyTimeoutMs: number;
  cancelWaitMs: number;
  progressAfterMs: number;
  stopTimeoutMs: number;
  /** How long GetStatement may keep failing (throttling, 5xx, resets) before a cell gives up on waiting. */
  pollGiveUpMs: number;
}

export interface Schedules {
  statement: PollSchedule;
  session: PollSchedule;
  cancel: PollSchedule;
}

export interface GlueContext {
  readonly kind: KernelKind;
  readonly timing: Timing;
  readonly schedules: Schedules;
  /** One AWS call with retries and errors for people. */
  readonly call: AwsCall;
  /** The kernel's API-call budget every call waits in (call-budget.ts). */
  readonly budget: CallBudget;
  /** Who the credentials of these clients belong to (asked once per clients). */
  readonly callerIdentity: CallerIdentityOf;
  /** The kernel log (debug notes that are not for the cell). */
  readonly logger?: Logger;
  /** US dollars per DPU-hour, for cost estimates (glue_dpu_hour_price). */
  dpuHourPrice(): Promise<number>;
  /** Clients for the settings of this moment (region, endpoint, profile, %%assume_role). */
  clients(): Promise<AwsClients>;
  /** The session in use, if any. */
  current(): ActiveSession | undefined;
  /** Makes `session` the one in use; a note about an earlier session's end no longer applies. */
  use(session: ActiveSession): void;
  /**
   * Stops using `session` if it is still the one in use (it ended, or was stopped or deleted);
   * `status` is how it ended, said when the next session is created.
   */
  forget(session: ActiveSession, status?: string): void;
  /** Destroys `clients` unless the client cache or the session in use holds them. */
  release(clients: AwsClients): void;
}
