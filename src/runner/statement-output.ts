// The Glue statement-output shape (GetStatement → Statement.Output), shared by the local
// runner, the emulator and the kernel's renderer so a notebook looks the same everywhere.
// Data carries the public field TextPlain plus the extended fields the reference kernel
// reads (MimeType, Result, StdOut, StdErr); the AWS SDK drops the extended ones, so the
// Glue client reads them from the raw response.

export interface StatementOutputData {
  TextPlain?: string;
  /** e.g. "image/png;base64" (Result is then base64), "text/html", "application/json". */
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
