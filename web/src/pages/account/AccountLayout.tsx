import { useUser } from '../../auth/use-session';
import { TabbedSection } from '../../components/TabbedSection';

export function AccountLayout() {
  const user = useUser();
  return (
    <TabbedSection
      id="account"
      title="My account"
      tabs={[
        { label: 'Profile', to: '/account', end: true },
        { label: 'Addresses', to: '/account/addresses' },
        { label: 'Password', to: '/account/password' },
        { label: 'Sessions', to: '/account/sessions' },
        { label: 'Wallet', to: '/account/wallet' },
        { label: 'Points', to: '/account/points' },
        ...(user?.role === 'CUSTOMER' ? [{ label: 'Become a seller', to: '/account/seller' }] : []),
      ]}
    />
  );
}
