import { CliFailure, callAsOwner } from '../cli-context';
import { type Command, str } from '../command';

export const initCommand: Command = {
  words: ['init'],
  usage: 'init --owner-email E --owner-name N [--org-name NAME] --password-stdin',
  summary: 'First run: create the owner account and the owner organization (default name "Platform")',
  options: {
    'owner-email': { type: 'string' },
    'owner-name': { type: 'string' },
    'org-name': { type: 'string' },
    'password-stdin': { type: 'boolean' },
  },
  async run({ values }, { backend, io, json }) {
    if (!values['password-stdin']) {
      // A password on the command line would end up in shell history and `ps`.
      throw new CliFailure(
        { code: 'VALIDATION', message: 'Pass the password on standard input with --password-stdin.' },
        2,
      );
    }
    const password = (await io.readStdin()).replace(/\r?\n$/, '');
    const { user } = await callAsOwner(backend, 'setup.init', {
      ownerEmail: str(values['owner-email']),
      ownerName: str(values['owner-name']),
      password,
      orgName: str(values['org-name']),
    });
    io.out(json ? JSON.stringify({ user }) : `Orgdeck is set up. Owner: ${user.name} <${user.email}>.`);
  },
};
