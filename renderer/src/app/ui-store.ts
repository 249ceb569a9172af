import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export const ALL_ORGS = 'all';

interface UiState {
  /** The org context chosen in the switcher, per user id, so each user comes back to theirs. */
  orgByUser: Record<string, string>;
  selectOrg(userId: string, orgId: string): void;
}

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      orgByUser: {},
      selectOrg: (userId, orgId) => set((state) => ({ orgByUser: { ...state.orgByUser, [userId]: orgId } })),
    }),
    { name: 'orgdeck-ui' },
  ),
);
