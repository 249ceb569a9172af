import { create } from 'zustand';

/** What the sign-in page's picker shows before a server profile exists: "This computer" or "Orgdeck server". */
export const usePickedMode = create<{
  picked: 'local' | 'server' | null;
  pick(mode: 'local' | 'server'): void;
}>()((set) => ({ picked: null, pick: (mode) => set({ picked: mode }) }));
