import { z } from 'zod';
import { channel } from './channel';
import { DisplayName, Id, Rate, Slug, Timestamp, TimeZone } from './fields';

export const Org = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  isOwner: z.boolean().describe('The platform operator’s own organization'),
  timezone: z.string(),
  rate: z.string().describe('USD per agent per month'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Org = z.infer<typeof Org>;

export const orgChannels = {
  'orgs.list': channel({
    summary: 'Organizations the session may see, by name',
    kind: 'read',
    permission: 'orgs.read',
    input: z.object({ search: z.string().trim().max(200).optional() }).strict(),
    output: z.array(Org),
  }),
  'orgs.create': channel({
    summary: 'Create a client organization',
    kind: 'write',
    permission: 'orgs.manage',
    input: z
      .object({
        name: DisplayName,
        slug: Slug.optional().describe('Suggested from the name when left out; cannot change later'),
        rate: Rate.optional(),
        timezone: TimeZone.optional(),
      })
      .strict(),
    output: Org,
  }),
  'orgs.rename': channel({
    summary: 'Give an organization a new display name (its slug stays)',
    kind: 'write',
    permission: 'orgs.manage',
    input: z.object({ id: Id, name: DisplayName }).strict(),
    output: Org,
  }),
};
