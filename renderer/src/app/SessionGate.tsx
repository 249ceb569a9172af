import { Center } from '@mantine/core';
import { usePickedMode } from '../features/connection/connection-store';
import { InvitePage } from '../features/session/InvitePage';
import { useCurrentSession } from '../features/session/queries';
import { SetupPage } from '../features/session/SetupPage';
import { SignInPage } from '../features/session/SignInPage';
import { TwoFactorEnrol } from '../features/session/TwoFactorEnrol';
import { CenteredCard } from '../ui/CenteredCard';
import { ErrorState } from '../ui/ErrorState';
import { useRoutePath } from './routes';
import { Shell } from './Shell';
import { ShellSkeleton } from './ShellSkeleton';

export function SessionGate() {
  const session = useCurrentSession();
  // The desktop's sign-in page may be asked for a server even while this computer's store is new.
  const wantsServer = usePickedMode((state) => state.picked === 'server');
  const path = useRoutePath();
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
  const invite = /^\/invite(?:\/(.*))?$/.exec(path);
  if (!user && invite) return <InvitePage code={decodeURIComponent(invite[1] ?? '')} />;
  if (!user) return <SignInPage />;
  if (user.mustEnrolTwoFactor) {
    return (
      <CenteredCard
        title="Set up two-factor sign-in"
        subtitle="Your organization requires a second factor to sign in."
      >
        <TwoFactorEnrol onDone={() => undefined} />
      </CenteredCard>
    );
  }
  return <Shell user={user} />;
}
