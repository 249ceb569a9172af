import { callAsOwner, passwordFromStdin } from '../cli-context';
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
  where: 'local',
  async run({ values }, { backend, io, json }) {
    const password = await passwordFromStdin(io, values['password-stdin'] === true);
    const { user } = await callAsOwner(backend, 'setup.init', {
      ownerEmail: str(values['owner-email']),
      ownerName: str(values['owner-name']),
      password,
      orgName: str(values['org-name']),
    });
    io.out(json ? JSON.stringify({ user }) : `Orgdeck is set up. Owner: ${user.name} <${user.email}>.`);
  },
};
