// Here rather than in the contract so screens show it without loading zod and its schemas.

/** The logo statements show: a PNG or JPEG of at most this many bytes. */
export const LOGO_MAX_BYTES = 512 * 1024;
