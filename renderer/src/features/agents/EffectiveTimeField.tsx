import { Button, Collapse, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { type FormSchemas, loadFormSchemas, useFormSchemas } from '../../ui/load-form-schemas';
import { formatLocal } from '../../ui/time';

/** The effective time typed so far: undefined (now), the ISO value, or the rule it breaks. */
function effectiveTime({ contract }: FormSchemas, text: string): { at?: string; error?: string } {
  const value = text.trim();
  if (!value) return {};
  const parsed = contract['agents.assign'].input.shape.at.safeParse(value);
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'Use an ISO 8601 time' };
  return { at: parsed.data };
}

/** `effectiveTime`, once the schemas have loaded. */
export async function parseEffectiveTime(text: string): Promise<{ at?: string; error?: string }> {
  return effectiveTime(await loadFormSchemas(), text);
}

/** "Advanced": when a change took effect, for corrections after the fact; collapsed, empty means now. */
export function EffectiveTimeField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const [opened, { toggle }] = useDisclosure(value !== '' || !!error);
  const schemas = useFormSchemas();
  const at = schemas && effectiveTime(schemas, value).at;
  return (
    <Stack gap={4}>
      <Button
        variant="subtle"
        size="compact-sm"
        color="gray"
        onClick={toggle}
        leftSection={opened ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
        aria-expanded={opened}
        style={{ alignSelf: 'flex-start' }}
      >
        Advanced
      </Button>
      <Collapse expanded={opened}>
        <TextInput
          label="Effective time"
          description="For corrections: when the change really took effect, as ISO 8601 with a zone (2026-03-01T09:00:00Z). Empty means now."
          placeholder="2026-03-01T09:00:00Z"
          value={value}
          error={error}
          onChange={(event) => onChange(event.currentTarget.value)}
          autoComplete="off"
        />
        {at && !error && (
          <Text size="xs" c="dimmed" mt={4}>
            That is {formatLocal(at)} your time.
          </Text>
        )}
      </Collapse>
    </Stack>
  );
}
