import { TabbedSection } from '../../components/TabbedSection';

export function AdminLayout() {
  return (
    <TabbedSection
      id="admin"
      title="Admin"
      tabs={[
        { label: 'Coupons', to: '/admin', end: true },
        { label: 'Seller applications', to: '/admin/seller-applications' },
        { label: 'Settlements', to: '/admin/settlements' },
      ]}
    />
  );
}
