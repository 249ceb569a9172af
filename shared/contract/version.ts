/**
 * The contract's version, exchanged in team mode (`GET /api/version`, and the
 * `X-Orgdeck-Contract` header on every call). Bump it whenever a channel is removed or its
 * input or output changes incompatibly, so a mismatched client and server name the side to update
 * instead of failing on some random call.
 */
export const CONTRACT_VERSION = 1;

/** The request header a remote client sends its contract version in. */
export const CONTRACT_HEADER = 'x-orgdeck-contract';
