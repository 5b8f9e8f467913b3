// The Glue statement-output shape (GetStatement → Statement.Output), shared by the local
// runner, the emulator and the kernel's renderer so a notebook looks the same everywhere.
// Data carries the public field TextPlain plus the extended fields the reference kernel
// reads (MimeType, Result, StdOut, StdErr); the AWS SDK drops the extended ones, so the
// Glue client reads them from the raw response.

//
// What the local runner (python-runner.ts) produces:
// - ok, text: TextPlain = printed stdout + repr of the final expression, one trailing newline
//   trimmed (`print("a"); 1+1` → "a\n2"); "" when nothing was printed. With live streaming
//   (ExecuteOptions.onStream) TextPlain holds only the repr, and Data is {} without one.
// - ok, %matplot: MimeType "image/png", Result = base64 PNG; %plotly: MimeType "text/html",
//   Result = the figure's HTML. Printed text (non-streaming) goes to StdOut.
// - StdErr: printed stderr, when non-empty and not streamed. The reference kernel shows
//   nothing for a Data with TextPlain plus other keys; our renderer shows them all.
// - error: ErrorName/ErrorValue/Traceback (traceback.format_exception entries, user frames
//   only, files named "<cell N>"); stdout printed before the error stays in TextPlain.
//   ErrorName "RunnerDied" means the Python process died and its variables are gone.

export interface StatementOutputData {
  TextPlain?: string;
  /** e.g. "image/png" or "image/png;base64" (Result is base64 either way for images), "text/html", "application/json". */
  MimeType?: string;
  Result?: string;
  StdOut?: string;
  StdErr?: string;
}

export interface StatementOutput {
  Data?: StatementOutputData;
  ExecutionCount?: number;
  /** "ok" or "error" in practice (Livy's output status). */
  Status?: string;
  ErrorName?: string;
  ErrorValue?: string;
  Traceback?: string[];
}
