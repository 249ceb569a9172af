import { Center } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { usePickedMode } from '../features/connection/connection-store';
import { LazyTwoFactorEnrol } from '../features/session/LazyTwoFactorEnrol';
import { useCurrentSession } from '../features/session/queries';
import { CenteredCard } from '../ui/CenteredCard';
import { ErrorState } from '../ui/ErrorState';
import { useRoutePath } from './routes';
import { Shell } from './Shell';
import { ShellSkeleton } from './ShellSkeleton';

// The signed-out screens load only when shown: a signed-in start does not wait for their forms (and
// the whole contract's schemas they validate against).
const SetupPage = lazy(async () => ({ default: (await import('../features/session/SetupPage')).SetupPage }));
const SignInPage = lazy(async () => ({
  default: (await import('../features/session/SignInPage')).SignInPage,
}));
const InvitePage = lazy(async () => ({
  default: (await import('../features/session/InvitePage')).InvitePage,
}));

export function SessionGate() {
  return (
    <Suspense fallback={<ShellSkeleton />}>
      <SessionScreen />
    </Suspense>
  );
}

function SessionScreen() {
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
        <LazyTwoFactorEnrol onDone={() => undefined} />
      </CenteredCard>
    );
  }
  return <Shell user={user} />;
}
