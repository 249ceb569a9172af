/**
 * The set of orgs one request may touch. Tenant repositories take one of these instead of a bare
 * org id, and only the router mints them (from the signed-in session), so a service cannot widen
 * what a request sees by passing an id it was handed.
 */
export class OrgScope {
  private constructor(private readonly ids: ReadonlySet<string> | 'all') {}

  /** Called by router/scopes.ts only (a unit test keeps it that way). */
  static mint(ids: ReadonlySet<string> | 'all'): OrgScope {
    return new OrgScope(ids);
  }

  get seesAll(): boolean {
    return this.ids === 'all';
  }

  /** The orgs of a limited scope; empty for one that sees all (ask seesAll first). */
  get limitedTo(): string[] {
    return this.ids === 'all' ? [] : [...this.ids];
  }

  allows(orgId: string): boolean {
    return this.ids === 'all' || this.ids.has(orgId);
  }

  /** Bound as one SQL parameter: NULL for every org, else a JSON array for json_each(). */
  get sqlParam(): string | null {
    return this.ids === 'all' ? null : JSON.stringify([...this.ids]);
  }
}
