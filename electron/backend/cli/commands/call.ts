import { channelNames } from '../../../../shared/contract';
import { CliFailure, callAsOwner } from '../cli-context';
import { type Command, str } from '../command';

/** Every channel of the contract, from the command line: `orgdeck call orgs.list --input '{}'`. */
export const callCommand: Command = {
  words: ['call'],
  usage: 'call CHANNEL [--input JSON]',
  summary: `Call any channel of the contract (${channelNames.length} channels; see GET /api/openapi.json)`,
  options: { input: { type: 'string' } },
  positionals: 1,
  async run({ values, positionals }, { backend, io }) {
    const name = positionals[0] ?? '';
    let input: unknown = {};
    try {
      input = JSON.parse(str(values.input) ?? '{}');
    } catch {
      throw new CliFailure({ code: 'VALIDATION', message: '--input is not valid JSON.' }, 2);
    }
    const data = await callAsOwner(backend, name as never, input);
    io.out(JSON.stringify(data, null, 2));
  },
};
