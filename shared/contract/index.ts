import type * as z from 'zod';
import { agentChannels } from './agents';
import { alertChannels } from './alerts';
import { aliasChannels } from './aliases';
import { auditChannels } from './audit';
import { backupChannels } from './backups';
import { billingChannels } from './billing';
import { defineContract } from './channel';
import { connectionChannels } from './connection';
import { homeChannels } from './home';
import { inviteChannels } from './invites';
import { knowledgeChannels } from './knowledge';
import { memberChannels } from './members';
import { orgChannels } from './orgs';
import { policyChannels } from './policies';
import { sessionChannels } from './session';
import { settingsChannels } from './settings';
import { statementChannels } from './statements';
import { tokenChannels } from './tokens';
import { transferChannels } from './transfer';
import { twoFactorChannels } from './two-factor';
import { userChannels } from './users';

export const contract = defineContract(
  sessionChannels,
  orgChannels,
  userChannels,
  memberChannels,
  inviteChannels,
  twoFactorChannels,
  settingsChannels,
  agentChannels,
  aliasChannels,
  billingChannels,
  statementChannels,
  homeChannels,
  alertChannels,
  knowledgeChannels,
  auditChannels,
  policyChannels,
  backupChannels,
  transferChannels,
  tokenChannels,
  connectionChannels,
);

export type Contract = typeof contract;
export type ChannelName = keyof Contract & string;
export type ChannelInput<N extends ChannelName> = z.input<Contract[N]['input']>;
export type ChannelOutput<N extends ChannelName> = z.output<Contract[N]['output']>;

export const channelNames = Object.keys(contract) as ChannelName[];
/** The input after validation: defaults applied, strings trimmed. */
export type ChannelParsedInput<N extends ChannelName> = z.output<Contract[N]['input']>;
