/**
 * Keeps Decap's entry lists true after a save. Decap 3.16 loads a collection's list once and never updates it
 * when an entry is saved (its entries reducer ignores ENTRY_PERSIST_SUCCESS), and it offers no extension point
 * to refresh it. So after each save the saved entry is handed to Decap's store the same way Decap itself does
 * when it loads an entry (`ENTRY_SUCCESS`), which replaces the list item. The store is found through React's
 * root container, the one place Decap keeps it; when that fails (a Decap upgrade), lists just stay as Decap
 * leaves them and the editor works on.
 */

interface ReduxStore {
  dispatch(action: { type: string; payload: unknown }): unknown;
  getState(): unknown;
}

let store: ReduxStore | undefined;

/** Decap's Redux store, from the props of the `<Provider>` at the root of its React tree. */
function findStore(): ReduxStore | undefined {
  if (store) return store;
  const root = document.getElementById('nc-root') as (HTMLElement & Record<string, unknown>) | null;
  const key = root ? Object.keys(root).find((k) => k.startsWith('__reactContainer$')) : undefined;
  // Breadth-first over the top of the tree: the Provider sits a few levels down, beside global styles.
  let level: Fiber[] = key && root?.[key] ? [root[key] as Fiber] : [];
  for (let depth = 0; level.length > 0 && depth < 8; depth++) {
    const next: Fiber[] = [];
    for (const fiber of level) {
      const candidate = fiber.memoizedProps?.store;
      if (candidate && typeof candidate.dispatch === 'function') return (store = candidate);
      for (let child = fiber.child; child; child = child.sibling) next.push(child);
    }
    level = next;
  }
  return undefined;
}

interface Fiber {
  child?: Fiber;
  sibling?: Fiber;
  memoizedProps?: { store?: ReduxStore };
}

/** Shows a saved entry in its collection's list at once (returns false when Decap's store was not found). */
export function showSavedEntry(collection: string, entry: unknown): boolean {
  const target = findStore();
  if (!target) return false;
  target.dispatch({ type: 'ENTRY_SUCCESS', payload: { collection, entry } });
  return true;
}
