import { useEffect } from 'react';
import { create } from 'zustand';

/** What the command palette asks a page to open once it shows (the page owns its modal or drawer). */
export type PaletteRequest =
  | { kind: 'new-org' }
  | { kind: 'new-agent' }
  | { kind: 'close-month' }
  | { kind: 'open-agent'; agentId: string }
  | { kind: 'open-policy'; policyId: string };

interface PaletteRequests {
  pending: PaletteRequest | null;
  ask(request: PaletteRequest): void;
  clear(): void;
}

export const usePaletteRequests = create<PaletteRequests>()((set) => ({
  pending: null,
  ask: (request) => set({ pending: request }),
  clear: () => set({ pending: null }),
}));

/** Runs `open` when the palette asks this page for a `kind` of request, now or once the page has loaded. */
export function usePaletteRequest<Kind extends PaletteRequest['kind']>(
  kind: Kind,
  open: (request: Extract<PaletteRequest, { kind: Kind }>) => void,
): void {
  const pending = usePaletteRequests((state) => state.pending);
  const clear = usePaletteRequests((state) => state.clear);
  useEffect(() => {
    if (pending?.kind !== kind) return;
    clear();
    open(pending as Extract<PaletteRequest, { kind: Kind }>);
  }, [pending, kind, clear, open]);
}
