import { Center } from '@mantine/core';
import { usePickedMode } from '../features/connection/connection-store';
import { useCurrentSession } from '../features/session/queries';
import { SetupPage } from '../features/session/SetupPage';
import { SignInPage } from '../features/session/SignInPage';
import { ErrorState } from '../ui/ErrorState';
import { Shell } from './Shell';
import { ShellSkeleton } from './ShellSkeleton';

export function SessionGate() {
  const session = useCurrentSession();
  // The desktop's sign-in page may be asked for a server even while this computer's store is new.
  const wantsServer = usePickedMode((state) => state.picked === 'server');
  if (session.isPending) {
    return <ShellSkeleton />;
  }
  if (session.isError) {
    return (
      <Center mih="100vh" p="md">
        <ErrorState
          title="Orgdeck cannot start"
          error={session.error}
          onRetry={() => void session.refetch()}
        />
      </Center>
    );
  }
  const { user, needsSetup } = session.data;
  if (needsSetup && !wantsServer) return <SetupPage />;
  if (!user) return <SignInPage />;
  return <Shell user={user} />;
}
