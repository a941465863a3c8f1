import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { RequireRole } from './auth/RequireRole';
import { Layout } from './components/Layout';
import { GraphProvider } from './lib/graph-provider';
import { AccountLayout } from './pages/account/AccountLayout';
import { AddressesPage } from './pages/account/AddressesPage';
import { BecomeSellerPage } from './pages/account/BecomeSellerPage';
import { PasswordPage } from './pages/account/PasswordPage';
import { PointsPage } from './pages/account/PointsPage';
import { ProfilePage } from './pages/account/ProfilePage';
import { SessionsPage } from './pages/account/SessionsPage';
import { WalletPage } from './pages/account/WalletPage';
import { AdminCouponsPage } from './pages/admin/AdminCouponsPage';
import { AdminLayout } from './pages/admin/AdminLayout';
import { AdminSellerApplicationsPage } from './pages/admin/AdminSellerApplicationsPage';
import { AdminSettlementsPage } from './pages/admin/AdminSettlementsPage';
import { CartPage } from './pages/CartPage';
import { CheckoutPage } from './pages/CheckoutPage';
import { CouponsPage } from './pages/CouponsPage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { LoginPage } from './pages/LoginPage';
import { MyCouponsPage } from './pages/MyCouponsPage';
import { MyOrdersPage } from './pages/MyOrdersPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrderPage } from './pages/OrderPage';
import { ProductListPage } from './pages/ProductListPage';
import { ProductPage } from './pages/ProductPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { SignUpPage } from './pages/SignUpPage';
import { SellerBrandsPage } from './pages/seller/SellerBrandsPage';
import { SellerLayout } from './pages/seller/SellerLayout';
import { SellerProductsPage } from './pages/seller/SellerProductsPage';
import { SellerTimeSalesPage } from './pages/seller/SellerTimeSalesPage';
import { TimeSalePage } from './pages/TimeSalePage';
import { TimeSalesPage } from './pages/TimeSalesPage';
import './styles.css';

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <ProductListPage /> },
      { path: '/products/:id', element: <ProductPage /> },
      { path: '/sales', element: <TimeSalesPage /> },
      { path: '/sales/:id', element: <TimeSalePage /> },
      { path: '/coupons', element: <CouponsPage /> },
      {
        path: '/coupons/mine',
        element: (
          <RequireAuth>
            <MyCouponsPage />
          </RequireAuth>
        ),
      },
      {
        path: '/checkout',
        element: (
          <RequireAuth>
            <CheckoutPage />
          </RequireAuth>
        ),
      },
      { path: '/cart', element: <CartPage /> },
      {
        path: '/orders',
        element: (
          <RequireAuth>
            <MyOrdersPage />
          </RequireAuth>
        ),
      },
      {
        path: '/orders/:id',
        element: (
          <RequireAuth>
            <OrderPage />
          </RequireAuth>
        ),
      },
      { path: '/login', element: <LoginPage /> },
      { path: '/signup', element: <SignUpPage /> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      {
        path: '/account',
        element: (
          <RequireAuth>
            <AccountLayout />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <ProfilePage /> },
          { path: 'addresses', element: <AddressesPage /> },
          { path: 'password', element: <PasswordPage /> },
          { path: 'sessions', element: <SessionsPage /> },
          { path: 'wallet', element: <WalletPage /> },
          { path: 'points', element: <PointsPage /> },
          { path: 'seller', element: <BecomeSellerPage /> },
        ],
      },
      {
        path: '/seller',
        element: (
          <RequireAuth>
            <RequireRole roles={['SELLER']}>
              <SellerLayout />
            </RequireRole>
          </RequireAuth>
        ),
        children: [
          { index: true, element: <SellerBrandsPage /> },
          { path: 'products', element: <SellerProductsPage /> },
          { path: 'sales', element: <SellerTimeSalesPage /> },
        ],
      },
      {
        path: '/admin',
        element: (
          <RequireAuth>
            <RequireRole roles={['ADMIN']}>
              <AdminLayout />
            </RequireRole>
          </RequireAuth>
        ),
        children: [
          { index: true, element: <AdminCouponsPage /> },
          { path: 'seller-applications', element: <AdminSellerApplicationsPage /> },
          { path: 'settlements', element: <AdminSettlementsPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <GraphProvider>
      <RouterProvider router={router} />
    </GraphProvider>
  </StrictMode>,
);
