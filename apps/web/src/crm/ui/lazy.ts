/**
 * A module loaded on demand, once: `load()` at submit, `warm()` on a form's first focus or a button's hover
 * (failures ignored there: the submit retries and reports). A failed load is forgotten, so the next try
 * fetches again. The `import()` stays with the caller, so the module keeps its own chunk.
 */
export function onDemand<T>(importer: () => Promise<T>): { load: () => Promise<T>; warm: () => void } {
  let pending: Promise<T> | null = null;
  const load = () => {
    pending ??= importer().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
  return {
    load,
    warm: () => {
      load().catch(() => undefined);
    },
  };
}
