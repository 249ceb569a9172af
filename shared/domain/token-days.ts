// Here rather than in the contract so screens show them without loading zod and its schemas.

/** How many days an API token may last, and lasts unless asked. */
export const TOKEN_DAYS = { min: 1, max: 365, default: 90 } as const;
