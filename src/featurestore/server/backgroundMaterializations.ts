/**
 * Materializations started with `?async=true`: the views each one covers, so a second request for a
 * view still being materialized gets 409 (Feast's MATERIALIZING state), and close can wait for them.
 */
export class BackgroundMaterializations {
  private readonly busy = new Set<string>();
  private readonly running = new Set<Promise<void>>();

  /** Views of `views` already being materialized. */
  conflicts(views: readonly string[]): string[] {
    return views.filter((v) => this.busy.has(v));
  }

  /** Runs `work` in the background; its failure is reported to `onError`, never thrown. */
  start(views: readonly string[], work: () => Promise<unknown>, onError: (err: unknown) => void): void {
    for (const v of views) this.busy.add(v);
    const job = work()
      .then(
        () => undefined,
        (err: unknown) => onError(err),
      )
      .finally(() => {
        for (const v of views) this.busy.delete(v);
        this.running.delete(job);
      });
    this.running.add(job);
  }

  /** Resolves when every background materialization has ended. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

export function asyncConflictMessage(views: readonly string[]): string {
  return `Cannot start async materialization — feature views ${views.join(", ")} are already being materialized. Retry later, or add &force=true.`;
}
