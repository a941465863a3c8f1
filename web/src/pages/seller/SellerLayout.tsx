import { useLocation } from 'react-router';
import { TabbedSection } from '../../components/TabbedSection';
import { graphql } from '../../generated/graphql';

/** The seller's brands: every seller page picks one of them. */
export const MyBrandsQuery = graphql(`
  query MyBrands {
    me {
      id
      brands {
        id
        name
        createdAt
        grade {
          code
          name
          feeRatePercent
        }
      }
    }
  }
`);

export function SellerLayout() {
  // The brand chosen (?brand=) goes along from tab to tab.
  const { search } = useLocation();
  return (
    <TabbedSection
      id="seller"
      title="Seller"
      tabs={[
        { label: 'Brands', to: '/seller', end: true },
        { label: 'Products', to: { pathname: '/seller/products', search } },
        { label: 'Time sales', to: { pathname: '/seller/sales', search } },
      ]}
    />
  );
}
