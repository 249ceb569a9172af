// Here rather than in the contract so screens show them without loading zod and its schemas.

/** The columns of an agent import file, in this order. */
export const AGENT_IMPORT_COLUMNS = ['name', 'handle', 'email', 'model', 'org', 'rate'] as const;
