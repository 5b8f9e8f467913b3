// The Spark UI of a session: once it is READY, GetDashboardUrl (2026) gives its address, shown
// once ("Spark UI: …") and kept for %status. A service (or a policy) that refuses the call is
// not an error for the user: nothing is shown, and the log says why at debug level.
import type { BackendNotifier } from '../backend';
import type { ActiveSession, GlueContext } from './context';
import { isAbortError } from './poll';

/** Asks for the session's dashboard URL the first time only; shows it when there is one. */
export async function showDashboard(
  ctx: GlueContext,
  session: ActiveSession,
  notify: BackendNotifier,
  signal: AbortSignal,
): Promise<void> {
  if (session.dashboardUrl !== undefined) return;
  session.dashboardUrl = null;
  const { clients } = session;
  try {
    const r = await ctx.call(
      clients,
      'GetDashboardUrl',
      `Asking for the Spark UI of session ${session.id}`,
      () =>
        clients.glue.send(
          new clients.sdk.glue.GetDashboardUrlCommand({
            ResourceId: session.id,
            ResourceType: 'SESSION',
            RequestOrigin: session.requested?.RequestOrigin,
          }),
          { abortSignal: signal },
        ),
      signal,
    );
    if (!r.Url) return;
    session.dashboardUrl = r.Url;
    notify.info(`Spark UI: ${r.Url}`);
  } catch (err) {
    // Interrupted: ask again next time. Refused: stay quiet (the URL is a convenience).
    if (isAbortError(err)) session.dashboardUrl = undefined;
    else ctx.logger?.debug(`GetDashboardUrl for session ${session.id} failed: ${(err as Error).message}`);
  }
}
