/**
 * The contract's version, exchanged in team mode (`GET /api/version`, and the
 * `X-Orgdeck-Contract` header on every call). Bump it whenever a channel is removed or its
 * input or output changes incompatibly, so a mismatched client and server name the side to update
 * instead of failing on some random call.
 */
// 2: setup.init takes a setup code and tokens.create a password; session.current, tokens.list and
// settings answer more fields.
export const CONTRACT_VERSION = 2;

/** The request header a remote client sends its contract version in. */
export const CONTRACT_HEADER = 'x-orgdeck-contract';
