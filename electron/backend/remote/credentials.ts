/** The OS keychain entry of one server session: service "Orgdeck", account "<server URL> <email>". */
export const KEYCHAIN_SERVICE = 'Orgdeck';

export const accountFor = (url: string, email: string) => `${url} ${email}`;

export interface CredentialStore {
  readonly kind: 'keychain' | 'session-only';
  get(account: string): Promise<string | null>;
  set(account: string, token: string): Promise<void>;
  delete(account: string): Promise<void>;
  accounts(): Promise<string[]>;
}

export type Keychain =
  | { available: true; store: CredentialStore; problem?: undefined }
  | { available: false; problem: string; store?: undefined };

/** The part of keytar we use; its module is loaded lazily, so a missing native build is a state, not a crash. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

const loadKeytar = async (): Promise<KeytarApi> => {
  const module = (await import('keytar')) as KeytarApi & { default?: KeytarApi };
  return module.default ?? module;
};

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/**
 * The OS keychain through keytar, checked once by listing our entries: where keytar cannot load,
 * or loads but finds no Secret Service (a Linux session without one), the answer says why.
 */
export async function openKeychain(load: () => Promise<KeytarApi> = loadKeytar): Promise<Keychain> {
  let keytar: KeytarApi;
  try {
    keytar = await load();
  } catch (error) {
    return { available: false, problem: `the keychain module could not be loaded (${reason(error)})` };
  }
  try {
    await keytar.findCredentials(KEYCHAIN_SERVICE);
  } catch (error) {
    return { available: false, problem: `no keychain service answers (${reason(error)})` };
  }
  return {
    available: true,
    store: {
      kind: 'keychain',
      get: (account) => keytar.getPassword(KEYCHAIN_SERVICE, account),
      set: (account, token) => keytar.setPassword(KEYCHAIN_SERVICE, account, token),
      delete: async (account) => void (await keytar.deletePassword(KEYCHAIN_SERVICE, account)),
      accounts: async () =>
        (await keytar.findCredentials(KEYCHAIN_SERVICE)).map((credential) => credential.account),
    },
  };
}

/** Where there is no keychain and the user agreed: tokens live in this process's memory only, never in a file. */
export function sessionOnlyStore(): CredentialStore {
  const tokens = new Map<string, string>();
  return {
    kind: 'session-only',
    get: async (account) => tokens.get(account) ?? null,
    set: async (account, token) => void tokens.set(account, token),
    delete: async (account) => void tokens.delete(account),
    accounts: async () => [...tokens.keys()],
  };
}
